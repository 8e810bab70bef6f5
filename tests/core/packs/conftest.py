"""Three real workspaces (Alice, Bob and a manager) indexing the same shared case files, and a
canonical dump of what packs must make identical."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence_app.core import settings
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from tests.factories import write_docx, write_text

VISIT = ("Home visit record.\n\nAshlyn said she feels safe with her grandmother and wants to keep "
         "seeing her brother at weekends.\n\nThe plan was updated with her views and the social "
         "worker agreed to arrange contact.")
REVIEW = ["Child in care review.", "The IRO challenged drift in permanence planning and set a "
          "date for the permanence panel.", "Kai's views were gathered by his advocate before "
          "the meeting."]


@pytest.fixture
def shared(tmp_path):
    """The shared drive: the same case files every workspace indexes."""
    root = tmp_path / "shared" / "case-files"
    write_text(root / "CH-004512" / "Visits" / "visit.txt", VISIT)
    write_docx(root / "CH-000777" / "review.docx", REVIEW, title="CIC review")
    return root


def make_ws(tmp_path: Path, name: str, source: Path | None) -> Workspace:
    ws = Workspace.create(tmp_path / f"ws-{name}", f"{name}'s workspace")
    settings.set_person(ws, name)
    if source is not None:
        add_source(ws, source, "case-files")
        index_workspace(ws)
    return ws


@pytest.fixture
def team(tmp_path, shared):
    made = {n: make_ws(tmp_path, n, shared) for n in ("Alice", "Bob", "Manager")}
    yield made
    for w in made.values():
        w.close()


def doc(shared: Path, which: str = "visit") -> str:
    return str(shared / "CH-004512" / "Visits" / "visit.txt") if which == "visit" else \
        str(shared / "CH-000777" / "review.docx")


def dump(ws: Workspace) -> dict:
    """Everything packs promise to make identical: items (deleted ones too) with their fields,
    their documents' hashes, open conflicts (as the set of versions in dispute), cases field by
    field and readiness ticks (likely-duplicate flags are advice, checked apart). Local ids, paths and times of import are left out."""
    conn = ws.db.conn
    items = {}
    for r in conn.execute(
            "SELECT e.uuid, e.note, e.strength, e.kind, e.case_ref, e.updated_at, e.deleted_at, "
            "e.deleted_by, e.quote, e.author, e.created_at, d.sha256, "
            "(SELECT group_concat(enquiry_id, ' ') FROM (SELECT enquiry_id FROM "
            " evidence_enquiries x WHERE x.item_id = e.id ORDER BY enquiry_id)), "
            "(SELECT group_concat(request_id, ' ') FROM (SELECT request_id FROM "
            " evidence_requests x WHERE x.item_id = e.id ORDER BY request_id)) "
            "FROM evidence_items e LEFT JOIN documents d ON d.id = e.document_id"):
        items[r[0]] = list(r[1:])
    conflicts = {}
    for (u,) in conn.execute("SELECT DISTINCT item_uuid FROM pack_conflicts WHERE resolved_at "
                             "IS NULL"):
        conflicts[u] = sorted(json.dumps(json.loads(c), sort_keys=True) for (c,) in conn.execute(
            "SELECT content FROM pack_item_heads WHERE item_uuid = ?", [u]))
    cases = {}
    for r in conn.execute("SELECT ref, name, alias, worker, team, status, sampled, open, redact, "
                          "other_names, relatives, dob, id FROM cases"):
        ticks = sorted(conn.execute("SELECT item, done, done_by, done_at FROM case_readiness "
                                    "WHERE case_id = ? AND done = 1", [r[-1]]).fetchall())
        cases[r[0]] = [*r[1:-1], ticks]
    return {"items": items, "conflicts": conflicts, "cases": cases}


def tag(ws: Workspace, *args, **kwargs):  # noqa: ANN201 (an EvidenceItem)
    """Tag through the core (its write returns a Done); the new item."""
    from evidence_app.core.evidence import evidence

    return evidence.tag(ws, *args, **kwargs).value
