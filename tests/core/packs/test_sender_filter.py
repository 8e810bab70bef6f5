"""The evidence list and coverage filtered by sender: a manager sees what one colleague's packs
brought, or only their own work; a mistyped name is refused, never an empty "no evidence"."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import coverage, evidence, senders
from evidence_app.core.packs import export, importer
from evidence_app.core.store.records import as_json
from tests.core.packs.conftest import doc, tag


def _row(data: dict, enquiry: str) -> dict:
    return next(r for r in data.rows if r.enquiry == enquiry)


def test_lists_and_coverage_split_by_who_the_items_came_from(team, shared, tmp_path):
    a, b, m = team["Alice"], team["Bob"], team["Manager"]
    a1 = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother",
             strength="strong")
    a2 = tag(a, doc(shared, "review"), ["CIC-02"], quote="IRO challenged drift")
    b1 = tag(b, doc(shared, "review"), ["CIC-12"], quote="views were gathered by his advocate",
             strength="strong")
    mine = tag(m, doc(shared), ["HP-15"], note="the manager's own")
    assert not senders.has_imported(m)
    for src, name in ((a, "alice"), (b, "bob")):
        export.export_pack(src, tmp_path / f"{name}.evpack")
        importer.import_packs(m, [tmp_path / f"{name}.evpack"]).value
    assert senders.has_imported(m)
    assert senders.known(m) == ["Manager", "Alice", "Bob"]

    def uuids(**kw) -> set[str]:
        return {i.uuid for i in evidence.list_items(m, **kw)}

    assert uuids() == {a1.uuid, a2.uuid, b1.uuid, mine.uuid}
    assert uuids(sender="Alice") == {a1.uuid, a2.uuid}
    assert uuids(sender="  bob ") == {b1.uuid}  # names as typed: case and spaces forgiven
    assert uuids(sender="Manager") == {mine.uuid}  # made here: this workspace's person
    assert uuids(sender="Alice", enquiry="HP-06") == {a1.uuid}  # with the other filters

    whole = coverage.coverage(m)
    alice = coverage.coverage(m, sender="Alice")
    assert _row(whole, "CIC-12").strong == 1 and _row(alice, "CIC-12").total == 0
    assert _row(alice, "HP-06").strong == 1 and _row(alice, "CIC-02").total == 1
    assert _row(alice, "HP-15").total == 0 and _row(whole, "HP-15").total == 1
    assert "HP-06" not in {g.enquiry for g in alice.gaps}
    assert "CIC-12" in {g.enquiry for g in alice.gaps}  # Bob's strong item isn't hers
    assert set(as_json(alice)) == set(as_json(whole))  # the same shape, fields unchanged
    assert [i.uuid for i in coverage.cell_items(m, "CIC-12", sender="Bob")] == [b1.uuid]

    # a deleted item leaves its sender's list; a sender with nothing live is still known
    evidence.delete(m, evidence.list_items(m, sender="Bob")[0].id, force=True)
    assert evidence.list_items(m, sender="Bob") == []
    # in Alice's own workspace, her items are hers and nobody else is known
    assert {i.uuid for i in evidence.list_items(a, sender="alice")} == {a1.uuid, a2.uuid}


@pytest.mark.parametrize("name", ["Carol", "", "   ", "Alice Smith", "%", "Al_ce"])
def test_a_sender_nobody_sent_from_is_refused_with_the_names(team, shared, tmp_path, name):
    a, m = team["Alice"], team["Manager"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother")
    export.export_pack(a, tmp_path / "a.evpack")
    importer.import_packs(m, [tmp_path / "a.evpack"]).value
    with pytest.raises(InvalidInput) as e:
        evidence.list_items(m, sender=name)
    assert "\n" not in str(e.value)
    with pytest.raises(InvalidInput):
        coverage.coverage(m, sender=name)
    if name.strip():
        assert "Alice" in str(e.value) and "Manager" in str(e.value)
