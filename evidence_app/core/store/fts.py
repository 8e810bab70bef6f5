"""SQL for keeping the full-text index (`chunks_fts`) in few segments.

Every segment costs each search a seek, so the indexer merges after writing: a whole merge
(`optimize`) after a large pass from the command line, and in the window the same merge as many
short steps, one write job each, so a person's write is never stuck behind it. FTS5's own rule
(sqlite.org/fts5.html, "The 'merge' Command"): a negative page count starts a merge of every
segment whatever its level; positive counts continue it; a step that changed fewer than two rows
(`total_changes`) found nothing left to merge.
"""
from __future__ import annotations

from evidence_app.core.store.db import transaction

STEP_PAGES = 64  # pages written per merge step in the window (a few tens of ms)
SMALL_MERGE_PAGES = 64  # the bounded merge after a small pass


def optimize(db) -> None:  # noqa: ANN001 - a sqlite-utils Database
    """Merge the whole index into one segment, in one transaction."""
    with transaction(db):
        db.conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")


def merge_step(db, pages: int, *, start_full: bool = False) -> bool:  # noqa: ANN001
    """Merge up to about `pages` pages in one transaction; True if there may be more to do.
    `start_full` starts a merge of all segments (the first step of a whole merge)."""
    conn = db.conn
    with transaction(db):
        before = conn.total_changes
        conn.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('merge', ?)",
                     [-abs(pages) if start_full else abs(pages)])
        return conn.total_changes - before >= 2


def segments(conn) -> int:  # noqa: ANN001
    """How many segments the full-text index has now (for tests and benchmarks)."""
    return conn.execute("SELECT COUNT(DISTINCT segid) FROM chunks_fts_idx").fetchone()[0]
