"""Saved searches, and the search hit (a slotted class defined beside its SQL in
core/store/search.py, re-exported here so the records package lists every record).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json

# A search hit is a slotted class defined beside its SQL, not a dataclass here: the search
# command must not pay for importing dataclasses. Re-exported so the package lists every record.
from evidence_app.core.store.search import SearchHit  # noqa: F401


@frozen
class SavedSearch:
    """A search kept under a name, optionally for a line of enquiry."""

    id: int
    uuid: str
    name: str
    query: str
    enquiry_id: str | None
    author: str | None
    created_at: str


@as_json.register
def _saved_search_json(s: SavedSearch) -> dict:
    """`saved-search list --json`: id, uuid, name, query, enquiry_id, author, created_at."""
    return {"id": s.id, "uuid": s.uuid, "name": s.name, "query": s.query,
            "enquiry_id": s.enquiry_id, "author": s.author, "created_at": s.created_at}
