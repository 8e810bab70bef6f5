"""SQL for checking the database file: SQLite's own checks (quick, per table, whole file) and
the full-text indexes' integrity checks and rebuilds. What counts as damage, and what to do
about it, is in core/safety/integrity.py; these raise what SQLite raises."""
from __future__ import annotations

import sqlite3


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def quick_check(conn: sqlite3.Connection, table: str | None = None, limit: int = 5) -> str:
    """SQLite's quick_check of one table (or, without one, of the whole file, at most `limit`
    complaints), joined; 'ok' when fine."""
    if table is not None:
        if not table.replace("_", "").isalnum():
            raise ValueError(f"not a table name: {table!r}")
        rows = conn.execute(f"PRAGMA quick_check({table})").fetchall()
    else:
        rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def integrity_check(conn: sqlite3.Connection, limit: int = 20) -> str:
    """SQLite's full integrity_check (at most `limit` complaints), joined; 'ok' when fine."""
    return "; ".join(str(r[0]) for r in
                     conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall())


FTS_TABLES = ("chunks_fts", "names_fts")


def fts_check(conn: sqlite3.Connection, table: str) -> None:
    """FTS5's own integrity check of `table` (raises when the index does not match); nothing
    when the table does not exist."""
    if table not in FTS_TABLES:
        raise ValueError(f"not a full-text index: {table}")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [table]).fetchone():
        conn.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")


def fts_rebuild(conn: sqlite3.Connection) -> None:
    """Rebuild both full-text indexes from their tables (call inside a transaction)."""
    for table in FTS_TABLES:
        conn.execute(f"INSERT INTO {table}({table}) VALUES('rebuild')")
