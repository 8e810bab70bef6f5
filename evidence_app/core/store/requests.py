"""SQL for the week-one request tracker: requests with their counts, and linked documents.

Reads return `Request` records. The framework's own view of requests (their titles and order as
lines of the framework) stays with the framework; this module is the tracker's: owner, due time,
status, the "sent" stamp and what is linked. Field updates go through the one edit helper.
"""
from __future__ import annotations

import sqlite3

from evidence_app.core.store.records import Request, from_row

REQUEST_SQL = """
SELECT r.id, r.uuid, r.ofsted_ref, r.title, r.description, r.kind, r.period, r.owner, r.due_at,
       r.status, r.sent_at, r.sent_sha256, r.sent_by, r.sent_file, r.retired, r.custom,
       (SELECT COUNT(*) FROM evidence_requests x JOIN evidence_items e ON e.id = x.item_id
        WHERE x.request_id = r.id AND e.deleted_at IS NULL) AS evidence,
       (SELECT COUNT(*) FROM request_documents d WHERE d.request_id = r.id) AS documents
FROM requests r
"""


def _record(row: tuple) -> Request:
    return from_row(Request, row, retired=bool, custom=bool,
                    description=lambda v: v or "")


def select(conn: sqlite3.Connection, include_retired: bool = False) -> list[Request]:
    """Requests in framework order (retired ones only when asked)."""
    where = "" if include_retired else "WHERE r.retired = 0"
    return [_record(r) for r in conn.execute(f"{REQUEST_SQL} {where} ORDER BY r.position, r.id")]


def get(conn: sqlite3.Connection, ident: str) -> Request | None:
    row = conn.execute(REQUEST_SQL + " WHERE r.id = ?", [ident]).fetchone()
    return _record(row) if row else None


def document_uuid(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute("SELECT uuid FROM documents WHERE id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def is_linked(conn: sqlite3.Connection, ident: str, doc_id: int) -> bool:
    return conn.execute("SELECT 1 FROM request_documents WHERE request_id = ? AND "
                        "document_id = ?", [ident, doc_id]).fetchone() is not None


def link(conn: sqlite3.Connection, ident: str, doc_id: int, now: str) -> None:
    conn.execute("INSERT OR IGNORE INTO request_documents (request_id, document_id, added_at) "
                 "VALUES (?,?,?)", [ident, doc_id, now])


def unlink(conn: sqlite3.Connection, ident: str, doc_id: int) -> None:
    conn.execute("DELETE FROM request_documents WHERE request_id = ? AND document_id = ?",
                 [ident, doc_id])


def linked_hashes(conn: sqlite3.Connection, ident: str) -> list[str]:
    """SHA-256 of every document linked to the request, directly or through its evidence."""
    rows = conn.execute(
        "SELECT d.sha256 FROM documents d WHERE d.id IN ("
        " SELECT e.document_id FROM evidence_requests r JOIN evidence_items e ON e.id = r.item_id"
        " WHERE r.request_id = ? AND e.deleted_at IS NULL"
        " UNION SELECT document_id FROM request_documents WHERE request_id = ?)",
        [ident, ident]).fetchall()
    return sorted({r[0] for r in rows if r[0]})
