"""Migration m009: pages read by OCR, and the pages still waiting for it.

`ocr_documents` holds, per document with scanned pages, the version of the file (SHA-256) they
belong to and the fast pass's own reason (so the OCR sentence can be recomposed); `ocr_pages`
one row per scanned page: its state, the engine's confidence and the text it read. The text is
kept here as well as in `chunks` so that a re-index of the same file (a move, a retry) gets it
back without reading the scan again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:  # (read-only commands must not load sqlite-utils: see migration_runner.py)
    import sqlite_utils


@migrations(name="m009_ocr_pages")
def m009_ocr_pages(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS ocr_documents (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            sha256 TEXT,
            base_reason TEXT NOT NULL DEFAULT '',
            scan_pages INTEGER NOT NULL DEFAULT 0,
            requested_at TEXT
        );
        CREATE TABLE IF NOT EXISTS ocr_pages (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed', 'capped')),
            confidence REAL,
            words INTEGER,
            text TEXT,
            reason TEXT NOT NULL DEFAULT '',
            read_at TEXT,
            PRIMARY KEY (document_id, page)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ocr_pages_state ON ocr_pages(state, document_id);
        """
    )
