"""Migration m007: the self-evaluation (issue 15): claims, what they cite, improvement actions and
frozen versions.

Design notes (why):
- A claim is a row; the lines of enquiry it speaks to and what it cites are link tables, so the
  "strong evidence not used" and strength reads are joins, not JSON scans. A citation names its
  kind (`evidence`, `search`, `figure`) and a text ref (an evidence item's id, a saved search's
  name, a figure's name): a cited item that is later deleted stays cited, and is shown as missing
  evidence rather than vanishing from the claim.
- Claims, actions and versions are soft-deleted (`deleted_at`), so every delete can be undone
  with the same id and uuid, and the journal can replay them (core/safety/journal.py).
- A frozen version keeps the whole document as it stood (text, citations, strengths, figures with
  their values and dates, the plan) as JSON: it must never change when the workspace does.
- Never edit once shipped: add a new migration.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:
    import sqlite_utils

# literal copies (migrations stay frozen; the live lists are in core/sef/model.py)
_QUESTIONS = "'know', 'how', 'plans'"
_TYPES = "'strength', 'development', 'impact'"
_KINDS = "'evidence', 'search', 'figure'"
_STATUSES = "'not started', 'in progress', 'done'"


@migrations(name="m007_sef")
def m007_sef(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE sef_claims (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            area_id TEXT NOT NULL,
            question TEXT NOT NULL CHECK (question IN ({_QUESTIONS})),
            type TEXT NOT NULL DEFAULT 'strength' CHECK (type IN ({_TYPES})),
            text TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX sef_claims_place ON sef_claims(area_id, question, position);

        CREATE TABLE sef_claim_enquiries (
            claim_id INTEGER NOT NULL REFERENCES sef_claims(id) ON DELETE CASCADE,
            enquiry_id TEXT NOT NULL,
            PRIMARY KEY (claim_id, enquiry_id)
        ) WITHOUT ROWID;
        CREATE INDEX sef_claim_enquiries_enquiry ON sef_claim_enquiries(enquiry_id);

        CREATE TABLE sef_citations (
            claim_id INTEGER NOT NULL REFERENCES sef_claims(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ({_KINDS})),
            ref TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (claim_id, kind, ref)
        ) WITHOUT ROWID;
        CREATE INDEX sef_citations_ref ON sef_citations(kind, ref);

        CREATE TABLE sef_actions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            claim_id INTEGER NOT NULL REFERENCES sef_claims(id),
            what TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due_at TEXT,
            status TEXT NOT NULL DEFAULT 'not started' CHECK (status IN ({_STATUSES})),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX sef_actions_claim ON sef_actions(claim_id);

        CREATE TABLE sef_versions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            frozen_at TEXT NOT NULL,
            frozen_by TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE UNIQUE INDEX sef_versions_name ON sef_versions(name COLLATE NOCASE)
            WHERE deleted_at IS NULL;
        """
    )
