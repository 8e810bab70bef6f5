"""SQL for evidence items and their links to lines of enquiry and requests.

Reads return `EvidenceItem` records; the rules (what a valid strength is, who may delete, how a
passage is found again) stay in `core/evidence/evidence.py`. Nothing here removes an item: a
person's delete is a soft delete (`deleted_at`), written through the one edit helper.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from evidence_app.core.store.records import EvidenceItem, row_maker
from evidence_app.core.store.updates import insert_row

ANCHOR_SQL = ("CASE WHEN d.id IS NULL OR d.status = 'missing' THEN 'missing' "
              "ELSE e.anchor END")
ITEM_SQL = f"""
SELECT e.id, e.uuid, e.document_id, e.document_uuid, d.path, d.member,
       COALESCE(d.title, d.name) AS title, e.quote, e.current_quote, e.context_before,
       e.context_after, e.start, e."end", e.page, e.text_version, {ANCHOR_SQL} AS anchor,
       e.similarity, e.note, e.strength, e.kind, e.author,
       COALESCE(e.case_ref, d.case_ref) AS case_ref, e.case_ref AS case_ref_set,
       e.created_at, e.updated_at, e.deleted_at,
       (SELECT group_concat(enquiry_id, ' ') FROM evidence_enquiries x WHERE x.item_id = e.id)
           AS enquiries,
       (SELECT group_concat(request_id, ' ') FROM evidence_requests x WHERE x.item_id = e.id)
           AS requests
FROM evidence_items e LEFT JOIN documents d ON d.id = e.document_id
"""


def _ids(joined: str | None) -> tuple[str, ...]:
    """group_concat's space-separated ids, sorted (one id, the commonest: as it is)."""
    parts = joined.split() if joined else ()
    return tuple(parts) if len(parts) < 2 else tuple(sorted(parts))


def _or_none(value: str | None) -> str | None:
    return value or None


def _or_empty(value: str | None) -> str:
    return value or ""


# a row of ITEM_SQL -> its record (made once: the full list reads ~5,000 rows at a time)
_record = row_maker(EvidenceItem, enquiries=_ids, requests=_ids, member=_or_none, note=_or_empty)


def get(conn: sqlite3.Connection, key: int | str, *, deleted: bool = False) -> EvidenceItem | None:
    """An item by id (digits) or uuid; None when there is none (or it is deleted, unless
    `deleted`)."""
    key = str(key).strip()
    col = "e.id" if key.isdigit() else "e.uuid"
    row = conn.execute(ITEM_SQL + f" WHERE {col} = ?", [key]).fetchone()
    if row is None:
        return None
    item = _record(row)
    return item if deleted or item.deleted_at is None else None


def select(conn: sqlite3.Connection, *, enquiry: str | None = None, request: str | None = None,
           case: str | None = None, document_id: int | None = None, anchor: str | None = None,
           bundle_id: int | None = None, ids: Iterable[int] | None = None) -> list[EvidenceItem]:
    """Items not deleted, in id order, narrowed by any of the filters given (all must hold)."""
    where, params = ["e.deleted_at IS NULL"], []
    if enquiry:
        where.append("e.id IN (SELECT item_id FROM evidence_enquiries WHERE enquiry_id = ?)")
        params.append(enquiry)
    if request:
        where.append("e.id IN (SELECT item_id FROM evidence_requests WHERE request_id = ?)")
        params.append(request)
    if case:
        where.append("COALESCE(e.case_ref, d.case_ref) = ? COLLATE NOCASE")
        params.append(case)
    if document_id is not None:
        where.append("e.document_id = ?")
        params.append(int(document_id))
    if anchor:
        where.append(f"{ANCHOR_SQL} = ?")
        params.append(anchor)
    if bundle_id is not None:
        where.append("e.id IN (SELECT item_id FROM bundle_items WHERE bundle_id = ?)")
        params.append(int(bundle_id))
    if ids is not None:
        ids = [int(i) for i in ids]
        if not ids:
            return []
        where.append(f"e.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    sql = ITEM_SQL + " WHERE " + " AND ".join(where) + " ORDER BY e.id"
    return [_record(r) for r in conn.execute(sql, params)]


def deleted_state(conn: sqlite3.Connection, item_id: int) -> tuple[str, str | None] | None:
    """(uuid, deleted_at) of an item whether deleted or not; None when it never existed."""
    row = conn.execute("SELECT uuid, deleted_at FROM evidence_items WHERE id = ?",
                       [int(item_id)]).fetchone()
    return (row[0], row[1]) if row else None


def insert(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """A new item row (links are set with `set_links`); its id."""
    return insert_row(conn, "evidence_items", values)


def set_links(conn: sqlite3.Connection, item_id: int, enquiries: Iterable[str],
              requests: Iterable[str], *, new: bool = False) -> None:
    """Replace the item's lines of enquiry and requests (`new`: it has none yet)."""
    if not new:
        conn.execute("DELETE FROM evidence_enquiries WHERE item_id = ?", [item_id])
        conn.execute("DELETE FROM evidence_requests WHERE item_id = ?", [item_id])
    conn.executemany("INSERT INTO evidence_enquiries (item_id, enquiry_id) VALUES (?, ?)",
                     [(item_id, e) for e in enquiries])
    conn.executemany("INSERT INTO evidence_requests (item_id, request_id) VALUES (?, ?)",
                     [(item_id, r) for r in requests])


# -- what re-anchoring reads and writes ----------------------------------------------------------
_STALE = ("e.quote IS NOT NULL AND e.deleted_at IS NULL AND d.status != 'missing' "
          "AND COALESCE(e.text_version, -1) != d.text_version")


def stale_passages(conn: sqlite3.Connection, doc_ids: list[int] | None = None) -> list[int]:
    """Ids of passages whose document text changed since they were anchored: of these
    documents (and their attachments), or of every document when `doc_ids` is None."""
    sql = "SELECT e.id FROM evidence_items e JOIN documents d ON d.id = e.document_id WHERE "
    if doc_ids is None:
        return [r[0] for r in conn.execute(sql + _STALE)]
    marks = ",".join("?" * len(doc_ids))
    return [r[0] for r in conn.execute(
        sql + f"(d.id IN ({marks}) OR d.parent_id IN ({marks})) AND " + _STALE,
        [*doc_ids, *doc_ids])]


def text_version(conn: sqlite3.Connection, doc_id: int) -> int | None:
    row = conn.execute("SELECT text_version FROM documents WHERE id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def chunks(conn: sqlite3.Connection, doc_id: int) -> list[tuple[int, int | None, str]]:
    """(start, page, text) of a document's chunks in order: its text as the index holds it."""
    return conn.execute("SELECT start, page, text FROM chunks WHERE document_id = ? "
                        "ORDER BY seq", [doc_id]).fetchall()


def document_ids_by_rel_path(conn: sqlite3.Connection, rel_path: str) -> list[int]:
    """Top-level documents at this path relative to their source folder (any source)."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM documents WHERE rel_path = ? AND member = ''", [rel_path])]
