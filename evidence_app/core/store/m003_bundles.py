"""Schema for bundles: what a manager assembles for inspectors, and every export made of it.

Registered on the same `migrations` object after m002 (imported at the bottom of migrations.py).
Never edit once shipped: add m004.

Design notes (why):
- An evidence item appears at most once in a bundle (UNIQUE bundle_id, item_id): one item, one
  evidence number. Its lines of enquiry are all shown beside it, whichever section holds it.
- Positions are plain integers renumbered on every move: bundles hold hundreds of items, not
  millions, and dense numbers keep "move to position 3" exact.
- `pseudonymise` is NULL until someone chooses: then it follows `external` (a bundle marked for
  external sharing is pseudonymised by default).
- Exports are rows, never updated: path, SHA-256, manifest and the redaction counts (kinds, places
  and numbers only, never the removed text).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:
    import sqlite_utils

GROUPINGS = ("enquiry", "area", "request", "case", "custom")


@migrations(name="m003_bundles")
def m003_bundles(db: sqlite_utils.Database) -> None:
    kinds = ", ".join(f"'{g}'" for g in GROUPINGS)
    db.executescript(
        f"""
        CREATE TABLE bundles (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            purpose TEXT NOT NULL DEFAULT '',
            grouping TEXT NOT NULL DEFAULT 'custom' CHECK (grouping IN ({kinds})),
            inspection TEXT NOT NULL DEFAULT '',
            prepared_by TEXT,
            marking TEXT NOT NULL DEFAULT 'OFFICIAL-SENSITIVE',
            external INTEGER NOT NULL DEFAULT 0,
            pseudonymise INTEGER,
            append_sources INTEGER NOT NULL DEFAULT 0,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE bundle_sections (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            bundle_id INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL DEFAULT 'custom' CHECK (kind IN ({kinds})),
            ref TEXT,
            title TEXT NOT NULL,
            intro TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX bundle_sections_bundle ON bundle_sections(bundle_id, position);

        CREATE TABLE bundle_items (
            id INTEGER PRIMARY KEY,
            bundle_id INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
            section_id INTEGER NOT NULL REFERENCES bundle_sections(id) ON DELETE CASCADE,
            item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (bundle_id, item_id)
        );
        CREATE INDEX bundle_items_section ON bundle_items(section_id, position);
        CREATE INDEX bundle_items_item ON bundle_items(item_id);

        CREATE TABLE bundle_exports (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            bundle_id INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            path TEXT NOT NULL,
            manifest TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            items INTEGER NOT NULL,
            pseudonymised INTEGER NOT NULL,
            append_sources INTEGER NOT NULL,
            sources TEXT NOT NULL DEFAULT '[]',
            redactions TEXT NOT NULL DEFAULT '[]',
            seconds REAL
        );
        CREATE INDEX bundle_exports_bundle ON bundle_exports(bundle_id, at);
        """
    )
