"""A named, ordered set of schema migrations, recorded in `_sqlite_migrations`.

Same table and rows as sqlite-utils' `Migrations` (which earlier versions used), so existing
workspaces carry on. It exists so that *knowing* the migrations and reading which are applied
needs only `sqlite3`: every read-only command checks the schema version, and importing
sqlite-utils (with pluggy, click and dateutil) would cost it ~65 ms. Applying a migration still
hands it a `sqlite_utils.Database`, imported only then.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

TABLE = "_sqlite_migrations"


class Migrations:
    """`@migrations(name=...)` registers a function taking a sqlite_utils.Database."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[_Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True) -> Callable:
        def inner(func: Callable) -> Callable:
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration {migration_name!r} is already registered")
            self._migrations.append(_Migration(migration_name, func, transactional))
            return func

        return inner

    def names(self) -> list[str]:
        return [m.name for m in self._migrations]

    def applied_names(self, conn: "sqlite3.Connection") -> list[str]:
        """Names applied to the database, in order (read-only; works on any DB-API connection)."""
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [TABLE]).fetchone():
            return []
        return [r[0] for r in conn.execute(
            f"SELECT name FROM {TABLE} WHERE migration_set = ? ORDER BY rowid", [self.name])]

    def applied(self, db: "sqlite_utils.Database") -> list["_Migration"]:
        done = set(self.applied_names(_conn(db)))
        return [m for m in self._migrations if m.name in done] + [
            _Migration(n, None, True) for n in self.applied_names(_conn(db))
            if n not in {m.name for m in self._migrations}]

    def pending(self, db: "sqlite_utils.Database") -> list["_Migration"]:
        done = set(self.applied_names(_conn(db)))
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: "sqlite_utils.Database", *,
              stop_before: str | Iterable[str] | None = None) -> None:
        stops = {stop_before} if isinstance(stop_before, str) else set(stop_before or ())
        conn = _conn(db)
        conn.execute(f'CREATE TABLE IF NOT EXISTS "{TABLE}" ("id" INTEGER PRIMARY KEY, '
                     '"migration_set" TEXT, "name" TEXT, "applied_at" TEXT)')
        conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{TABLE}_migration_set_name" '
                     f'ON "{TABLE}" ("migration_set", "name")')
        for migration in self.pending(db):
            if migration.name in stops:
                return
            if migration.transactional:
                with db.atomic():  # BEGIN, or a savepoint inside a transaction
                    migration.fn(db)
                    self._record(conn, migration.name)
            else:
                migration.fn(db)
                self._record(conn, migration.name)

    def _record(self, conn: "sqlite3.Connection", name: str) -> None:
        conn.execute(f'INSERT INTO "{TABLE}" (migration_set, name, applied_at) VALUES (?,?,?)',
                     [self.name, name, str(dt.datetime.now(dt.timezone.utc))])


class _Migration:
    __slots__ = ("name", "fn", "transactional")

    def __init__(self, name: str, fn: Callable | None, transactional: bool) -> None:
        self.name, self.fn, self.transactional = name, fn, transactional


def _conn(db) -> "sqlite3.Connection":
    return getattr(db, "conn", db)


# The app's migrations: m001 (migrations.py) and every mNNN module register on this one object.
migrations = Migrations("evidence_app")
