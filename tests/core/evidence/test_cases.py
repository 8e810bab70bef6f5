"""Cases: add, aliases, readiness, import from CSV/XLSX with a mapping step, names kept private."""
import json

import pytest

from evidence_app.core.store.records import as_json
from evidence_app.core.safety import audit
from evidence_app.core.evidence import case_import, case_import_report, cases
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.store.document_reads import find_by_path
from tests.factories import write_text

CSV = """Child Unique ID,Child Name,Allocated worker,Team,Legal status,Notes
CH-000001,Ashlyn Quillfeather,Sam Patel,North,CP,
CH-000002,Ben Example,Sam Patel,North,Looked after,
,Nobody,Jo Khan,South,CIN,
CH-000004,Zed Example,Jo Khan,South,banana,
ch-000001,Dup Example,Jo Khan,South,CIN,
CH-000006,,Jo Khan,South,,
"""


def test_add_case_assigns_aliases_and_normalises(ws):
    a = cases.add_case(ws, " ch-004512 ", name="Ashlyn Quillfeather", worker="Sam",
                       status="cp", sampled=True, redact=["Quillfeather", "12 Elm Road"]).value
    assert a.ref == "CH-004512" and a.alias == "Child A" and a.status == "CP"
    assert cases.add_case(ws, "CH-000002").value.alias == "Child B"
    assert cases.add_case(ws, "CH-000003", alias="Child Z").value.alias == "Child Z"
    assert cases.alias_for(26) == "Child AA"
    with pytest.raises(InvalidInput, match="already exists"):
        cases.add_case(ws, "CH-004512")
    with pytest.raises(InvalidInput, match="legal status"):
        cases.add_case(ws, "CH-9", status="XYZ")
    with pytest.raises(InvalidInput, match="already used"):
        cases.add_case(ws, "CH-10", alias="child a")
    assert cases.list_cases(ws)[0].name is None and "name" not in as_json(cases.list_cases(ws)[0])
    assert cases.get_case(ws, "CH-004512", include_name=True).name == "Ashlyn Quillfeather"


def test_names_and_redaction_terms_never_reach_the_audit_log(ws):
    cases.add_case(ws, "CH-1", name="Ashlyn Quillfeather", redact=["12 Elm Road"])
    cases.update_case(ws, "CH-1", name="Ashlyn Q-Smith", team="East", add_redact=["Smith"])
    text = json.dumps(audit.entries(ws))
    assert "Ashlyn" not in text and "Elm Road" not in text and "Smith" not in text
    assert "[name]" in text
    assert audit.verify(ws).ok


def test_update_and_readiness_checklist(ws):
    cases.add_case(ws, "CH-1", sampled=True)
    c = cases.update_case(ws, "CH-1", worker="Jo", status="Child in need", open=False).value
    assert c.worker == "Jo" and c.status == "CIN" and c.open is False
    cases.check(ws, "CH-1", "voice")
    cases.check(ws, "CH-1", "Chronology")
    r = {x.item: x for x in cases.readiness(ws, "CH-1")}
    assert r["voice"].done and r["voice"].by and r["voice"].at
    assert not r["plan"].done
    cases.check(ws, "CH-1", "voice", done=False)
    assert not {x.item: x for x in cases.readiness(ws, "CH-1")}["voice"].done
    with pytest.raises(InvalidInput, match="readiness item"):
        cases.check(ws, "CH-1", "lunch")
    with pytest.raises(NotFound):
        cases.get_case(ws, "CH-404")


def test_propose_mapping_from_header_names():
    m = case_import.propose_mapping(["Child Unique ID", "Allocated worker", "Team", "Category",
                                     "Something else"])
    assert m == {"Child Unique ID": "reference", "Allocated worker": "worker", "Team": "team",
                 "Category": "status"}
    assert case_import.propose_mapping(["ref", "Legal status"]) == {"ref": "reference",
                                                                    "Legal status": "status"}
    assert case_import.propose_mapping(["Child ID"])["Child ID"] == "reference"


def test_csv_import_reports_rejected_rows_and_writes_the_good_ones(ws, tmp_path):
    f = tmp_path / "annex-a-extract.csv"
    f.write_text(CSV, encoding="utf-8")
    dry = case_import.import_cases(ws, f, dry_run=True).value
    assert dry.added == ["CH-000001", "CH-000002", "CH-000006"] and not cases.list_cases(ws)
    report = case_import.import_cases(ws, f).value
    assert report.added == ["CH-000001", "CH-000002", "CH-000006"]
    rejected = {r.row: r.reason for r in report.rejected}
    assert set(rejected) == {4, 5}
    assert "missing reference" in rejected[4]
    assert "legal status 'banana' not recognised" in rejected[5]
    # the same child on two rows is one case, with a note (not a rejection)
    assert report.repeats == [case_import_report.RepeatedCase("CH-000001", (2, 6), (
        "imported once; later rows only fill blanks; the rows disagree on name, status, team, "
        "worker (row 2 kept)"))]
    assert report.to_json()["repeats"] == [{"reference": "CH-000001", "rows": [2, 6], "note": (
        "imported once; later rows only fill blanks; the rows disagree on name, status, team, "
        "worker (row 2 kept)")}]  # the --json shape as before
    assert "Nobody" not in json.dumps(report.to_json())  # no names in the report
    assert "Dup Example" not in json.dumps(report.to_json())
    by_ref = {c.ref: c for c in cases.list_cases(ws)}
    assert by_ref["CH-000002"].status == "CIC" and by_ref["CH-000001"].worker == "Sam Patel"
    again = case_import.import_cases(ws, f).value
    assert not again.added and set(again.unchanged) == {"CH-000001", "CH-000002", "CH-000006"}


def test_xlsx_import_with_a_mapping_override(ws, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["Person", "SW", "Plan"])
    sh.append([1234567, "Kim Lee", "CP"])
    sh.append([7654321, "Kim Lee", "EH"])
    f = tmp_path / "list.xlsx"
    wb.save(f)
    with pytest.raises(InvalidInput, match="reference"):
        case_import.import_cases(ws, f).value
    overrides = case_import.parse_overrides(["Person=reference", "SW=worker", "Plan=status"])
    report = case_import.import_cases(ws, f, overrides).value
    assert report.added == ["1234567", "7654321"] and not report.rejected
    assert cases.get_case(ws, "1234567").worker == "Kim Lee"
    with pytest.raises(InvalidInput, match="not a case field"):
        case_import.parse_overrides(["Person=colour"])


def test_link_document_by_hand(ws, cases_dir):
    f = write_text(cases_dir / "misc" / "letter.txt", "A letter about the plan.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    doc = find_by_path(ws.db, str(f))
    assert doc.case_ref is None
    link = cases.link_document(ws, doc.id, "ch-000777").value
    assert (link.document_id, link.case_ref) == (doc.id, "CH-000777")  # a CaseLink record
    doc = find_by_path(ws.db, str(f))
    assert doc.case_ref == "CH-000777" and doc.case_ref_manual == 1
    write_text(f, "A letter about the plan, revised.")
    index_workspace(ws)
    assert find_by_path(ws.db, str(f)).case_ref == "CH-000777"  # survives re-indexing


# -- bounded, calm case-list reading (issue 11) ------------------------------------------------
def test_every_hostile_csv_imports_cleanly_or_is_refused_in_one_line(ws, tmp_path):
    from evidence_app.core.evidence.case_table import read_rows
    from evidence_app.core.base.errors import EvidenceError
    from tests.safety.hostile_tables import REFS, hostile_csvs

    imported = {}
    for name, path in hostile_csvs(tmp_path / "csv").items():
        try:
            table = read_rows(str(path), path.name)
        except EvidenceError as exc:
            assert "\n" not in str(exc) and "\x00" not in str(exc), name
            imported[name] = None
            continue
        cells = [c for _, row in table.rows for c in row]
        assert not any(ch < " " for c in cells for ch in c), name  # no controls reach a cell
        imported[name] = [row[0] for _, row in table.rows[1:]]
    for name in ("cr-only", "lf-only", "mixed-endings", "utf8-bom", "utf16-bom", "utf16-be-bom",
                 "utf16-le-no-bom", "utf32-bom", "cp1252-undefined", "cp1252-pound",
                 "semicolons", "nul-bytes", "control-chars"):
        assert imported[name][:3] == REFS, name
    assert imported["binary"] is None and imported["empty"] is not None


def test_windows_1252_names_survive_and_undefined_bytes_do_not_break_the_import(ws, tmp_path):
    from tests.safety.hostile_tables import hostile_csvs

    files = hostile_csvs(tmp_path / "csv")
    report = case_import.import_cases(ws, files["cp1252-pound"]).value
    assert report.added[:3] == ["CH-100001", "CH-100002", "CH-100003"]
    assert cases.get_case(ws, "CH-100001", include_name=True).name == "Amy £ Example"
    report = case_import.import_cases(ws, files["cp1252-undefined"]).value
    assert not report.rejected
    assert cases.get_case(ws, "CH-100002", include_name=True).name == "Be n Example"


def test_a_field_longer_than_the_csv_default_rejects_only_its_row(ws, tmp_path):
    from tests.safety.hostile_tables import hostile_csvs

    report = case_import.import_cases(ws, hostile_csvs(tmp_path / "csv")["huge-field"]).value
    assert report.added == ["CH-100001", "CH-100002", "CH-100003"]
    assert report.rejected == [case_import_report.RejectedRow(
        5, "the Child name cell is longer than 10,000 characters")]


def test_a_lone_cell_at_xfd1048576_costs_one_row_not_the_machine(ws, tmp_path):
    import time

    from tests.safety.hostile_tables import lone_cell_xlsx

    start = time.monotonic()
    report = case_import.import_cases(ws, lone_cell_xlsx(tmp_path / "lone.xlsx")).value
    assert report.added == ["CH-100001", "CH-100002", "CH-100003"] and report.rows == 3
    assert time.monotonic() - start < 30
    alone = lone_cell_xlsx(tmp_path / "alone.xlsx", with_table=False)
    with pytest.raises(InvalidInput, match="alone.xlsx is empty"):
        case_import.import_cases(ws, alone).value


def test_caps_on_rows_and_columns_are_refusals_that_say_the_cap(ws, tmp_path):
    from evidence_app.core.evidence.case_table import MAX_ROWS
    from tests.safety.hostile_tables import wide_header_xlsx

    many = tmp_path / "many.csv"
    many.write_text("Child ID\n" + "".join(f"CH-{i}\n" for i in range(MAX_ROWS + 1)))
    with pytest.raises(InvalidInput, match="more than 100,000 rows"):
        case_import.import_cases(ws, many, dry_run=True).value
    with pytest.raises(InvalidInput, match="more than 200 columns"):
        case_import.import_cases(ws, wide_header_xlsx(tmp_path / "wide.xlsx")).value
    assert cases.list_cases(ws) == []


def test_only_regular_files_are_read(ws, tmp_path):
    import os

    with pytest.raises(InvalidInput, match="folder"):
        case_import.import_cases(ws, tmp_path).value
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "list.csv"
        os.mkfifo(fifo)
        with pytest.raises(InvalidInput, match="named pipe"):
            case_import.import_cases(ws, fifo).value  # would block forever if it were opened
    if os.path.exists("/dev/zero"):
        with pytest.raises(InvalidInput, match="device"):
            case_import.read_table("/dev/zero")


def test_a_file_only_named_xlsx_or_an_old_xls_gets_a_plain_refusal(ws, tmp_path):
    fake = tmp_path / "list.xlsx"
    fake.write_text("Child ID\nCH-1\n")
    with pytest.raises(InvalidInput, match="not an .xlsx file"):
        case_import.import_cases(ws, fake).value
    old = tmp_path / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InvalidInput, match="old-style Excel"):
        case_import.import_cases(ws, old).value


def test_a_parse_that_needs_too_much_memory_is_stopped_in_its_worker(ws, tmp_path):
    from evidence_app.core.evidence.case_table import read_rows
    from evidence_app.core.index.extractors.base import Limits
    from evidence_app.core.index.limited_call import call_limited

    f = tmp_path / "commas.csv"
    f.write_text("Child ID,Name\n" + "," * 30_000_000 + "\n")
    with pytest.raises(InvalidInput, match="needed more than 64 MB"):
        call_limited(read_rows, str(f), f.name, what=f.name, limits=Limits(memory_limit_mb=64))
