"""Saved searches attached to a line of enquiry: re-run them to find candidate passages to tag.

The query is checked when saved (same parser as the search box), so a saved search never fails
later for its syntax; it runs through `core.search.search`, so results match the search box.
Saving and deleting return `Done`: deleting can be undone (the same search comes back).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.evidence import framework
from evidence_app.core.safety import audit
from evidence_app.core.search.query import parse
from evidence_app.core.search.search import SearchResult, search
from evidence_app.core.settings import author
from evidence_app.core.store import saved_searches as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import SavedSearch

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

_CHANGES = Changes.of("framework")  # saved searches show with their line of enquiry


def _record(r: dict) -> SavedSearch:
    return SavedSearch(r["id"], r["uuid"], r["name"], r["query"], r["enquiry_id"], r["author"],
                       r["created_at"])


def save(ws: Workspace, name: str, query: str, enquiry: str | None = None) -> Done[SavedSearch]:
    """Keep a search under a name (and a line of enquiry); undoing deletes it again."""
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("A saved search needs a name.")
    parse(query)  # raises QueryError with a readable message
    enq = framework.resolve_enquiries(ws, [enquiry])[0] if enquiry else None
    values = {"uuid": new_uuid(), "name": name, "query": query.strip(), "enquiry_id": enq,
              "author": author(ws), "created_at": clock.now_iso()}
    return _insert(ws, values)


def _insert(ws: Workspace, values: dict) -> Done[SavedSearch]:
    with transaction(ws.db):
        if store.find(ws.db.conn, name=values["name"]) is not None:
            raise InvalidInput(f"There is already a saved search called '{values['name']}'.")
        new_id = store.insert(ws.db.conn, values)
        audit.record(ws, "add", "saved-search", values["uuid"], values["name"], None,
                     {k: v for k, v in values.items() if k != "id"})
    saved = _record({**values, "id": new_id})
    return Done(saved, _CHANGES, lambda w: _remove(w, saved), f"Save search “{saved.name}”")


def list_saved(ws: Workspace, enquiry: str | None = None) -> list[SavedSearch]:
    return [_record(r) for r in store.rows(ws.conn, enquiry.strip().upper() if enquiry else None)]


def get_saved(ws: Workspace, name_or_id: str) -> SavedSearch:
    key = str(name_or_id).strip()
    row = store.find(ws.conn, ident=int(key)) if key.isdigit() else store.find(ws.conn, name=key)
    if row is None:
        raise NotFound(f"There is no saved search '{key}'. See 'evidence-app saved-search list'.")
    return _record(row)


def run(ws: Workspace, name_or_id: str, limit: int = 20) -> SearchResult:
    return search(ws, get_saved(ws, name_or_id).query, limit=limit)


def delete(ws: Workspace, name_or_id: str) -> Done[None]:
    """Forget a saved search; undoing brings the same one back (same id and uuid)."""
    return _remove(ws, get_saved(ws, name_or_id))


def _remove(ws: Workspace, saved: SavedSearch) -> Done[None]:
    with transaction(ws.db):
        if store.find(ws.db.conn, ident=saved.id) is None:
            raise NotFound(f"There is no saved search '{saved.name}' any more.")
        store.delete(ws.db.conn, saved.id)
        audit.record(ws, "delete", "saved-search", saved.uuid, saved.name,
                     as_row(saved), None)
    return Done(None, _CHANGES, lambda w: _insert(w, as_row(saved)),
                f"Delete saved search “{saved.name}”")


def as_row(saved: SavedSearch) -> dict:
    return {"id": saved.id, "uuid": saved.uuid, "name": saved.name, "query": saved.query,
            "enquiry_id": saved.enquiry_id, "author": saved.author,
            "created_at": saved.created_at}
