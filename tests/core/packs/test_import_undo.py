"""A pack import, a conflict settled and a likely duplicate decided are each one undoable change:
undo puts every table back byte for byte, redo makes it again, and an undo that would lose work
done since is refused in one line with nothing written."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import cases, evidence
from evidence_app.core.packs import conflicts, export, importer
from evidence_app.core.search.search import search
from evidence_app.core.store.row_changes import recorded_tables
from tests.core.packs.conftest import doc, tag

# the journal's sequence only moves forward (like the audit log); a backup is kept on purpose
FORWARD = ("journal.", "backup.")


def tables(ws) -> dict:
    """Every row of every table an undo may touch (the audit log only grows), and both
    full-text indexes checked against their tables."""
    conn = ws.db.conn
    out = {}
    for t in recorded_tables(conn):
        rows = conn.execute(f'SELECT * FROM "{t}"').fetchall()
        if t == "meta":
            rows = [r for r in rows if not str(r[0]).startswith(FORWARD)]
        out[t] = sorted(rows, key=repr)
    for fts in ("chunks_fts", "names_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    return out


def _names(ws) -> set[str]:
    return {r[0] for r in ws.db.conn.execute("SELECT uuid FROM evidence_items")}


@pytest.fixture
def sent(team, shared, tmp_path):
    """Alice's pack (two items, a case edited, a carried copy of a file Bob does not have);
    Bob has work of his own already."""
    a, b = team["Alice"], team["Bob"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="Alice's")
    tag(a, doc(shared, "review"), ["CIC-02"], note="review")
    cases.add_case(a, "CH-004512", worker="Sam Patel", team="North")
    own = tag(b, doc(shared), ["HP-15"], quote="wants to keep seeing her brother", note="Bob's")
    extra = shared.parent / "only-alice" / "letter.txt"
    extra.parent.mkdir(parents=True)
    extra.write_text("A letter from the headteacher about attendance and the zebra crossing.")
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source

    add_source(a, extra.parent, "other")
    index_workspace(a)
    tag(a, str(extra), ["HP-06"], note="attendance letter")
    pack = tmp_path / "alice.evpack"
    export.export_pack(a, pack, with_files=True)
    return a, b, pack, own


def test_import_undo_puts_every_table_back_and_redo_makes_it_again(sent):
    _, b, pack, own = sent
    before = tables(b)
    done = importer.import_packs(b, [pack])
    after = tables(b)
    assert after != before and done.undo is not None and done.label.startswith("Import")
    assert {"evidence", "cases", "packs"} <= done.changes.areas
    assert search(b, "zebra").hits  # the carried copy is searchable
    back = done.undo(b)
    assert tables(b) == before
    assert _names(b) == {own.uuid}
    assert not search(b, "zebra").hits
    again = back.undo(b)
    assert tables(b) == after
    assert search(b, "zebra").hits
    again.undo(b)
    assert tables(b) == before


def test_undo_keeps_work_done_since_on_other_items(sent):
    _, b, pack, own = sent
    done = importer.import_packs(b, [pack])
    evidence.edit(b, own.id, note="Bob, later")
    later = tag(b, _shared_doc(b), ["HP-02"], note="new since")
    done.undo(b)
    left = {i.uuid: i for i in evidence.list_items(b)}
    assert set(left) == {own.uuid, later.uuid}
    assert left[own.uuid].note == "Bob, later"


def _shared_doc(ws) -> str:
    """A document Bob indexed himself (not one the pack carried)."""
    row = ws.db.conn.execute("SELECT path FROM documents WHERE name = 'visit.txt'").fetchone()
    return row[0]


def test_undo_is_refused_when_what_it_imported_was_changed_since(sent):
    _, b, pack, _ = sent
    done = importer.import_packs(b, [pack])
    imported = next(i for i in evidence.list_items(b) if i.note == "Alice's")
    evidence.edit(b, imported.id, note="Bob changed Alice's item")
    now = tables(b)
    with pytest.raises(InvalidInput) as err:
        done.undo(b)
    msg = str(err.value)
    assert "\n" not in msg and "cannot be undone" in msg and "changed since" in msg
    assert "before-pack" in msg  # where to go back to instead
    assert tables(b) == now  # nothing written


def test_undo_is_refused_when_later_work_depends_on_what_it_added(sent):
    _, b, pack, _ = sent
    done = importer.import_packs(b, [pack])
    imported = next(i for i in evidence.list_items(b) if i.note == "attendance letter")
    made = bundles.create_bundle(b, "For the inspectors", enquiries=["HP-06"]).value
    assert made.section_of(imported.id) is not None  # the bundle made since holds it
    now = tables(b)
    with pytest.raises(InvalidInput, match="depend on what it changed"):
        done.undo(b)
    assert tables(b) == now


@pytest.fixture
def disputed(team, shared, tmp_path):
    a, b = team["Alice"], team["Bob"]
    item = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="first")
    p0 = tmp_path / "p0.evpack"
    export.export_pack(a, p0)
    importer.import_packs(b, [p0])
    evidence.edit(a, item.id, note="Alice's reading")
    evidence.edit(b, evidence.list_items(b)[0].id, note="Bob's reading")
    pb = tmp_path / "b.evpack"
    export.export_pack(b, pb)
    importer.import_packs(a, [pb])
    assert len(conflicts.list_conflicts(a)) == 1
    return a, item


@pytest.mark.parametrize("choice", ["mine", "theirs", "both"])
def test_settling_a_conflict_is_undone_and_redone_exactly(disputed, choice):
    a, item = disputed
    before = tables(a)
    done = conflicts.resolve(a, conflicts.list_conflicts(a)[0].id, choice)
    after = tables(a)
    assert conflicts.list_conflicts(a) == []
    back = done.undo(a)
    assert tables(a) == before
    [c] = conflicts.list_conflicts(a)
    assert {c.mine["note"], c.theirs["note"]} == {"Alice's reading", "Bob's reading"}
    back.undo(a)
    assert tables(a) == after


def test_a_likely_duplicate_decision_is_undone(team, shared, tmp_path):
    a, b = team["Alice"], team["Bob"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="Alice")
    tag(b, doc(shared), ["HP-06"], quote="safe with her grandmother", note="Bob")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    importer.import_packs(b, [p])
    [d] = conflicts.list_duplicates(b)
    before = tables(b)
    done = conflicts.resolve(b, f"D{d.id}", "mine")
    assert len(evidence.list_items(b)) == 1
    done.undo(b)
    assert tables(b) == before
    assert len(evidence.list_items(b)) == 2 and len(conflicts.list_duplicates(b)) == 1


def test_a_restore_replays_the_undo_too(team, shared, tmp_path):
    """Import, undo, then the database restored from the import's backup with the journal
    replayed: the items the undo took away stay away (its journal line says so)."""
    from evidence_app.core.safety import backup

    a, m = team["Alice"], team["Manager"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="voice")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    done = importer.import_packs(m, [p])
    mine = tag(m, doc(shared, "review"), ["CIC-02"], note="the manager's own")
    done.undo(m)
    assert [i.uuid for i in evidence.list_items(m)] == [mine.uuid]
    backup.restore(m, done.value.backup, replay=True)
    assert [i.uuid for i in evidence.list_items(m)] == [mine.uuid]
