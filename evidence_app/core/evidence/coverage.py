"""Coverage: how well each line of enquiry is evidenced, split by judgement area, case, team or
worker; the gap list; sampled cases' readiness; caseloads.

Everything is a few indexed scans and GROUP BY queries, counted in Python, so a manager's dashboard
stays instant with thousands of items (see tests/benchmarks/bench_evidence.py).
A gap is an active line of enquiry with no *strong* evidence (whatever else it has).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.evidence import evidence, framework, senders
from evidence_app.core.evidence.cases import READINESS, STATUSES
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.store import cases as case_store
from evidence_app.core.store import coverage as coverage_store
from evidence_app.core.evidence.evidence import KINDS, STRENGTHS

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

BY = ("area", "case", "team", "worker")
LEVELS = ("none", "thin", "some", "good")  # no evidence, a gap (nothing strong), 1 strong, 2+
NONE_LABEL = "(none)"


_ZERO = {**{s: 0 for s in STRENGTHS}, **{k: 0 for k in KINDS}, "total": 0}


def _empty() -> dict:
    return _ZERO.copy()


def _add(cell: dict, strength: str, kind: str, n: int) -> None:
    cell[strength] += n
    cell[kind] += n
    cell["total"] += n


def coverage(ws: Workspace, by: str = "area", include_retired: bool = False,
             sender: str | None = None) -> dict:
    """{by, groups, rows (one per line of enquiry, with `cells` per group), areas, gaps,
    readiness}. Counts are evidence items (an item filed under two lines counts for each);
    `sender`: only the items from that person (see senders.py), so gaps are their gaps."""
    if by not in BY:
        raise InvalidInput(f"Coverage can be split by {', '.join(BY)}, not '{by}'.")
    wanted = senders.item_ids(ws, sender) if sender is not None else None
    enquiries = framework.enquiries(ws, include_retired=include_retired)
    area_of = {e.id: e.area_id for e in enquiries}
    rows = {e.id: {"enquiry": e.id, "title": e.title, "area": e.area_id, **_empty(), "cells": {}}
            for e in enquiries}
    groups: set[str] = set()
    for (enquiry_id, group, strength, kind), n in _counts(ws, by, wanted).items():
        row = rows.get(enquiry_id)
        if row is None:  # a retired line
            continue
        group = area_of[enquiry_id] if by == "area" else (group or NONE_LABEL)
        groups.add(group)
        _add(row, strength, kind, n)
        _add(row["cells"].setdefault(group, _empty()), strength, kind, n)
    areas = []
    for a in framework.areas(ws, include_retired=include_retired):
        mine = [r for r in rows.values() if r["area"] == a.id]
        total = _empty()
        for r in mine:
            for k in total:
                total[k] += r[k]
        areas.append({"area": a.id, "title": a.title, "enquiries": len(mine),
                      "gaps": sum(1 for r in mine if not r["strong"]), **total})
    order = [a.id for a in framework.areas(ws, include_retired=True)]
    ordered_groups = ([g for g in order if g in groups] if by == "area"
                      else sorted(groups, key=lambda g: (g == NONE_LABEL, g.lower())))
    row_list = list(rows.values())
    return {"by": by, "groups": ordered_groups, "rows": row_list, "areas": areas,
            "gaps": gaps(row_list), "readiness": readiness(ws)}


def _counts(ws: Workspace, by: str, wanted: set[int] | None = None) -> dict[tuple, int]:
    """(enquiry, group, strength, kind) -> items. Two scans (live items with their group; the
    link table's covering index) counted in a dict: measured ~2x faster than one join with
    GROUP BY, whose per-link lookups into the wide evidence rows dominate."""
    items = coverage_store.item_groups(ws.conn, by)
    out: dict[tuple, int] = {}
    for item_id, enquiry_id in coverage_store.enquiry_links(ws.conn):
        it = items.get(item_id)
        if it is not None and (wanted is None or item_id in wanted):
            key = (enquiry_id, *it)
            out[key] = out.get(key, 0) + 1
    return out


def level(cell: dict | None) -> str:
    """How well a line (or one heat-map cell) is evidenced: "none" (no items), "thin" (items
    but nothing strong: a gap), "some" (one strong item) or "good" (two or more strong)."""
    if not cell or not cell.get("total"):
        return "none"
    strong = cell.get("strong", 0)
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
    return {r["ref"]: r["alias"] or "" for r in case_store.rows(ws.conn)}


def gaps(rows: list[dict]) -> list[dict]:
    return [{"enquiry": r["enquiry"], "title": r["title"], "area": r["area"],
             "total": r["total"], "moderate": r["moderate"], "weak": r["weak"]}
            for r in rows if not r["strong"]]


def readiness(ws: Workspace) -> list[dict]:
    """Sampled cases: readiness items done / outstanding, and how much evidence each has."""
    done = coverage_store.sampled_ticks(ws.conn)
    counts = case_store.evidence_counts(ws.conn)
    out = []
    for cid, ref, alias, worker, team, status in coverage_store.sampled_cases(ws.conn):
        mine = done.get(cid, set())
        out.append({"ref": ref, "alias": alias, "worker": worker, "team": team,
                    "status": status, "done": len(mine), "total": len(READINESS),
                    "ready": len(mine) == len(READINESS),
                    "missing": [label for key, label in READINESS if key not in mine],
                    "evidence": counts.get(ref.upper(), 0)})
    return out


def caseloads(ws: Workspace) -> dict:
    """Open cases per worker and per team, with the split by legal status."""
    def group(col: str) -> list[dict]:
        out: dict[str, dict] = {}
        for key, status, n, sampled in coverage_store.open_cases_by(ws.conn, col):
            key = key or NONE_LABEL
            row = out.setdefault(key, {col: key, "open": 0, "sampled": 0,
                                       "by_status": {s: 0 for s in STATUSES}})
            row["open"] += n
            row["sampled"] += sampled or 0
            if status:
                row["by_status"][status] += n
        return sorted(out.values(), key=lambda r: (-r["open"], r[col].lower()))

    return {"by_worker": group("worker"), "by_team": group("team")}
