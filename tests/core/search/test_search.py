"""Search behaviour a social worker notices: words, phrases, prefixes, operators, filters, pages."""
import os
import time

import pytest

from evidence_app.core.base.errors import QueryError
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.search.search import MARK_END, MARK_START, search
from evidence_app.core.index.sources import add_source
from tests.factories import write_docx, write_pdf, write_text

JAN = time.mktime((2026, 1, 15, 12, 0, 0, 0, 0, -1))
MAY = time.mktime((2026, 5, 20, 12, 0, 0, 0, 0, -1))


@pytest.fixture
def indexed(ws, cases_dir, policies_dir):
    write_docx(cases_dir / "CH-004512" / "Visits" / "Home visit.docx",
               ["Home visit. Ashlyn said she wants to stay with her grandmother.",
                "The social worker completed direct work using the three houses tool."],
               title="Home visit record")
    write_pdf(cases_dir / "CH-004512" / "Meetings" / "Strategy meeting.pdf",
              ["Strategy meeting held with police and health.",
               "A section 47 enquiry was agreed. Virtual attendance by the school."])
    write_text(cases_dir / "CH-000099" / "Case note.txt",
               "Virtual visit by video call; the child was seen alone.", mtime=JAN)
    write_text(cases_dir / "CH-000099" / "Assessment.md",
               "# Assessment\nThe assessment considered neglect and parental capacity.", mtime=MAY)
    write_docx(policies_dir / "Supervision policy.docx",
               ["Supervision happens every four weeks and is recorded on the child's file."],
               title="Supervision policy")
    write_text(policies_dir / "Threshold document.txt",
               "Thresholds: early help, child in need, child protection.")
    add_source(ws, cases_dir, "case-files")
    add_source(ws, policies_dir, "policies")
    index_workspace(ws)
    return ws


def names(result):
    return [h.name for h in result.hits]


def test_words_match_with_stemming(indexed):
    assert names(search(indexed, "grandmother")) == ["Home visit.docx"]
    assert "Assessment.md" in names(search(indexed, "assessments"))


def test_phrase_needs_the_words_together(indexed):
    assert names(search(indexed, '"section 47"')) == ["Strategy meeting.pdf"]
    assert names(search(indexed, '"47 section"')) == []


def test_prefix_and_boolean_operators(indexed):
    assert "Supervision policy.docx" in names(search(indexed, "supervis*"))
    both = set(names(search(indexed, "grandmother OR neglect")))
    assert both == {"Home visit.docx", "Assessment.md"}
    visits = set(names(search(indexed, "visit")))
    assert "Case note.txt" in visits
    assert "Case note.txt" not in names(search(indexed, "visit NOT virtual"))
    assert "Case note.txt" not in names(search(indexed, "visit -virtual"))


def test_case_reference_is_searchable_and_a_filter(indexed):
    only = search(indexed, "case:CH-000099")
    assert set(names(only)) == {"Case note.txt", "Assessment.md"}
    assert names(search(indexed, "case:ch-000099 neglect")) == ["Assessment.md"]


def test_kind_type_path_and_date_filters(indexed):
    assert set(names(search(indexed, "kind:policies child"))) == {"Supervision policy.docx",
                                                                  "Threshold document.txt"}
    assert names(search(indexed, "type:pdf police")) == ["Strategy meeting.pdf"]
    assert names(search(indexed, "path:Visits grandmother")) == ["Home visit.docx"]
    assert names(search(indexed, "case:CH-000099 after:01/03/2026")) == ["Assessment.md"]
    assert names(search(indexed, "case:CH-000099 before:2026-03-01")) == ["Case note.txt"]


def test_hits_are_grouped_by_document_with_highlighted_snippet_and_page(indexed):
    result = search(indexed, "school")
    hit = [h for h in result.hits if h.name == "Strategy meeting.pdf"][0]
    assert hit.page == 2
    assert f"{MARK_START}school{MARK_END}" in hit.snippet
    assert len({h.document_id for h in result.hits}) == len(result.hits)
    assert hit.path == os.path.abspath(hit.path)


def test_title_match_ranks_first(indexed):
    result = search(indexed, "supervision")
    assert result.hits[0].name == "Supervision policy.docx"


def test_malformed_query_is_a_clear_error(indexed):
    with pytest.raises(QueryError):
        search(indexed, '"unbalanced')
    with pytest.raises(QueryError):
        search(indexed, "NOT")


def test_fts_operators_typed_as_words_are_safe(indexed):
    # characters that are FTS5 syntax must not produce an SQL error
    for q in ["near(visit", "visit^", "col:umn", "a AND", "{x}", "child's", "1/2 + 3", "***"]:
        try:
            search(indexed, q)
        except QueryError:
            pass
