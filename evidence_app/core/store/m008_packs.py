"""Migration m008: what evidence packs need to merge safely, and what they leave behind.

Registered after m007 (imported at the bottom of migrations.py). Never edit once shipped.

Design notes (why):
- Evidence items already travel by uuid with `updated_at` and `deleted_at`/`deleted_by`
  tombstones (m002). What was missing is their *ancestry*: `pack_item_heads` holds, per item,
  the versions this workspace knows (revision, the versioned fields, the revisions it descends
  from). One head is `current` (the row in evidence_items); more than one head is a conflict.
- `pack_items` keeps the facts fixed when an item was made (its document's file and text
  hashes, name) and who brought it (`sender`; NULL: made here), so a re-indexed or moved file
  never changes what travels, and the team view can count by sender.
- Cases merge field by field, newer change wins: `pack_case_fields` stamps each field's value.
- `pack_imports` keeps every merge report (viewable later) with the pack's SHA-256 and sender;
  `pack_exports` logs who exported what (children's data leaves the machine in a pack).
- `pack_text_hashes` caches the SHA-256 of each document's extracted text (matching by text when
  the file bytes differ, e.g. the same letter saved again).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:  # (read-only commands must not load sqlite-utils: see migration_runner.py)
    import sqlite_utils


@migrations(name="m008_packs")
def m008_packs(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE pack_item_heads (
            item_uuid TEXT NOT NULL,
            rev TEXT NOT NULL,
            content TEXT NOT NULL,
            history TEXT NOT NULL DEFAULT '[]',
            current INTEGER NOT NULL DEFAULT 0,
            sender TEXT,
            added_at TEXT NOT NULL,
            PRIMARY KEY (item_uuid, rev)
        ) WITHOUT ROWID;
        CREATE INDEX pack_item_heads_added ON pack_item_heads(added_at);

        CREATE TABLE pack_items (
            item_uuid TEXT PRIMARY KEY,
            doc TEXT NOT NULL DEFAULT '{}',
            sender TEXT,
            sender_workspace TEXT,
            received_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX pack_items_sender ON pack_items(sender);

        CREATE TABLE pack_case_fields (
            case_ref TEXT NOT NULL COLLATE NOCASE,
            field TEXT NOT NULL,
            value TEXT,
            at TEXT NOT NULL,
            by TEXT,
            PRIMARY KEY (case_ref, field)
        ) WITHOUT ROWID;

        CREATE TABLE pack_text_hashes (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            text_version INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        );
        CREATE INDEX pack_text_hashes_sha ON pack_text_hashes(sha256);

        CREATE TABLE pack_imports (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            pack_sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sender TEXT,
            sender_workspace TEXT,
            pack_created_at TEXT,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            added INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            conflicts INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            report TEXT NOT NULL,
            touched TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX pack_imports_sender ON pack_imports(sender, imported_at);

        CREATE TABLE pack_conflicts (
            id INTEGER PRIMARY KEY,
            item_uuid TEXT NOT NULL,
            mine_rev TEXT NOT NULL,
            theirs_rev TEXT NOT NULL,
            sender TEXT,
            found_at TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT,
            resolution TEXT,
            UNIQUE (item_uuid, mine_rev, theirs_rev)
        );
        CREATE INDEX pack_conflicts_open ON pack_conflicts(resolved_at, item_uuid);

        CREATE TABLE pack_duplicates (
            id INTEGER PRIMARY KEY,
            item_a TEXT NOT NULL,
            item_b TEXT NOT NULL,
            sender TEXT,
            found_at TEXT NOT NULL,
            decided_at TEXT,
            decided_by TEXT,
            decision TEXT,
            UNIQUE (item_a, item_b)
        );

        CREATE TABLE pack_exports (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            items INTEGER NOT NULL,
            cases INTEGER NOT NULL,
            files INTEGER NOT NULL,
            no_names INTEGER NOT NULL,
            since TEXT,
            filters TEXT NOT NULL DEFAULT '{}'
        );
        """
    )
