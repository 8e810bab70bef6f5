"""Every figure a claim can cite, recomputed here from the database with its own SQL, so a
figure in a self-evaluation is what its definition says."""
from __future__ import annotations

import datetime as dt

from evidence_app.core.evidence import cases, evidence, requests
from evidence_app.core.sef import figures


def q(ws, sql, *params):
    return ws.db.conn.execute(sql, params).fetchall()


def expected(ws) -> dict:
    """Each figure's one-line value, from the tables directly."""
    sampled = q(ws, "SELECT id FROM cases WHERE sampled = 1 AND open = 1")
    ready = 0
    for (cid,) in sampled:
        done = {r[0] for r in q(ws, "SELECT item FROM case_readiness WHERE case_id = ? AND "
                                     "done = 1", cid)}
        ready += done >= {"chronology", "plan", "visits", "voice", "oversight", "supervision"}
    pct = lambda n, d: f"{round(100 * n / d)}%" if d else "–"  # noqa: E731
    open_rows = q(ws, "SELECT team, worker FROM cases WHERE open = 1")
    workers = {}
    for team, worker in open_rows:
        workers.setdefault(team or "", set())
        if worker and worker.strip():
            workers[team or ""].add(worker.strip())
    n_workers = sum(len(w) for w in workers.values())
    live = q(ws, "SELECT id, strength FROM evidence_items WHERE deleted_at IS NULL")
    active = [r[0] for r in q(ws, "SELECT e.id FROM enquiries e JOIN judgement_areas a ON "
                                   "a.id = e.area_id WHERE e.retired = 0 AND a.retired = 0")]
    live_ids = {i for i, _ in live}
    strong_ids = {i for i, s in live if s == "strong"}
    links = q(ws, "SELECT item_id, enquiry_id FROM evidence_enquiries")
    with_any = {e for i, e in links if i in live_ids}
    with_strong = {e for i, e in links if i in strong_ids}
    reqs = q(ws, "SELECT status FROM requests WHERE retired = 0")
    ready_reqs = sum(s in ("ready", "sent") for (s,) in reqs)
    return {
        "sampled-cases-ready": f"{ready} of {len(sampled)} ({pct(ready, len(sampled))})",
        "caseload-per-worker-by-team": f"{len(open_rows) / n_workers:.1f} overall",
        "evidence-by-enquiry": f"{sum(e in with_any for e in active)} of {len(active)} lines "
                               "of enquiry have evidence",
        "evidence-items": str(len(live)),
        "lines-without-strong-evidence": f"{sum(e not in with_strong for e in active)} of "
                                         f"{len(active)}",
        "requests-ready": f"{ready_reqs} of {len(reqs)} ({pct(ready_reqs, len(reqs))})",
        "open-cases": str(len(open_rows)),
    }


def check_all(ws):
    want = expected(ws)
    got = figures.compute_all(ws.db)
    assert set(got) == set(want) == {d.name for d in figures.DEFINITIONS}
    for name, value in want.items():
        assert got[name].value == value, name
        assert got[name].definition and got[name].title
        assert dt.date.fromisoformat(got[name].as_of)


def test_each_figure_matches_the_database(sef_ws):
    check_all(sef_ws)


def test_figures_follow_the_workspace(sef_ws):
    ws = sef_ws
    for item in ("chronology", "plan", "visits", "voice", "oversight", "supervision"):
        cases.check(ws, "CH-004512", item)
    cases.add_case(ws, "CH-222222", alias="Child E", team="CIC team", worker="Ann Ray")
    cases.update_case(ws, "CH-000777", open=False)
    evidence.delete(ws, ws.items["plan"], force=True)
    first = requests_first(ws)
    requests.update(ws, first, status="ready")
    check_all(ws)
    got = figures.compute_all(ws.db)
    assert got["sampled-cases-ready"].value == "1 of 2 (50%)"
    teams = dict(got["caseload-per-worker-by-team"].rows)
    assert teams["CIC team"] == "2.0 (2 cases, 1 workers)"
    assert teams["Assessment"] == "1.0 (1 cases, 1 workers)"
    by_line = dict(got["evidence-by-enquiry"].rows)
    hp15 = next(v for k, v in by_line.items() if k.startswith("HP-15 "))
    assert hp15 == "1 (0 strong)"


def requests_first(ws) -> str:
    return ws.db.conn.execute("SELECT id FROM requests WHERE retired = 0 ORDER BY position "
                              "LIMIT 1").fetchone()[0]


def test_names_are_matched_loosely_and_unknown_ones_refused(sef_ws):
    import pytest

    from evidence_app.core.base.errors import InvalidInput

    for name in ("sampled cases ready", "Sampled-Cases-Ready", "sampled_cases_ready",
                 "Sampled cases ready"):
        assert figures.definition(name).name == "sampled-cases-ready"
    with pytest.raises(InvalidInput, match="Figures: sampled-cases-ready"):
        figures.definition("morale")
