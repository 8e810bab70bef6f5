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

Opening (data safety, see core/safety/lock.py, integrity.py, backup.py, crypto.py, locations.py,
fsutil.py): refuse a cloud-sync or network folder unless allowed; open read-only on read-only
media (`readonly`, `readonly_reason` for the window's banner); unlock an encrypted store (and
refuse a database that is not plain SQLite when its key file is missing); take the workspace
lock; make the folder private (0700/0600 on POSIX); check the tables of people's work (cheap: it
does not grow with the index) and, if the database is damaged, recover it (`recovery_report`);
compare the journal with the database and replay committed work the database lacks. The
whole-file check runs once a day in the background (`background_check`).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from typing import TYPE_CHECKING

from evidence_app.core.safety import lock as wslock
from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.store import migrations
from evidence_app.core.store.db import open_connection, wrap

if TYPE_CHECKING:
    import sqlite_utils

DB_NAME = "evidence.db"
WRITER_WAIT_S = 3.0  # a writer waits this long for a read-only command to let go of the lock


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

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, root: Path, name: str | None = None, *, passphrase: str | None = None,
               remember: bool = False, allow_synced: bool = False) -> "Workspace":
        """Create (or re-open) a workspace folder and bring its schema up to date.

        `passphrase` makes a new workspace encrypted (SQLCipher); `remember` keeps it in the OS
        keystore."""
        from evidence_app.core.safety import crypto, locations

        from evidence_app.core.base import fsutil
        from evidence_app.core.safety import integrity

        root = Path(root)
        _check_location(root, allow_synced)
        new = not (root / DB_NAME).exists()
        convert = not new and passphrase is not None and not crypto.is_encrypted(root)
        try:
            fsutil.private_dir(root)
            for sub in ("backups", "logs"):
                fsutil.private_dir(root / sub)
            (root / "exports").mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the workspace folder {root}: {exc.strerror}.") from exc
        if allow_synced and locations.synced_reason(root):
            locations.allow_synced(root)
        if new and passphrase is not None:
            crypto.check_passphrase_strength(passphrase)
            crypto.setup_marker(root, passphrase, remember)
        if convert:  # encrypt the existing workspace completely, or not at all
            from evidence_app.core.safety import crypto_convert

            ws = cls.open(root, allow_synced=allow_synced)
            try:
                ws.conversion_report = crypto_convert.convert(ws, passphrase, remember)
            except BaseException:
                ws.close()
                raise
            return ws._named(name)
        if not new:
            return cls.open(root, passphrase=passphrase, allow_synced=allow_synced)._named(name)
        try:
            fsutil.create_private_file(root / DB_NAME)  # WAL and SHM take its mode
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the workspace database in {root}: "
                                 f"{exc.strerror}.") from exc
        integrity.write_state(root, True, None, "new")
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
             allow_synced: bool = False, background_check: bool = True) -> "Workspace":
        """Open a workspace. `access="write"` (default: the window, writing commands) takes the
        workspace lock or raises WorkspaceLocked; `access="read"` takes it when free and
        otherwise opens read-only beside the instance that holds it; `access="reader"` (read-only
        commands: search, status, listings) never takes the lock and runs no start-up checks, so
        it never waits for a writer and a writer never waits for it (see `_open_reader`).
        `background_check` starts the daily whole-file check in a thread when it is due (the
        window; short CLI commands pass False: `check` does the full one)."""
        root = Path(root)
        if not (root / DB_NAME).exists():
            if create:
                return cls.create(root, passphrase=passphrase, allow_synced=allow_synced)
            raise WorkspaceError(
                f"There is no workspace at {root}. Create one with: evidence-app --workspace "
                f"\"{root}\" init"
            )
        _check_location(root, allow_synced)
        if access == "reader":
            reader = cls._open_reader(root, passphrase, prompt)
            if reader is not None:
                return reader
            access = "read"  # an older schema: migrate it first, the usual way
        from evidence_app.core.safety import locations

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
                ws._prepare_files()
                ws._startup_checks(background_check)
            else:
                ws._migrate(check_only=ws.readonly or wslock.count(root) > 1)
        except BaseException:
            ws.close()
            raise
        return ws

    @classmethod
    def _open_reader(cls, root: Path, passphrase: str | None, prompt) -> "Workspace | None":
        """A read-only command's workspace: its own connection beside whoever writes (WAL), no
        lock and no start-up checks (those belong to the window and the commands that write, and
        must not cost every search). Only the schema version is checked. None when the schema is
        older than this version: the caller then opens it the usual way, which migrates."""
        ws = cls(root)
        ws._reader = True
        if not (os.access(root, os.W_OK) and os.access(ws.db_path, os.W_OK)):
            from evidence_app.core.safety import locations

            writable, why = locations.is_writable_folder(root)
            if not writable:
                ws.readonly, ws.readonly_reason = True, (
                    f"This workspace is open read-only because {why}: you can search and read, "
                    "but not change anything.")
        ws._unlock_store(passphrase, prompt)
        import sqlite3

        errors: tuple = (sqlite3.DatabaseError,)
        if ws.passphrase is not None:
            from evidence_app.core.safety.crypto import DB_ERRORS as errors
        try:
            migrations.check_version(ws.conn)
            todo = migrations.pending(ws.conn)
        except errors as exc:
            ws.close()
            raise WorkspaceError(f"The workspace database {ws.db_path} cannot be read ({exc}); "
                                 "it may be damaged. Check it with 'evidence-app check'.") from exc
        except BaseException:
            ws.close()
            raise
        if todo and not ws.readonly:
            ws.close()
            return None
        if not ws.readonly:
            _tighten_if_loose(root)
        if not ws.readonly and ws._writer_work_waiting():
            ws.close()
            return None  # opened the usual way: the start-up checks replay, unpack or repair
        return ws

    def _writer_work_waiting(self) -> bool:
        """Cheap signs (about a millisecond, no crypto or sqlite-utils import) that a reader must
        not just read: the journal holds committed work the database lacks, or is shorter than
        the database expects (say so), a backup was put in place by hand, or the daily check
        found damage. Then the command opens the usual way, which deals with it and reports."""
        import json

        from evidence_app.core.base.fsutil import INTEGRITY_STATE
        from evidence_app.core.safety.journal_tail import tail

        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'journal.seq'").fetchone()
            db_seq = int(row[0]) if row else 0
            if tail(self.root).seq != db_seq:
                return True
            if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_backup'"
                                 ).fetchone():
                return True
        except Exception:  # noqa: BLE001 - the usual opening will say what is wrong
            return True
        try:
            state = json.loads((self.root / INTEGRITY_STATE).read_text("utf-8"))
            return isinstance(state, dict) and state.get("ok") is False
        except (OSError, ValueError):
            return False

    # -- data-safety hooks (core/safety/lock.py, crypto.py, integrity.py, backup.py) -------------------
    def _take_lock(self, wait: float = 0.0) -> bool:
        first = wslock.acquire(self.root, wait)
        self._holds_lock = True
        return first

    def _unlock_store(self, passphrase: str | None, prompt=None) -> None:
        from evidence_app.core.safety import crypto

        if (self.root / ".encrypting").exists():
            self._finish_conversion()
        crypto.refuse_if_key_missing(self.root, self.db_path)
        if not crypto.is_encrypted(self.root):
            return
        self.passphrase = passphrase or crypto.find_passphrase(self.root, prompt)
        self.journal_key = crypto.unwrap_journal_key(self.root, self.passphrase)

    def _finish_conversion(self) -> None:
        """An `init --encrypt` of this workspace was interrupted: finish it past its commit
        point, or discard it before (see core/safety/crypto_convert.py), holding the lock."""
        from evidence_app.core.safety import crypto_convert

        wslock.acquire(self.root, WRITER_WAIT_S)
        try:
            if crypto_convert.finish_pending(self.root):
                self.warnings.append("The encryption of this workspace was interrupted; it has "
                                     "been completed.")
            crypto_convert.discard_unfinished(self.root)
        finally:
            wslock.release(self.root)

    def _prepare_files(self) -> None:
        """Holding the lock, before the first connection: tighten permissions (workspaces made
        before files were private) and deal with a leftover WAL/SHM we cannot write."""
        from evidence_app.core.base import fsutil

        fsutil.tighten_workspace(self.root)
        for suffix in ("-shm", "-wal"):
            path = Path(str(self.db_path) + suffix)
            if not path.exists() or os.access(path, os.W_OK):
                continue
            try:
                os.chmod(path, fsutil.PRIVATE_FILE)
            except OSError:
                pass
            if os.access(path, os.W_OK):
                continue
            if suffix == "-shm":
                # the shared-memory index is rebuilt from the WAL by SQLite; we hold the lock,
                # so no other instance is using it
                try:
                    path.unlink()
                    continue
                except OSError:
                    pass
            raise WorkspaceError(
                f"The file {path} is read-only and cannot be changed by you, so the workspace "
                f"cannot be opened for writing. Make it writable (or ask whoever owns it: "
                f"{_owner(path)}) and try again; nothing was changed.")

    def _startup_checks(self, background_check: bool = False) -> None:
        """First opener in this process: the cheap check of people's work (recovery if
        damaged), migrate, the journal compared with the database, the daily backup, and the
        daily whole-file check in the background."""
        from evidence_app.core.safety import backup, integrity, journal, journal_replay
        from evidence_app.core.safety.crypto import DB_ERRORS, PassphraseError

        problem = None
        try:
            problem = integrity.open_check(self.db.conn) or \
                integrity.problem_found_earlier(self.root)
            if problem is None:
                self._migrate(raw_errors=True)  # also reads the schema's migration table
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
            integrity.write_state(self.root, True, None, "after-recovery")
        else:
            if backup.is_slim(self.db):  # a backup copied into place by hand
                queued = backup.complete_after_install(self)
                self.warnings.append(f"This database is a backup that was put in place by hand: "
                                     f"its document records were unpacked; {queued} files will "
                                     "be read again to rebuild the search index.")
            try:
                found = journal_replay.reconcile_at_open(self)
                self.journal_report = found
                self.warnings.extend(found.warnings())
            except DB_ERRORS as exc:
                self.warnings.append(f"The journal could not be compared with the database "
                                     f"({exc}); run 'evidence-app check'.")
        try:
            journal.note_sources(self)
            backup.daily_backup(self)
        except WorkspaceError as exc:  # e.g. the disk is full: say so, open anyway
            self.warnings.append(str(exc))
        if background_check and integrity.full_check_due(self.root):
            self._check_thread = integrity.start_background_check(self)

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

    def _migrate(self, check_only: bool = False, raw_errors: bool = False) -> None:
        from evidence_app.core.safety.crypto import DB_ERRORS

        try:
            db = self.db
            migrations.check_version(db)
            todo = migrations.pending(db)
        except DB_ERRORS as exc:
            if raw_errors:
                raise
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
            from evidence_app.core.base import clock

            db.execute("INSERT INTO meta(key, value) VALUES ('uuid', ?)", [new_uuid()])
            db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)",
                       [clock.now_iso()])

    def _copy_before_migration(self) -> None:
        import datetime as dt

        from evidence_app.core.safety.backup import vacuum_into
        from evidence_app.core.base.fsutil import private_dir

        private_dir(self.backups_dir)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.backups_dir / f"before-migration-{stamp}.db"
        tmp = target.with_suffix(".tmp")
        vacuum_into(self.db.conn, tmp)
        os.replace(tmp, target)

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
                from evidence_app.core.safety import backup, journal

                journal.settle(self)
                journal.note_sources(self)
                backup.auto_backup_on_close(self)
            except Exception:  # noqa: BLE001 - closing must not fail: the journal has the work
                pass
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.db = None
            if conn in self._conns:
                self._conns.remove(conn)
        if self._holds_lock:
            self._holds_lock = False
            wslock.release(self.root)

    # -- small settings ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
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
    from evidence_app.core.safety import locations

    reason = locations.synced_reason(root)
    if reason is None:
        return
    if allow_synced or locations.allowed_synced(root):
        import sys

        print(locations.synced_warning(root, reason), file=sys.stderr)
        return
    raise WorkspaceError(locations.synced_message(root, reason))


def _tighten_if_loose(root: Path) -> None:
    """A workspace made before files were private (its folder readable by others) is tightened
    by whichever command opens it first, readers included: one stat when it is already 0700."""
    if os.name != "posix":
        return
    try:
        if os.stat(root).st_mode & 0o077 == 0:
            return
    except OSError:
        return
    from evidence_app.core.base.fsutil import tighten_workspace

    tighten_workspace(root)


def _owner(path: Path) -> str:
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except Exception:  # noqa: BLE001 - Windows, or an unknown user id
        return "its owner"


def new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def remove_tree_safely(path: Path) -> None:
    """Delete a folder the app created itself (never a source folder)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
