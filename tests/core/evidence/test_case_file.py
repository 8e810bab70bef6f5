"""A case's page data comes from the core: every document filed under the case (more than the
500 the page's old search showed), its evidence, and the case references for completion."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import NotFound
from evidence_app.core.evidence import case_file, cases, evidence
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from tests.factories import write_text


@pytest.fixture
def big_case(ws, cases_dir):
    for n in range(520):
        write_text(cases_dir / "CH-000001" / f"note {n:03d}.txt", f"Case note {n}: visit.")
    write_text(cases_dir / "CH-000002" / "plan.txt", "The plan for the second child.")
    write_text(cases_dir / "unfiled" / "policy.txt", "A policy filed under no case.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    cases.add_case(ws, "CH-000001", worker="Sam", team="North")
    return ws


def test_a_case_shows_every_one_of_its_documents(big_case, cases_dir):
    ws = big_case
    docs = case_file.documents(ws, "ch-000001")
    assert len(docs) == 520 and len({d.id for d in docs}) == 520
    assert all(d.path.startswith(str(cases_dir / "CH-000001")) for d in docs)
    assert all(d.title and d.status == "ok" and d.member == "" for d in docs)
    assert case_file.documents(ws, "CH-000002")[0].path.endswith("plan.txt")
    assert case_file.documents(ws, "CH-999999") == []


def test_case_file_brings_details_readiness_documents_and_evidence(big_case, cases_dir):
    ws = big_case
    evidence.tag(ws, str(cases_dir / "CH-000001" / "note 007.txt"), ["LEAD-01"])
    evidence.tag(ws, str(cases_dir / "CH-000002" / "plan.txt"), ["LEAD-01"])
    page = case_file.case_file(ws, "CH-000001")
    assert page.case.ref == "CH-000001" and page.case.name is None and not page.case.private
    assert [r.item for r in page.readiness] == list(cases.READINESS_KEYS)
    assert len(page.documents) == 520
    assert len(page.items) == 1
    with pytest.raises(NotFound):
        case_file.case_file(ws, "CH-424242")


def test_case_refs_are_distinct_sorted_and_only_what_documents_carry(big_case):
    assert case_file.case_refs(big_case) == ["CH-000001", "CH-000002"]
