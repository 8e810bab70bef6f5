"""No sequence of claim writes and undos/redos loses a claim or raises anything but a clear
refusal: after every step the stored claims are exactly what the steps say they should be."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.sef import claims
from evidence_app.core.store import sef as store

AREAS = ["overview", "LEAD", "HP", "CIC", "CL", "nope"]
TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
STEP = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(AREAS), st.sampled_from(["know", "how", "plans"]),
              TEXTS),
    st.tuples(st.just("edit"), st.integers(0, 6), TEXTS, st.sampled_from(
        [None, "strength", "development", "impact", "bogus"])),
    st.tuples(st.just("cite"), st.integers(0, 6), st.sampled_from(
        ["E-1", "E-2", "E-999", "figure:open cases", "search:none", "x"])),
    st.tuples(st.just("uncite"), st.integers(0, 6), st.sampled_from(["E-1", "open-cases"])),
    st.tuples(st.just("move"), st.integers(0, 6), st.integers(-2, 9)),
    st.tuples(st.just("delete"), st.integers(0, 6)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def state(ws) -> dict:
    return {c.uuid: (c.area, c.question, c.type, c.text, c.enquiries,
                     tuple((x.kind, x.ref) for x in c.citations))
            for c in store.claims(ws.db)}


@pytest.fixture
def seeded(ws, policies_dir):
    from evidence_app.core.evidence import evidence
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from tests.factories import write_text

    write_text(policies_dir / "a.txt", "Audits show supervision is regular.")
    write_text(policies_dir / "b.txt", "Caseloads are manageable.")
    add_source(ws, policies_dir, "policies")
    index_workspace(ws)
    evidence.tag(ws, str(policies_dir / "a.txt"), ["LEAD-03"], strength="strong")
    evidence.tag(ws, str(policies_dir / "b.txt"), ["LEAD-10"])
    return ws


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, max_size=14))
def test_no_sequence_of_edits_and_undos_loses_a_claim(seeded, steps):
    ws = seeded
    for c in store.claims(ws.db, include_deleted=True):      # a fresh start for each example
        ws.db.conn.execute("DELETE FROM sef_claims WHERE id = ?", [c.id])
    undo: list = []         # Done objects whose undo takes the last write back
    redo: list = []
    history = [state(ws)]   # what the claims should be after each applied write
    future: list = []
    for step in steps:
        ids = [c.id for c in store.claims(ws.db)]
        pick = (lambda n: ids[n % len(ids)]) if ids else (lambda n: 10_000 + n)
        kind = step[0]
        try:
            if kind == "undo":
                if not undo:
                    continue
                back = undo.pop().undo(ws)
                redo.append(back)
                future.append(history.pop())
                assert state(ws) == history[-1]
                continue
            if kind == "redo":
                if not redo:
                    continue
                again = redo.pop().undo(ws)
                undo.append(again)
                history.append(future.pop())
                assert state(ws) == history[-1]
                continue
            if kind == "add":
                done = claims.add(ws, step[1], step[2], step[3])
            elif kind == "edit":
                done = claims.edit(ws, pick(step[1]), text=step[2] or None, type=step[3])
            elif kind == "cite":
                done = claims.edit(ws, pick(step[1]), cites=[step[2]])
            elif kind == "uncite":
                done = claims.edit(ws, pick(step[1]), uncite=[step[2]])
            elif kind == "move":
                done = claims.move(ws, pick(step[1]), step[2])
            else:
                done = claims.delete(ws, pick(step[1]))
        except EvidenceError as exc:                    # a refusal: one line, nothing changed
            assert "\n" not in str(exc) and str(exc)
            assert state(ws) == history[-1]
            continue
        if done.undo is None:                           # nothing to change
            assert state(ws) == history[-1]
            continue
        undo.append(done)
        redo.clear()
        future.clear()
        history.append(state(ws))
    # unwinding everything gets back to the start, with every claim accounted for
    while undo:
        undo.pop().undo(ws)
    assert state(ws) == history[0]
