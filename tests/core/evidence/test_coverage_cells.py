"""The coverage rules the window shows, owned by the core: a line's or cell's level, and the items
behind every heat-map cell (exactly the items the cell counts, for every split)."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import coverage
from tests.core.evidence.test_coverage import tagged  # noqa: F401  (the shared fixture)


@pytest.mark.parametrize("cell, expected", [
    (None, "none"), ({}, "none"), ({"total": 0, "strong": 0}, "none"),
    ({"total": 3, "strong": 0, "moderate": 2, "weak": 1}, "thin"),
    ({"total": 1, "strong": 1}, "some"), ({"total": 5, "strong": 2}, "good"),
    ({"total": 9, "strong": 7}, "good"),
])
def test_level_of_a_cell(cell, expected):
    assert coverage.level(cell) == expected
    assert expected in coverage.LEVELS


def test_every_gap_is_a_line_whose_level_is_none_or_thin(ws, tagged):  # noqa: F811
    data = coverage.coverage(ws)
    gap_ids = {g["enquiry"] for g in data["gaps"]}
    for row in data["rows"]:
        assert (row["enquiry"] in gap_ids) == (coverage.level(row) in ("none", "thin"))


@pytest.mark.parametrize("by", coverage.BY)
def test_cell_items_are_exactly_the_items_each_cell_counts(ws, tagged, by):  # noqa: F811
    data = coverage.coverage(ws, by=by)
    checked = 0
    for row in data["rows"]:
        every = coverage.cell_items(ws, row["enquiry"], by)
        assert len(every) == row["total"]
        for group, cell in row["cells"].items():
            items = coverage.cell_items(ws, row["enquiry"], by, group)
            assert len(items) == cell["total"], (row["enquiry"], by, group)
            assert sum(1 for i in items if i.strength == "strong") == cell["strong"]
            checked += 1
        assert sum(c["total"] for c in row["cells"].values()) == row["total"]
    assert checked
    # a group with nothing in it holds no items (split by area, the group is the line's own)
    if by != "area":
        assert coverage.cell_items(ws, data["rows"][0]["enquiry"], by, "NO SUCH GROUP") == []
    with pytest.raises(InvalidInput):
        coverage.cell_items(ws, data["rows"][0]["enquiry"], "colour")


def test_case_columns_are_labelled_with_the_alias(ws, tagged):  # noqa: F811
    labels = coverage.group_labels(ws, "case")
    assert labels["CH-000001"].startswith("Child ")
    assert coverage.group_labels(ws, "team") == {}
