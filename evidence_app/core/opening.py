"""Opening a workspace: the steps between a folder on disk and a `Workspace` ready to use.

Refuse a cloud-sync or network folder unless allowed; open read-only on read-only media
(`readonly`, `readonly_reason` for the window's banner); unlock an encrypted store (and refuse a
database that is not plain SQLite when its key file is missing); take the workspace lock; make
the folder private (0700/0600 on POSIX); check the tables of people's work (cheap: it does not
grow with the index) and, if the database is damaged, recover it (`recovery_report`); bring the
schema up to date (a copy is made before each migration); compare the journal with the database
and replay committed work the database lacks. The whole-file check runs once a day in the
background (`background_check`).

Why a module of its own: opening uses the data-safety stage (lock, crypto, integrity, backup,
journal, locations), which itself records through the stages below it; the `Workspace` handle
(core/workspace.py) is what every stage is given. Keeping the steps here, above the safety
modules, is what lets every stage take a workspace without importing the code that opens one
(no import cycles; see the import contract in pyproject.toml). `Workspace.open` and
`Workspace.create` are the doors; they call `open_workspace` and `create_workspace` here with
their own class, so this module never imports the workspace at run time.

Start-up speed: a read-only command (search, status) goes through `open_reader` and must not load
the backup, integrity or journal modules or sqlite-utils (tests/cli/test_startup.py), so the
steps that need them import them inside the step, each marked so.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.base import fsutil
from evidence_app.core.base.errors import PassphraseError, WorkspaceError
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.index import followers
from evidence_app.core.safety import crypto, locations
from evidence_app.core.safety import lock as wslock
from evidence_app.core.store import meta, migrations
import json

if TYPE_CHECKING:  # the workspace class is passed in by its own doors (Workspace.open/create)
    from evidence_app.core.workspace import Workspace

DB_NAME = "evidence.db"
WRITER_WAIT_S = 3.0  # a writer waits this long for a read-only command to let go of the lock
READ_ONLY_MEDIA = ("This workspace is open read-only because {why}: you can search and read, "
                   "but not change anything.")


def _reanchor(ws: "Workspace", doc_ids: list[int]) -> object:
    """Evidence follows the text the indexer rewrites (core/index/followers.py)."""
    from evidence_app.core.evidence.evidence import reanchor  # start-up: only indexing needs it

    return reanchor(ws, doc_ids)


followers.add_follower(_reanchor)


def create_workspace(cls: type["Workspace"], root: Path, name: str | None = None, *,
                     passphrase: str | None = None, remember: bool = False,
                     allow_synced: bool = False) -> "Workspace":
    """Create (or re-open) a workspace folder and bring its schema up to date.

    `passphrase` makes a new workspace encrypted (SQLCipher); `remember` keeps it in the OS
    keystore; given for an existing plain workspace, it encrypts it completely or not at all."""
    from evidence_app.core.safety import integrity  # start-up: only creating needs it

    root = Path(root)
    check_location(root, allow_synced)
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
        from evidence_app.core.safety import crypto_convert  # start-up: rarely needed

        ws = open_workspace(cls, root, allow_synced=allow_synced)
        try:
            ws.conversion_report = crypto_convert.convert(ws, passphrase, remember)
        except BaseException:
            ws.close()
            raise
        return _named(ws, name)
    if not new:
        return _named(open_workspace(cls, root, passphrase=passphrase,
                                     allow_synced=allow_synced), name)
    try:
        fsutil.create_private_file(root / DB_NAME)  # WAL and SHM take its mode
    except OSError as exc:
        raise WorkspaceError(f"Cannot create the workspace database in {root}: "
                             f"{exc.strerror}.") from exc
    integrity.write_state(root, True, None, "new")
    ws = cls(root)
    unlock_store(ws, passphrase)
    take_lock(ws)
    try:
        migrate(ws)
        if name:
            ws.set_meta("name", name)
    except BaseException:
        ws.close()
        raise
    return ws


def _named(ws: "Workspace", name: str | None) -> "Workspace":
    if name:
        ws.set_meta("name", name)
    return ws


def open_workspace(cls: type["Workspace"], root: Path, *, create: bool = False,
                   access: str = "write", passphrase: str | None = None, prompt=None,
                   allow_synced: bool = False, background_check: bool = True) -> "Workspace":
    """Open a workspace (see Workspace.open for what `access` and `background_check` mean)."""
    root = Path(root)
    if not (root / DB_NAME).exists():
        if create:
            return create_workspace(cls, root, passphrase=passphrase, allow_synced=allow_synced)
        raise WorkspaceError(
            f"There is no workspace at {root}. Create one with: evidence-app --workspace "
            f"\"{root}\" init"
        )
    check_location(root, allow_synced)
    if access == "reader":
        reader = open_reader(cls, root, passphrase, prompt)
        if reader is not None:
            return reader
        access = "read"  # an older schema: migrate it first, the usual way
    ws = cls(root)
    writable, why = locations.is_writable_folder(root)
    if not writable:
        ws.readonly, ws.readonly_reason = True, READ_ONLY_MEDIA.format(why=why)
    unlock_store(ws, passphrase, prompt)
    if not ws.readonly:
        try:
            first = take_lock(ws, wait=0.0 if access == "read" else WRITER_WAIT_S)
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
            prepare_files(ws)
            startup_checks(ws, background_check)
        else:
            migrate(ws, check_only=ws.readonly or wslock.count(root) > 1)
    except BaseException:
        ws.close()
        raise
    return ws


def open_reader(cls: type["Workspace"], root: Path, passphrase: str | None,
                prompt) -> "Workspace | None":
    """A read-only command's workspace: its own connection beside whoever writes (WAL), no lock
    and no start-up checks (those belong to the window and the commands that write, and must not
    cost every search). Only the schema version is checked. None when the schema is older than
    this version: the caller then opens it the usual way, which migrates."""
    ws = cls(root)
    ws._reader = True
    if not (os.access(root, os.W_OK) and os.access(ws.db_path, os.W_OK)):
        writable, why = locations.is_writable_folder(root)
        if not writable:
            ws.readonly, ws.readonly_reason = True, READ_ONLY_MEDIA.format(why=why)
    unlock_store(ws, passphrase, prompt)
    errors: tuple = (sqlite3.DatabaseError,)
    if ws.passphrase is not None:
        errors = crypto.DB_ERRORS  # loads SQLCipher: only an encrypted workspace needs it
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
        tighten_if_loose(root)
    if not ws.readonly and writer_work_waiting(ws):
        ws.close()
        return None  # opened the usual way: the start-up checks replay, unpack or repair
    return ws


def writer_work_waiting(ws: "Workspace") -> bool:
    """Cheap signs (about a millisecond, no crypto or sqlite-utils import) that a reader must
    not just read: the journal holds committed work the database lacks, or is shorter than the
    database expects (say so), a backup was put in place by hand, or the daily check found
    damage. Then the command opens the usual way, which deals with it and reports."""
    from evidence_app.core.safety.journal_tail import tail  # start-up: not the whole journal

    try:
        db_seq = int(meta.get(ws.conn, "journal.seq") or 0)
        if tail(ws.root, with_hash=False).seq != db_seq:
            return True
        if meta.has_table(ws.conn, "documents_backup"):
            return True
    except Exception:  # noqa: BLE001 - the usual opening will say what is wrong
        return True
    try:
        state = json.loads((ws.root / fsutil.INTEGRITY_STATE).read_text("utf-8"))
        return isinstance(state, dict) and state.get("ok") is False
    except (OSError, ValueError):
        return False


def take_lock(ws: "Workspace", wait: float = 0.0) -> bool:
    """Take the workspace lock for `ws` (True when this process is its first holder)."""
    first = wslock.acquire(ws.root, wait)
    ws._holds_lock = True
    return first


def unlock_store(ws: "Workspace", passphrase: str | None, prompt=None) -> None:
    """Finish an interrupted encryption, refuse a store whose key is missing, and find the
    passphrase (and the journal's key) of an encrypted one."""
    if (ws.root / ".encrypting").exists():
        _finish_conversion(ws)
    crypto.refuse_if_key_missing(ws.root, ws.db_path)
    if not crypto.is_encrypted(ws.root):
        return
    ws.passphrase = passphrase or crypto.find_passphrase(ws.root, prompt)
    ws.journal_key = crypto.unwrap_journal_key(ws.root, ws.passphrase)


def _finish_conversion(ws: "Workspace") -> None:
    """An `init --encrypt` of this workspace was interrupted: finish it past its commit point,
    or discard it before (see core/safety/crypto_convert.py), holding the lock."""
    from evidence_app.core.safety import crypto_convert  # start-up: rarely needed

    wslock.acquire(ws.root, WRITER_WAIT_S)
    try:
        if crypto_convert.finish_pending(ws.root):
            ws.warnings.append("The encryption of this workspace was interrupted; it has "
                               "been completed.")
        crypto_convert.discard_unfinished(ws.root)
    finally:
        wslock.release(ws.root)


def prepare_files(ws: "Workspace") -> None:
    """Holding the lock, before the first connection: tighten permissions (workspaces made
    before files were private) and deal with a leftover WAL/SHM we cannot write."""
    fsutil.tighten_workspace(ws.root)
    for suffix in ("-shm", "-wal"):
        path = Path(str(ws.db_path) + suffix)
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


def startup_checks(ws: "Workspace", background_check: bool = False) -> None:
    """First opener in this process: the cheap check of people's work (recovery if damaged),
    migrate, the journal compared with the database, the daily backup, and the daily whole-file
    check in the background."""
    # start-up: read-only commands never run these checks, and must not load these modules
    from evidence_app.core.safety import backup, integrity, journal, journal_replay

    problem = None
    try:
        problem = integrity.open_check(ws.db.conn) or integrity.problem_found_earlier(ws.root)
        if problem is None:
            migrate(ws, raw_errors=True)  # also reads the schema's migration table
    except PassphraseError:
        raise
    except crypto.DB_ERRORS as exc:
        if not integrity.is_damage(exc):
            ws.close()
            raise WorkspaceError(f"The workspace database {ws.db_path} cannot be read "
                                 f"just now ({exc}). Nothing was changed; if the disk is "
                                 "full, free some space and try again.") from exc
        problem = str(exc)
    if problem is not None:
        has_backup = any(b.kind != "replaced" for b in backup.list_backups(ws))
        if not has_backup and not journal.read(ws.root, ws.journal_key).records:
            ws.close()
            raise WorkspaceError(f"The workspace database {ws.db_path} cannot be read "
                                 f"({problem}); it may be damaged, and there is no backup or "
                                 "journal to rebuild it from.")
        ws.recovery_report = integrity.recover(ws, problem)
        ws.warnings.append(ws.recovery_report.message())
        integrity.write_state(ws.root, True, None, "after-recovery")
    else:
        if backup.is_slim(ws.db):  # a backup copied into place by hand
            queued = backup.complete_after_install(ws)
            ws.warnings.append(f"This database is a backup that was put in place by hand: "
                               f"its document records were unpacked; {queued} files will "
                               "be read again to rebuild the search index.")
        try:
            found = journal_replay.reconcile_at_open(ws)
            ws.journal_report = found
            ws.warnings.extend(found.warnings())
        except crypto.DB_ERRORS as exc:
            ws.warnings.append(f"The journal could not be compared with the database "
                               f"({exc}); run 'evidence-app check'.")
    try:
        journal.note_sources(ws)
        backup.daily_backup(ws)
    except WorkspaceError as exc:  # e.g. the disk is full: say so, open anyway
        ws.warnings.append(str(exc))
    if background_check and integrity.full_check_due(ws.root):
        ws._check_thread = integrity.start_background_check(ws)


def migrate(ws: "Workspace", check_only: bool = False, raw_errors: bool = False) -> None:
    """Bring the schema up to date (a copy of the database first, when it already had tables);
    `check_only` just refuses a schema newer than this version."""
    try:
        db = ws.db
        migrations.check_version(db)
        todo = migrations.pending(db)
    except crypto.DB_ERRORS as exc:
        if raw_errors:
            raise
        ws.close()
        raise WorkspaceError(f"The workspace database {ws.db_path} cannot be read ({exc}); "
                             "it may be damaged. Restore a backup with "
                             "'evidence-app restore'.") from exc
    if not todo or check_only:
        return
    if migrations.migrations.applied(db):
        _copy_before_migration(ws)
    migrations.apply(db)
    if meta.get(db.conn, "uuid") is None:
        from evidence_app.core.base import clock  # start-up: only a new schema needs it

        meta.put(db.conn, "uuid", new_uuid())
        meta.put_if_missing(db.conn, "created_at", clock.now_iso())


def _copy_before_migration(ws: "Workspace") -> None:
    import datetime as dt  # start-up: only a migration needs it

    from evidence_app.core.safety.backup import vacuum_into  # start-up: only a migration

    fsutil.private_dir(ws.backups_dir)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = ws.backups_dir / f"before-migration-{stamp}.db"
    tmp = target.with_suffix(".tmp")
    vacuum_into(ws.db.conn, tmp)
    os.replace(tmp, target)


def check_location(root: Path, allow_synced: bool) -> None:
    """Refuse a cloud-sync or network folder unless the person allowed it (then warn)."""
    reason = locations.synced_reason(root)
    if reason is None:
        return
    if allow_synced or locations.allowed_synced(root):
        print(locations.synced_warning(root, reason), file=sys.stderr)
        return
    raise WorkspaceError(locations.synced_message(root, reason))


def tighten_if_loose(root: Path) -> None:
    """A workspace made before files were private (its folder readable by others) is tightened
    by whichever command opens it first, readers included: one stat when it is already 0700."""
    if os.name != "posix":
        return
    try:
        if os.stat(root).st_mode & 0o077 == 0:
            return
    except OSError:
        return
    fsutil.tighten_workspace(root)


def _owner(path: Path) -> str:
    try:
        import pwd  # POSIX only: imported where it is used

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except Exception:  # noqa: BLE001 - Windows, or an unknown user id
        return "its owner"
