"""A workspace: one folder holding the database, its backups and the exports made from it.

```
WORKSPACE/
  evidence.db        SQLite (WAL); the index and the people's work
  backups/           copies of the database (and a copy before each migration)
  exports/           default place for bundles and spreadsheets
  logs/              error log of the window
  journal/           append-only record of people's work, replayed after a restore
  .lock              OS lock: one app instance at a time (see core/lock.py)
```
The workspace never lives inside a source folder's files: the app only reads sources.

Opening (data safety, see core/lock.py, integrity.py, backup.py, crypto.py, locations.py): refuse a
cloud-sync or network folder unless allowed; open read-only on read-only media (`readonly`,
`readonly_reason` for the window's banner); take the workspace lock; unlock an encrypted store;
quick-check the database and, if it is damaged, recover it (`recovery_report`).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import uuid
from pathlib import Path

import sqlite_utils

from . import clock
from . import lock as wslock
from .errors import WorkspaceError
from .store import migrations
from .store.db import connect

DB_NAME = "evidence.db"
WRITER_WAIT_S = 3.0  # a writer waits this long for a read-only command to let go of the lock


class Workspace:
    """An open workspace. Cheap to pass around; each thread gets its own connection."""

    def __init__(self, root: Path, *, readonly: bool = False) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self._local = threading.local()
        # data safety (core/lock.py, crypto.py, integrity.py): for the window's banner and CLI
        self.readonly_reason: str | None = None
        self.recovery_report = None  # integrity.RecoveryReport when opening repaired the store
        self.warnings: list[str] = []
        self.passphrase: str | None = None
        self.journal_key: bytes | None = None
        self._holds_lock = False
        self._conns: list = []

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

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, root: Path, name: str | None = None, *, passphrase: str | None = None,
               remember: bool = False, allow_synced: bool = False) -> "Workspace":
        """Create (or re-open) a workspace folder and bring its schema up to date.

        `passphrase` makes a new workspace encrypted (SQLCipher); `remember` keeps it in the OS
        keystore."""
        from . import crypto, locations

        root = Path(root)
        _check_location(root, allow_synced)
        new = not (root / DB_NAME).exists()
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in ("backups", "exports", "logs"):
                (root / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the workspace folder {root}: {exc.strerror}.") from exc
        if allow_synced and locations.synced_reason(root):
            locations.allow_synced(root)
        if new and passphrase is not None:
            crypto.check_passphrase_strength(passphrase)
            crypto.setup_marker(root, passphrase, remember)
        if not new:
            return cls.open(root, passphrase=passphrase, allow_synced=allow_synced)._named(name)
        ws = cls(root)
        ws._unlock_store(passphrase)
        ws._take_lock()
        try:
            ws._migrate()
            if name:
                ws.set_meta("name", name)
        except BaseException:
            ws.close()
            raise
        return ws

    def _named(self, name: str | None) -> "Workspace":
        if name:
            self.set_meta("name", name)
        return self

    @classmethod
    def open(cls, root: Path, *, create: bool = False, access: str = "write",
             passphrase: str | None = None, prompt=None,
             allow_synced: bool = False) -> "Workspace":
        """Open a workspace. `access="write"` (default: the window, writing commands) takes the
        workspace lock or raises WorkspaceLocked; `access="read"` takes it when free and
        otherwise opens read-only beside the instance that holds it."""
        root = Path(root)
        if not (root / DB_NAME).exists():
            if create:
                return cls.create(root, passphrase=passphrase, allow_synced=allow_synced)
            raise WorkspaceError(
                f"There is no workspace at {root}. Create one with: evidence-app --workspace "
                f"\"{root}\" init"
            )
        from . import locations

        _check_location(root, allow_synced)
        ws = cls(root)
        writable, why = locations.is_writable_folder(root)
        if not writable:
            ws.readonly, ws.readonly_reason = True, (
                f"This workspace is open read-only because {why}: you can search and read, "
                "but not change anything.")
        ws._unlock_store(passphrase, prompt)
        if not ws.readonly:
            try:
                first = ws._take_lock(wait=0.0 if access == "read" else WRITER_WAIT_S)
            except wslock.WorkspaceLocked as exc:
                if access != "read":
                    raise
                ws.readonly, ws.readonly_reason = True, str(exc).split(". ")[0] + \
                    ": opened read-only alongside it."
                first = False
        else:
            first = False
        try:
            if first:
                ws._startup_checks()
            else:
                ws._migrate(check_only=ws.readonly or wslock.count(root) > 1)
        except BaseException:
            ws.close()
            raise
        return ws

    # -- data-safety hooks (core/lock.py, crypto.py, integrity.py, backup.py) -------------------
    def _take_lock(self, wait: float = 0.0) -> bool:
        first = wslock.acquire(self.root, wait)
        self._holds_lock = True
        return first

    def _unlock_store(self, passphrase: str | None, prompt=None) -> None:
        from . import crypto

        if not crypto.is_encrypted(self.root):
            return
        self.passphrase = passphrase or crypto.find_passphrase(self.root, prompt)
        self.journal_key = crypto.unwrap_journal_key(self.root, self.passphrase)

    def _startup_checks(self) -> None:
        """First opener in this process: quick check, recovery if damaged, migrate, daily backup."""
        from . import backup, integrity, journal
        from .crypto import DB_ERRORS, PassphraseError

        problem = None
        try:
            problem = integrity.quick_check(self.db.conn)
        except PassphraseError:
            raise
        except DB_ERRORS as exc:
            if not integrity.is_damage(exc):
                self.close()
                raise WorkspaceError(f"The workspace database {self.db_path} cannot be read "
                                     f"just now ({exc}). Nothing was changed; if the disk is "
                                     "full, free some space and try again.") from exc
            problem = str(exc)
        if problem is not None:
            has_backup = any(b.kind != "replaced" for b in backup.list_backups(self))
            if not has_backup and not journal.read(self.root, self.journal_key).records:
                self.close()
                raise WorkspaceError(f"The workspace database {self.db_path} cannot be read "
                                     f"({problem}); it may be damaged, and there is no backup or "
                                     "journal to rebuild it from.")
            self.recovery_report = integrity.recover(self, problem)
            self.warnings.append(self.recovery_report.message())
        else:
            self._migrate()
        try:
            journal.note_sources(self)
            backup.daily_backup(self)
        except WorkspaceError as exc:  # e.g. the disk is full: say so, open anyway
            self.warnings.append(str(exc))

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
        self._migrate()

    def _migrate(self, check_only: bool = False) -> None:
        from .crypto import DB_ERRORS

        try:
            db = self.db
            migrations.check_version(db)
            todo = migrations.pending(db)
        except DB_ERRORS as exc:
            self.close()
            raise WorkspaceError(f"The workspace database {self.db_path} cannot be read ({exc}); "
                                 "it may be damaged. Restore a backup with "
                                 "'evidence-app restore'.") from exc
        if not todo or check_only:
            return
        if migrations.migrations.applied(db):
            self._copy_before_migration()
        migrations.apply(db)
        with_meta = db["meta"]
        if not with_meta.count_where("key = 'uuid'"):
            db.execute("INSERT INTO meta(key, value) VALUES ('uuid', ?)", [new_uuid()])
            db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)",
                       [clock.now_iso()])

    def _copy_before_migration(self) -> None:
        self.backups_dir.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.backups_dir / f"before-migration-{stamp}.db"
        tmp = target.with_suffix(".tmp")
        self.db.execute("VACUUM INTO ?", [str(tmp)])
        os.replace(tmp, target)

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.db_path, readonly=self.readonly, key=self.passphrase)
            db.evidence_readonly_reason = self.readonly_reason
            self._local.db = db
            self._conns.append(db.conn)
        return db

    def close(self) -> None:
        """Close this thread's connection; the last close in the process makes the automatic
        backup (if the work changed) and releases the workspace lock."""
        if self._holds_lock and wslock.count(self.root) == 1 and not self.readonly:
            try:
                from . import backup, journal

                journal.note_sources(self)
                backup.auto_backup_on_close(self)
            except Exception:  # noqa: BLE001 - closing must not fail: the journal has the work
                pass
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None
            if db.conn in self._conns:
                self._conns.remove(db.conn)
        if self._holds_lock:
            self._holds_lock = False
            wslock.release(self.root)

    # -- small settings ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        if self.readonly:
            raise wslock.ReadOnlyWorkspace(self.readonly_reason or "This workspace is read-only.")
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def name(self) -> str:
        return self.get_meta("name") or self.root.name


def _check_location(root: Path, allow_synced: bool) -> None:
    """Refuse a cloud-sync or network folder unless the person allowed it (then warn)."""
    from . import locations

    reason = locations.synced_reason(root)
    if reason is None:
        return
    if allow_synced or locations.allowed_synced(root):
        import sys

        print(locations.synced_warning(root, reason), file=sys.stderr)
        return
    raise WorkspaceError(locations.synced_message(root, reason))


def new_uuid() -> str:
    return str(uuid.uuid4())


def remove_tree_safely(path: Path) -> None:
    """Delete a folder the app created itself (never a source folder)."""
    shutil.rmtree(path, ignore_errors=True)
