"""Backups of the workspace database: automatic (rotating), manual, and restore.

- A backup holds what cannot be rebuilt, not the search index (issue 9: at 100,000 documents a
  whole copy was 1.4 GB and 10-20 s): see core/safety/backup_slim.py for what is kept and how a backup
  becomes a database again. In an encrypted workspace it is keyed like the database. It is
  written to `*.tmp` (0600), fsynced, then renamed: a crash or a full disk mid-backup leaves no
  half-written file posing as a backup.
- Automatic backups: when the workspace closes (if the people's work changed since the newest
  backup and that backup is more than AUTO_MIN_AGE old) and once a day at opening; the newest
  KEEP (10) automatic ones are kept. Manual backups ("back up now") and the copies made before a
  migration or a restore are never rotated away.
- Restore refuses a file that is empty, not a database (or not openable with this workspace's
  key), not this app's schema, damaged, or from another workspace (unless forced), and says what
  it replaces; it moves the current database (with its -wal/-shm) aside into `backups/`, never
  deletes it.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from evidence_app.core import settings
from evidence_app.core.safety.crypto import DB_ERRORS
from evidence_app.core.base.errors import InvalidInput, NotFound, WorkspaceError
from evidence_app.core.base.fsutil import create_private_file, fsync_dir, private_dir
from evidence_app.core.store import audit as audit_store
from evidence_app.core.store import backup as backup_store
from evidence_app.core.store import integrity as integrity_store
from evidence_app.core.safety.backup_slim import (
    SLIM_FORMAT, complete_after_install, is_slim, sql_path, unpack_slim, vacuum_into,
    write_slim_copy,
)
from evidence_app.core.safety.crypto import looks_plain_sqlite
from evidence_app.core.store.db import raw_connect

KEEP = settings.DEFAULTS.backup_keep  # automatic backups kept unless the workspace says otherwise
AUTO_KINDS = ("auto", "close", "daily")
AUTO_MIN_AGE = dt.timedelta(minutes=30)
DAILY = dt.timedelta(hours=24)
_NAME = re.compile(r"^evidence-(\d{8}-\d{6}(?:-\d{6})?)-([a-z-]+)\.db$")


class DiskFull(WorkspaceError):
    """No space left: the operation stopped, nothing was lost."""


def disk_full_message(what: str, root: Path) -> str:
    free = ""
    try:
        free = f" ({shutil.disk_usage(root).free // (1024 * 1024)} MB free)"
    except OSError:
        pass
    return (f"The disk holding {root} is full or cannot be written{free}, so {what} stopped. "
            "Nothing was lost: free some space (empty the recycle bin, move old exports) and "
            "try again.")


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG,
                                                  getattr(errno, "EDQUOT", -1)):
        return True
    text = str(exc).lower()
    # SQLite reports a write refused by the OS size limit (EFBIG) as a disk I/O error
    return "database or disk is full" in text or "no space left" in text or \
        "file too large" in text or "disk i/o error" in text


@dataclass
class BackupInfo:
    path: Path
    kind: str
    created: dt.datetime
    size: int

    def to_json(self) -> dict:
        return {"path": str(self.path), "name": self.path.name, "kind": self.kind,
                "created": self.created.isoformat(timespec="seconds"), "size": self.size}


def _parse(path: Path) -> BackupInfo | None:
    try:
        st = path.stat()
    except OSError:
        return None
    m = _NAME.match(path.name)
    if m:
        stamp = m.group(1)
        fmt = "%Y%m%d-%H%M%S-%f" if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        created = dt.datetime.strptime(stamp, fmt)
        return BackupInfo(path, m.group(2), created, st.st_size)
    if path.name.startswith("before-migration-"):
        return BackupInfo(path, "before-migration", dt.datetime.fromtimestamp(st.st_mtime),
                          st.st_size)
    if path.name.startswith("replaced-"):
        return BackupInfo(path, "replaced", dt.datetime.fromtimestamp(st.st_mtime), st.st_size)
    return None


def list_backups(ws_or_root) -> list[BackupInfo]:
    """Newest first. Includes copies made before migrations and databases set aside by restore."""
    root = Path(ws_or_root) if isinstance(ws_or_root, (str, os.PathLike)) else ws_or_root.root
    folder = root / "backups"
    if not folder.is_dir():
        return []
    out = [b for b in (_parse(p) for p in folder.glob("*.db")) if b is not None]
    return sorted(out, key=lambda b: b.created, reverse=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_now(ws, kind: str = "manual") -> BackupInfo:
    """Write a backup of the database now. Raises DiskFull (nothing lost) when space runs out."""
    folder = private_dir(ws.backups_dir)
    now = dt.datetime.now()
    target = folder / f"evidence-{now.strftime('%Y%m%d-%H%M%S-%f')}-{kind}.db"
    tmp = target.with_name(target.name + ".tmp")
    try:
        if tmp.exists():
            tmp.unlink()
        write_slim_copy(ws, tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(folder)
    except (OSError, *DB_ERRORS) as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if is_disk_full(exc):
            raise DiskFull(disk_full_message("the backup", ws.root)) from exc
        raise WorkspaceError(f"The backup could not be written to {folder}: {exc}.") from exc
    if kind in AUTO_KINDS:
        rotate(ws)
    _clean_tmp(folder)
    return _parse(target) or BackupInfo(target, kind, now, target.stat().st_size)


def _clean_tmp(folder: Path) -> None:
    """Leftovers of a backup interrupted by a crash."""
    for p in folder.glob("*.tmp"):
        try:
            p.unlink()
        except OSError:
            pass


def rotate(ws, keep: int | None = None) -> list[Path]:
    keep = keep or settings.load(ws).backup_keep
    autos = [b for b in list_backups(ws) if b.kind in AUTO_KINDS]
    removed = []
    for b in autos[keep:]:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass
    return removed


def newest(ws, kinds: tuple[str, ...] | None = None) -> BackupInfo | None:
    for b in list_backups(ws):
        if kinds is None or b.kind in kinds:
            return b
    return None


def _work_changed_since(ws, when: dt.datetime) -> bool:
    at = audit_store.newest_time(ws.db.conn)
    if not at:
        return False
    try:
        last = dt.datetime.fromisoformat(at).astimezone().replace(tzinfo=None)
    except ValueError:
        return True
    return last > when


def auto_backup_on_close(ws) -> BackupInfo | None:
    """Back up when the work changed since the newest backup (and that is not too recent)."""
    last = newest(ws)
    now = dt.datetime.now()
    if last is not None:
        if now - last.created < AUTO_MIN_AGE or not _work_changed_since(ws, last.created):
            return None
    elif not _work_changed_since(ws, dt.datetime.min):
        return None
    return backup_now(ws, "close")


def daily_backup(ws) -> BackupInfo | None:
    last = newest(ws, AUTO_KINDS + ("manual",))
    if last is not None and dt.datetime.now() - last.created < DAILY:
        return None
    if last is None and not _work_changed_since(ws, dt.datetime.min):
        return None
    return backup_now(ws, "daily")


def find_backup(ws, name: str) -> Path:
    p = Path(name).expanduser()
    for candidate in (p, ws.backups_dir / name, ws.backups_dir / (name + ".db")):
        if candidate.is_file():
            return candidate.resolve()
    raise NotFound(f"There is no backup '{name}'. See 'evidence-app backups'.")


def move_aside(db_path: Path, folder: Path, prefix: str) -> Path:
    """Move the database and its -wal/-shm into `folder` (never deleted)."""
    private_dir(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{prefix}-{stamp}.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        src = Path(str(db_path) + suffix)
        if src.exists():
            os.replace(src, Path(str(target) + suffix))
    fsync_dir(folder)
    fsync_dir(db_path.parent)
    return target


def install_copy(source: Path, db_path: Path) -> None:
    """Copy a backup into place as the database: via a temporary name (0600), fsynced, renamed."""
    tmp = db_path.with_name(db_path.name + ".restore.tmp")
    try:
        copy_private(source, tmp)
        _fsync_file(tmp)
        os.replace(tmp, db_path)
        fsync_dir(db_path.parent)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if is_disk_full(exc):
            raise DiskFull(disk_full_message("the restore", db_path.parent)) from exc
        raise


def copy_private(source: Path, target: Path) -> None:
    create_private_file(target)
    with open(source, "rb") as fin, open(target, "r+b") as fout:
        shutil.copyfileobj(fin, fout, 1024 * 1024)


def verify_backup(path: Path, passphrase: str | None = None) -> bool:
    """Does the backup open (with the key) and pass a quick integrity check?"""
    try:
        conn = raw_connect(path, passphrase, readonly=True)
    except Exception:  # noqa: BLE001
        return False
    try:
        return integrity_store.quick_check(conn) == "ok"
    except Exception:  # noqa: BLE001
        return False
    finally:
        conn.close()


# -- what a database holds (restore says what it replaces with what) -------------------------------
@dataclass
class Contents:
    workspace_id: str | None = None
    name: str | None = None
    evidence: int = 0
    cases: int = 0
    bundles: int = 0
    documents: int = 0
    last_change: str | None = None
    slim: bool = False

    def line(self) -> str:
        when = f", last change {self.last_change[:16].replace('T', ' ')}" \
            if self.last_change else ""
        return (f"{self.evidence} evidence items, {self.cases} cases, {self.bundles} bundles, "
                f"{self.documents} documents{when}")

    def to_json(self) -> dict:
        return dict(self.__dict__)


_APP_TABLES = ("meta", "evidence_items", "audit_log", "_sqlite_migrations")


def contents(conn) -> Contents:
    """Counts of people's work in an open database (raises DB_ERRORS if it is not ours)."""
    meta = backup_store.identity(conn)
    tables = integrity_store.tables(conn)
    return Contents(meta.get("uuid"), meta.get("name"), *backup_store.work_counts(conn, tables),
                    audit_store.newest_time(conn), meta.get("backup.format") is not None)


def inspect_backup(path: Path, passphrase: str | None) -> Contents:
    """Why a file cannot be restored (InvalidInput, one line), or what it holds."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"The backup {path} cannot be read ({exc.strerror}).") from exc
    if size == 0:
        raise InvalidInput(f"The file {name} is empty (0 bytes): it is not a backup. Nothing was "
                           "changed; choose another one ('evidence-app backups').")
    if passphrase is None and not looks_plain_sqlite(path):
        raise InvalidInput(f"The file {name} is not an SQLite database (or it is encrypted): it "
                           "is not a backup of this workspace. Nothing was changed.")
    try:
        conn = raw_connect(path, passphrase, readonly=True)
    except Exception as exc:  # noqa: BLE001 - wrong key, not a database
        raise InvalidInput(f"The file {name} cannot be opened with this workspace's passphrase "
                           "(it is not a database, or it belongs to another workspace). Nothing "
                           "was changed.") from exc
    try:
        tables = integrity_store.tables(conn)
        missing = [t for t in _APP_TABLES if t not in tables]
        if "documents" not in tables and "documents_backup" not in tables:
            missing.append("documents")
        if missing:
            raise InvalidInput(f"The file {name} is an SQLite database but not an Evidence "
                               f"Organiser workspace (it has no {', '.join(missing)} table). "
                               "Nothing was changed.")
        if integrity_store.quick_check(conn) != "ok":
            raise InvalidInput(f"The backup {name} is damaged; choose another one. Nothing was "
                               "changed.")
        return contents(conn)
    except DB_ERRORS as exc:
        raise InvalidInput(f"The backup {name} is damaged or not a workspace database ({exc}); "
                           "choose another one. Nothing was changed.") from exc
    finally:
        conn.close()


def restore(ws, backup: str | Path, replay: bool = False, force: bool = False) -> dict:
    """Replace the database by a backup; the current one is moved aside into backups/.

    Refused (nothing changed) for a file that is empty, not a database, not this app's, damaged,
    or (unless `force`) from another workspace. With `replay`, the work journaled since that
    backup is re-applied; without, that work is marked discarded in the journal (a later recovery
    will not bring it back). The caller must hold the workspace lock. Returns what was done,
    including what was replaced."""
    # start-up: loaded only when this runs
    from evidence_app.core.safety import journal, journal_replay

    src = find_backup(ws, str(backup))
    facts = inspect_backup(src, getattr(ws, "passphrase", None))
    current = contents(ws.db.conn)
    if facts.workspace_id and current.workspace_id and facts.workspace_id != \
            current.workspace_id and not force:
        raise InvalidInput(
            f"The backup {src.name} is of another workspace ({facts.name or 'unnamed'}: "
            f"{facts.line()}), not of this one ({current.name or ws.root.name}). Restoring it "
            f"would replace this workspace's database ({current.line()}). Nothing was changed; "
            "to do it anyway, run restore again with --force.")
    ws.close_all()
    staged = ws.backups_dir / (src.name + ".staged")
    copy_private(src, staged)  # the source may be the backup we are about to rotate
    aside = move_aside(ws.db_path, ws.backups_dir, "replaced")
    try:
        install_copy(staged, ws.db_path)
    finally:
        try:
            staged.unlink()
        except OSError:
            pass
    ws._after_replace()
    queued = complete_after_install(ws)
    replayed = journal_replay.replay(ws, include_discarded=True) if replay else None
    records = journal.read(ws.root, getattr(ws, "journal_key", None)).records
    _tail, in_db = journal_replay.db_tail(ws.db)
    discarded = [r["audit"]["uuid"] for r in journal.iter_audit(records)
                 if r["audit"].get("uuid") not in in_db]
    journal.note(ws, "restore", backup=src.name, replaced=aside.name, discarded=discarded)
    return {"restored": str(src), "previous_database": str(aside),
            "discarded_changes": len(discarded), "files_queued": queued,
            "backup_contents": facts.to_json(), "replaced_contents": current.to_json(),
            "replay": replayed.to_json() if replayed else None}
