"""Property: whatever order packs are imported, conflicts settled, work done on one's own items,
and Ctrl+Z / Ctrl+Y pressed in (the window's undo stack, modelled here), no item is ever lost:
an undo removes exactly the items its change added and nothing else, a redo brings exactly
those back, every other step only adds, one's own work survives every undo, and a refused undo
or redo writes nothing and says why in one line."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import evidence
from evidence_app.core.packs import conflicts, export, importer
from evidence_app.core.store.row_changes import recorded_tables
from tests.core.packs.conftest import REVIEW, VISIT, make_ws, tag
from tests.factories import write_docx, write_text

OPS = st.lists(st.one_of(
    st.tuples(st.just("import"), st.integers(0, 2)),
    st.tuples(st.just("resolve"), st.sampled_from(["mine", "theirs", "both"])),
    st.tuples(st.just("edit"), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("redo"), st.none()),
), min_size=1, max_size=12)


def _items(ws) -> set[str]:
    return {r[0] for r in ws.db.conn.execute("SELECT uuid FROM evidence_items")}


def _tables(ws) -> dict:
    conn = ws.db.conn
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in recorded_tables(conn) if t != "meta"}


def _packs(tmp: Path, alice, visit: str, review: str) -> list[Path]:
    """Three packs from Alice: two items; one edited and a third added; one deleted."""
    out = []
    first = tag(alice, visit, ["HP-06"], quote="feels safe with her grandmother", note="one")
    tag(alice, review, ["CIC-02"], note="two")
    out.append(tmp / "p0.evpack")
    export.export_pack(alice, out[-1])
    evidence.edit(alice, first.id, note="one, edited by Alice")
    tag(alice, visit, ["HP-15"], quote="arrange contact", note="three")
    out.append(tmp / "p1.evpack")
    export.export_pack(alice, out[-1])
    evidence.delete(alice, first.id, force=True)
    out.append(tmp / "p2.evpack")
    export.export_pack(alice, out[-1])
    return out


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS)
def test_no_sequence_of_imports_choices_undos_and_redos_loses_an_item(ops):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shared = tmp / "shared"
        write_text(shared / "CH-004512" / "visit.txt", VISIT)
        write_docx(shared / "CH-000777" / "review.docx", REVIEW)
        visit, review = str(shared / "CH-004512" / "visit.txt"), str(
            shared / "CH-000777" / "review.docx")
        alice, bob = make_ws(tmp, "Alice", shared), make_ws(tmp, "Bob", shared)
        try:
            packs = _packs(tmp, alice, visit, review)
            own = tag(bob, visit, ["HP-06"], quote="wants to keep seeing her brother",
                      note="Bob's own")
            # Bob already has Alice's first pack and has changed her first item: conflicts
            importer.import_packs(bob, [packs[0]])
            theirs = next(i for i in evidence.list_items(bob) if i.note == "one")
            evidence.edit(bob, theirs.id, note="one, edited by Bob")
            own_note = "Bob's own"
            undo: list[tuple] = []  # (done, items it added)
            redo: list[tuple] = []
            for op, arg in ops:
                before, tables_before = _items(bob), _tables(bob)
                if op in ("undo", "redo"):
                    stack = undo if op == "undo" else redo
                    if not stack:
                        continue
                    done, added = stack.pop()
                    try:
                        back = done.undo(bob)
                    except InvalidInput as exc:
                        assert "\n" not in str(exc) and "cannot be" in str(exc)
                        assert _tables(bob) == tables_before  # refused: nothing written
                        continue  # the window drops a step it cannot take
                    (redo if op == "undo" else undo).append((back, added))
                    expected = before - added if op == "undo" else before | added
                    assert _items(bob) == expected, (op, ops)
                elif op == "edit":
                    own_note = f"Bob's own, {arg}"
                    evidence.edit(bob, own.id, note=own_note)  # not on the undo stack
                else:
                    if op == "import":
                        done = importer.import_packs(bob, [packs[arg]])
                    else:
                        open_ = conflicts.list_conflicts(bob)
                        if not open_:
                            continue
                        done = conflicts.resolve(bob, open_[0].id, arg)
                    assert _items(bob) >= before, (op, ops)  # imports and choices only add
                    if done.undo is not None:
                        undo.append((done, _items(bob) - before))
                        redo.clear()
                assert evidence.get_item(bob, own.id).note == own_note  # own work never lost
        finally:
            alice.close()
            bob.close()
