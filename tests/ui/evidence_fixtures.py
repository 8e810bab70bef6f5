"""A real, indexed workspace for the evidence places' tests: case files in CH-… folders, a policy,
a few cases, all written and indexed through the core (no mocks)."""
from __future__ import annotations

from pathlib import Path

from tests.factories import write_docx, write_text

STRATEGY = ("A strategy meeting was held with police and health; all agreed that a section 47 "
            "enquiry was needed and the child was seen alone the same day.")
VISIT = ("The social worker visited the home and saw the child alone in their bedroom. The child "
         "said they felt safe and talked about school and friends.")
SUPERVISION = ("Case supervision reviewed the plan, the child's voice and drift; the manager set "
               "actions with timescales and recorded the rationale.")


def build_workspace(tmp_path: Path):
    """(ws, {name: document id}) with three case documents and one policy, indexed."""
    from evidence_app.core.evidence import cases
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.store import documents as docstore
    from evidence_app.core.workspace import Workspace

    src = tmp_path / "sources"
    case_files = src / "case-files"
    write_docx(case_files / "CH-000101" / "Strategy meeting 12-03-2026.docx",
               ["Strategy meeting record", STRATEGY, "Actions were agreed for the next week."],
               title="Strategy meeting record")
    write_docx(case_files / "CH-000101" / "Home visit.docx", ["Home visit", VISIT],
               title="Home visit")
    write_docx(case_files / "CH-000202" / "Supervision.docx", ["Supervision record", SUPERVISION],
               title="Supervision record")
    write_text(src / "policies" / "Threshold document.txt",
               "Threshold document\n\nThis document sets out the levels of need and how the front "
               "door responds to contacts and referrals within one working day.\n")
    ws = Workspace.create(tmp_path / "ws", "Test Borough Children's Services")
    add_source(ws, case_files, "case-files")
    add_source(ws, src / "policies", "policies")
    index_workspace(ws, jobs=1)
    cases.add_case(ws, "CH-000101", name="Jamie Example", worker="Sam Patel", team="Assessment North",
                   status="CP", sampled=True)
    cases.add_case(ws, "CH-000202", name="Alex Sample", worker="Jo Brown", team="Children in Care",
                   status="CIC")
    docs = {Path(r.path).stem: r.id for r in docstore.documents(ws.db)}
    return ws, docs
