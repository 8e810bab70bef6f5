"""SQL for documents and their chunks: the indexer's writes and the readers' lookups.

Nothing here deletes a document: files that disappear are marked `missing`, files that stop being
readable keep their last good text marked `stale`, because evidence may point at them.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import sqlite_utils

from evidence_app.core.base import clock
from evidence_app.core.base.fsnames import display, to_disk, to_store
from evidence_app.core.base.doc_status import EMPTY, MISSING, OK, SKIPPED
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.store.document_reads import (  # noqa: F401 - the readers' lookups
    counts_by_kind, counts_by_status, document_chunks, documents, find_by_path, get_document,
    overview,
)

if TYPE_CHECKING:  # the readers' result type; the store sits below the index
    from evidence_app.core.index.extractors.base import Extracted


@dataclass
class FileFacts:
    """What the indexer knows about a file on disk when it writes its extraction. Paths are in
    their disk form (see `fsnames`); `write_extraction` stores them in their stored form."""

    path: str
    source_id: int | None
    rel_path: str
    name: str
    case_ref: str | None
    size: int | None
    mtime: float | None
    sha256: str | None


class Known(NamedTuple):
    """What the scanner compares the disk against, for one top-level document."""

    id: int
    size: int | None
    mtime: float | None
    sha256: str | None
    status: str
    source_id: int | None


def known_files(db: sqlite_utils.Database, paths: list[str] | None = None) -> dict[str, Known]:
    """Top-level documents by disk path (all of them, or just `paths`, given in disk form)."""
    sql = ("SELECT path, id, size, mtime, sha256, status, source_id FROM documents "
           "WHERE member = ''")
    if paths is None:
        rows = db.conn.execute(sql)
    else:
        rows = db.conn.execute(sql + " AND path IN (SELECT value FROM json_each(?))",
                               [json.dumps([to_store(p) for p in paths])])
    return {to_disk(r[0]): Known._make(r[1:]) for r in rows}


def iter_known(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """Every top-level document as a row (path, id, size, mtime, sha256, status, source_id; the
    fields of `Known` after the path), in path order (the order of the UNIQUE(path, member)
    index, so no sort), streamed: the full scan compares it with the walk without holding either
    in memory, and without making an object per row (a tenth of a rescan's time at 100,000)."""
    return conn.execute("SELECT path, id, size, mtime, sha256, status, source_id FROM documents "
                        "WHERE member = '' ORDER BY path")


def find_moved(db: sqlite_utils.Database, sha256: str) -> dict | None:
    """A top-level document with this content whose file is no longer where it was: the file was
    moved or renamed. (Checked on disk, not by status: a full pass marks files missing only once
    its walk is complete, and the moved file may be written before that.)"""
    rows = db.conn.execute(
        "SELECT id, path FROM documents WHERE sha256 = ? AND member = '' "
        "ORDER BY (status = ?) DESC, missing_since DESC", [sha256, MISSING]).fetchall()
    for doc_id, path in rows:
        if not os.path.lexists(to_disk(path)):
            return {"id": doc_id, "path": path}
    return None


def write_extraction(db: sqlite_utils.Database, facts: FileFacts, result: Extracted,
                     *, parent_id: int | None = None, member: str = "",
                     fts: FtsChanges | None = None) -> int:
    """Record one file's (or attachment's) extraction. Call inside a transaction.

    A readable result comes with its sections already cut into chunks (the indexer's workers do
    it: core/index/extract_worker.py's prechunk). With `fts`, the full-text index changes wait in
    it until the caller applies them (once per batch of files, see `FtsChanges`)."""
    conn = db.conn
    now = clock.now_iso()
    if not member:  # children get an already stored facts from their parent
        facts = FileFacts(to_store(facts.path), facts.source_id, display(facts.rel_path),
                          display(facts.name), facts.case_ref, facts.size, facts.mtime,
                          facts.sha256)
    row = conn.execute(
        "SELECT id, chars, status, stale, case_ref_manual, case_ref FROM documents "
        "WHERE path = ? AND member = ?", [facts.path, member]).fetchone()
    if row is None and not member and facts.sha256:
        moved = find_moved(db, facts.sha256)
        if moved:
            _repoint(conn, moved["id"], moved["path"], facts)
            row = conn.execute(
                "SELECT id, chars, status, stale, case_ref_manual, case_ref FROM documents "
                "WHERE id = ?", [moved["id"]]).fetchone()
    title = (result.title or "").strip() or None
    fmt = result.format or "unknown"
    readable = result.status in (OK, EMPTY)
    had_text = row is not None and (row[1] or 0) > 0
    case_ref = row[5] if row is not None and row[4] else facts.case_ref

    if not readable and had_text:
        # Unreadable now, readable before: keep the last good text, say so.
        doc_id = int(row[0])
        conn.execute(
            "UPDATE documents SET size = ?, mtime = ?, sha256 = ?, status = ?, reason = ?, "
            "stale = 1, case_ref = ?, indexed_at = ?, missing_since = NULL WHERE id = ?",
            [facts.size, facts.mtime, facts.sha256, result.status,
             result.reason + " The last readable version is still searchable.", case_ref, now,
             doc_id])
    else:
        if readable and result.chunks is None and result.sections:
            raise ValueError("cut the sections into chunks first (extract_worker.prechunk)")
        chunks = (result.chunks or []) if readable else []
        chars = sum(len(c.text) for c in chunks)
        status = result.status if (chars or not readable) else EMPTY
        reason = result.reason
        if status == EMPTY and not reason:
            reason = "The file has no text (it may be a scan or an image)."
        values = [facts.source_id, facts.rel_path, fmt, facts.size, facts.mtime, facts.sha256,
                  status, reason, result.pages, chars, case_ref, now]
        if row is None:
            cur = conn.execute(
                "INSERT INTO documents (source_id, rel_path, format, size, mtime, sha256, status, "
                "reason, pages, chars, case_ref, indexed_at, uuid, parent_id, path, member, name, "
                "title, first_seen, text_version, stale) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,0)",
                values + [new_uuid(), parent_id, facts.path, member, facts.name, title, now])
            doc_id = int(cur.lastrowid)
            conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, ?, ?)",
                         [doc_id, title, facts.name])
        else:
            doc_id = int(row[0])
            conn.execute(
                "UPDATE documents SET source_id = ?, rel_path = ?, format = ?, size = ?, "
                "mtime = ?, sha256 = ?, status = ?, reason = ?, pages = ?, chars = ?, "
                "case_ref = ?, indexed_at = ?, stale = 0, text_version = text_version + 1, "
                "missing_since = NULL WHERE id = ?", values + [doc_id])
            # Only touch the names index when the name or title really changed.
            conn.execute("UPDATE documents SET name = ?, title = ? WHERE id = ? AND "
                         "(name IS NOT ? OR title IS NOT ?)",
                         [facts.name, title, doc_id, facts.name, title])
        if row is None:
            insert_chunks(conn, doc_id, chunks, fts)
        else:
            replace_chunks(conn, doc_id, chunks, fts)

    _write_children(db, doc_id, facts, result, is_new=row is None, fts=fts)
    return doc_id


class FtsChanges:
    """The full-text index's changes of one write transaction, made together at its end,
    removals then additions, each in rowid order.

    FTS5 writes the terms it holds out as a new segment whenever it is given a rowid that is not
    above the last one. Written file by file, each file's old passages (low rowids) came after
    the previous file's new ones (the highest), so every file became a segment of its own and
    started a merge step: most of the time of writing a rescan's results at 100,000 documents.
    In rowid order a batch of files is one segment."""

    __slots__ = ("deletes", "inserts")

    def __init__(self) -> None:
        self.deletes: list[tuple[int, str]] = []
        self.inserts: list[tuple[int, str]] = []

    def apply(self, conn: sqlite3.Connection) -> None:
        """Make the waiting changes (inside the same transaction as the chunks' rows)."""
        deletes, inserts = sorted(self.deletes), sorted(self.inserts)
        self.deletes, self.inserts = [], []
        if deletes:
            conn.executemany("INSERT INTO chunks_fts(chunks_fts, rowid, text) "
                             "VALUES ('delete', ?, ?)", deletes)
        if inserts:
            conn.executemany("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", inserts)


def insert_chunks(conn: sqlite3.Connection, doc_id: int, chunks: list,
                  fts: FtsChanges | None = None) -> None:
    """Store chunks and index them, in two batches (FTS5 is several times faster fed one
    prepared statement many rows than one statement per row; see migrations m001 and m004).
    Runs inside the caller's write transaction, so the ids after MAX(id) are ours."""
    if not chunks:
        return
    base = conn.execute("SELECT COALESCE(MAX(id), 0) FROM chunks").fetchone()[0]
    rows = [(base + i + 1, doc_id, c.seq, c.page, c.heading, c.start, c.text)
            for i, c in enumerate(chunks)]
    conn.executemany("INSERT INTO chunks (id, document_id, seq, page, heading, start, text) "
                     "VALUES (?,?,?,?,?,?,?)", rows)
    if fts is not None:
        fts.inserts.extend((r[0], r[6]) for r in rows)
        return
    conn.executemany("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)",
                     [(r[0], r[6]) for r in rows])


def delete_chunks(conn: sqlite3.Connection, rows: list[tuple[int, str]],
                  fts: FtsChanges | None = None) -> None:
    """Remove chunks (id, text) from the full-text index and the table, in two batches."""
    if not rows:
        return
    if fts is not None:
        fts.deletes.extend(rows)
        conn.executemany("DELETE FROM chunks WHERE id = ?", [(r[0],) for r in rows])
        return
    conn.executemany("INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', ?, ?)",
                     rows)
    conn.executemany("DELETE FROM chunks WHERE id = ?", [(r[0],) for r in rows])


def replace_chunks(conn: sqlite3.Connection, doc_id: int, chunks: list,
                   fts: FtsChanges | None = None) -> None:
    """Make a document's stored chunks equal `chunks`, touching the full-text index only for
    passages whose text changed. An edited case record usually changes one passage of many, and
    re-indexing unchanged text (delete + insert in FTS5) was most of the cost of a rescan."""
    old: dict[tuple[str, int | None], list[tuple]] = {}
    for cid, seq, page, heading, start, text in conn.execute(
            "SELECT id, seq, page, heading, start, text FROM chunks WHERE document_id = ?",
            [doc_id]):
        old.setdefault((text, page), []).append((cid, seq, heading, start, text))
    fresh = []
    for c in chunks:
        same = old.get((c.text, c.page))
        if same:
            cid, seq, heading, start, _ = same.pop(0)
            if (seq, heading, start) != (c.seq, c.heading, c.start):
                conn.execute("UPDATE chunks SET seq = ?, heading = ?, start = ? WHERE id = ?",
                             (c.seq, c.heading, c.start, cid))
        else:
            fresh.append(c)
    delete_chunks(conn, [(e[0], e[4]) for entries in old.values() for e in entries], fts)
    insert_chunks(conn, doc_id, fresh, fts)


def _write_children(db: sqlite_utils.Database, doc_id: int, facts: FileFacts,
                    result: Extracted, is_new: bool = False,
                    fts: FtsChanges | None = None) -> None:
    conn = db.conn
    if is_new and not result.children:
        return
    seen: set[str] = set()
    for i, (child_name, child) in enumerate(result.children):
        member = child_name or f"attachment {i + 1}"
        while member in seen:
            member = f"{member} ({i + 1})"
        seen.add(member)
        child_facts = FileFacts(facts.path, facts.source_id, f"{facts.rel_path}#{member}",
                                member.rsplit("/", 1)[-1], facts.case_ref, None, facts.mtime, None)
        write_extraction(db, child_facts, child, parent_id=doc_id, member=member, fts=fts)
    previous = conn.execute(
        "SELECT id, member FROM documents WHERE parent_id = ? AND status != ?",
        [doc_id, MISSING]).fetchall()
    gone = [r[0] for r in previous if r[1] not in seen]
    mark_missing(db, gone, reason="The attachment is no longer in the message.")


def _repoint(conn: sqlite3.Connection, doc_id: int, old_path: str, facts: FileFacts) -> None:
    conn.execute("UPDATE documents SET path = ?, rel_path = ?, name = ?, source_id = ? WHERE id = ?",
                 [facts.path, facts.rel_path, facts.name, facts.source_id, doc_id])
    conn.execute("UPDATE documents SET path = ? WHERE parent_id = ?", [facts.path, doc_id])


def update_unchanged(db: sqlite_utils.Database, path: str, size: int, mtime: float) -> None:
    """Same content, new timestamp (e.g. a file copied back, or touched). `path`: disk form."""
    db.conn.execute(
        "UPDATE documents SET size = ?, mtime = ?, missing_since = NULL, status = CASE "
        "WHEN status = 'missing' THEN (CASE WHEN chars > 0 THEN 'ok' ELSE 'empty' END) "
        "ELSE status END WHERE path = ? AND member = ''", [size, mtime, to_store(path)])


def mark_missing(db: sqlite_utils.Database, doc_ids: list[int],
                 reason: str = "The file is no longer in its folder (deleted or moved).") -> None:
    if not doc_ids:
        return
    now = clock.now_iso()
    db.conn.executemany(
        "UPDATE documents SET status = ?, reason = ?, missing_since = COALESCE(missing_since, ?) "
        "WHERE id = ? OR parent_id = ?",
        [(MISSING, reason, now, i, i) for i in doc_ids])


def still_at(conn: sqlite3.Connection, pairs: list[tuple[int, str]]) -> list[int]:
    """The ids among (id, stored path) pairs whose document is still recorded at that path: a
    file the same pass found moved has been repointed to its new place meanwhile."""
    if not pairs:
        return []
    return [r[0] for r in conn.execute(
        "SELECT d.id FROM json_each(?) AS j JOIN documents AS d "
        "ON d.id = json_extract(j.value, '$[0]') AND d.path = json_extract(j.value, '$[1]')",
        [json.dumps(pairs)])]


def forget_entries(db: sqlite_utils.Database, doc_ids: list[int]) -> list[int]:
    """Delete records of things that were never documents (a pipe, a link, an unreadable
    folder) once they are gone, unless someone's evidence points at one. Returns the ids."""
    if not doc_ids:
        return []
    rows = db.conn.execute(
        "SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?)) AND status = ? "
        "AND chars = 0 AND id NOT IN (SELECT document_id FROM evidence_items "
        "WHERE document_id IS NOT NULL)", [json.dumps(doc_ids), SKIPPED]).fetchall()
    ids = [r[0] for r in rows]
    db.conn.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in ids])
    return ids


def mark_source_removed(db: sqlite_utils.Database, source_id: int) -> None:
    ids = [r[0] for r in db.conn.execute(
        "SELECT id FROM documents WHERE source_id = ? AND parent_id IS NULL", [source_id])]
    mark_missing(db, ids, reason="Its source folder was removed from the workspace.")
    db.conn.execute("UPDATE documents SET source_id = NULL WHERE source_id = ?", [source_id])
    db.conn.execute("DELETE FROM index_queue WHERE source_id = ?", [source_id])
    db.conn.execute("DELETE FROM sources WHERE id = ?", [source_id])


def unreadable_files(db: sqlite_utils.Database, doc_ids: list[int] | None = None
                     ) -> list[tuple[str, int | None]]:
    """(stored path, source id) of files (not attachments) that could not be read fully, all of
    them or those among `doc_ids`."""
    where = "status NOT IN ('ok', 'missing') AND member = ''"
    params: list = []
    if doc_ids:
        where += f" AND id IN ({','.join('?' * len(doc_ids))})"
        params = list(doc_ids)
    return db.conn.execute(f"SELECT path, source_id FROM documents WHERE {where}",
                           params).fetchall()


def forget_fingerprints(db: sqlite_utils.Database, stored_paths: list[str]) -> None:
    """Forget these files' dates and hashes, so the next pass reads them again."""
    db.conn.executemany("UPDATE documents SET mtime = NULL, sha256 = NULL WHERE path = ? AND "
                        "member = ''", [(p,) for p in stored_paths])


def file_count(db: sqlite_utils.Database) -> int:
    """How many files (not attachments) the index has, in any state."""
    return db.conn.execute("SELECT COUNT(*) FROM documents WHERE member = ''").fetchone()[0]
