"""Opening a workspace database with the settings every connection needs.

One connection per thread: WAL so readers never block the writer, foreign keys on,
`synchronous=FULL` so that a committed change survives a power cut (the indexer lowers it for its
own bulk writes, which are derived data). `open_connection` gives the plain DB-API connection
(all the search and read paths need); `connect` wraps it in a `sqlite_utils.Database` for the
code that writes, importing sqlite-utils only then (it costs ~65 ms at start-up).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from evidence_app.core.base.errors import ReadOnlyWorkspace

if TYPE_CHECKING:
    import sqlite_utils


def raw_connect(db_path: Path, key: str | None = None, *, readonly: bool = False):
    """A DB-API connection: sqlite3, or SQLCipher keyed with `key` (encrypted workspaces)."""
    if key is not None:
        # start-up: only an encrypted workspace needs SQLCipher's connection
        from evidence_app.core.store.cipher import connect as connect_encrypted

        return connect_encrypted(db_path, key, readonly=readonly)
    if readonly:
        uri = Path(db_path).resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False,
                               isolation_level=None, timeout=30)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            if Path(str(db_path) + "-wal").exists():
                raise
            # read-only media with no WAL left behind: nothing can change it under us
            conn.close()
            conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False,
                                   isolation_level=None, timeout=30)
        return conn
    return sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None,
                           timeout=30)


def open_connection(db_path: Path, *, readonly: bool = False, synchronous: str = "FULL",
                    key: str | None = None, set_wal: bool = True):
    """A configured DB-API connection. `set_wal=False` for readers: the database is in WAL mode
    from its creation, and setting it again needs a moment of exclusive access."""
    conn = raw_connect(db_path, key, readonly=readonly)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly and set_wal:
        conn.execute("PRAGMA journal_mode = WAL")
    if not readonly:
        conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")
    return conn


def set_synchronous(conn, level: str) -> None:  # noqa: ANN001
    """FULL (people's work) or NORMAL (the index, derived data: see the module note)."""
    if level not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous must be FULL or NORMAL, not {level!r}")
    conn.execute(f"PRAGMA synchronous = {level}")


def set_autocheckpoint(conn, pages: int) -> None:  # noqa: ANN001
    """Let a commit that brings the WAL past `pages` copy it into the database (SQLite's
    default, 1000), or never (0): see store/writer.py, where a person's commit does not pay
    for the pages the indexer wrote."""
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")


def checkpoint(conn) -> None:  # noqa: ANN001
    """Copy what the WAL holds into the database, without waiting for readers (PASSIVE)."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def wrap(conn, *, readonly: bool = False) -> "sqlite_utils.Database":
    """The sqlite-utils view of an open connection (imports sqlite-utils on first use).

    Without sqlite-utils plugins: a plugin installed beside the app would run its own code on
    every connection to the children's data, and finding plugins scans every installed
    package's metadata (~30 ms of each window start-up)."""
    import sqlite_utils  # start-up: sqlite_utils is loaded only when this runs

    db = sqlite_utils.Database(conn, execute_plugins=False)
    db.evidence_readonly = readonly  # transaction() refuses writes with a clear message
    return db


def connect(db_path: Path, *, readonly: bool = False, synchronous: str = "FULL",
            key: str | None = None) -> "sqlite_utils.Database":
    return wrap(open_connection(db_path, readonly=readonly, synchronous=synchronous, key=key),
                readonly=readonly)


@contextmanager
def transaction(db: "sqlite_utils.Database") -> Iterator[sqlite3.Connection]:
    """One atomic write: everything inside commits together or not at all.

    Uses BEGIN IMMEDIATE so two writers queue rather than fail half-way. Nested use joins the
    outer transaction. When it ends (committed or rolled back), `db.evidence_after_transaction`,
    if set, is called with whether it committed: the journal settles there which of its lines
    never happened (safety/journal.py), since a crash may follow before any later write.
    """
    conn = db.conn
    if conn.in_transaction:
        yield conn
        return
    if getattr(db, "evidence_readonly", False):
        raise ReadOnlyWorkspace(getattr(db, "evidence_readonly_reason", None) or
                                "This workspace is open read-only: you can search and read, but "
                                "not change anything.")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        _ended(db, committed=False)
        raise
    else:
        conn.execute("COMMIT")
        _ended(db, committed=True)


def _ended(db: "sqlite_utils.Database", committed: bool) -> None:
    after = getattr(db, "evidence_after_transaction", None)
    if after is not None:
        after(committed)
