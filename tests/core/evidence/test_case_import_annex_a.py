"""Case import reads real Annex A extracts: the header below title rows, legal-status wordings,
one child on several rows as one case, rejections grouped by reason, a rejected-rows CSV."""
from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.evidence import case_import, case_import_report, cases
from evidence_app.core.evidence.legal_status import legal_status

TITLE_ROWS = [["Annex A list 8 2026-03-01"],
              ["FICTIONAL TEST DATA – not a real child or family."],
              ["Wyvernshire County Council Children's Services", "Extract date: 01/03/2026"],
              []]
HEADER = ["Child ID", "Name (fictional)", "Gender", "Date of birth", "Team", "Allocated worker",
          "Date of referral", "Legal status", "NHS number", "Postcode", "Comment"]
STATUSES = ["Child in need (section 17)", "Child in care (section 20 / section 31)",
            "Child protection plan", "Care leaver", "Early help"]


def _rows(n: int, repeat_every: int = 0, bad_every: int = 0) -> list[list[str]]:
    out = []
    for i in range(n):
        ref = f"CH-{(i // 2 if repeat_every and i % repeat_every == 1 else i):06d}"
        status = "Private fostering" if bad_every and i % bad_every == 3 else STATUSES[i % 5]
        out.append([ref, f"Test Child{i}", "F", "01/02/2015", "Assessment Team North",
                    "Sam Patel", "04/10/2024", status, "999 000 0000", "ZZ99 1ZZ", ""])
    return out


def _write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for r in TITLE_ROWS + [HEADER] + rows:
            w.writerow(r)
    return path


def _write_xlsx(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    for r in TITLE_ROWS + [HEADER] + rows:
        sh.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("writer", [_write_csv, _write_xlsx])
def test_header_is_found_below_the_title_rows(ws, tmp_path, writer):
    f = writer(tmp_path / f"Annex A list 8.{'csv' if writer is _write_csv else 'xlsx'}",
               _rows(10))
    report = case_import.import_cases(ws, f).value
    assert report.header_row == 5
    assert report.mapping["Child ID"] == "reference"
    assert report.mapping["Legal status"] == "status"
    assert not report.rejected and len(report.added) == 10
    assert "headings on row 5" in report.line()
    assert report.line().count("10 cases") == 1
    assert {c.status for c in cases.list_cases(ws)} == {"CIN", "CIC", "CP", "CL", "EH"}


def test_the_generators_own_annex_a_files_import(ws, tmp_path):
    from evidence_app.samples import generate_corpus

    info = generate_corpus(tmp_path / "corpus", 160, seed=3)
    annex = [d for d in info.documents if d.path.split("/")[-1].startswith("Annex A list")]
    assert annex, "the generator writes Annex A lists"
    for doc in annex:
        report = case_import.import_cases(ws, info.root / doc.path, dry_run=True).value
        assert report.header_row > 1
        assert not report.rejected, report.summary_lines()
        assert report.mapping.get("Name (fictional)") == "name"


def test_common_legal_status_wordings():
    assert legal_status("Child in need (section 17)") == "CIN"
    assert legal_status("Child in care (section 20 / section 31)") == "CIC"
    assert legal_status("Looked after (s20)") == "CIC"
    assert legal_status("CP plan") == "CP"
    assert legal_status("Child protection plan (section 47)") == "CP"
    assert legal_status("Care leaver (former relevant child)") == "CL"
    assert legal_status("Early help") == "EH"
    assert legal_status("cic") == "CIC"
    assert legal_status("") is None


def test_repeats_are_one_case_and_rejections_are_grouped_with_a_csv(ws, tmp_path, cli):
    rows = _rows(60, repeat_every=4, bad_every=7)
    f = _write_csv(tmp_path / "annex.csv", rows)
    report = case_import.import_cases(ws, f).value
    assert report.repeats and all(len(r.rows) >= 2 for r in report.repeats)
    assert not any("duplicate" in r.reason for r in report.rejected)
    groups = case_import_report.group_rejections(report.rejected, report.group_of)
    assert groups[0].reason == "legal status 'Private fostering' not recognised"
    assert groups[0].count == len(report.rejected) and groups == report.groups()
    lines = report.summary_lines()
    assert len(lines) == 2  # one line per reason, one for the repeats: never a wall
    assert f"{len(report.rejected)} rows rejected" in lines[0]
    out = case_import_report.write_rejected_csv(report, tmp_path / "rejected.csv", f)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0][:3] == ["Row", "Why it was not imported", "Child ID"]
    assert len(got) == len(report.rejected) + 1
    assert all("Private fostering" in r for r in got[1:])
    # the CLI says the same in a few lines and saves the CSV
    cli("init", "--name", "Test")
    proc = cli("case", "import", str(f), "--rejected-csv", str(tmp_path / "r2.csv"))
    assert len(proc.stdout.splitlines()) <= 3
    assert (tmp_path / "r2.csv").is_file() and "r2.csv" in proc.stderr
    data = cli.json("case", "import", str(f), "--dry-run")
    assert data["rejected_groups"][0]["count"] == len(report.rejected)
    assert data["header_row"] == 5 and data["repeats"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["CH-000001", "CH-000002", "CH-000003", ""]),
                          st.sampled_from(STATUSES + ["Private fostering", "", "CP"])),
                min_size=1, max_size=25),
       st.integers(min_value=0, max_value=6))
def test_no_row_is_lost_and_nothing_raises(tmp_path_factory, rows, titles):
    """Every row is imported, merged into a repeat, or rejected with a reason: none vanish."""
    from evidence_app.core.workspace import Workspace

    tmp = tmp_path_factory.mktemp("prop")
    ws = Workspace.create(tmp / "ws", "P")
    try:
        f = tmp / "list.csv"
        with open(f, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            for i in range(titles):
                w.writerow([f"Title line {i}"])
            w.writerow(["Child ID", "Legal status"])
            for ref, status in rows:
                w.writerow([ref, status])
        report = case_import.import_cases(ws, f).value
        body = [r for r in rows if r[0] or r[1]]  # blank lines are not rows
        placed = len(report.added) + len(report.updated) + len(report.unchanged)
        merged = sum(len(r.rows) - 1 for r in report.repeats)
        assert placed + merged + len(report.rejected) == len(body) == report.rows
        json.dumps(report.to_json())
    finally:
        ws.close()
