"""Replaying the journal onto a restored or rebuilt database, and comparing the two.

Split from journal.py (which writes and reads the journal); see its docstring for the format and
why replay follows the audit hash chain.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from evidence_app.core.base import clock
from evidence_app.core.safety import journal as _j
from evidence_app.core.safety.crypto import DB_ERRORS
from evidence_app.core.store import audit as audit_store
from evidence_app.core.store import journal as journal_store
from evidence_app.core.store import meta as meta_store
from evidence_app.core.store import queue as queue_store
from evidence_app.core.store import sources as sources_store

PLACEHOLDER_REASON = "Waiting to be read again after a recovery."


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
        kinds = ", ".join(_count(v, k) for k, v in sorted(self.by_type.items()))
        text = (f"{self.applied} change{'' if self.applied == 1 else 's'} replayed from the "
                f"journal ({kinds})")
        if self.sources_added:
            text += f"; {self.sources_added} source folders restored"
        if self.conflicts:
            text += f"; {len(self.conflicts)} could not be applied"
        return text + "."

    def to_json(self) -> dict:
        return dict(self.__dict__)


_NAMES = {"evidence": ("evidence item", "evidence items"),
          "enquiry": ("line of enquiry", "lines of enquiry")}


def _count(n: int, entity_type: str) -> str:
    """"1 case", "3 evidence items": what a person reads in the replay's one line."""
    one, many = _NAMES.get(entity_type, (entity_type, entity_type + "s"))
    return f"{n} {one if n == 1 else many}"


def db_tail(db) -> tuple[str, set[str]]:
    """The hash of the database's last audit entry (the chain's tail) and every entry's uuid."""
    uuids = audit_store.all_uuids(db.conn)
    last = audit_store.last_hash(db.conn)
    return (last if last is not None else _j.GENESIS), uuids


def pending_chain(records: list[dict], tail: str, in_db: set[str],
                  include_discarded: bool = False) -> tuple[list[dict], int]:
    """The journal entries that continue the database's chain from `tail`, in order, and how
    many journal entries are absent from the database but not on that chain."""
    by_prev: dict[str, list[dict]] = {}
    missing = 0
    discarded = set() if include_discarded else {
        u for r in records if r.get("kind") == "restore" for u in r.get("discarded", [])}
    discarded |= {u for r in records if r.get("kind") == "rolled-back"
                  for u in (r.get("uuids") or [])}
    for r in _j.iter_audit(records):
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
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    report = ReplayReport()
    if records is None:
        rr = _j.read(ws.root, getattr(ws, "journal_key", None))
        records, report.damaged_lines = rr.records, rr.damaged_lines
    db = ws.db
    with transaction(db):
        report.sources_added = _apply_sources(db, records, report)
        tail, in_db = db_tail(db)
        chain, report.not_applied = pending_chain(records, tail, in_db, include_discarded)
        for rec in chain:
            a = rec["audit"]
            _apply_state(db, rec.get("state"), report)
            audit_store.append(db.conn, {k: a.get(k) for k in audit_store.INSERTED})
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
    present = sources_store.journal_rows(db)
    have = {r["uuid"] for r in present}
    paths = {r["path"] for r in present}
    added = 0
    for s in latest.get("sources", []):
        if s["uuid"] in have or s["path"] in paths:
            continue
        sources_store.add_journaled(db, s)
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
            journal_store.set_case_ref(db.conn, local, doc.get("case_ref"),
                                       doc.get("case_ref_manual") or 0)
    for k, v in (state.get("meta") or {}).items():
        meta_store.put(db.conn, k, v)


def _resolve_document(db, ref: dict | None, report: ReplayReport) -> int | None:
    """The local id of a journaled document: by uuid, by path, else a placeholder row that the
    indexer fills in on its next pass (queued now)."""
    if not ref or not ref.get("path"):
        return None
    local = journal_store.document_id(db.conn, ref.get("uuid"), ref["path"],
                                      ref.get("member") or "")
    if local is not None:
        return local
    if ref.get("member"):
        return None  # an attachment comes back with its parent file
    source = None
    for sid, spath in sources_store.stored_paths(db).items():
        if ref["path"].startswith(spath.rstrip("/\\") + os.sep) or ref["path"].startswith(
                spath.rstrip("/\\") + "/"):
            source = sid
    name = ref.get("name") or os.path.basename(ref["path"])
    doc_id = journal_store.add_placeholder_document(
        db.conn, ref.get("uuid"), source, ref["path"], ref.get("rel_path") or name, name,
        PLACEHOLDER_REASON, clock.now_iso())
    if source is not None:
        queue_store.enqueue(db.conn, [(ref["path"], source, clock.now_iso())])
        report.documents_queued += 1
    return doc_id


def _prepare(db, table: str, row: dict, report: ReplayReport) -> dict:
    row = dict(row)
    doc = row.pop("_document", None)
    if "document_id" in row:
        row["document_id"] = _resolve_document(db, doc, report) if doc else None
    cols = set(journal_store.columns(db.conn, table))
    return {k: v for k, v in row.items() if k in cols}


def _apply_entity(db, ent: dict, report: ReplayReport) -> None:
    table = ent["table"]
    if not journal_store.table_exists(db.conn, table):
        report.conflicts.append(f"{ent.get('type')} {ent.get('uuid')}: no table {table}")
        return
    local = journal_store.id_of(db.conn, table, ent["uuid"])
    if ent.get("row") is None:
        if local is not None:
            journal_store.delete(db.conn, table, local)
        return
    row = _prepare(db, table, ent["row"], report)
    snap_id = row.pop("id", None)
    if local is not None:
        main_id = local
        journal_store.update(db.conn, table, main_id, row)
    else:
        if snap_id is not None and journal_store.id_is_free(db.conn, table, snap_id):
            row = {"id": snap_id, **row}  # keep the id: children and anchors point at it
        rowid = journal_store.insert(db.conn, table, row)
        main_id = row.get("id", rowid)
    for child, rows in (ent.get("children") or {}).items():
        fk = dict(_j.SPECS[ent["type"]][1]).get(child)
        if not fk or not journal_store.table_exists(db.conn, child):
            continue
        journal_store.delete_children(db.conn, child, fk, main_id)
        for r in rows:
            r = _prepare(db, child, r, report)
            if "document_id" in r and r["document_id"] is None:
                continue
            r[fk] = main_id
            journal_store.insert(db.conn, child, r, replace=True)


# -- comparing with the database ------------------------------------------------------------------
def compare(ws) -> dict:
    """Journal vs database: what the database lacks (to replay), and what the journal lacks."""
    rr = _j.read(ws.root, getattr(ws, "journal_key", None))
    tail, in_db = db_tail(ws.db)
    chain, not_on_chain = pending_chain(rr.records, tail, in_db)
    journaled = {r["audit"].get("uuid") for r in _j.iter_audit(rr.records)}
    first_journaled = None
    for r in _j.iter_audit(rr.records):
        first_journaled = r["audit"].get("at")
        break
    db_only = 0
    if journaled:
        db_only = audit_store.count_since(ws.db.conn, first_journaled or "") - \
            len(in_db & journaled)
    return {"journal_entries": len(journaled), "files": rr.files,
            "damaged_lines": rr.damaged_lines, "missing_from_database": len(chain),
            "not_committed_or_discarded": not_on_chain, "missing_from_journal": max(0, db_only)}


# -- the sequence: truncation, gaps, edits --------------------------------------------------------
def verify_sequence(ws) -> dict:
    """Walk the journal's chain (see journal.py): gaps in `seq`, a line whose `prev` is not the
    hash of the line before, and a journal that ends before the last entry the database recorded
    (truncated, or an older copy put back). Lines cut short by a crash are harmless when the
    sequence carries on after them."""
    lines = _j.scan(ws.root)
    db_seq = _j.database_seq(ws.db)
    problems: list[str] = []
    gaps: list[list[int]] = []
    breaks = 0
    last_seq = 0
    prev_hash = None
    seqs = sorted((ln for ln in lines if ln.seq is not None), key=lambda ln: ln.seq)
    by_hash = {ln.hash for ln in lines}
    for ln in seqs:
        if last_seq and ln.seq <= last_seq:
            breaks += 1  # a number used twice
        elif last_seq and ln.seq != last_seq + 1:
            gaps.append([last_seq + 1, ln.seq - 1])
        elif last_seq and ln.prev != prev_hash:
            breaks += 1
        elif not last_seq and ln.seq > 1:
            gaps.append([1, ln.seq - 1])  # the journal's beginning is gone
        elif not last_seq and ln.prev not in by_hash and ln.prev != _j.GENESIS:
            breaks += 1  # the first numbered line must follow a line still in the journal
        last_seq, prev_hash = ln.seq, ln.hash
    missing_at_end = max(0, db_seq - last_seq)
    unreadable = sum(1 for ln in lines if not ln.readable)
    if gaps:
        n = sum(b - a + 1 for a, b in gaps)
        where = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in gaps[:5])
        problems.append(f"the journal has a gap: {n} entries missing ({where})")
    if breaks:
        problems.append(f"the journal was altered: {breaks} entries do not follow the one "
                        "before them")
    if missing_at_end:
        problems.append(f"the journal ends at entry {last_seq} but the database recorded "
                        f"entry {db_seq}: {missing_at_end} entries are missing from its end "
                        "(truncated, or replaced by an older copy)")
    return {"last_seq": last_seq, "database_seq": db_seq, "gaps": gaps, "chain_breaks": breaks,
            "missing_at_end": missing_at_end, "unreadable_lines": unreadable,
            "problems": problems}


@dataclass
class OpenReconcile:
    """What opening found when it compared the journal with the database."""

    replayed: ReplayReport | None = None
    journal_behind: int = 0
    journal_seq: int = 0
    database_seq: int = 0

    def warnings(self) -> list[str]:
        out = []
        if self.replayed is not None and (self.replayed.applied or
                                          self.replayed.sources_added):
            out.append("The database was missing work recorded in the journal (for example "
                       "after a crash that lost its last changes): " + self.replayed.line())
        if self.journal_behind:
            out.append(f"The journal is missing its last {self.journal_behind} entries (it ends "
                       f"at entry {self.journal_seq}, the database recorded entry "
                       f"{self.database_seq}): it was truncated or an older copy was put back. "
                       "The work in the database is intact; run 'evidence-app check' for "
                       "details and make a backup now ('evidence-app backup').")
        return out


def reconcile_at_open(ws) -> OpenReconcile:
    """Cheap when they agree (the journal's tail is read from the end of its files, the
    database's from one meta row); a full replay only when the journal is ahead."""
    tail = _j.tail(ws.root)
    db_seq = _j.database_seq(ws.db)
    out = OpenReconcile(journal_seq=tail.seq, database_seq=db_seq)
    if tail.seq > db_seq:
        out.replayed = replay(ws)
        try:
            _j.set_database_seq(ws.db, tail.seq)
        except DB_ERRORS:
            pass
    elif tail.seq < db_seq:
        out.journal_behind = db_seq - tail.seq
    return out
