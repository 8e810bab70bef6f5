"""A workspace with real indexed files, registered cases and tagged evidence, for the
self-evaluation's tests."""
from __future__ import annotations

import pytest

from tests.factories import write_docx, write_text

VOICE = "Ashlyn said she feels safe with her grandmother."


def item_id(result) -> int:
    """The id of what `evidence.tag` returned (a record or a dict, inside a Done or not)."""
    value = getattr(result, "value", result)
    return int(value.id)


@pytest.fixture
def sef_ws(ws, cases_dir, policies_dir):
    """ws with four evidence items: ids in `ws.items` by name."""
    from evidence_app.core import settings
    from evidence_app.core.evidence import cases, evidence
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source

    write_text(cases_dir / "CH-004512" / "visit.txt", "Home visit.\n\n" + VOICE +
               "\n\nPlan updated.")
    write_docx(cases_dir / "CH-004512" / "plan.docx",
               ["Plan for Ashlyn Smith at Oakfield Primary.", "Review in six weeks."])
    write_text(policies_dir / "qa.txt", "Quality assurance: leaders know their services well. "
               "Audits show supervision is regular and reflective.")
    write_text(policies_dir / "workforce.txt", "Workforce report: caseloads are manageable.")
    add_source(ws, cases_dir, "case-files")
    add_source(ws, policies_dir, "policies")
    index_workspace(ws)
    cases.add_case(ws, "CH-004512", name="Ashlyn Smith", alias="Child A", worker="Sam Lee",
                   team="Assessment", sampled=True, redact=["Oakfield Primary"])
    cases.add_case(ws, "CH-000777", name="Ben Jones", alias="Child B", worker="Jo Bell",
                   team="Assessment")
    cases.add_case(ws, "CH-000999", alias="Child C", worker="Ann Ray", team="CIC team",
                   sampled=True)
    settings.set_person(ws, "Priya Shah", "Quality Assurance")
    ws.items = {
        "qa": item_id(evidence.tag(ws, str(policies_dir / "qa.txt"), ["LEAD-01"],
                                   strength="strong", quote="leaders know their services well")),
        "supervision": item_id(evidence.tag(
            ws, str(policies_dir / "qa.txt"), ["LEAD-03"], strength="strong",
            quote="supervision is regular and reflective")),
        "voice": item_id(evidence.tag(ws, str(cases_dir / "CH-004512" / "visit.txt"),
                                      ["HP-15"], quote=VOICE, kind="impact")),
        "plan": item_id(evidence.tag(ws, str(cases_dir / "CH-004512" / "plan.docx"),
                                     ["HP-15"], strength="weak")),
        "workforce": item_id(evidence.tag(ws, str(policies_dir / "workforce.txt"), ["LEAD-05"],
                                          strength="strong")),
    }
    return ws
