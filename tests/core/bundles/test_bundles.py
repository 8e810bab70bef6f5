"""Bundles in the core: generated sections, ordering, editing, settings, export records, and the
stored bundle exported as Word (with pseudonymisation from the cases table)."""
from __future__ import annotations

import json
import zipfile

import docx
import openpyxl
import pytest

from evidence_app.core.safety import audit
from evidence_app.core.bundles import bundle_data, bundles
from evidence_app.core.evidence import cases, evidence
from evidence_app.core import settings
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from tests.factories import write_docx, write_pdf, write_text

VOICE = "Ashlyn said she feels safe with her grandmother. Call 07700 900123."


@pytest.fixture
def tagged(ws, cases_dir, policies_dir):
    write_text(cases_dir / "CH-004512" / "visit.txt",
               "Home visit.\n\n" + VOICE + "\n\nPlan updated.")
    write_docx(cases_dir / "CH-004512" / "Ashlyn Smith plan.docx",
               ["Plan for Ashlyn Smith at Oakfield Primary.", "Review in six weeks."])
    write_pdf(cases_dir / "CH-000777" / "review.pdf", ["Review of the care plan",
                                                  "The IRO challenged drift for Ben Jones."])
    write_text(policies_dir / "sef.txt", "Self-evaluation: leaders know their services well.")
    add_source(ws, cases_dir, "case-files")
    add_source(ws, policies_dir, "policies")
    index_workspace(ws)
    cases.add_case(ws, "CH-004512", name="Ashlyn Smith", alias="Child A",
                   redact=["Oakfield Primary"])
    cases.add_case(ws, "CH-000777", name="Ben Jones", alias="Child B")
    settings.set_person(ws, "Priya Shah", "Quality Assurance")
    items = [
        evidence.tag(ws, str(policies_dir / "sef.txt"), ["LEAD-01"], strength="strong",
                     quote="leaders know their services well").value,
        evidence.tag(ws, str(cases_dir / "CH-004512" / "visit.txt"), ["HP-15", "LEAD-01"],
                     quote="Ashlyn said she feels safe with her grandmother", kind="impact").value,
        evidence.tag(ws, str(cases_dir / "CH-004512" / "Ashlyn Smith plan.docx"), ["HP-15"],
                     requests=["AA-L07"], note="Ashlyn's plan").value,
        evidence.tag(ws, str(cases_dir / "CH-000777" / "review.pdf"), ["CIC-02"],
                     quote="IRO challenged drift", strength="weak").value,
    ]
    return items


def test_create_by_enquiry_places_each_item_once(ws, tagged):
    b = bundles.create_bundle(ws, "All evidence").value
    titles = [s.title.split()[0] for s in b.sections]
    assert titles == sorted(set(titles), key=titles.index)  # no duplicates
    placed = [i for s in b.sections for i in s.items]
    assert sorted(placed) == sorted(i.id for i in tagged) and len(placed) == len(set(placed))
    assert b.item_count == 4 and b.grouping == "enquiry"
    only = bundles.create_bundle(ws, "Leaders", enquiries=["LEAD-01"]).value
    assert [s.ref for s in only.sections] == ["LEAD-01"]
    assert set(only.sections[0].items) == {tagged[0].id, tagged[1].id}


def test_create_by_area_request_case(ws, tagged):
    by_area = bundles.create_bundle(ws, "Areas", by="area").value
    assert by_area.item_count == 4 and all(s.kind == "area" for s in by_area.sections)
    by_req = bundles.create_bundle(ws, "Requests", requests=["AA-L07"]).value
    assert by_req.grouping == "request" and list(by_req.sections[0].items) == [tagged[2].id]
    by_case = bundles.create_bundle(ws, "Children", by="case").value
    assert [s.title for s in by_case.sections] == [
        "Child A (case CH-004512)", "Child B (case CH-000777)", "Other evidence"]
    with pytest.raises(InvalidInput):
        bundles.create_bundle(ws, "  ").value
    with pytest.raises(InvalidInput):
        bundles.create_bundle(ws, "x", by="colour").value


def test_move_add_remove_and_settings(ws, tagged):
    b = bundles.create_bundle(ws, "Mixed", by="custom").value
    assert len(b.sections) == 1 and list(b.sections[0].items) == [i.id for i in tagged]
    b = bundles.move_item(ws, b.id, "E-004", "1").value
    assert b.sections[0].items[0] == tagged[3].id
    b = bundles.add_section(ws, b.id, "Children's voices").value
    b = bundles.move_item(ws, b.id, tagged[1].id, "S2").value
    assert list(b.sections[1].items) == [tagged[1].id]
    b = bundles.move_item(ws, b.id, tagged[0].id, "children's voices:1").value
    assert list(b.sections[1].items) == [tagged[0].id, tagged[1].id]
    b = bundles.remove_item(ws, b.id, tagged[2].id).value
    assert b.item_count == 3
    b = bundles.add_item(ws, b.id, tagged[2].id, section="S2", position=2).value
    assert list(b.sections[1].items) == [tagged[0].id, tagged[2].id, tagged[1].id]
    with pytest.raises(InvalidInput, match="already in bundle"):
        bundles.add_item(ws, b.id, tagged[2].id).value
    with pytest.raises(NotFound, match="no section"):
        bundles.move_item(ws, b.id, tagged[2].id, "S9").value
    assert b.pseudonymise is False
    b = bundles.set_settings(ws, b.id, external=True, marking="official", purpose="For LEAD").value
    assert b.pseudonymise is True and b.marking == "OFFICIAL" and b.purpose == "For LEAD"
    b = bundles.set_settings(ws, b.id, pseudonymise=False).value
    assert b.pseudonymise is False
    actions = [e["action"] for e in audit.entries(ws, "bundle", b.uuid)]
    assert actions[0] == "create" and "move-item" in actions and "update" in actions
    assert [x.title for x in bundles.list_bundles(ws)] == ["Mixed"]


def test_deleted_evidence_leaves_the_bundle(ws, tagged):
    b = bundles.create_bundle(ws, "All", by="custom").value
    evidence.delete(ws, tagged[0].id).value
    assert bundles.get_bundle(ws, b.id).item_count == 3


def test_export_stored_bundle_with_appendices_and_records(ws, tagged, tmp_path):
    b = bundles.create_bundle(ws, "Leadership", by="enquiry", purpose="Leaders know themselves").value
    out = tmp_path / "out" / "leadership.docx"
    r = bundle_data.export_bundle(ws, b.id, out, append_sources=True)
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Test Borough Children's Services" in text
    assert "leaders know their services well" in text and "E-004" in text
    assert "Plan for Ashlyn Smith" in text                       # merged docx appendix
    assert [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]  # PDF
    rec = bundles.exports(ws, b.id)
    assert len(rec) == 1 and rec[0].sha256 == r.sha256 and rec[0].append_sources
    entry = audit.entries(ws, "bundle", b.uuid)[-1]
    assert entry["action"] == "export" and entry["after"]["sha256"] == r.sha256
    assert "Ashlyn" not in json.dumps(entry)
    assert audit.verify(ws).ok


def test_pseudonymised_stored_bundle_scan(ws, tagged, tmp_path):
    b = bundles.create_bundle(ws, "For the inspectors", by="case").value
    bundles.set_settings(ws, b.id, external=True).value
    out = tmp_path / "ext.docx"
    r = bundle_data.export_bundle(ws, b.id, out, append_sources=True)
    assert r.pseudonymised
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                xml = z.read(name).decode("utf-8", "replace").lower()
                for term in ("ashlyn", "smith", "ben jones", "oakfield", "07700"):
                    assert term not in xml, (term, name)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Child A said she feels safe" in text and "Redaction log" in text
    assert bundles.exports(ws, b.id)[0].redactions


def test_spreadsheets_from_the_store(ws, tagged, tmp_path):
    for which in ("tracker", "coverage", "evidence"):
        out = tmp_path / f"{which}.xlsx"
        bundle_data.export_sheet(ws, which, out)
        wb = openpyxl.load_workbook(out)
        ws0 = wb.worksheets[0]
        assert ws0.freeze_panes == "B2" and ws0.auto_filter.ref.startswith("A1:")
        assert ws0["A1"].font.bold and ws0.max_row > 1
        with pytest.raises(InvalidInput, match="already exists"):
            bundle_data.export_sheet(ws, which, out)
    ev = openpyxl.load_workbook(tmp_path / "evidence.xlsx").worksheets[0]
    assert ev.max_row == 5
