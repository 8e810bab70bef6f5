"""SQL for the index queue (`index_queue`): files waiting to be read, kept in a table so that an
index pass that stops (a crash, a cancel) resumes where it was. Paths are in stored form."""
from __future__ import annotations

import sqlite3


def queued_paths(conn: sqlite3.Connection) -> list[str]:
    """Every queued path (stored form), in path order."""
    return [r[0] for r in conn.execute("SELECT path FROM index_queue ORDER BY path")]


def queued_count(conn: sqlite3.Connection, at_most: int | None = None) -> int:
    """How many files wait (counting no further than `at_most` when given)."""
    if at_most is not None:
        return conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM index_queue LIMIT ?)",
                            [at_most]).fetchone()[0]
    return conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]


def page_after(conn: sqlite3.Connection, after: str, limit: int) -> list[tuple[str, int | None]]:
    """(stored path, source id) of the next `limit` queued files after `after`, in path order."""
    return conn.execute("SELECT path, source_id FROM index_queue WHERE path > ? "
                        "ORDER BY path LIMIT ?", [after, limit]).fetchall()


def enqueue(conn: sqlite3.Connection, rows: list[tuple[str, int | None, str]]) -> None:
    """Queue (stored path, source id, when) rows; a path already queued stays as it is."""
    conn.executemany(
        "INSERT OR IGNORE INTO index_queue(path, source_id, enqueued_at) VALUES (?,?,?)", rows)


def dequeue(conn: sqlite3.Connection, stored_path: str) -> None:
    conn.execute("DELETE FROM index_queue WHERE path = ?", [stored_path])
