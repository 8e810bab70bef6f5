"""The journal: people's work, appended outside the database, so it can be replayed.

The search index is derived data (the indexer rebuilds it from the source folders); the work people
do is not. Every audited change (evidence, cases, framework, requests, saved searches, bundles...)
is also written here, as one JSON line in `WORKSPACE/journal/YYYY-MM.jsonl`, flushed and fsynced
*before* the database transaction commits (the hook is in `audit.record`). A line holds:

- `audit`: the audit entry itself, with its hash-chain fields;
- `state`: the full state of the entity after the change (the audit log keeps scrubbed
  before/after values for privacy, which are not enough to rebuild the record).

Replay (after a restore or a rebuild) walks the hash chain from the database's last audit entry:
each journal entry whose `prev_hash` is the current tail is applied (its state upserted by uuid,
its audit entry appended), so replay is idempotent and never applies a change twice. Where two
entries claim the same predecessor, the later one wins: the earlier was rolled back (the app
crashed between the journal write and the commit) or discarded by a deliberate restore.

In an encrypted workspace each line is encrypted (AES-256-GCM, key wrapped by the passphrase in
`encryption.json`). Lines cut short by a crash are skipped on reading.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from evidence_app.core.base import clock
from evidence_app.core.safety.crypto import DB_ERRORS, decrypt_line, encrypt_line
from evidence_app.core.base.fsutil import fsync_dir
from evidence_app.core.store import audit as audit_store
from evidence_app.core.store import journal as journal_store
from evidence_app.core.store import meta as meta_store
from evidence_app.core.safety.journal_tail import ( # noqa: F401 (re-exported)
    GENESIS, Tail, line_hash, tail,
)
from evidence_app.core.base.fsutil import PRIVATE_FILE, make_private, private_dir

log = logging.getLogger(__name__)

JOURNAL_DIR = "journal"
VERSION = 1

# entity type -> (table, [(child table, column pointing at the table's id)])
SPECS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "evidence": ("evidence_items", [("evidence_enquiries", "item_id"),
                                    ("evidence_requests", "item_id")]),
    "case": ("cases", [("case_readiness", "case_id")]),
    "area": ("judgement_areas", []),
    "enquiry": ("enquiries", []),
    "request": ("requests", [("request_documents", "request_id")]),
    "saved-search": ("saved_searches", []),
}
# entity types recorded without a uuid: the state is every row of these types
WHOLE = {"framework": ("area", "enquiry", "request"), "case-list": ("case",)}
META_PREFIXES = {"framework": ("framework.",)}
# entity types whose journal state a module builds itself (e.g. a pack import: every item and
# case it touched, in one line): type -> function(db, uuid) -> {"entities": [...]}
SNAPSHOTS: dict = {}


def register(entity_type: str, table: str, children: list[tuple[str, str]] | None = None,
             whole_types: tuple[str, ...] | None = None) -> None:
    """Let a module journal its own entity (e.g. bundles): the table has `id` and `uuid`;
    children point at its `id`. `whole_types` for a type recorded without a uuid."""
    SPECS[entity_type] = (table, list(children or []))
    if whole_types:
        WHOLE[entity_type] = whole_types


def _register_known() -> None:
    """Bundles (core/bundles/bundles.py, m003): sections and items keep their ids on replay, which are
    free in a restored database because replay runs straight after the restore."""
    SPECS.setdefault("bundle", ("bundles", [("bundle_sections", "bundle_id"),
                                            ("bundle_items", "bundle_id"),
                                            ("bundle_exports", "bundle_id")]))
    # the self-evaluation (core/sef/, m007)
    SPECS.setdefault("sef-claim", ("sef_claims", [("sef_claim_enquiries", "claim_id"),
                                                  ("sef_citations", "claim_id")]))
    SPECS.setdefault("sef-action", ("sef_actions", []))
    SPECS.setdefault("sef-version", ("sef_versions", []))


_register_known()


def journal_dir(root: Path) -> Path:
    return Path(root) / JOURNAL_DIR


# -- writing ------------------------------------------------------------------------------------
# Every line carries `seq` (1, 2, 3... across all the journal's files) and `prev`, the SHA-256 of
# the previous line's bytes: a running chain. The database records the last `seq` it committed
# (meta `journal.seq`, written in the same transaction as the change), so:
# - a journal that is *ahead* of the database holds committed work the database lost (a deleted
#   WAL, an old copy put back): it is replayed at opening and reported;
# - a journal *behind* the database, or with a gap or a broken link, was truncated or edited:
#   reported at opening and by `check` (see journal_replay.verify_sequence).
# Encrypted lines keep `seq` and `prev` outside the ciphertext, so the chain checks need no key.
_write_mutex = threading.RLock()
_tail_cache: dict[str, tuple] = {}


def _files_signature(folder: Path) -> tuple:
    try:
        return tuple(sorted((e.name, e.stat().st_size) for e in os.scandir(folder)
                            if e.name.endswith(".jsonl")))
    except OSError:
        return ()


def database_seq(db) -> int:
    """The last journal `seq` the database committed (0: none recorded)."""
    try:
        value = meta_store.get(db.conn, "journal.seq")
    except DB_ERRORS:
        return 0
    try:
        return int(value) if value is not None else 0
    except (TypeError, ValueError):
        return 0


def set_database_seq(db, seq: int) -> None:
    meta_store.put(db.conn, "journal.seq", str(seq))


def _encode(record: dict, key: bytes | None, seq: int, prev: str) -> bytes:
    # ensure_ascii: any text a file system or a person can produce (lone surrogates from a
    # non-UTF-8 file name included) is written as \u escapes and read back unchanged
    if key is not None:
        env = json.loads(encrypt_line(key, json.dumps(record, separators=(",", ":"),
                                                        default=str)))
        obj = {"seq": seq, "prev": prev, **env}
    else:
        obj = {"seq": seq, "prev": prev, **record}
    return json.dumps(obj, separators=(",", ":"), default=str).encode("ascii")


def _write_line(root: Path, month: str, record: dict, key: bytes | None, db=None) -> int:
    """Append one line (fsynced) and, given the database, record its `seq` there (inside the
    caller's transaction when there is one). Returns the `seq`."""
    folder = journal_dir(root)
    with _write_mutex:
        if not folder.exists():
            private_dir(folder)
            fsync_dir(Path(root))
        path = folder / f"{month}.jsonl"
        created = not path.exists()
        sig = _files_signature(folder)
        cached = _tail_cache.get(str(folder))
        if cached is not None and cached[0] == sig:
            last = cached[1]
        else:
            last = tail(root)
        seq = last.seq + 1
        if db is not None:
            seq = max(seq, database_seq(db) + 1)  # never reuse a number the database has seen
        data = _encode(record, key, seq, last.hash)
        line = (b"\n" + data + b"\n") if _needs_newline(path) else data + b"\n"
        fd = os.open(str(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT |
                     getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        try:
            view = memoryview(line)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            make_private(path)
            fsync_dir(folder)
        _tail_cache[str(folder)] = (_files_signature(folder), Tail(seq, line_hash(data), 1))
    if db is not None:
        try:
            set_database_seq(db, seq)
        except DB_ERRORS:
            pass
    return seq


def _needs_newline(path: Path) -> bool:
    """After a crash mid-line the file may not end in a newline: start the next line cleanly."""
    try:
        with open(path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) != b"\n"
    except OSError:
        return False


def enabled(ws) -> bool:
    return not getattr(ws, "readonly", False) and getattr(ws, "journal_enabled", True)


def append(ws, entry: dict) -> None:
    """Journal one audit entry with the entity's state now (inside the caller's transaction)."""
    if not enabled(ws):
        return
    settle(ws)
    record = {"v": VERSION, "kind": "audit", "audit": entry,
              "state": snapshot(ws.db, entry.get("entity_type"), entry.get("entity_uuid"))}
    _write_line(ws.root, (entry.get("at") or clock.now_iso())[:7], record,
                getattr(ws, "journal_key", None), ws.db)
    _pending(ws).append(entry.get("uuid"))
    db = ws.db
    if getattr(db, "evidence_after_transaction", None) is None:
        db.evidence_after_transaction = _settler(ws)


def _settler(ws):  # noqa: ANN001, ANN202
    """What the store calls when this thread's transaction ends (store/db.py `transaction`):
    settle at once, so a rollback is in the journal before anything else can happen (a crash,
    or the window's writer going on for hours with every later write in a transaction of its
    own, where `settle` at the next `append` would find it still inside one). A weak reference:
    the connection's wrapper must not keep the workspace alive."""
    ref = weakref.ref(ws)

    def after(committed: bool) -> None:
        workspace = ref()
        if workspace is None:
            return
        try:
            settle(workspace)
        except Exception:  # noqa: BLE001 - the write itself is done; the next settle retries
            log.warning("could not settle the journal after a transaction", exc_info=True)

    return after


def _pending(ws) -> list:
    local = getattr(ws, "_local", None)
    if local is None:
        return []
    if not hasattr(local, "journal_pending"):
        local.journal_pending = []
    return local.journal_pending


def settle(ws) -> None:
    """Journaled changes whose transaction rolled back (an error after the journal line was
    written) get a `rolled-back` line, so no later replay brings them back. Checked on this
    thread's connection once its transaction is over."""
    pending = _pending(ws)
    if not pending:
        return
    try:
        conn = ws.db.conn
        if conn.in_transaction:
            return
        have = audit_store.which_exist(conn, pending)
    except DB_ERRORS:
        return
    gone = [u for u in pending if u not in have]
    pending.clear()
    if gone:
        _write_line(ws.root, clock.now_iso()[:7], {"v": VERSION, "kind": "rolled-back",
                                                    "at": clock.now_iso(), "uuids": gone},
                    getattr(ws, "journal_key", None), ws.db)


def note_sources(ws) -> None:
    """Journal the source folders when they changed since last noted (they are configuration
    the index cannot be rebuilt without)."""
    if not enabled(ws):
        return
    try:
        from evidence_app.core.store import sources as sources_store  # start-up: records

        rows = sources_store.journal_rows(ws.db)
    except DB_ERRORS:
        return
    digest = json.dumps(rows, sort_keys=True)

    h = hashlib.sha256(digest.encode("utf-8")).hexdigest()
    if ws.get_meta("journal.sources_hash") == h:
        return
    _write_line(ws.root, clock.now_iso()[:7], {"v": VERSION, "kind": "sources",
                                                "at": clock.now_iso(), "sources": rows},
                getattr(ws, "journal_key", None), ws.db)
    ws.set_meta("journal.sources_hash", h)


def note(ws, kind: str, **data) -> None:
    """A marker line (e.g. a restore), for people reading the journal."""
    if not enabled(ws):
        return
    _write_line(ws.root, clock.now_iso()[:7], {"v": VERSION, "kind": kind,
                                                "at": clock.now_iso(), **data},
                getattr(ws, "journal_key", None), ws.db)


# -- snapshots ----------------------------------------------------------------------------------
# (rows are read through core/store/journal.py: whole rows of whichever table is registered)
def _table_exists(db, table: str) -> bool:
    return journal_store.table_exists(db.conn, table)


def _doc_ref(db, doc_id) -> dict | None:
    if doc_id is None:
        return None
    ref = journal_store.document_ref(db.conn, doc_id)
    return ref.as_json() if ref else None


def _with_docs(db, row: dict) -> dict:
    if "document_id" in row:
        row["_document"] = _doc_ref(db, row["document_id"])
    return row


def entity_state(db, entity_type: str, uuid: str | None = None, row: dict | None = None) -> dict:
    table, children = SPECS[entity_type]
    if row is None:
        rows = journal_store.rows_where(db.conn, table, "uuid", uuid)
        row = rows[0] if rows else None
    state = {"type": entity_type, "table": table, "uuid": uuid or (row or {}).get("uuid"),
             "row": _with_docs(db, dict(row)) if row else None, "children": {}}
    if row is not None:
        for child, fk in children:
            if _table_exists(db, child):
                state["children"][child] = [_with_docs(db, r) for r in journal_store.rows_where(
                    db.conn, child, fk, row["id"])]
    return state


def snapshot(db, entity_type: str | None, uuid: str | None) -> dict | None:
    """The full state to replay for one audit entry (None: nothing replayable)."""
    try:
        if entity_type in SNAPSHOTS and uuid:
            return SNAPSHOTS[entity_type](db, uuid)
        if entity_type in SPECS and uuid:
            if not _table_exists(db, SPECS[entity_type][0]):
                return None
            return {"entities": [entity_state(db, entity_type, uuid)]}
        if entity_type == "document" and uuid:
            return {"documents": [d.as_json() for d in
                                  journal_store.document_case_links(db.conn, uuid)]}
        if entity_type in WHOLE:
            ents = []
            for t in WHOLE[entity_type]:
                table = SPECS[t][0]
                if _table_exists(db, table):
                    for row in journal_store.all_rows(db.conn, table):
                        ents.append(entity_state(db, t, row.get("uuid"), row))
            meta = {}
            for prefix in META_PREFIXES.get(entity_type, ()):
                meta.update(meta_store.with_prefix(db.conn, prefix))
            return {"entities": ents, "meta": meta}
    except DB_ERRORS:
        return None
    return None


# -- reading ------------------------------------------------------------------------------------
@dataclass
class ReadResult:
    records: list[dict] = field(default_factory=list)
    damaged_lines: int = 0
    files: int = 0


def read(root: Path, key: bytes | None = None) -> ReadResult:
    """Every readable record, oldest first. Lines cut short or undecryptable are counted."""
    out = ReadResult()
    folder = journal_dir(root)
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.jsonl")):
        out.files += 1
        with open(path, "rb") as f:
            for raw in f:
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8"))
                    if not isinstance(obj, dict):
                        raise ValueError("not a record")
                    if "enc" in obj:
                        if key is None:
                            out.damaged_lines += 1
                            continue
                        obj = json.loads(decrypt_line(key, obj))
                    out.records.append(obj)
                except Exception:  # noqa: BLE001 - a torn or damaged line
                    out.damaged_lines += 1
    return out


@dataclass
class LineInfo:
    file: str
    seq: int | None  # None: a legacy line (before sequences) or an unreadable one
    prev: str | None
    hash: str
    readable: bool


def scan(root: Path) -> list[LineInfo]:
    """Every line's place in the chain (no decryption needed), in file order."""
    out: list[LineInfo] = []
    folder = journal_dir(root)
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, "rb") as f:
            for raw in f:
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8"))
                    if not isinstance(obj, dict):
                        raise ValueError
                except (ValueError, UnicodeDecodeError):
                    out.append(LineInfo(path.name, None, None, line_hash(raw), False))
                    continue
                seq = obj.get("seq")
                seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else None
                out.append(LineInfo(path.name, seq, obj.get("prev"), line_hash(raw), True))
    return out


def iter_audit(records: list[dict]) -> Iterator[dict]:
    for r in records:
        if r.get("kind") == "audit" and isinstance(r.get("audit"), dict):
            yield r


