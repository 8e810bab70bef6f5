"""A workspace: one folder holding the database, its backups and the exports made from it.

```
WORKSPACE/
  evidence.db        SQLite (WAL); the index and the people's work
  backups/           copies of the database (and a copy before each migration)
  exports/           default place for bundles and spreadsheets
  logs/              error log of the window
```
The workspace never lives inside a source folder's files: the app only reads sources.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import threading
import uuid
from pathlib import Path

import sqlite_utils

from . import clock
from .errors import WorkspaceError
from .store import migrations
from .store.db import connect

DB_NAME = "evidence.db"


class Workspace:
    """An open workspace. Cheap to pass around; each thread gets its own connection."""

    def __init__(self, root: Path, *, readonly: bool = False) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self._local = threading.local()

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
    def create(cls, root: Path, name: str | None = None) -> "Workspace":
        """Create (or re-open) a workspace folder and bring its schema up to date."""
        root = Path(root)
        try:
            root.mkdir(parents=True, exist_ok=True)
            for sub in ("backups", "exports", "logs"):
                (root / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"Cannot create the workspace folder {root}: {exc.strerror}.") from exc
        ws = cls(root)
        ws._migrate()
        if name:
            ws.set_meta("name", name)
        return ws

    @classmethod
    def open(cls, root: Path, *, create: bool = False) -> "Workspace":
        root = Path(root)
        if not (root / DB_NAME).exists():
            if create:
                return cls.create(root)
            raise WorkspaceError(
                f"There is no workspace at {root}. Create one with: evidence-app --workspace "
                f"\"{root}\" init"
            )
        ws = cls(root)
        ws._migrate()
        return ws

    def _migrate(self) -> None:
        try:
            db = self.db
            migrations.check_version(db)
            todo = migrations.pending(db)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise WorkspaceError(f"The workspace database {self.db_path} cannot be read ({exc}); "
                                 "it may be damaged. Restore a backup with "
                                 "'evidence-app restore'.") from exc
        if not todo:
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
            db = connect(self.db_path, readonly=self.readonly)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    # -- small settings ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @property
    def name(self) -> str:
        return self.get_meta("name") or self.root.name


def new_uuid() -> str:
    return str(uuid.uuid4())


def remove_tree_safely(path: Path) -> None:
    """Delete a folder the app created itself (never a source folder)."""
    shutil.rmtree(path, ignore_errors=True)
