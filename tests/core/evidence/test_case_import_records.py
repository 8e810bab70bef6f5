"""A case-list import's report lists its rows as records (RejectedRow, RejectionGroup,
RepeatedCase) and still gives `case import --json` exactly as before: the grouping the dicts did
is kept here as the witness, and a property test feeds it any rejections."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from evidence_app.core.evidence import case_import
from evidence_app.core.evidence.case_import_report import (
    CaseImportReport, RejectedRow, RejectionGroup, RepeatedCase,
)
from tests.factories import write_text


def _old_groups(rejected: list[dict], group_of: dict) -> list[dict]:
    """How the rejections were grouped when they were dicts (commit 02aedb9)."""
    groups: dict[str, dict] = {}
    for r in rejected:
        key = group_of.get(r["row"]) or r["reason"]
        g = groups.setdefault(key, {"reason": key, "count": 0, "rows": []})
        g["count"] += 1
        g["rows"].append(r["row"])
    return sorted(groups.values(), key=lambda g: (-g["count"], g["rows"][0]))


def test_the_report_reads_by_attribute_and_its_json_keeps_its_shape(ws, tmp_path):
    f = write_text(tmp_path / "list.csv", "Reference,Name,Status\nCH-1,Ann One,CP\n,No Ref,CP\n"
                                          "CH-2,Bo Two,banana\nCH-1,Ann One,CIN\nCH-3,,banana\n")
    report = case_import.import_cases(ws, f, dry_run=True).value
    report = getattr(report, "value", report)  # the report, whether or not wrapped in a Done
    assert [type(r) for r in report.rejected] == [RejectedRow] * 3
    assert [(r.row, r.reason[:13]) for r in report.rejected] == [
        (3, "missing refer"), (4, "legal status "), (6, "legal status ")]
    [status, missing] = report.groups()
    assert isinstance(status, RejectionGroup) and status.count == 2 and status.rows == (4, 6)
    assert missing.rows == (3,)
    [repeat] = report.repeats
    assert isinstance(repeat, RepeatedCase) and repeat.reference == "CH-1" and repeat.rows == (2, 5)
    data = report.to_json()
    assert list(data) == ["file", "mapping", "rows", "added", "updated", "unchanged", "rejected",
                          "dry_run", "header_row", "repeats", "rejected_groups", "rejected_csv"]
    assert data["rejected"][0] == {"row": 3, "reason": "missing reference"}
    assert data["repeats"] == [{"reference": "CH-1", "rows": [2, 5],
                                "note": repeat.note}]
    old = _old_groups(data["rejected"], report.group_of)
    assert json.dumps(data["rejected_groups"]) == json.dumps(old)
    assert "Ann One" not in json.dumps(data) and "Bo Two" not in json.dumps(data)


@given(st.lists(st.tuples(st.integers(2, 60), st.sampled_from(["a", "b", "c", "d"]),
                          st.booleans()), max_size=40, unique_by=lambda t: t[0]))
def test_property_grouping_matches_the_old_dicts_and_loses_no_row(rows):
    report = CaseImportReport("f.csv", {})
    for row, reason, grouped in rows:
        report.reject(row, f"{reason} on row {row}", reason if grouped else None)
    groups = report.groups()
    assert sum(g.count for g in groups) == len(rows)
    assert sorted(n for g in groups for n in g.rows) == sorted(r for r, _, _ in rows)
    assert all(g.count == len(g.rows) for g in groups)
    old = _old_groups([{"row": r.row, "reason": r.reason} for r in report.rejected],
                      report.group_of)
    assert json.dumps(report.to_json()["rejected_groups"]) == json.dumps(old)
