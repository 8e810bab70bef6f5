"""Opening a workspace database with the settings every connection needs.

One `sqlite_utils.Database` per thread: WAL so readers never block the writer, foreign keys on,
`synchronous=FULL` so that a committed change survives a power cut (the indexer lowers it for its
own bulk writes, which are derived data).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils


def connect(db_path: Path, *, readonly: bool = False, synchronous: str = "FULL") -> sqlite_utils.Database:
    if readonly:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False,
                               isolation_level=None, timeout=30)
    else:
        conn = sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None,
                               timeout=30)
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One atomic write: everything inside commits together or not at all.

    Uses BEGIN IMMEDIATE so two writers queue rather than fail half-way. Nested use joins the
    outer transaction.
    """
    conn = db.conn
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
