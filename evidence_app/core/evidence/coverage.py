"""Coverage: how well each line of enquiry is evidenced, split by judgement area, case, team or
worker; the gap list; sampled cases' readiness; caseloads.

Everything is a few indexed scans and GROUP BY queries, counted in Python, so a manager's dashboard
stays instant with thousands of items (see tests/benchmarks/bench_evidence.py).
A gap is an active line of enquiry with no *strong* evidence (whatever else it has).
Results are records (`Coverage`, `CoverageRow`, `Caseloads`… in core/store/records/), whose
`as_json` is the `coverage --json` / `caseloads --json` shape.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from types import MappingProxyType
from typing import TYPE_CHECKING

from evidence_app.core.evidence import evidence, framework, senders
from evidence_app.core.evidence.cases import READINESS, STATUSES, list_cases
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.paused_gc import paused_gc
from evidence_app.core.store import cases as case_store
from evidence_app.core.store import coverage as coverage_store
from evidence_app.core.evidence.evidence import KINDS, STRENGTHS
from evidence_app.core.store.records import (
    AreaCoverage, CaseReadiness, Caseload, Caseloads, Coverage, CoverageCounts, CoverageGap,
    CoverageRow, adopter,
)

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

BY = ("area", "case", "team", "worker")
LEVELS = ("none", "thin", "some", "good")  # no evidence, a gap (nothing strong), 1 strong, 2+
NONE_LABEL = "(none)"


_ZERO = {**{s: 0 for s in STRENGTHS}, **{k: 0 for k in KINDS}, "total": 0}


def coverage(ws: Workspace, by: str = "area", include_retired: bool = False,
             sender: str | None = None) -> Coverage:
    """One row per line of enquiry (with a cell per group), the areas' totals, the gaps and the
    readiness of sampled cases. Counts are evidence items (an item filed under two lines counts
    for each); `sender`: only the items from that person (see senders.py), so gaps are theirs.
    Counted in plain dicts, then frozen into records (core/store/records/)."""
    if by not in BY:
        raise InvalidInput(f"Coverage can be split by {', '.join(BY)}, not '{by}'.")
    with paused_gc():  # ~15,000 small containers split by case (core/base/paused_gc.py)
        return _coverage(ws, by, include_retired, sender)


def _coverage(ws: Workspace, by: str, include_retired: bool, sender: str | None) -> Coverage:
    wanted = senders.item_ids(ws, sender) if sender is not None else None
    enquiries = framework.enquiries(ws, include_retired=include_retired)
    area_of = {e.id: e.area_id for e in enquiries}
    counts = {e.id: _ZERO.copy() for e in enquiries}
    cells: dict[str, dict[str, dict]] = {e.id: {} for e in enquiries}
    groups: set[str] = set()
    by_area = by == "area"
    live = coverage_store.live_items(ws.conn, by)
    # the hot loop of the heat map (one turn per line, group, strength and kind: ~9,000 split
    # by case with 5,000 items), so its adds are written out rather than called
    for enquiry_id, counted in _counts(ws, live, by, wanted):
        row = counts.get(enquiry_id)
        if row is None:  # a retired line
            continue
        mine, area = cells[enquiry_id], area_of[enquiry_id]
        for item, n in counted.items():
            if item is None:  # deleted items (or not the sender's)
                continue
            group, strength, kind = item
            group = area if by_area else (group or NONE_LABEL)
            cell = mine.get(group)
            if cell is None:
                cell = mine[group] = _ZERO.copy()
                groups.add(group)
            row[strength] += n
            row[kind] += n
            row["total"] += n
            cell[strength] += n
            cell[kind] += n
            cell["total"] += n
    # each cell's dict becomes its record (adopted: ~5,000 of them split by case, no copies)
    make_cell, make_row = adopter(CoverageCounts), adopter(CoverageRow)
    rows = tuple(make_row({"enquiry": e.id, "title": e.title, "area": e.area_id, **counts[e.id],
                           "cells": MappingProxyType({g: make_cell(c)
                                                      for g, c in cells[e.id].items()})})
                 for e in enquiries)
    areas = []
    for a in framework.areas(ws, include_retired=include_retired):
        mine = [r for r in rows if r.area == a.id]
        total = {k: sum(getattr(r, k) for r in mine) for k in _ZERO}
        areas.append(AreaCoverage(area=a.id, title=a.title, enquiries=len(mine),
                                  gaps=sum(1 for r in mine if not r.strong), **total))
    order = [a.id for a in framework.areas(ws, include_retired=True)]
    ordered_groups = ([g for g in order if g in groups] if by == "area"
                      else sorted(groups, key=lambda g: (g == NONE_LABEL, g.lower())))
    return Coverage(by=by, groups=tuple(ordered_groups), rows=rows, areas=tuple(areas),
                    gaps=gaps(rows), readiness=_readiness(ws, _per_case(live)))


def _counts(ws: Workspace, live: list[tuple], by: str,
            wanted: set[int] | None = None) -> Iterator[tuple[str, Counter]]:
    """For each line with links: (enquiry, {(group, strength, kind): live items}); the key None
    counts deleted items (and items not `wanted`), for the caller to pass over. Two scans (live
    items with their group; the link table's covering index, line by line) counted by `Counter`
    without a Python step per link: measured ~2x faster than one join with GROUP BY, whose
    per-link lookups into the wide evidence rows dominate, and ~3x faster than counting link by
    link in a loop."""
    group_of = itemgetter(1, 3, 4) if by == "case" else itemgetter(2, 3, 4)  # see live_items
    items = dict(zip(map(itemgetter(0), live), map(group_of, live)))
    if wanted is not None:
        items = {i: g for i, g in items.items() if i in wanted}
    get = items.get
    for enquiry_id, item_ids in coverage_store.links_by_enquiry(ws.conn):
        yield enquiry_id, Counter(map(get, item_ids))


def level(cell: CoverageCounts | CoverageGap | None) -> str:
    """How well a line, a heat-map cell or a gap is evidenced: "none" (no items or no cell),
    "thin" (items but nothing strong: a gap), "some" (one strong item) or "good" (two or more
    strong)."""
    if cell is None or not cell.total:
        return "none"
    strong = cell.strong
    return "thin" if strong == 0 else "some" if strong == 1 else "good"


def cell_items(ws: Workspace, enquiry: str, by: str = "area",
               group: str | None = None, sender: str | None = None) -> list:
    """The evidence items behind one line of enquiry and, given a group, one heat-map cell: the
    same items `coverage(ws, by)` counted in that cell ("(none)" is the items without a case,
    team or worker)."""
    if by not in BY:
        raise InvalidInput(f"Coverage can be split by {', '.join(BY)}, not '{by}'.")
    items = evidence.list_items(ws, enquiry=enquiry, sender=sender)
    if group is None or by == "area":
        return items
    if by == "case":
        return [i for i in items if (i.case_ref or NONE_LABEL).upper() == group.upper()]
    groups = case_store.group_of(ws.conn, by)
    return [i for i in items
            if (groups.get((i.case_ref or "").upper()) or NONE_LABEL) == group]


def group_labels(ws: Workspace, by: str) -> dict[str, str]:
    """What a heat-map column is called beside its group: a case's alias ("Child A") for each
    case reference when split by case; nothing to add for the other splits."""
    if by != "case":
        return {}
    return {c.ref: c.alias or "" for c in list_cases(ws)}


def gaps(rows: tuple[CoverageRow, ...]) -> tuple[CoverageGap, ...]:
    """The lines with no strong evidence, in the rows' order."""
    return tuple(CoverageGap(enquiry=r.enquiry, title=r.title, area=r.area, total=r.total,
                             moderate=r.moderate, weak=r.weak) for r in rows if not r.strong)


def _per_case(live: list[tuple]) -> dict[str, int]:
    """Case reference (upper-cased) -> live items, counted from the heat map's own scan (as
    `case_store.evidence_counts` would count them: whatever the split and the sender)."""
    out: dict[str, int] = {}
    for ref, n in Counter(map(itemgetter(1), live)).items():
        key = (ref or "").upper()
        out[key] = out.get(key, 0) + n
    return out


def readiness(ws: Workspace) -> tuple[CaseReadiness, ...]:
    """Sampled cases: readiness items done / outstanding, and how much evidence each has."""
    return _readiness(ws, case_store.evidence_counts(ws.conn))


def _readiness(ws: Workspace, counts: dict[str, int]) -> tuple[CaseReadiness, ...]:
    done = coverage_store.sampled_ticks(ws.conn)
    out = []
    for cid, ref, alias, worker, team, status in coverage_store.sampled_cases(ws.conn):
        mine = done.get(cid, set())
        out.append(CaseReadiness(
            ref=ref, alias=alias, worker=worker, team=team, status=status, done=len(mine),
            total=len(READINESS), ready=len(mine) == len(READINESS),
            missing=tuple(label for key, label in READINESS if key not in mine),
            evidence=counts.get(ref.upper(), 0)))
    return tuple(out)


def caseloads(ws: Workspace) -> Caseloads:
    """Open cases per worker and per team (most first), with the split by legal status."""
    def group(col: str) -> tuple[Caseload, ...]:
        out: dict[str, dict] = {}
        for key, status, n, sampled in coverage_store.open_cases_by(ws.conn, col):
            key = key or NONE_LABEL
            row = out.setdefault(key, {"open": 0, "sampled": 0,
                                       "by_status": {s: 0 for s in STATUSES}})
            row["open"] += n
            row["sampled"] += sampled or 0
            if status:
                row["by_status"][status] += n
        return tuple(Caseload(by=col, name=k, open=r["open"], sampled=r["sampled"],
                              by_status=MappingProxyType(r["by_status"]))
                     for k, r in sorted(out.items(), key=lambda kv: (-kv[1]["open"],
                                                                     kv[0].lower())))

    return Caseloads(by_worker=group("worker"), by_team=group("team"))
