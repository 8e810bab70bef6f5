"""The `meta` rows that hold workspace settings: read several keys in one query, write several in
one transaction. What the keys are, their types and defaults belong to `core.settings`."""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Iterable

from evidence_app.core.store.db import transaction

if TYPE_CHECKING:
    import sqlite_utils


def read(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str | None]:
    """{key: stored text or None} for each key asked. Takes the plain connection: reading
    settings must not import sqlite-utils (start-up of read-only commands)."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    found = dict(conn.execute(
        f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(keys))})", keys))
    return {k: found.get(k) for k in keys}


def write(db: "sqlite_utils.Database", values: dict[str, str]) -> None:
    """Store every value or none (a read-only workspace refuses with its one-line reason)."""
    if not values:
        return
    with transaction(db) as conn:
        conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         list(values.items()))
