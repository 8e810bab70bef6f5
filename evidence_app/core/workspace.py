"""A workspace: one folder holding the database, its backups and the exports made from it.

```
WORKSPACE/
  evidence.db        SQLite (WAL); the index and the people's work
  backups/           copies of the database (and a copy before each migration)
  exports/           default place for bundles and spreadsheets
  logs/              error log of the window
  journal/           append-only record of people's work, replayed after a restore
  .lock              OS lock: one app instance at a time (see core/safety/lock.py)
```
The workspace never lives inside a source folder's files: the app only reads sources.

The `Workspace` is a handle: its folders, one connection per thread, its small settings (`meta`)
and closing. Every stage is given one, but only as a type: this module sits above the stages,
because its two doors, `Workspace.open` and `Workspace.create`, run the opening
(core/opening.py: lock, unlocking, checks, recovery, migration), which uses the data-safety
stage; and closing makes the automatic backup.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core import opening
from evidence_app.core.base.errors import ReadOnlyWorkspace
from evidence_app.core.opening import DB_NAME
from evidence_app.core.safety import lock as wslock
from evidence_app.core.store import meta
from evidence_app.core.store.db import open_connection, wrap

if TYPE_CHECKING:
    import sqlite_utils


class Workspace:
    """An open workspace. Cheap to pass around; each thread gets its own connection."""

    def __init__(self, root: Path, *, readonly: bool = False) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self._local = threading.local()
        # data safety (core/safety/lock.py, crypto.py, integrity.py): for the window's banner and CLI
        self.readonly_reason: str | None = None
        self.recovery_report = None  # integrity.RecoveryReport when opening repaired the store
        self.warnings: list[str] = []
        self.passphrase: str | None = None
        self.journal_key: bytes | None = None
        self._holds_lock = False
        self._reader = False  # a read-only command's workspace: no lock, no start-up checks
        self._conns: list = []
        self.journal_report = None  # journal_replay.OpenReconcile of the first opening
        self.conversion_report = None  # crypto_convert.ConversionReport (init --encrypt)
        self._check_thread = None

    # -- paths ---------------------------------------------------------------------------------
    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def exports_dir(self) -> Path:
        return self.root / "exports"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    # -- opening (the steps are in core/opening.py) ----------------------------------------------
    @classmethod
    def create(cls, root: Path, name: str | None = None, *, passphrase: str | None = None,
               remember: bool = False, allow_synced: bool = False) -> "Workspace":
        """Create (or re-open) a workspace folder and bring its schema up to date.

        `passphrase` makes a new workspace encrypted (SQLCipher); `remember` keeps it in the OS
        keystore."""
        return opening.create_workspace(cls, root, name, passphrase=passphrase,
                                        remember=remember, allow_synced=allow_synced)

    @classmethod
    def open(cls, root: Path, *, create: bool = False, access: str = "write",
             passphrase: str | None = None, prompt=None,
             allow_synced: bool = False, background_check: bool = True) -> "Workspace":
        """Open a workspace. `access="write"` (default: the window, writing commands) takes the
        workspace lock or raises WorkspaceLocked; `access="read"` takes it when free and
        otherwise opens read-only beside the instance that holds it; `access="reader"` (read-only
        commands: search, status, listings) never takes the lock and runs no start-up checks, so
        it never waits for a writer and a writer never waits for it (see opening.open_reader).
        `background_check` starts the daily whole-file check in a thread when it is due (the
        window; short CLI commands pass False: `check` does the full one)."""
        return opening.open_workspace(cls, root, create=create, access=access,
                                      passphrase=passphrase, prompt=prompt,
                                      allow_synced=allow_synced,
                                      background_check=background_check)

    def close_all(self) -> None:
        """Close every thread's connection (before the database file is replaced)."""
        for conn in self._conns:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
        self._conns = []
        self._local = threading.local()

    def _after_replace(self) -> None:
        """The database file was replaced (restore, recovery): bring it up to date."""
        self.close_all()
        opening.migrate(self)

    @property
    def conn(self):
        """This thread's DB-API connection, opened on first use (no sqlite-utils: the search and
        read paths use this)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_connection(self.db_path, readonly=self.readonly, key=self.passphrase,
                                   set_wal=not self._reader)
            self._local.conn = conn
            self._conns.append(conn)
        return conn

    @property
    def db(self) -> "sqlite_utils.Database":
        """This thread's connection as a sqlite-utils Database (for writing code)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = wrap(self.conn, readonly=self.readonly)
            db.evidence_readonly_reason = self.readonly_reason
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection; the last close in the process makes the automatic
        backup (if the work changed) and releases the workspace lock."""
        if self._holds_lock and wslock.count(self.root) == 1 and not self.readonly:
            try:
                # start-up: read-only commands never close a locked workspace
                from evidence_app.core.safety import backup, journal

                journal.settle(self)
                journal.note_sources(self)
                backup.auto_backup_on_close(self)
            except Exception:  # noqa: BLE001 - closing must not fail: the journal has the work
                pass
        self.close_connection()
        if self._holds_lock:
            self._holds_lock = False
            wslock.release(self.root)

    def close_connection(self) -> None:
        """Close this thread's connection only (a helper thread that is done, e.g. the window's
        writer); the workspace stays open for the others."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.db = None
            if conn in self._conns:
                self._conns.remove(conn)

    # -- small settings ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value = meta.get(self.conn, key)
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        if self.readonly:
            raise ReadOnlyWorkspace(self.readonly_reason or "This workspace is read-only.")
        meta.put(self.db.conn, key, value)

    @property
    def name(self) -> str:
        return self.get_meta("name") or self.root.name

