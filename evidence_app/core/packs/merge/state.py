"""This workspace as the merge sees it: every item's versions, cases' field stamps, the
framework ids known here, and what the merge has touched so far (kept current as packs apply)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evidence_app.core.packs import local_state
from evidence_app.core.packs.revisions import Head
from evidence_app.core.store import packs as store

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


@dataclass
class MergeState:
    """This workspace while packs are merged into it (kept current as they are applied)."""

    heads: dict[str, list[Head]]
    ids: dict[str, int]
    stamps: dict[str, dict[str, dict]]
    enquiries: set[str]
    requests: set[str]
    areas: set[str]
    docs: dict[str, tuple] = field(default_factory=dict)
    text_hashed: bool = False
    touched_items: set[str] = field(default_factory=set)
    touched_cases: set[str] = field(default_factory=set)
    touched_bundles: set[str] = field(default_factory=set)
    reanchor: set[int] = field(default_factory=set)
    passages: dict[int, list[dict]] = field(default_factory=dict)  # live items by document


def load_state(ws: Workspace, write: bool) -> MergeState:
    conn = ws.db.conn
    rows = store.item_rows(conn)
    from evidence_app.core.settings import author  # start-up: loaded only when this runs

    heads = local_state.local_heads(conn, rows, write=write)
    stamps = local_state.case_stamps(conn, write=write, by=author(ws))
    if write:
        from evidence_app.core.evidence import framework  # start-up: loaded only when this runs

        framework.ensure(ws)  # a new workspace's framework is seeded on first use
    enq, req, areas = store.known_framework_ids(conn)
    if not areas:  # a preview in a workspace whose framework is not seeded yet
        enq, req, areas = _default_framework_ids()
    return MergeState(heads, {r["uuid"]: r["id"] for r in rows}, stamps, enq, req, areas)


def _default_framework_ids() -> tuple[set[str], set[str], set[str]]:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.framework_io import DEFAULT_VERSION, load_version, normalise

    data = normalise(load_version(DEFAULT_VERSION), DEFAULT_VERSION)
    areas = {a["id"] for a in data["areas"]}
    enq = {e["id"] for a in data["areas"] for e in a.get("enquiries", [])}
    return enq, {r["id"] for r in data.get("requests", [])}, areas
