"""Connecting to an encrypted (SQLCipher) workspace database: the driver and the key.

The store's own part of encryption at rest: how a keyed connection is opened and which errors
either driver raises. Everything else about encryption (the marker, the passphrase and where it
comes from, the journal's key) is a data-safety matter in core/safety/crypto.py, which sits above
the store and re-exports these names.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from evidence_app.core.base.errors import PassphraseError, WorkspaceError

# SQLCipher's driver (`_sqlcipher`) and the DB-API error classes of both drivers (`DB_ERRORS`,
# `INTEGRITY_ERRORS`) are loaded on first use, through the module's __getattr__: every command
# reaches this module at opening (safety/crypto.py's refuse_if_key_missing), and a plain
# workspace's read-only commands need no SQLCipher.
LAZY = ("_sqlcipher", "DB_ERRORS", "INTEGRITY_ERRORS")


def _load_driver():
    names = globals()
    try:
        import sqlcipher3 as driver  # start-up: sqlcipher3 is loaded only when this runs

        names["DB_ERRORS"] = (sqlite3.DatabaseError, driver.DatabaseError)
        names["INTEGRITY_ERRORS"] = (sqlite3.IntegrityError, driver.IntegrityError)
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency of encrypted workspaces
        driver = None
        names["DB_ERRORS"] = (sqlite3.DatabaseError,)
        names["INTEGRITY_ERRORS"] = (sqlite3.IntegrityError,)
    names["_sqlcipher"] = driver
    return driver


def _driver():
    return globals()["_sqlcipher"] if "_sqlcipher" in globals() else _load_driver()


def __getattr__(name: str):
    if name in LAZY:
        _load_driver()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(db_path: Path, passphrase: str, *, readonly: bool = False):
    """A keyed SQLCipher connection (same settings as sqlite3's). Wrong key: PassphraseError."""
    _sqlcipher = _driver()
    if _sqlcipher is None:
        raise WorkspaceError("This workspace is encrypted but this installation has no SQLCipher "
                             "(the sqlcipher3 package). Reinstall Evidence Organiser.")
    if readonly:
        uri = Path(db_path).resolve().as_uri() + "?mode=ro"
        conn = _sqlcipher.connect(uri, uri=True, check_same_thread=False, isolation_level=None,
                                  timeout=30)
    else:
        conn = _sqlcipher.connect(str(db_path), check_same_thread=False, isolation_level=None,
                                  timeout=30)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    except _sqlcipher.DatabaseError:
        pass
    conn.execute(f"PRAGMA key = {quote(passphrase)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except _sqlcipher.DatabaseError:
        conn.close()
        raise PassphraseError("That passphrase does not open this workspace. Check it and try "
                              "again (letters, spaces and capitals all count).") from None
    return conn


def rekey(conn, new_passphrase: str) -> None:  # noqa: ANN001 - a SQLCipher connection
    """Re-encrypt an open SQLCipher database with a new passphrase (PRAGMA rekey)."""
    conn.execute(f"PRAGMA rekey = {quote(new_passphrase)}")


def checkpoint(conn) -> None:  # noqa: ANN001 - either driver's connection
    """Fold the write-ahead log into the database file and empty it."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def export_encrypted(plain: Path, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of the plain SQLite file `plain` (its WAL folded in first) into
    `target` (new and empty), with the same schema version (SQLCipher's `sqlcipher_export`)."""
    driver = _driver()
    if driver is None:
        raise WorkspaceError("This installation has no SQLCipher (the sqlcipher3 package), so "
                             "the workspace cannot be encrypted. Reinstall Evidence Organiser.")
    # start-up: every opening loads this module, and read commands must not load dataclasses
    from evidence_app.core.store.backup_slim import sql_path

    conn = driver.connect(str(plain), isolation_level=None, check_same_thread=False)
    try:
        if Path(str(plain) + "-wal").exists():
            checkpoint(conn)
        conn.execute("ATTACH DATABASE CAST(? AS TEXT) AS enc KEY ?", [sql_path(target),
                                                                       passphrase])
        conn.execute("SELECT sqlcipher_export('enc')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()


def row_counts(conn) -> dict[str, int]:  # noqa: ANN001 - either driver's connection
    """How many rows each ordinary table holds (full-text tables left out): an encrypted copy
    must hold the same as its plain original."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND "
        "sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
