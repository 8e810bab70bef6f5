"""Cases and framework writes return Done: do -> undo -> redo leaves the same rows, and random
sequences of edits, undos and redos never raise past a one-line refusal or lose a line."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from evidence_app.core.base.errors import EvidenceError, InvalidInput
from evidence_app.core.evidence import cases, framework
from evidence_app.core.store.records import as_json


def _framework_rows(ws):
    return ([as_json(a) for a in framework.areas(ws, True)],
            [as_json(e) for e in framework.enquiries(ws, True)],
            [as_json(r) for r in framework.requests(ws, True)])


def _case_rows(ws):
    return [(as_json(c), [as_json(r) for r in cases.readiness(ws, c.ref)])
            for c in cases.list_cases(ws, include_name=True)]


def _strip_times(rows):
    """updated_at moves on every write; everything else must come back exactly."""
    return [({k: v for k, v in c.items() if k != "updated_at"}, r) for c, r in rows]


def test_add_case_undo_removes_it_and_redo_brings_back_the_same_case(ws):
    done = cases.add_case(ws, "CH-1", name="Ann Example", sampled=True)
    cases.check(ws, "CH-1", "voice")
    uuid = done.value.uuid
    assert done.changes.touches("cases")
    gone = done.undo(ws)
    assert cases.list_cases(ws) == []
    back = gone.undo(ws)
    assert back.value.uuid == uuid and back.value.name == "Ann Example"
    assert {r.item: r.done for r in cases.readiness(ws, "CH-1")}["voice"]  # ticks come back


def test_update_case_and_readiness_round_trip(ws):
    cases.add_case(ws, "CH-1", worker="Sam", redact=["Elm Road"])
    before = _strip_times(_case_rows(ws))
    edit = cases.update_case(ws, "CH-1", worker="Jo", add_redact=["Smith"], status="CP")
    assert edit.value.worker == "Jo"
    undone = edit.undo(ws)
    assert _strip_times(_case_rows(ws)) == before
    undone.undo(ws)
    assert cases.get_case(ws, "CH-1").redact == ("Elm Road", "Smith")
    tick = cases.check(ws, "CH-1", "plan")
    assert tick.value.done and tick.value.by
    tick.undo(ws)
    assert not {r.item: r for r in cases.readiness(ws, "CH-1")}["plan"].by  # as never ticked
    assert cases.update_case(ws, "CH-1", worker="Sam").undo is not None
    assert cases.update_case(ws, "CH-1", worker="Sam").undo is None  # nothing changed


def test_framework_edits_round_trip(ws):
    before = _framework_rows(ws)
    steps = [lambda: framework.add_enquiry(ws, "HP", "Family help"),
             lambda: framework.rename(ws, "LEAD-01", title="Self-evaluation"),
             lambda: framework.move(ws, "CL-03", 1),
             lambda: framework.retire(ws, "HP-02"),
             lambda: framework.add_request(ws, "Family help data", "data-list")]
    for step in steps:
        done = step()
        after = _framework_rows(ws)
        assert after != before
        again = done.undo(ws)
        assert _framework_rows(ws) == before, done.label
        redone = again.undo(ws)
        assert _framework_rows(ws) == after, done.label
        redone.undo(ws).undo(ws)  # and once more round
        assert _framework_rows(ws) == after, done.label
        before = after
    custom = framework.add_enquiry(ws, "CIC", "Kinship").value
    shown = _framework_rows(ws)
    removed = framework.delete(ws, custom)
    back = removed.undo(ws)
    assert back.value == custom and _framework_rows(ws) == shown  # same uuid and place
    with pytest.raises(InvalidInput, match="already there"):
        removed.undo(ws)  # the same undo twice (never done by the window) is refused calmly
    switched = framework.use_version(ws, "ilacs-2023-01")
    assert "OE" in [a.id for a in framework.areas(ws)]
    switched.undo(ws)
    assert framework.current_version(ws) == "ilacs-2026-04"
    assert "OE" not in [a.id for a in framework.areas(ws)]


_OPS = st.lists(st.tuples(st.sampled_from(["add", "rename", "move", "retire", "unretire",
                                          "delete", "undo", "redo"]),
                          st.integers(0, 40), st.text(max_size=12)), max_size=14)


@hsettings(max_examples=25, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_random_framework_edits_with_undo_and_redo_never_lose_a_line(ws, ops):
    """Like a person clicking about with Ctrl+Z and Ctrl+Y: every step works or is refused in
    one line; afterwards every shipped line is still there and the undo chain still runs."""
    shipped = {e.id for e in framework.enquiries(ws, True) if not e.custom}
    undo: list = []
    redo: list = []
    for op, n, text in ops:
        lines = [e.id for e in framework.enquiries(ws, True)]
        ident = lines[n % len(lines)]
        try:
            if op == "undo" and undo:
                redo.append(undo.pop().undo(ws))
                continue
            if op == "redo" and redo:
                undo.append(redo.pop().undo(ws))
                continue
            done = {"add": lambda: framework.add_enquiry(ws, "HP", text or "New line"),
                    "rename": lambda: framework.rename(ws, ident, title=text or "Renamed"),
                    "move": lambda: framework.move(ws, ident, n),
                    "retire": lambda: framework.retire(ws, ident),
                    "unretire": lambda: framework.retire(ws, ident, False),
                    "delete": lambda: framework.delete(ws, ident)}.get(op)
            if done is None:
                continue
            d = done()
        except EvidenceError as exc:
            assert "\n" not in str(exc)
            continue
        if d.undo is not None:
            undo.append(d)
            redo.clear()
    assert shipped <= {e.id for e in framework.enquiries(ws, True)}
    while undo:
        try:
            undo.pop().undo(ws)
        except EvidenceError as exc:
            assert "\n" not in str(exc)
    assert shipped <= {e.id for e in framework.enquiries(ws, True)}
