"""The `saved_searches` table: searches kept with a line of enquiry. What a valid query is, and
running one, belong to `core.search`."""
from __future__ import annotations

import sqlite3
from typing import Any

from evidence_app.core.store.updates import insert_row

COLUMNS = ("id", "uuid", "name", "query", "enquiry_id", "author", "created_at")


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def rows(conn: sqlite3.Connection, enquiry: str | None = None) -> list[dict]:
    where, params = ("WHERE enquiry_id = ?", [enquiry]) if enquiry else ("", [])
    return _dicts(conn.execute(f"SELECT {', '.join(COLUMNS)} FROM saved_searches {where} "
                               "ORDER BY name", params))


def find(conn: sqlite3.Connection, *, ident: int | None = None,
         name: str | None = None) -> dict | None:
    col, value = ("id", ident) if ident is not None else ("name", name)
    found = _dicts(conn.execute(f"SELECT {', '.join(COLUMNS)} FROM saved_searches "
                                f"WHERE {col} = ?", [value]))
    return found[0] if found else None


def insert(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "saved_searches", values, columns=COLUMNS)


def delete(conn: sqlite3.Connection, ident: int) -> None:
    conn.execute("DELETE FROM saved_searches WHERE id = ?", [ident])
