"""Coverage (core/evidence/coverage.py): counts per heat-map cell, per line and per area, the
gaps, sampled cases' readiness and caseloads.
"""
from __future__ import annotations

from collections.abc import Mapping
from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json


COUNT_KEYS = ("strong", "moderate", "weak", "strength", "development", "impact", "total")


@frozen
class CoverageCounts:
    """Evidence items by strength and by kind, and all of them: one heat-map cell, and the
    counts every coverage row and area carries. An item filed under two lines counts for each."""

    strong: int
    moderate: int
    weak: int
    strength: int
    development: int
    impact: int
    total: int


@as_json.register
def _counts_json(c: CoverageCounts) -> dict:
    return {k: getattr(c, k) for k in COUNT_KEYS}


@frozen
class CoverageRow(CoverageCounts):
    """One line of enquiry's coverage, with a cell of counts per group (case, team, worker or
    area; groups without evidence have no cell)."""

    enquiry: str
    title: str
    area: str
    cells: Mapping[str, CoverageCounts]


@as_json.register
def _coverage_row_json(r: CoverageRow) -> dict:
    return {"enquiry": r.enquiry, "title": r.title, "area": r.area, **_counts_json(r),
            "cells": {g: _counts_json(c) for g, c in r.cells.items()}}


@frozen
class AreaCoverage(CoverageCounts):
    """A judgement area's totals: its lines, how many are gaps, and the counts of their items."""

    area: str
    title: str
    enquiries: int
    gaps: int


@as_json.register
def _area_coverage_json(a: AreaCoverage) -> dict:
    return {"area": a.area, "title": a.title, "enquiries": a.enquiries, "gaps": a.gaps,
            **_counts_json(a)}


@frozen
class CoverageGap:
    """A line of enquiry with no strong evidence, and what it has instead."""

    enquiry: str
    title: str
    area: str
    total: int
    moderate: int
    weak: int

    @property
    def strong(self) -> int:
        """Nothing strong, by definition (so a gap's coverage level reads like a row's)."""
        return 0


@as_json.register
def _gap_json(g: CoverageGap) -> dict:
    return {k: getattr(g, k) for k in CoverageGap.__dataclass_fields__}


@frozen
class CaseReadiness:
    """A sampled case's readiness: checklist items done of all, what is missing, its evidence."""

    ref: str
    alias: str | None
    worker: str | None
    team: str | None
    status: str | None
    done: int
    total: int
    ready: bool
    missing: tuple[str, ...]
    evidence: int


@as_json.register
def _readiness_row_json(r: CaseReadiness) -> dict:
    out = {k: getattr(r, k) for k in CaseReadiness.__dataclass_fields__}
    out["missing"] = list(r.missing)
    return out


@frozen
class Coverage:
    """The coverage picture: one row per line of enquiry (split into `groups` by `by`), the
    areas' totals, the gaps and the sampled cases' readiness."""

    by: str
    groups: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    areas: tuple[AreaCoverage, ...]
    gaps: tuple[CoverageGap, ...]
    readiness: tuple[CaseReadiness, ...]

    @property
    def total(self) -> int:
        """Evidence items counted across the areas (per line filed under)."""
        return sum(a.total for a in self.areas)


@as_json.register
def _coverage_json(c: Coverage) -> dict:
    """`coverage --json`: by, groups, rows, areas, gaps, readiness."""
    return {"by": c.by, "groups": list(c.groups), "rows": [as_json(r) for r in c.rows],
            "areas": [as_json(a) for a in c.areas], "gaps": [as_json(g) for g in c.gaps],
            "readiness": [as_json(r) for r in c.readiness]}


@frozen
class Caseload:
    """Open cases of one worker or team (`by` says which; `name` is "(none)" for cases without
    one), how many are sampled, and the split by legal status."""

    by: str
    name: str
    open: int
    sampled: int
    by_status: Mapping[str, int]


@as_json.register
def _caseload_json(c: Caseload) -> dict:
    """A `caseloads --json` row: {worker or team, open, sampled, by_status}."""
    return {c.by: c.name, "open": c.open, "sampled": c.sampled, "by_status": dict(c.by_status)}


@frozen
class Caseloads:
    by_worker: tuple[Caseload, ...]
    by_team: tuple[Caseload, ...]


@as_json.register
def _caseloads_json(c: Caseloads) -> dict:
    return {"by_worker": [as_json(r) for r in c.by_worker],
            "by_team": [as_json(r) for r in c.by_team]}
