"""Migration m005: what pseudonymisation needs to know about a case, and the review's answers.

A child is written about under more than one name: "known as" names, nicknames, former names
(`other_names`), and their relatives are named too (`relatives`: name and role, so a mother
becomes "[mother]", never the child's alias). A date of birth (`dob`, ISO) is redacted wherever
it appears, in any format. `review_accepted` remembers, per bundle, what a person saw in the
residual review and accepted, so the next export does not ask again.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store.migration_runner import migrations

if TYPE_CHECKING:  # (read-only commands must not load sqlite-utils: see migration_runner.py)
    import sqlite_utils


@migrations(name="m005_case_names")
def m005_case_names(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        ALTER TABLE cases ADD COLUMN other_names TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE cases ADD COLUMN relatives TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE cases ADD COLUMN dob TEXT;

        CREATE TABLE review_accepted (
            bundle_id INTEGER NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            accepted_by TEXT,
            accepted_at TEXT NOT NULL,
            PRIMARY KEY (bundle_id, key)
        );
        """
    )
