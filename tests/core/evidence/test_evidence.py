"""Tagging documents and passages, listing, editing, deleting; nothing lost, everything audited."""
import json

import pytest

from evidence_app.core.safety import audit
from evidence_app.core.evidence import cases, evidence
from evidence_app.core import settings
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from tests.factories import write_pdf, write_text

VOICE = ("Ashlyn said she feels safe with her grandmother and wants to keep seeing her brother "
         "at weekends.")


@pytest.fixture
def visit(ws, cases_dir):
    f = write_text(cases_dir / "CH-004512" / "Visits" / "visit.txt",
                   "Home visit record.\n\n" + VOICE + "\n\nThe plan was updated with her views.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    return f


def test_tag_a_whole_document_and_a_passage(ws, visit):
    whole = evidence.tag(ws, str(visit), ["HP-06"], requests=["AA-L07"], note="plan").value
    assert whole.anchor == "document" and whole.quote is None
    assert whole.case_ref == "CH-004512" and whole.requests == ("AA-L07",)
    # whitespace in the typed quote does not matter; the stored quote is the document's text
    item = evidence.tag(ws, whole.document_id, ["hp-15", "CIC-12"],
                        quote=VOICE.replace(" ", "\n  ", 3), strength="strong", kind="impact").value
    assert item.anchor == "anchored" and item.quote == VOICE
    assert item.enquiries == ("CIC-12", "HP-15",) and item.kind == "impact"
    text = evidence.document_text(ws, item.document_id).text
    assert text[item.start:item.end] == VOICE and item.similarity == 1.0
    assert item.start == text.index(VOICE)
    assert item.author == settings.author(ws)
    assert [i.id for i in evidence.list_items(ws, enquiry="HP-15")] == [item.id]
    assert [i.id for i in evidence.list_items(ws, request="AA-L07")] == [whole.id]
    assert len(evidence.list_items(ws, case="ch-004512")) == 2


def test_pdf_passages_know_their_page(ws, cases_dir):
    pdf = write_pdf(cases_dir / "CH-000777" / "Review.pdf",
                    ["Review of the care plan", "The IRO challenged drift in permanence planning."])
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    item = evidence.tag(ws, str(pdf), ["CIC-02"], quote="IRO challenged drift").value
    assert item.page == 2


def test_clear_errors(ws, visit):
    with pytest.raises(InvalidInput, match="framework list"):
        evidence.tag(ws, str(visit), ["XX-99"]).value
    with pytest.raises(InvalidInput, match="request list"):
        evidence.tag(ws, str(visit), requests=["AA-L99"]).value
    with pytest.raises(InvalidInput, match="--enquiry"):
        evidence.tag(ws, str(visit)).value
    with pytest.raises(InvalidInput, match="not found"):
        evidence.tag(ws, str(visit), ["HP-15"], quote="words that are not there").value
    with pytest.raises(InvalidInput, match="strong, moderate or weak"):
        evidence.tag(ws, str(visit), ["HP-15"], strength="huge").value
    with pytest.raises(NotFound, match="not in the index"):
        evidence.tag(ws, "/nowhere/file.docx", ["HP-15"]).value
    # a quote is exact apart from whitespace
    with pytest.raises(InvalidInput, match="not found"):
        evidence.tag(ws, str(visit), ["HP-15"], quote=VOICE.upper()).value


def test_edit_and_delete_are_audited_and_soft(ws, visit):
    item = evidence.tag(ws, str(visit), ["HP-15"], quote=VOICE).value
    edited = evidence.edit(ws, item.id, note="voice shapes plan", strength="strong",
                           add_enquiries=["CIC-12"], remove_enquiries=["HP-15"]).value
    assert edited.enquiries == ("CIC-12",) and edited.strength == "strong"
    with pytest.raises(InvalidInput, match="at least one"):
        evidence.edit(ws, item.id, remove_enquiries=["CIC-12"]).value
    settings.set_author(ws, "Someone Else")
    with pytest.raises(InvalidInput, match="only they can delete"):
        evidence.delete(ws, item.id).value
    evidence.delete(ws, item.id, force=True).value
    assert evidence.list_items(ws) == []
    with pytest.raises(NotFound):
        evidence.get_item(ws, item.id)
    row = ws.db.execute("SELECT deleted_by FROM evidence_items WHERE id = ?",
                        [item.id]).fetchone()
    assert row[0] == "Someone Else"  # still in the database
    actions = [(e["action"], e["entity_uuid"]) for e in audit.entries(ws, "evidence")]
    assert actions == [("tag", item.uuid), ("edit", item.uuid), ("delete", item.uuid)]


def test_the_audit_log_holds_no_document_text_or_names(ws, visit):
    cases.add_case(ws, "CH-004512", name="Ashlyn Quillfeather")
    evidence.tag(ws, str(visit), ["HP-15"], quote=VOICE, note="Ashlyn's voice is clear").value
    text = json.dumps(audit.entries(ws))
    assert "Ashlyn" not in text and "grandmother" not in text
    assert audit.verify(ws).ok


def test_a_deleted_tag_can_be_restored_with_its_identity(ws, cases_dir):
    from evidence_app.core.safety import audit
    from evidence_app.core.evidence import evidence
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from tests.factories import write_text

    write_text(cases_dir / "CH-000001" / "visit.txt", "The child said they feel safe at home.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    doc = ws.db.execute("SELECT id FROM documents").fetchone()[0]
    item = evidence.tag(ws, doc, enquiries=["HP-15"], quote="feel safe at home").value
    evidence.delete(ws, item.id).value
    assert evidence.list_items(ws, enquiry="HP-15") == []
    back = evidence.restore(ws, item.id).value
    assert (back.id, back.uuid, back.quote) == (item.id, item.uuid, item.quote)
    assert [i.id for i in evidence.list_items(ws, enquiry="HP-15")] == [item.id]
    actions = [r[0] for r in ws.db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["delete", "restore"]
    assert audit.verify(ws).ok


def test_a_line_typed_twice_in_an_edit_is_filed_once(ws, visit):
    """Found by the undo property test: `--add-enquiry X --add-enquiry x` used to end in a
    database error instead of saving."""
    item = evidence.tag(ws, str(visit), ["HP-15"]).value
    edited = evidence.edit(ws, item.id, add_enquiries=["CIC-12", "cic-12"],
                           enquiries=["HP-15", "HP-15"]).value
    assert edited.enquiries == ("CIC-12", "HP-15")
