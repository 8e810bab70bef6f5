"""Migration m004: the writer keeps the full-text index in step itself, deletes included.

FTS5 work done from a trigger runs one sub-statement per row, and FTS5 does per-statement work
each time: deleting a passage through the AFTER DELETE trigger cost ~0.4 ms against ~0.07 ms for
the same 'delete' commands sent as one batch. `store/documents.py` now sends them in batches, so
the trigger must go (it would delete twice). Nothing else deletes chunks.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:
    import sqlite_utils


@migrations(name="m004_fts_writes")
def m004_fts_writes(db: sqlite_utils.Database) -> None:
    db.execute("DROP TRIGGER IF EXISTS chunks_ad")
