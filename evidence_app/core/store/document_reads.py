"""Read-only listings of documents (the `documents` and `status` commands, the window's lists).

Apart from store/documents.py (the indexer's writes) so that a listing loads none of the
indexer's modules: it takes a plain DB-API connection, or anything with `.conn`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evidence_app.core.store.records import Document

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


def list_documents(db, status: str | None = None) -> list[dict]:
    """The same as plain dicts (column -> value), for scripts and tests that index by name."""
    names = [c.strip() for c in DOC_COLUMNS.split(",")]
    return [{n: getattr(d, n) for n in names} for d in documents(db, status)]


def counts_by_status(db) -> dict[str, int]:
    return {r[0]: r[1] for r in _conn(db).execute(
        "SELECT status, COUNT(*) FROM documents GROUP BY status ORDER BY status")}


def counts_by_kind(db) -> dict[str, int]:
    return {r[0] or "(removed source)": r[1] for r in _conn(db).execute(
        "SELECT s.kind, COUNT(*) FROM documents d LEFT JOIN sources s ON s.id = d.source_id "
        "GROUP BY s.kind ORDER BY s.kind")}
