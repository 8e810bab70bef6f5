"""Read-only lookups of documents as typed records (core/store/records/): the `documents` and
`status` commands, the preview, the Problems list, the status bar's counts.

Apart from store/documents.py (the indexer's writes) so that a listing loads none of the
indexer's modules: it takes a plain DB-API connection, or anything with `.conn`.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from evidence_app.core.base.fsnames import to_store

if TYPE_CHECKING:
    from evidence_app.core.store.records import Chunk, Document, IndexOverview

DOC_COLUMNS = ("id, uuid, source_id, parent_id, path, member, rel_path, name, title, format, size, "
               "mtime, sha256, status, reason, stale, pages, chars, case_ref, case_ref_manual, "
               "text_version, first_seen, indexed_at, missing_since")


def _conn(db):
    return getattr(db, "conn", db)


def documents(db, status: str | None = None) -> list[Document]:
    """Every document (or those with `status`), by path, as typed records."""
    # imported here for start-up speed: `status` and the counts need no dataclasses machinery
    from evidence_app.core.store.records import Document

    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    cur = _conn(db).execute(f"SELECT {DOC_COLUMNS} FROM documents {where} ORDER BY path, member",
                            params)
    return [Document(*row) for row in cur]


def not_readable(db) -> list[Document]:
    """Every document whose text was not read in full (any status but ok), by path."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import Document

    cur = _conn(db).execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE status != 'ok' "
                            "ORDER BY path, member")
    return [Document(*row) for row in cur]


def documents_by_id(db, ids: Iterable[int]) -> dict[int, Document]:
    """These documents by id (those that exist): what an export says about each document its
    items cite. Any number of ids (passed as one JSON list, not one parameter each)."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import Document

    cur = _conn(db).execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE id IN "
                            "(SELECT value FROM json_each(?))", [json.dumps(sorted(set(ids)))])
    return {row[0]: Document(*row) for row in cur}


def get_document(db, doc_id: int) -> Document | None:
    """The document with this id, or None."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import Document

    row = _conn(db).execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?",
                            [doc_id]).fetchone()
    return Document(*row) if row else None


def find_by_path(db, path: str, member: str = "") -> Document | None:
    """The document at `path` (disk form, e.g. from the file system or the command line)."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import Document

    row = _conn(db).execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE path = ? AND member = ?",
                            [to_store(path), member]).fetchone()
    return Document(*row) if row else None


def document_chunks(db, doc_id: int) -> list[Chunk]:
    """A document's text in chunks, in reading order."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import Chunk

    return [Chunk(*row) for row in _conn(db).execute(
        "SELECT id, seq, page, heading, start, text FROM chunks WHERE document_id = ? "
        "ORDER BY seq", [doc_id])]


def overview(db) -> IndexOverview:
    """What the status bar counts: files (not attachments) by status, attachments found inside
    files (e-mail attachments, archive members), and how many source folders there are."""
    # imported here for start-up speed (see `documents`)
    from evidence_app.core.store.records import IndexOverview

    conn = _conn(db)
    files = tuple(conn.execute("SELECT status, COUNT(*) FROM documents WHERE member = '' "
                               "GROUP BY status ORDER BY status"))
    attachments = conn.execute("SELECT COUNT(*) FROM documents WHERE member != '' "
                               "AND status != 'missing'").fetchone()[0]
    folders = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    return IndexOverview(files, attachments, folders)


def counts_by_status(db) -> dict[str, int]:
    return {r[0]: r[1] for r in _conn(db).execute(
        "SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status")}


def counts_by_kind(db) -> dict[str, int]:
    return {r[0] or "(removed source)": r[1] for r in _conn(db).execute(
        "SELECT s.kind, COUNT(*) FROM documents d LEFT JOIN sources s ON s.id = d.source_id "
        "GROUP BY s.kind ORDER BY s.kind")}
