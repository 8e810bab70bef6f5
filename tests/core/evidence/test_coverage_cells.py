"""The coverage rules the window shows, owned by the core: a line's or cell's level, and the items
behind every heat-map cell (exactly the items the cell counts, for every split)."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import coverage
from evidence_app.core.store.records import CoverageCounts, CoverageGap
from tests.core.evidence.test_coverage import tagged  # noqa: F401  (the shared fixture)


def _cell(total: int, strong: int = 0, moderate: int = 0) -> CoverageCounts:
    weak = total - strong - moderate
    return CoverageCounts(strong=strong, moderate=moderate, weak=weak, strength=total,
                          development=0, impact=0, total=total)


@pytest.mark.parametrize("cell, expected", [
    (None, "none"), (_cell(0), "none"),
    (_cell(3, moderate=2), "thin"),
    (_cell(1, strong=1), "some"), (_cell(5, strong=2), "good"),
    (_cell(9, strong=7), "good"),
    (CoverageGap("HP-01", "t", "HP", total=0, moderate=0, weak=0), "none"),
    (CoverageGap("HP-01", "t", "HP", total=2, moderate=1, weak=1), "thin"),
])
def test_level_of_a_cell(cell, expected):
    """A cell, a line or a gap: none, thin (a gap), some (one strong) or good (two or more)."""
    assert coverage.level(cell) == expected
    assert expected in coverage.LEVELS


def test_every_gap_is_a_line_whose_level_is_none_or_thin(ws, tagged):  # noqa: F811
    data = coverage.coverage(ws)
    gap_ids = {g.enquiry for g in data.gaps}
    for row in data.rows:
        assert (row.enquiry in gap_ids) == (coverage.level(row) in ("none", "thin"))


@pytest.mark.parametrize("by", coverage.BY)
def test_cell_items_are_exactly_the_items_each_cell_counts(ws, tagged, by):  # noqa: F811
    data = coverage.coverage(ws, by=by)
    checked = 0
    for row in data.rows:
        every = coverage.cell_items(ws, row.enquiry, by)
        assert len(every) == row.total
        for group, cell in row.cells.items():
            items = coverage.cell_items(ws, row.enquiry, by, group)
            assert len(items) == cell.total, (row.enquiry, by, group)
            assert sum(1 for i in items if i.strength == "strong") == cell.strong
            checked += 1
        assert sum(c.total for c in row.cells.values()) == row.total
    assert checked
    # a group with nothing in it holds no items (split by area, the group is the line's own)
    if by != "area":
        assert coverage.cell_items(ws, data.rows[0].enquiry, by, "NO SUCH GROUP") == []
    with pytest.raises(InvalidInput):
        coverage.cell_items(ws, data.rows[0].enquiry, "colour")


def test_case_columns_are_labelled_with_the_alias(ws, tagged):  # noqa: F811
    labels = coverage.group_labels(ws, "case")
    assert labels["CH-000001"].startswith("Child ")
    assert coverage.group_labels(ws, "team") == {}
