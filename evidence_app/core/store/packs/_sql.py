"""Small SQL helpers the pack store modules share (rows as dicts, `IN (?, …)` in parts)."""
from __future__ import annotations

import sqlite3


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list, size: int = 500):
    """`values` in parts small enough for one `IN (?, …)` (SQLite's limit on variables)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _select_in(conn: sqlite3.Connection, sql: str, column: str,
               values: list | None) -> list[tuple]:
    """The rows of `sql`; with `values`, only those whose `column` is one of them."""
    if values is None:
        return conn.execute(sql).fetchall()
    rows: list[tuple] = []
    for part in _chunks(values):
        rows += conn.execute(sql + f" WHERE {column} IN ({_marks(part)})", part).fetchall()
    return rows
