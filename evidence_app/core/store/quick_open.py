"""SQL of the quick path's opening (cli/fast_open.py): a reader's connection and which
migrations the database has, asked with `sqlite3` alone.

The quick path of `search` must not load what the full opening loads (pathlib, typing,
sqlite-utils…: see cli/fast_open.py), so this module imports nothing but sqlite3. The
connection is set up as core/store/db.open_connection(readonly=False, set_wal=False) sets up a
reader's (the database is in WAL mode from its creation).
"""
from __future__ import annotations

from evidence_app.core.store import dbapi

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)

_READER_PRAGMAS = ("foreign_keys = ON", "busy_timeout = 30000", "synchronous = FULL",
                   "temp_store = MEMORY", "cache_size = -32000")


def connect_reader(db: str) -> sqlite3.Connection:
    """A reader's connection to the database file `db`."""
    conn = dbapi.connect(db, check_same_thread=False, isolation_level=None, timeout=30)
    try:
        for pragma in _READER_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
    except BaseException:
        conn.close()
        raise
    return conn


def applied_migrations(conn: sqlite3.Connection) -> set[str] | None:
    """The names of this app's migrations the database has had (None: no migrations table,
    not a database this app made)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = '_sqlite_migrations'").fetchone():
        return None
    return {r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'evidence_app'")}
