"""Migration m010: bundles that travel in evidence packs.

Registered after m009 (imported at the bottom of migrations.py). Never edit once shipped.

A bundle from a pack may list evidence items that have not reached this workspace yet (they
come in another colleague's pack). `pack_bundles` keeps the bundle as the pack described it, so
each later import fills in the items that have arrived since: the result does not depend on the
order the packs are merged in.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:  # (read-only commands must not load sqlite-utils: see migration_runner.py)
    import sqlite_utils


@migrations(name="m010_pack_bundles")
def m010_pack_bundles(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE pack_bundles (
            bundle_uuid TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            missing INTEGER NOT NULL DEFAULT 0,
            sender TEXT,
            received_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """
    )
