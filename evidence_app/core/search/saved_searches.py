"""Saved searches attached to a line of enquiry: re-run them to find candidate passages to tag.

The query is checked when saved (same parser as the search box), so a saved search never fails
later for its syntax; it runs through `core.search.search`, so results match the search box.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.evidence import framework
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.search.query import parse
from evidence_app.core.search.search import SearchResult, search
from evidence_app.core.settings import author
from evidence_app.core.store.db import transaction
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


def save(ws: Workspace, name: str, query: str, enquiry: str | None = None) -> dict:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("A saved search needs a name.")
    parse(query)  # raises QueryError with a readable message
    enq = framework.resolve_enquiries(ws, [enquiry])[0] if enquiry else None
    values = {"uuid": new_uuid(), "name": name, "query": query.strip(), "enquiry_id": enq,
              "author": author(ws), "created_at": clock.now_iso()}
    with transaction(ws.db):
        if ws.db.conn.execute("SELECT 1 FROM saved_searches WHERE name = ?", [name]).fetchone():
            raise InvalidInput(f"There is already a saved search called '{name}'.")
        cur = ws.db.conn.execute(f"INSERT INTO saved_searches ({', '.join(values)}) VALUES "
                                 f"({','.join('?' * len(values))})", list(values.values()))
        audit.record(ws, "add", "saved-search", values["uuid"], name, None, values)
    return {"id": int(cur.lastrowid), **values}


def list_saved(ws: Workspace, enquiry: str | None = None) -> list[dict]:
    where, params = ("WHERE enquiry_id = ?", [enquiry.strip().upper()]) if enquiry else ("", [])
    return list(ws.db.query(f"SELECT id, uuid, name, query, enquiry_id, author, created_at "
                            f"FROM saved_searches {where} ORDER BY name", params))


def get_saved(ws: Workspace, name_or_id: str) -> dict:
    key = str(name_or_id).strip()
    col = "id" if key.isdigit() else "name"
    rows = list(ws.db.query(f"SELECT * FROM saved_searches WHERE {col} = ?", [key]))
    if not rows:
        raise NotFound(f"There is no saved search '{key}'. See 'evidence-app saved-search list'.")
    return rows[0]


def run(ws: Workspace, name_or_id: str, limit: int = 20) -> SearchResult:
    return search(ws, get_saved(ws, name_or_id)["query"], limit=limit)


def delete(ws: Workspace, name_or_id: str) -> None:
    row = get_saved(ws, name_or_id)
    with transaction(ws.db):
        ws.db.conn.execute("DELETE FROM saved_searches WHERE id = ?", [row["id"]])
        audit.record(ws, "delete", "saved-search", row["uuid"], row["name"], row, None)
