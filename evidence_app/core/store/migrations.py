"""Named, append-only schema migrations.

Never edit a migration that has shipped: add a new one. `check_version` refuses a database that
has migrations this build does not know (it was written by a newer version of the app).

Each later migration is a module `mNNN_*.py` that registers itself on the one registry,
`migration_runner.migrations` (importing it from there, not from here, so that this module, which
imports them all in order at its end, is not imported back: no import cycle).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.store.migration_runner import migrations
from evidence_app.core.store.tokenizer import TOKENIZE  # the full-text tables' tokenizer

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils



@migrations(name="m001_engine")
def m001_engine(db: sqlite_utils.Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('case-files', 'policies', 'other')),
            include TEXT NOT NULL DEFAULT '[]',
            exclude TEXT NOT NULL DEFAULT '[]',
            added_at TEXT NOT NULL
        );

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
            parent_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            member TEXT NOT NULL DEFAULT '',
            rel_path TEXT NOT NULL,
            name TEXT NOT NULL,
            title TEXT,
            format TEXT NOT NULL DEFAULT 'unknown',
            size INTEGER,
            mtime REAL,
            sha256 TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            reason TEXT NOT NULL DEFAULT '',
            stale INTEGER NOT NULL DEFAULT 0,
            pages INTEGER,
            chars INTEGER NOT NULL DEFAULT 0,
            case_ref TEXT,
            case_ref_manual INTEGER NOT NULL DEFAULT 0,
            text_version INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            indexed_at TEXT,
            missing_since TEXT,
            UNIQUE (path, member)
        );
        CREATE INDEX documents_sha ON documents(sha256);
        CREATE INDEX documents_status ON documents(status);
        CREATE INDEX documents_case ON documents(case_ref);
        CREATE INDEX documents_source ON documents(source_id);
        CREATE INDEX documents_parent ON documents(parent_id);
        CREATE INDEX documents_mtime ON documents(mtime);

        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            page INTEGER,
            heading TEXT,
            start INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX chunks_document ON chunks(document_id, seq);

        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, content='chunks', content_rowid='id', tokenize='{TOKENIZE}'
        );
        -- Inserts into chunks_fts are made by the writer itself (store/documents.py): FTS5 fed
        -- from an AFTER INSERT trigger is four times slower in bulk. Deletes and updates keep
        -- their triggers so the index can never hold text the table no longer has.
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER chunks_au AFTER UPDATE OF text ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
        END;

        -- Names and titles are searchable for every file, readable or not.
        CREATE VIRTUAL TABLE names_fts USING fts5(
            title, name, content='documents', content_rowid='id', tokenize='{TOKENIZE}'
        );
        -- (inserted by the writer, like chunks_fts)
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO names_fts(names_fts, rowid, title, name)
            VALUES ('delete', old.id, old.title, old.name);
        END;
        CREATE TRIGGER documents_au AFTER UPDATE OF title, name ON documents BEGIN
            INSERT INTO names_fts(names_fts, rowid, title, name)
            VALUES ('delete', old.id, old.title, old.name);
            INSERT INTO names_fts(rowid, title, name) VALUES (new.id, new.title, new.name);
        END;

        -- The indexer's work queue: it survives a crash, and the next run resumes it.
        CREATE TABLE index_queue (
            path TEXT PRIMARY KEY,
            source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
            enqueued_at TEXT NOT NULL
        );
        """
    )


def known_names() -> set[str]:
    return set(migrations.names())


def check_version(db: "sqlite_utils.Database | sqlite3.Connection") -> None:
    """Refuse a database written by a newer version (works on a plain sqlite3 connection)."""
    applied = set(migrations.applied_names(getattr(db, "conn", db)))
    unknown = applied - known_names()
    if unknown:
        raise WorkspaceError(
            "This workspace was written by a newer version of Evidence Organiser "
            f"(it has changes this version does not know: {', '.join(sorted(unknown))}). "
            "Please update the app."
        )


def pending(db: "sqlite_utils.Database | sqlite3.Connection") -> list[str]:
    applied = set(migrations.applied_names(getattr(db, "conn", db)))
    return [n for n in migrations.names() if n not in applied]


def apply(db: sqlite_utils.Database) -> None:
    migrations.apply(db)

from evidence_app.core.store import m002_evidence  # noqa: E402,F401  (registers after m001)
from evidence_app.core.store import m003_bundles  # noqa: E402,F401  (registers after m002)
from evidence_app.core.store import m004_fts_writes  # noqa: E402,F401  (registers after m003)
from evidence_app.core.store import m005_case_names  # noqa: E402,F401  (registers after m004)
from evidence_app.core.store import m006_search_lookup  # noqa: E402,F401  (registers after m005)
from evidence_app.core.store import m007_sef  # noqa: E402,F401  (registers after m006)
from evidence_app.core.store import m008_packs  # noqa: E402,F401  (registers after m007)
from evidence_app.core.store import m009_ocr_pages  # noqa: E402,F401  (registers after m008)
from evidence_app.core.store import m010_pack_bundles  # noqa: E402,F401  (registers after m009)
