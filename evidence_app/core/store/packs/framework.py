"""Week-one requests and framework ids as the pack merge reads and settles them."""
from __future__ import annotations

import sqlite3

from evidence_app.core.store.packs._sql import _marks, _rows
from evidence_app.core.store.updates import set_fields


REQUEST_SYNC = ("owner", "due_at", "status", "sent_at", "sent_sha256", "sent_by", "sent_file",
                "updated_at")


def requests_owned(conn: sqlite3.Connection, owner: str) -> list[dict]:
    return _rows(conn, "SELECT id, title, kind, " + ", ".join(REQUEST_SYNC) +
                 " FROM requests WHERE owner = ? COLLATE NOCASE ORDER BY id", [owner])


def request_row(conn: sqlite3.Connection, ident: str) -> dict | None:
    rows = _rows(conn, "SELECT id, uuid, " + ", ".join(REQUEST_SYNC) +
                 " FROM requests WHERE id = ?", [ident])
    return rows[0] if rows else None


def update_request(conn: sqlite3.Connection, ident: str, values: dict) -> None:
    set_fields(conn, "requests", ident, values, now=None)


def framework_rows(conn: sqlite3.Connection, enquiries: list[str],
                   requests: list[str]) -> list[dict]:
    """The framework entries these ids name, with their area (for the pack's manifest)."""
    out: list[dict] = []
    if enquiries:
        out += _rows(conn, "SELECT e.id, 'enquiry' AS kind, e.area_id, a.title AS area_title, "
                           "e.title, e.prompt FROM enquiries e JOIN judgement_areas a ON "
                           f"a.id = e.area_id WHERE e.id IN ({_marks(enquiries)})", enquiries)
    if requests:
        out += _rows(conn, "SELECT id, 'request' AS kind, NULL AS area_id, NULL AS area_title, "
                           f"title, description AS prompt FROM requests WHERE id IN "
                           f"({_marks(requests)})", requests)
    return out


def known_framework_ids(conn: sqlite3.Connection) -> tuple[set[str], set[str], set[str]]:
    """(enquiry ids, request ids, area ids) in this workspace."""
    return ({r[0] for r in conn.execute("SELECT id FROM enquiries")},
            {r[0] for r in conn.execute("SELECT id FROM requests")},
            {r[0] for r in conn.execute("SELECT id FROM judgement_areas")})


def insert_area(conn: sqlite3.Connection, ident: str, uuid: str, title: str, now: str) -> None:
    conn.execute("INSERT INTO judgement_areas (id, uuid, title, position, custom, updated_at) "
                 "VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM judgement_areas),"
                 " 1, ?)", [ident, uuid, title, now])
