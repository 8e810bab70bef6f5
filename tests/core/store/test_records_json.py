"""The records that coverage, caseloads, the framework's requests and the export log are now read
as give exactly the `--json` the dicts gave before them (commit 02aedb9): field names, order, types
and values. The reference functions below are the dict-building code those records replaced, kept
here as the contract's witness; a property test tags at random and compares every split."""
from __future__ import annotations

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core import settings as app_settings
from evidence_app.core.bundles import bundle_data, bundles
from evidence_app.core.evidence import cases, coverage, evidence, framework
from evidence_app.core.evidence.cases import READINESS, STATUSES
from evidence_app.core.evidence.evidence import KINDS, STRENGTHS
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.store import cases as case_store
from evidence_app.core.store import coverage as coverage_store
from evidence_app.core.store.records import (
    CaseReadiness, Caseloads, Coverage, CoverageCounts, CoverageGap, CoverageRow, ExportLogEntry,
    FrameworkEdit, FrameworkRequest, as_json,
)
from tests.factories import write_text

REFS = ("CH-000001", "CH-000002", "CH-000003")


# -- the dicts as they were built before the records (the witness) -----------------------------
def _old_counts(ws, by: str, wanted: set[int] | None) -> dict[tuple, int]:
    """(enquiry, group, strength, kind) -> live items, by the plainest join (the coverage
    module counts two scans its own faster way; this is what it must agree with)."""
    group = {"area": "NULL", "case": "COALESCE(i.case_ref, d.case_ref)", "team": "c.team",
             "worker": "c.worker"}[by]
    out: dict[tuple, int] = {}
    for item_id, *key in ws.conn.execute(
            f"SELECT i.id, x.enquiry_id, {group}, i.strength, i.kind FROM evidence_enquiries x "
            "JOIN evidence_items i ON i.id = x.item_id "
            "LEFT JOIN documents d ON d.id = i.document_id "
            "LEFT JOIN cases c ON c.ref = COALESCE(i.case_ref, d.case_ref) "
            "WHERE i.deleted_at IS NULL"):
        if wanted is None or item_id in wanted:
            out[tuple(key)] = out.get(tuple(key), 0) + 1
    return out


def _old_coverage(ws, by: str, sender: str | None = None) -> dict:
    zero = {**{s: 0 for s in STRENGTHS}, **{k: 0 for k in KINDS}, "total": 0}

    def add(cell, strength, kind, n):
        cell[strength] += n
        cell[kind] += n
        cell["total"] += n

    wanted = coverage.senders.item_ids(ws, sender) if sender is not None else None
    enquiries = framework.enquiries(ws)
    area_of = {e.id: e.area_id for e in enquiries}
    rows = {e.id: {"enquiry": e.id, "title": e.title, "area": e.area_id, **zero, "cells": {}}
            for e in enquiries}
    groups = set()
    for (enquiry_id, group, strength, kind), n in _old_counts(ws, by, wanted).items():
        row = rows.get(enquiry_id)
        if row is None:
            continue
        group = area_of[enquiry_id] if by == "area" else (group or "(none)")
        groups.add(group)
        add(row, strength, kind, n)
        add(row["cells"].setdefault(group, dict(zero)), strength, kind, n)
    areas = []
    for a in framework.areas(ws):
        mine = [r for r in rows.values() if r["area"] == a.id]
        total = dict(zero)
        for r in mine:
            for k in total:
                total[k] += r[k]
        areas.append({"area": a.id, "title": a.title, "enquiries": len(mine),
                      "gaps": sum(1 for r in mine if not r["strong"]), **total})
    order = [a.id for a in framework.areas(ws, include_retired=True)]
    ordered = ([g for g in order if g in groups] if by == "area"
               else sorted(groups, key=lambda g: (g == "(none)", g.lower())))
    row_list = list(rows.values())
    gaps = [{"enquiry": r["enquiry"], "title": r["title"], "area": r["area"],
             "total": r["total"], "moderate": r["moderate"], "weak": r["weak"]}
            for r in row_list if not r["strong"]]
    return {"by": by, "groups": ordered, "rows": row_list, "areas": areas, "gaps": gaps,
            "readiness": _old_readiness(ws)}


def _old_readiness(ws) -> list[dict]:
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


def _old_caseloads(ws) -> dict:
    def group(col):
        out = {}
        for key, status, n, sampled in coverage_store.open_cases_by(ws.conn, col):
            key = key or "(none)"
            row = out.setdefault(key, {col: key, "open": 0, "sampled": 0,
                                       "by_status": {s: 0 for s in STATUSES}})
            row["open"] += n
            row["sampled"] += sampled or 0
            if status:
                row["by_status"][status] += n
        return sorted(out.values(), key=lambda r: (-r["open"], r[col].lower()))

    return {"by_worker": group("worker"), "by_team": group("team")}


def _old_requests(ws, include_retired: bool) -> list[dict]:
    cur = ws.conn.execute("SELECT * FROM requests" + ("" if include_retired
                                                      else " WHERE retired = 0")
                          + " ORDER BY position, id")
    names = [d[0] for d in cur.description]
    keys = ("id", "uuid", "ofsted_ref", "title", "description", "kind", "period", "position",
            "retired", "custom")
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r))
        row["retired"], row["custom"] = bool(row["retired"]), bool(row["custom"])
        out.append({k: row[k] for k in keys})
    return out


def _old_exports(ws, bundle_id: int) -> list[dict]:
    cur = ws.conn.execute("SELECT * FROM bundle_exports WHERE bundle_id = ? ORDER BY id",
                          [bundle_id])
    names = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(names, r))
        row["sources"] = json.loads(row["sources"])
        row["redactions"] = json.loads(row["redactions"])
        row["pseudonymised"] = bool(row["pseudonymised"])
        row["append_sources"] = bool(row["append_sources"])
        out.append(row)
    return out


def _same(new, old) -> None:
    """Equal as the CLI prints them: same text, so same keys in the same order and same types."""
    assert json.dumps(new, indent=2, default=str) == json.dumps(old, indent=2, default=str)


# -- a workspace with cases, some without a worker, sampled cases with ticks ---------------------
@pytest.fixture
def files(ws, cases_dir):
    paths = [write_text(cases_dir / ref / "record.txt", f"Record of {ref}. The plan.")
             for ref in REFS]
    paths.append(write_text(cases_dir / "unallocated" / "policy.txt", "Supervision policy."))
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    cases.add_case(ws, "CH-000001", alias="Child A", worker="Sam", team="North", status="CP",
                   sampled=True)
    cases.add_case(ws, "CH-000002", worker="sam", team="North", status="CIC")
    cases.add_case(ws, "CH-000003", team="South", sampled=True)  # no worker, no status
    cases.check(ws, "CH-000001", "voice")
    return paths


def _tag_at_random(ws, files, rnd: random.Random, n: int) -> list:
    ids = [e.id for e in framework.enquiries(ws)][:12]
    return [evidence.tag(ws, str(rnd.choice(files)), rnd.sample(ids, rnd.randint(1, 3)),
                         strength=rnd.choice(STRENGTHS), kind=rnd.choice(KINDS)).value
            for _ in range(n)]


def test_coverage_json_is_the_old_shape_for_every_split(ws, files):
    _tag_at_random(ws, files, random.Random(3), 40)
    for by in coverage.BY:
        data = coverage.coverage(ws, by=by)
        assert isinstance(data, Coverage)
        _same(as_json(data), _old_coverage(ws, by))
        row = next(r for r in data.rows if r.cells)
        assert isinstance(row, CoverageRow) and all(isinstance(c, CoverageCounts)
                                                     for c in row.cells.values())
        assert all(isinstance(g, CoverageGap) for g in data.gaps)
        assert all(isinstance(r, CaseReadiness) for r in data.readiness)
    with pytest.raises(Exception):
        data.rows[0].total = 99  # frozen: a view cannot change what the core counted


def test_each_coverage_record_gives_its_old_fields(ws, files):
    _tag_at_random(ws, files, random.Random(5), 12)
    data = coverage.coverage(ws, by="case")
    old = _old_coverage(ws, "case")
    assert list(as_json(data.rows[0])) == list(old["rows"][0])
    assert list(as_json(data.areas[0])) == list(old["areas"][0])
    assert list(as_json(data.gaps[0])) == ["enquiry", "title", "area", "total", "moderate",
                                          "weak"]
    [ready_a, ready_c] = data.readiness
    assert as_json(ready_a) == old["readiness"][0]
    assert ready_a.alias == "Child A" and ready_a.done == 1 and "Voice of the child" not in \
        ready_a.missing and ready_c.status is None
    cell = next(c for r in data.rows for c in r.cells.values())
    assert list(as_json(cell)) == ["strong", "moderate", "weak", "strength", "development",
                                   "impact", "total"]


def test_caseloads_json_is_the_old_shape(ws, files):
    loads = coverage.caseloads(ws)
    assert isinstance(loads, Caseloads)
    _same(as_json(loads), _old_caseloads(ws))
    # a case without a worker is counted under "(none)", keyed by the column's name
    assert {"worker": "(none)", "open": 1, "sampled": 1,
            "by_status": {s: 0 for s in STATUSES}} in as_json(loads)["by_worker"]
    assert all(r.by == "team" for r in loads.by_team)


def test_framework_requests_and_get_are_records_with_the_old_fields(ws):
    framework.retire(ws, "AA-L08")
    ident = framework.add_request(ws, "Local list", kind="other", description="ours").value
    for include_retired in (False, True):
        got = framework.requests(ws, include_retired)
        assert all(isinstance(r, FrameworkRequest) for r in got)
        _same([as_json(r) for r in got], _old_requests(ws, include_retired))
    kind, req = framework.get(ws, ident.lower())
    assert kind == "request" and req.custom is True and req.description == "ours"
    kind, line = framework.get(ws, " hp-01 ")
    assert kind == "enquiry" and line.area_id == "HP" and line.retired is False
    assert framework.get(ws, "AA-L08")[1].retired is True  # retired ones are found too
    edit = framework.rename(ws, "HP-01", title="Renamed", prompt="Why?").value
    assert isinstance(edit, FrameworkEdit) and edit.changed == ("prompt", "title")
    assert framework.rename(ws, "hp-01", title="Renamed").value.changed == ()  # already so
    assert framework.move(ws, "HP-01", 3).value.position == 3
    assert framework.retire(ws, ident).value == FrameworkEdit(ident, "request", ("retired",))


def test_export_log_entries_are_records_with_the_old_fields(ws, files, tmp_path):
    _tag_at_random(ws, files, random.Random(9), 6)
    app_settings.set_person(ws, "Priya Shah", "Quality Assurance")
    b = bundles.create_bundle(ws, "Log test").value
    assert bundles.exports(ws, b.id) == []
    for n in (1, 2):
        bundle_data.export_bundle(ws, b.id, tmp_path / f"out{n}.docx")
    log = bundles.exports(ws, b.id)
    assert [type(e) for e in log] == [ExportLogEntry, ExportLogEntry]
    _same([as_json(e) for e in log], _old_exports(ws, b.id))
    first = log[0]
    assert first.path.endswith("out1.docx") and first.items == 6 and not first.pseudonymised
    assert first.sources and all("sha256" in s for s in first.sources)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(0, 12), drop=st.integers(0, 3))
def test_property_coverage_json_never_differs_from_the_old_dicts(ws, files, seed, n, drop):
    """Whatever is tagged (and then deleted), every split's JSON is the old dicts' JSON, and
    the counts add up: a cell never holds more than its row, a row's cells sum to its total."""
    rnd = random.Random(seed)
    made = _tag_at_random(ws, files, rnd, n)
    for item in made[:drop]:
        evidence.delete(ws, item.id)
    for by in coverage.BY:
        data = coverage.coverage(ws, by=by)
        _same(as_json(data), _old_coverage(ws, by))
        for row in data.rows:
            assert sum(c.total for c in row.cells.values()) == row.total
            assert row.strong + row.moderate + row.weak == row.total
            assert coverage.level(row) == ("none" if not row.total else "thin" if not row.strong
                                            else "some" if row.strong == 1 else "good")
    _same(as_json(coverage.caseloads(ws)), _old_caseloads(ws))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ident=st.text(max_size=40))
def test_property_framework_get_gives_a_record_or_says_not_found(ws, ident):
    """Whatever is typed as an id: the line or request record, or a one-line NotFound."""
    from evidence_app.core.base.errors import InvalidInput, NotFound
    from evidence_app.core.store.records import Enquiry

    try:
        framework.resolve_enquiries(ws, [ident])
    except InvalidInput as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc)
    try:
        kind, found = framework.get(ws, ident)
    except NotFound as exc:
        assert "\n" not in str(exc) and "\r" not in str(exc) and "framework list" in str(exc)
        return
    assert (kind, type(found)) in (("enquiry", Enquiry), ("request", FrameworkRequest))
    assert found.id == ident.strip().upper()
