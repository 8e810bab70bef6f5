"""SQL for the workspace's small key/value settings (`meta`: name, uuid, journal position, case
patterns, limits…) and the cheap checks the opening makes before trusting a database."""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)


def get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


def put_if_missing(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", [key, value])


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Is there a table (or index…) of this name, e.g. `documents_backup` left by a restore?"""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone() \
        is not None


def with_prefix(conn: sqlite3.Connection, prefix: str) -> dict[str, str]:
    """Every setting whose key starts with `prefix` (e.g. 'framework.'), key -> value."""
    return dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE ?",
                             [prefix + "%"]).fetchall())
