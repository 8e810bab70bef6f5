"""Property: any sequence of tag / edit / delete / undo / redo, with any text a person might type,
never loses an evidence item and never raises anything but a plain refusal. Undo always brings
back exactly what was there before the write it takes back, and redo exactly what was there
after it, as the window's undo stack uses the core (a stack of `Done`s)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.evidence import evidence, framework
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.safety import audit
from tests.factories import write_text

ENQUIRIES = ["HP-15", "CIC-12", "LEAD-01", "hp-04"]
REQUESTS = ["AA-L07", "AA-L08"]
# what a person types: anything printable or not, blank, long, a retired id
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(["", "   ", "strong", "impact", "CH-1"]))
PICK = st.integers(min_value=0, max_value=10_000)

OPS = st.lists(st.one_of(
    st.tuples(st.just("tag"), PICK, st.lists(st.sampled_from(ENQUIRIES), max_size=2),
              st.lists(st.sampled_from(REQUESTS), max_size=1), TEXT),
    st.tuples(st.just("note"), PICK, TEXT),
    st.tuples(st.just("strength"), PICK, st.sampled_from(["strong", "weak", "moderate", "huge"])),
    st.tuples(st.just("kind"), PICK, st.sampled_from(["impact", "development", "area for "
                                                      "development", "nonsense"])),
    st.tuples(st.just("links"), PICK, st.lists(st.sampled_from(ENQUIRIES), max_size=2),
              st.lists(st.sampled_from(REQUESTS), max_size=1)),
    st.tuples(st.just("case"), PICK, st.sampled_from(["", "CH-000777", "ch-004512"])),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("retire"), st.booleans()),  # a manager retires LEAD-01 meanwhile
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo"))), max_size=25)


@pytest.fixture
def docs(ws, cases_dir):
    files = [write_text(cases_dir / "CH-004512" / "visit.txt", "Home visit. She feels safe."),
             write_text(cases_dir / "CH-000777" / "review.txt", "Review of the care plan.")]
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    framework.ensure(ws)
    return [str(f) for f in files]


def shown(ws) -> dict:
    """Every item a person can see, as they see it (the time of the last change aside)."""
    return {i.id: replace(i, updated_at="") for i in evidence.list_items(ws)}


def stored_ids(ws) -> set[int]:
    return {r[0] for r in ws.db.conn.execute("SELECT id FROM evidence_items")}


def write(ws, docs, op):  # noqa: ANN001, ANN201
    """The core write an op stands for (None when there is no item to apply it to)."""
    live = sorted(shown(ws))
    kind, pick = op[0], op[1]
    if kind == "tag":
        return evidence.tag(ws, docs[pick % len(docs)], op[2], op[3], note=op[4])
    if not live:
        return None
    item = live[pick % len(live)]
    if kind == "delete":
        return evidence.delete(ws, item)
    if kind == "links":
        return evidence.edit(ws, item, enquiries=op[2], requests=op[3])
    if kind == "case":
        return evidence.edit(ws, item, case_ref=op[2])
    return evidence.edit(ws, item, **{kind: op[2]})


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_tag_edit_delete_undo_redo_never_lose_an_item(ws, docs, ops):
    framework.retire(ws, "LEAD-01", retired=False)
    undo, redo = [], []
    history, at = [shown(ws)], 0   # what each step of the undo history shows
    ever = stored_ids(ws)
    for op in ops:
        if op[0] == "retire":  # not an item change: undo and redo must still work after it
            framework.retire(ws, "LEAD-01", retired=op[1])
            continue
        if op[0] in ("undo", "redo"):
            stack, other, step = (undo, redo, -1) if op[0] == "undo" else (redo, undo, 1)
            if not stack:
                continue
            other.append(stack.pop().undo(ws))  # the Done that comes back undoes the undo
            at += step
            assert shown(ws) == history[at], op
        else:
            before = shown(ws)
            try:
                done = write(ws, docs, op)
            except EvidenceError as refused:  # a plain refusal: a one-line message, no change
                assert str(refused) and "\n" not in str(refused).strip()
                assert shown(ws) == before, op
                continue
            if done is None:
                continue
            undo.append(done)
            redo.clear()
            history[at + 1:] = [shown(ws)]
            at += 1
            after = history[at]
            if op[0] == "tag":
                assert set(after) - set(before) == {done.value.id}
            elif op[0] == "delete":
                assert set(before) - set(after) == {done.value.id}
            else:
                assert set(after) == set(before)
        now = stored_ids(ws)
        assert ever <= now, "an evidence item row disappeared"
        ever = now
    assert audit.verify(ws).ok
