"""Schema for the people's work: framework, cases, evidence items, requests, saved searches, audit.

Registered on the same `migrations` object as m001 (imported at the bottom of migrations.py), so it
always runs after the engine's tables exist. Never edit once shipped: add m003.

Design notes (why):
- Framework rows keep their stable text ids (`LEAD-01`, `AA-L08`) as primary keys: they are what
  people, exports and other laptops call them. Each also has a `uuid` like every travelling record.
- Evidence never disappears with its document: `document_id ... ON DELETE SET NULL`, and the
  document's uuid is copied so an evidence pack can find it on another laptop.
- Link tables (`evidence_enquiries`, `evidence_requests`) are WITHOUT ROWID with an index on the
  framework side, so coverage is a GROUP BY over an index, not a scan of JSON.
- The audit log refuses UPDATE and DELETE in SQLite itself (triggers), not only in Python.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:
    import sqlite_utils

STRENGTHS = ("strong", "moderate", "weak")
KINDS = ("strength", "development", "impact")
ANCHORS = ("document", "anchored", "moved", "orphaned", "missing")
CASE_STATUSES = ("EH", "CIN", "CP", "CIC", "CL")
REQUEST_STATUSES = ("not started", "in progress", "ready", "sent")
REQUEST_KINDS = ("data-list", "document", "other")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


@migrations(name="m002_evidence")
def m002_evidence(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE judgement_areas (
            id TEXT PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            short_title TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            custom INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE enquiries (
            id TEXT PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            area_id TEXT NOT NULL REFERENCES judgement_areas(id),
            title TEXT NOT NULL,
            prompt TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            custom INTEGER NOT NULL DEFAULT 0,
            confirmed INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX enquiries_area ON enquiries(area_id, position);

        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            ofsted_ref TEXT,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'document' CHECK (kind IN ({_in(REQUEST_KINDS)})),
            period TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            retired INTEGER NOT NULL DEFAULT 0,
            custom INTEGER NOT NULL DEFAULT 0,
            owner TEXT,
            due_at TEXT,
            status TEXT NOT NULL DEFAULT 'not started' CHECK (status IN ({_in(REQUEST_STATUSES)})),
            sent_at TEXT,
            sent_sha256 TEXT,
            sent_by TEXT,
            sent_file TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE request_documents (
            request_id TEXT NOT NULL REFERENCES requests(id),
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            added_at TEXT NOT NULL,
            PRIMARY KEY (request_id, document_id)
        ) WITHOUT ROWID;

        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT,
            alias TEXT UNIQUE COLLATE NOCASE,
            worker TEXT,
            team TEXT,
            status TEXT CHECK (status IS NULL OR status IN ({_in(CASE_STATUSES)})),
            sampled INTEGER NOT NULL DEFAULT 0,
            open INTEGER NOT NULL DEFAULT 1,
            redact TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX cases_worker ON cases(open, worker);
        CREATE INDEX cases_team ON cases(open, team);

        CREATE TABLE case_readiness (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            done_by TEXT,
            done_at TEXT,
            PRIMARY KEY (case_id, item)
        ) WITHOUT ROWID;

        CREATE TABLE evidence_items (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            document_uuid TEXT,
            case_ref TEXT COLLATE NOCASE,
            quote TEXT,
            context_before TEXT,
            context_after TEXT,
            start INTEGER,
            end INTEGER,
            page INTEGER,
            text_version INTEGER,
            current_quote TEXT,
            anchor TEXT NOT NULL CHECK (anchor IN ({_in(ANCHORS)})),
            similarity REAL,
            note TEXT NOT NULL DEFAULT '',
            strength TEXT NOT NULL DEFAULT 'moderate' CHECK (strength IN ({_in(STRENGTHS)})),
            kind TEXT NOT NULL DEFAULT 'strength' CHECK (kind IN ({_in(KINDS)})),
            author TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            anchored_at TEXT,
            deleted_at TEXT,
            deleted_by TEXT
        );
        CREATE INDEX evidence_document ON evidence_items(document_id);
        CREATE INDEX evidence_case ON evidence_items(case_ref);

        CREATE TABLE evidence_enquiries (
            item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
            enquiry_id TEXT NOT NULL REFERENCES enquiries(id),
            PRIMARY KEY (item_id, enquiry_id)
        ) WITHOUT ROWID;
        CREATE INDEX evidence_enquiries_enquiry ON evidence_enquiries(enquiry_id, item_id);

        CREATE TABLE evidence_requests (
            item_id INTEGER NOT NULL REFERENCES evidence_items(id) ON DELETE CASCADE,
            request_id TEXT NOT NULL REFERENCES requests(id),
            PRIMARY KEY (item_id, request_id)
        ) WITHOUT ROWID;
        CREATE INDEX evidence_requests_request ON evidence_requests(request_id, item_id);

        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            query TEXT NOT NULL,
            enquiry_id TEXT REFERENCES enquiries(id),
            author TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            entity_uuid TEXT,
            entity_ref TEXT,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_entity ON audit_log(entity_type, entity_uuid);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be changed.');
        END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'The audit log is append-only: entries cannot be deleted.');
        END;
        """
    )
