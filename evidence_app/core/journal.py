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

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import clock
from .crypto import DB_ERRORS, decrypt_line, encrypt_line
from .fsutil import fsync_dir

JOURNAL_DIR = "journal"
VERSION = 1
GENESIS = "0" * 64

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


def register(entity_type: str, table: str, children: list[tuple[str, str]] | None = None,
             whole_types: tuple[str, ...] | None = None) -> None:
    """Let a module journal its own entity (e.g. bundles): the table has `id` and `uuid`;
    children point at its `id`. `whole_types` for a type recorded without a uuid."""
    SPECS[entity_type] = (table, list(children or []))
    if whole_types:
        WHOLE[entity_type] = whole_types


def _register_known() -> None:
    """Bundles (core/bundles.py, m003): sections and items keep their ids on replay, which are
    free in a restored database because replay runs straight after the restore."""
    SPECS.setdefault("bundle", ("bundles", [("bundle_sections", "bundle_id"),
                                            ("bundle_items", "bundle_id"),
                                            ("bundle_exports", "bundle_id")]))


_register_known()


def journal_dir(root: Path) -> Path:
    return Path(root) / JOURNAL_DIR


# -- writing ------------------------------------------------------------------------------------
def _write_line(root: Path, month: str, record: dict, key: bytes | None) -> None:
    folder = journal_dir(root)
    created = False
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fsync_dir(Path(root))
    path = folder / f"{month}.jsonl"
    if not path.exists():
        created = True
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
    if key is not None:
        text = encrypt_line(key, text)
    data = ("\n" + text + "\n").encode("utf-8") if _needs_newline(path) else \
        (text + "\n").encode("utf-8")
    fd = os.open(str(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0),
                 0o600)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(folder)


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
    record = {"v": VERSION, "kind": "audit", "audit": entry,
              "state": snapshot(ws.db, entry.get("entity_type"), entry.get("entity_uuid"))}
    _write_line(ws.root, (entry.get("at") or clock.now_iso())[:7], record,
                getattr(ws, "journal_key", None))


def note_sources(ws) -> None:
    """Journal the source folders when they changed since last noted (they are configuration
    the index cannot be rebuilt without)."""
    if not enabled(ws):
        return
    try:
        rows = [dict(r) for r in ws.db.query(
            "SELECT uuid, path, kind, include, exclude, added_at FROM sources ORDER BY id")]
    except DB_ERRORS:
        return
    digest = json.dumps(rows, sort_keys=True)
    import hashlib

    h = hashlib.sha256(digest.encode("utf-8")).hexdigest()
    if ws.get_meta("journal.sources_hash") == h:
        return
    _write_line(ws.root, clock.now_iso()[:7], {"v": VERSION, "kind": "sources",
                                                "at": clock.now_iso(), "sources": rows},
                getattr(ws, "journal_key", None))
    ws.set_meta("journal.sources_hash", h)


def note(ws, kind: str, **data) -> None:
    """A marker line (e.g. a restore), for people reading the journal."""
    if not enabled(ws):
        return
    _write_line(ws.root, clock.now_iso()[:7], {"v": VERSION, "kind": kind,
                                                "at": clock.now_iso(), **data},
                getattr(ws, "journal_key", None))


# -- snapshots ----------------------------------------------------------------------------------
def _cols(db, table: str) -> list[str]:
    return [r[1] for r in db.conn.execute(f'PRAGMA table_info("{table}")')]


def _table_exists(db, table: str) -> bool:
    return db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           [table]).fetchone() is not None


def _rows(db, sql: str, params) -> list[dict]:
    cur = db.conn.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _doc_ref(db, doc_id) -> dict | None:
    if doc_id is None:
        return None
    r = db.conn.execute("SELECT uuid, path, member, rel_path, name, source_id FROM documents "
                        "WHERE id = ?", [doc_id]).fetchone()
    if r is None:
        return None
    return {"uuid": r[0], "path": r[1], "member": r[2], "rel_path": r[3], "name": r[4]}


def _with_docs(db, row: dict) -> dict:
    if "document_id" in row:
        row["_document"] = _doc_ref(db, row["document_id"])
    return row


def entity_state(db, entity_type: str, uuid: str | None = None, row: dict | None = None) -> dict:
    table, children = SPECS[entity_type]
    if row is None:
        rows = _rows(db, f'SELECT * FROM "{table}" WHERE uuid = ?', [uuid])
        row = rows[0] if rows else None
    state = {"type": entity_type, "table": table, "uuid": uuid or (row or {}).get("uuid"),
             "row": _with_docs(db, dict(row)) if row else None, "children": {}}
    if row is not None:
        for child, fk in children:
            if _table_exists(db, child):
                state["children"][child] = [_with_docs(db, r) for r in _rows(
                    db, f'SELECT * FROM "{child}" WHERE "{fk}" = ?', [row["id"]])]
    return state


def snapshot(db, entity_type: str | None, uuid: str | None) -> dict | None:
    """The full state to replay for one audit entry (None: nothing replayable)."""
    try:
        if entity_type in SPECS and uuid:
            if not _table_exists(db, SPECS[entity_type][0]):
                return None
            return {"entities": [entity_state(db, entity_type, uuid)]}
        if entity_type == "document" and uuid:
            r = _rows(db, "SELECT uuid, path, member, rel_path, name, case_ref, case_ref_manual "
                          "FROM documents WHERE uuid = ?", [uuid])
            return {"documents": r}
        if entity_type in WHOLE:
            ents = []
            for t in WHOLE[entity_type]:
                table = SPECS[t][0]
                if _table_exists(db, table):
                    for row in _rows(db, f'SELECT * FROM "{table}" ORDER BY rowid', []):
                        ents.append(entity_state(db, t, row.get("uuid"), row))
            meta = {}
            for prefix in META_PREFIXES.get(entity_type, ()):
                for k, v in db.conn.execute("SELECT key, value FROM meta WHERE key LIKE ?",
                                            [prefix + "%"]):
                    meta[k] = v
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
                    if "enc" in obj:
                        if key is None:
                            out.damaged_lines += 1
                            continue
                        obj = json.loads(decrypt_line(key, obj))
                    out.records.append(obj)
                except Exception:  # noqa: BLE001 - a torn or damaged line
                    out.damaged_lines += 1
    return out


def iter_audit(records: list[dict]) -> Iterator[dict]:
    for r in records:
        if r.get("kind") == "audit" and isinstance(r.get("audit"), dict):
            yield r


# -- replay -------------------------------------------------------------------------------------
@dataclass
class ReplayReport:
    applied: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    not_applied: int = 0  # rolled back before commit, or discarded by a restore
    conflicts: list[str] = field(default_factory=list)
    damaged_lines: int = 0
    sources_added: int = 0
    documents_queued: int = 0

    def line(self) -> str:
        if not self.applied and not self.sources_added:
            return "The journal had nothing the database lacked."
        kinds = ", ".join(f"{v} {k}" for k, v in sorted(self.by_type.items()))
        text = f"{self.applied} changes replayed from the journal ({kinds})"
        if self.sources_added:
            text += f"; {self.sources_added} source folders restored"
        if self.conflicts:
            text += f"; {len(self.conflicts)} could not be applied"
        return text + "."

    def to_json(self) -> dict:
        return dict(self.__dict__)


def db_tail(db) -> tuple[str, set[str]]:
    uuids = {r[0] for r in db.conn.execute("SELECT uuid FROM audit_log")}
    row = db.conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0] if row else GENESIS), uuids


def pending_chain(records: list[dict], tail: str, in_db: set[str],
                  include_discarded: bool = False) -> tuple[list[dict], int]:
    """The journal entries that continue the database's chain from `tail`, in order, and how
    many journal entries are absent from the database but not on that chain."""
    by_prev: dict[str, list[dict]] = {}
    missing = 0
    discarded = set() if include_discarded else {
        u for r in records if r.get("kind") == "restore" for u in r.get("discarded", [])}
    for r in iter_audit(records):
        a = r["audit"]
        if a.get("uuid") in in_db:
            continue
        if a.get("uuid") in discarded:  # undone by a deliberate restore
            missing += 1
            continue
        missing += 1
        by_prev.setdefault(a.get("prev_hash"), []).append(r)
    chain, seen = [], set()
    while tail in by_prev:
        rec = by_prev[tail][-1]  # the later one wins (see module notes)
        h = rec["audit"].get("hash")
        if h in seen:
            break
        seen.add(h)
        chain.append(rec)
        tail = h
    return chain, missing - len(chain)


def replay(ws, records: list[dict] | None = None,
           include_discarded: bool = False) -> ReplayReport:
    """Apply what the journal holds and the database lacks. Idempotent. `include_discarded`
    also re-applies changes an earlier restore set aside (an explicit --replay-journal)."""
    from .store.db import transaction

    report = ReplayReport()
    if records is None:
        rr = read(ws.root, getattr(ws, "journal_key", None))
        records, report.damaged_lines = rr.records, rr.damaged_lines
    db = ws.db
    with transaction(db):
        report.sources_added = _apply_sources(db, records, report)
        tail, in_db = db_tail(db)
        chain, report.not_applied = pending_chain(records, tail, in_db, include_discarded)
        for rec in chain:
            a = rec["audit"]
            _apply_state(db, rec.get("state"), report)
            db.conn.execute(
                "INSERT INTO audit_log (uuid, at, who, action, entity_type, entity_uuid, "
                "entity_ref, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [a.get(k) for k in ("uuid", "at", "who", "action", "entity_type", "entity_uuid",
                                    "entity_ref", "before", "after", "prev_hash", "hash")])
            report.applied += 1
            t = a.get("entity_type") or "?"
            report.by_type[t] = report.by_type.get(t, 0) + 1
    return report


def _apply_sources(db, records: list[dict], report: ReplayReport) -> int:
    latest = None
    for r in records:
        if r.get("kind") == "sources":
            latest = r
    if latest is None:
        return 0
    have = {r[0] for r in db.conn.execute("SELECT uuid FROM sources")}
    paths = {r[0] for r in db.conn.execute("SELECT path FROM sources")}
    added = 0
    for s in latest.get("sources", []):
        if s["uuid"] in have or s["path"] in paths:
            continue
        db.conn.execute("INSERT INTO sources (uuid, path, kind, include, exclude, added_at) "
                        "VALUES (?,?,?,?,?,?)", [s["uuid"], s["path"], s["kind"], s["include"],
                                                 s["exclude"], s["added_at"]])
        added += 1
    return added


def _apply_state(db, state: dict | None, report: ReplayReport) -> None:
    if not state:
        return
    for ent in state.get("entities", []):
        try:
            _apply_entity(db, ent, report)
        except DB_ERRORS as exc:
            report.conflicts.append(f"{ent.get('type')} {ent.get('uuid')}: {exc}")
    for doc in state.get("documents", []):
        local = _resolve_document(db, doc, report)
        if local is not None:
            db.conn.execute("UPDATE documents SET case_ref = ?, case_ref_manual = ? WHERE id = ?",
                            [doc.get("case_ref"), doc.get("case_ref_manual") or 0, local])
    for k, v in (state.get("meta") or {}).items():
        db.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                        "SET value = excluded.value", [k, v])


def _resolve_document(db, ref: dict | None, report: ReplayReport) -> int | None:
    """The local id of a journaled document: by uuid, by path, else a placeholder row that the
    indexer fills in on its next pass (queued now)."""
    if not ref or not ref.get("path"):
        return None
    r = db.conn.execute("SELECT id FROM documents WHERE uuid = ?", [ref.get("uuid")]).fetchone()
    if r is None:
        r = db.conn.execute("SELECT id FROM documents WHERE path = ? AND member = ?",
                            [ref["path"], ref.get("member") or ""]).fetchone()
    if r is not None:
        return int(r[0])
    if ref.get("member"):
        return None  # an attachment comes back with its parent file
    source = None
    for sid, spath in db.conn.execute("SELECT id, path FROM sources"):
        if ref["path"].startswith(spath.rstrip("/\\") + os.sep) or ref["path"].startswith(
                spath.rstrip("/\\") + "/"):
            source = sid
    name = ref.get("name") or os.path.basename(ref["path"])
    cur = db.conn.execute(
        "INSERT INTO documents (uuid, source_id, path, member, rel_path, name, status, reason, "
        "first_seen) VALUES (?,?,?,?,?,?,'pending','Waiting to be read again after a "
        "recovery.',?)", [ref.get("uuid"), source, ref["path"], "", ref.get("rel_path") or name,
                          name, clock.now_iso()])
    doc_id = int(cur.lastrowid)
    db.conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, NULL, ?)", [doc_id, name])
    if source is not None:
        db.conn.execute("INSERT OR IGNORE INTO index_queue(path, source_id, enqueued_at) "
                        "VALUES (?,?,?)", [ref["path"], source, clock.now_iso()])
        report.documents_queued += 1
    return doc_id


def _prepare(db, table: str, row: dict, report: ReplayReport) -> dict:
    row = dict(row)
    doc = row.pop("_document", None)
    if "document_id" in row:
        row["document_id"] = _resolve_document(db, doc, report) if doc else None
    cols = set(_cols(db, table))
    return {k: v for k, v in row.items() if k in cols}


def _apply_entity(db, ent: dict, report: ReplayReport) -> None:
    table = ent["table"]
    if not _table_exists(db, table):
        report.conflicts.append(f"{ent.get('type')} {ent.get('uuid')}: no table {table}")
        return
    local = db.conn.execute(f'SELECT id FROM "{table}" WHERE uuid = ?', [ent["uuid"]]).fetchone()
    if ent.get("row") is None:
        if local is not None:
            db.conn.execute(f'DELETE FROM "{table}" WHERE id = ?', [local[0]])
        return
    row = _prepare(db, table, ent["row"], report)
    snap_id = row.pop("id", None)
    if local is not None:
        main_id = local[0]
        if row:
            db.conn.execute(f'UPDATE "{table}" SET {", ".join(f"{chr(34)}{k}{chr(34)} = ?" for k in row)} '
                            "WHERE id = ?", [*row.values(), main_id])
    else:
        if snap_id is not None and db.conn.execute(
                f'SELECT 1 FROM "{table}" WHERE id = ?', [snap_id]).fetchone() is None:
            row = {"id": snap_id, **row}
        cols = ", ".join(f'"{k}"' for k in row)
        cur = db.conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({",".join("?" * len(row))})',
                              list(row.values()))
        main_id = row.get("id", cur.lastrowid)
    for child, rows in (ent.get("children") or {}).items():
        fk = dict(SPECS[ent["type"]][1]).get(child)
        if not fk or not _table_exists(db, child):
            continue
        db.conn.execute(f'DELETE FROM "{child}" WHERE "{fk}" = ?', [main_id])
        for r in rows:
            r = _prepare(db, child, r, report)
            if "document_id" in r and r["document_id"] is None:
                continue
            r[fk] = main_id
            db.conn.execute(f'INSERT OR REPLACE INTO "{child}" ({", ".join(chr(34) + k + chr(34) for k in r)}) '
                            f'VALUES ({",".join("?" * len(r))})', list(r.values()))


# -- comparing with the database ------------------------------------------------------------------
def compare(ws) -> dict:
    """Journal vs database: what the database lacks (to replay), and what the journal lacks."""
    rr = read(ws.root, getattr(ws, "journal_key", None))
    tail, in_db = db_tail(ws.db)
    chain, not_on_chain = pending_chain(rr.records, tail, in_db)
    journaled = {r["audit"].get("uuid") for r in iter_audit(rr.records)}
    first_journaled = None
    for r in iter_audit(rr.records):
        first_journaled = r["audit"].get("at")
        break
    db_only = 0
    if journaled:
        db_only = ws.db.conn.execute(
            "SELECT COUNT(*) FROM audit_log WHERE at >= ?", [first_journaled or ""]
        ).fetchone()[0] - len(in_db & journaled)
    return {"journal_entries": len(journaled), "files": rr.files,
            "damaged_lines": rr.damaged_lines, "missing_from_database": len(chain),
            "not_committed_or_discarded": not_on_chain, "missing_from_journal": max(0, db_only)}
