"""An item changed on both sides is a conflict; each resolution does what it says, travels, and
settles the same conflict elsewhere."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence import evidence
from evidence_app.core.packs import conflicts, export, importer
from tests.core.packs.conftest import doc, dump, tag


@pytest.fixture
def disputed(team, shared, tmp_path):
    """Alice's item, merged by Bob, then edited by both: each imports the other's pack."""
    a, b = team["Alice"], team["Bob"]
    item = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother",
                        note="first")
    p0 = tmp_path / "p0.evpack"
    export.export_pack(a, p0)
    importer.import_packs(b, [p0]).value
    b_id = evidence.list_items(b)[0].id
    evidence.edit(a, item.id, note="Alice's reading", strength="strong")
    evidence.edit(b, b_id, note="Bob's reading", add_enquiries=["HP-15"])
    pa, pb = tmp_path / "a.evpack", tmp_path / "b.evpack"
    export.export_pack(a, pa)
    export.export_pack(b, pb)
    ra = importer.import_packs(a, [pb]).value.reports[0]
    rb = importer.import_packs(b, [pa]).value.reports[0]
    assert len(ra.conflicts) == 1 and len(rb.conflicts) == 1
    return a, b, item


def test_conflict_is_listed_with_both_versions_and_the_same_everywhere(disputed):
    a, b, item = disputed
    [c] = conflicts.list_conflicts(a)
    assert c.mine["note"] == "Alice's reading" and c.theirs["note"] == "Bob's reading"
    assert c.sender == "Bob" and c.item_id == item.id
    [cb] = conflicts.list_conflicts(b)
    assert cb.mine["note"] == "Bob's reading" and cb.theirs["note"] == "Alice's reading"
    # both show the same version meanwhile (the later change), and nothing was dropped
    assert dump(a) == dump(b)
    assert evidence.get_item(a, item.id).note == evidence.list_items(b)[0].note


def test_keep_mine(disputed):
    a, _, item = disputed
    done = conflicts.resolve(a, conflicts.list_conflicts(a)[0].id, "mine").value
    got = evidence.get_item(a, item.id)
    assert got.note == "Alice's reading" and got.strength == "strong"
    assert got.enquiries == ("HP-06",) and done.copy_id is None
    assert conflicts.list_conflicts(a) == []
    assert len(evidence.list_items(a)) == 1


def test_keep_theirs(disputed):
    a, _, item = disputed
    conflicts.resolve(a, conflicts.list_conflicts(a)[0].id, "theirs").value
    got = evidence.get_item(a, item.id)
    assert got.note == "Bob's reading" and got.enquiries == ("HP-06", "HP-15",)
    assert len(evidence.list_items(a)) == 1


def test_keep_both_makes_a_marked_copy(disputed):
    a, _, item = disputed
    done = conflicts.resolve(a, str(conflicts.list_conflicts(a)[0].id), "both").value
    mine = evidence.get_item(a, item.id)
    copy = evidence.get_item(a, done.copy_id)
    assert mine.note == "Alice's reading"
    assert copy.note == "Copy from Bob. Bob's reading"
    assert copy.quote == mine.quote and copy.enquiries == ("HP-06", "HP-15")
    assert copy.uuid != mine.uuid


def test_a_resolution_travels_and_settles_the_conflict_elsewhere(disputed, tmp_path):
    a, b, _ = disputed
    conflicts.resolve(a, conflicts.list_conflicts(a)[0].id, "both").value
    p = tmp_path / "resolved.evpack"
    export.export_pack(a, p)
    importer.import_packs(b, [p]).value
    assert conflicts.list_conflicts(b) == []
    assert dump(a) == dump(b)
    notes = sorted(i.note for i in evidence.list_items(b))
    assert notes == ["Alice's reading", "Copy from Bob. Bob's reading"]


def test_delete_against_edit_is_a_conflict_not_a_silent_loss(team, shared, tmp_path):
    a, b = team["Alice"], team["Bob"]
    item = tag(a, doc(shared), ["HP-06"], note="keep me?")
    p0 = tmp_path / "p0.evpack"
    export.export_pack(a, p0)
    importer.import_packs(b, [p0]).value
    evidence.delete(a, item.id)
    evidence.edit(b, evidence.list_items(b)[0].id, note="still useful")
    pb = tmp_path / "b.evpack"
    export.export_pack(b, pb)
    importer.import_packs(a, [pb]).value
    [c] = conflicts.list_conflicts(a)
    assert c.mine["deleted_at"] and c.theirs["note"] == "still useful"
    conflicts.resolve(a, c.id, "theirs").value
    assert evidence.get_item(a, item.id).note == "still useful"


def test_bad_choices_and_ids(disputed):
    a, _, _ = disputed
    with pytest.raises(InvalidInput, match="mine, theirs or both"):
        conflicts.resolve(a, 1, "neither").value
    with pytest.raises(NotFound):
        conflicts.resolve(a, 999, "mine").value
    cid = conflicts.list_conflicts(a)[0].id
    conflicts.resolve(a, cid, "mine").value
    with pytest.raises(InvalidInput, match="already settled"):
        conflicts.resolve(a, cid, "theirs").value


def test_likely_duplicates_keep_both_or_one(team, shared, tmp_path):
    a, b = team["Alice"], team["Bob"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother")
    tag(b, doc(shared), ["HP-06"], quote="Ashlyn said she feels safe")
    tag(b, doc(shared), ["HP-06"], quote="arrange contact")  # elsewhere: not one
    p = tmp_path / "b.evpack"
    export.export_pack(b, p)
    report = importer.import_packs(a, [p]).value.reports[0]
    assert len(report.duplicates) == 1 and len(report.added) == 2
    [d] = conflicts.list_duplicates(a)
    done = conflicts.resolve(a, f"D{d.id}", "mine").value
    live = [i.id for i in evidence.list_items(a)]
    assert done.item_id in live and done.deleted_id not in live and len(live) == 2
    assert conflicts.list_duplicates(a) == []
