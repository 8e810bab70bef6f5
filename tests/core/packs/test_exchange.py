"""Three people tag overlapping evidence over the same files, edit and delete some, and pass packs
around in different orders: every workspace ends with the same evidence, cases and conflicts."""
from __future__ import annotations

import itertools

from evidence_app.core.evidence import cases, evidence
from evidence_app.core.packs import conflicts, export, importer
from tests.core.packs.conftest import dump, doc, tag


def _send(src, dst, path):
    export.export_pack(src, path, force=True)
    return importer.import_packs(dst, [path]).value


def _work(team, shared):
    a, b = team["Alice"], team["Bob"]
    cases.add_case(a, "CH-004512", name="Ashlyn Pryce", alias="Child A", worker="Alice",
                   sampled=True)
    cases.check(a, "CH-004512", "voice")
    cases.add_case(b, "CH-000777", name="Kai Brown", alias="Child B", worker="Bob")
    cases.add_case(b, "CH-004512", alias="Child A", team="East")
    a1 = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother",
                      note="her voice", strength="strong")
    a2 = tag(a, doc(shared), ["HP-15"], note="whole visit")
    a3 = tag(a, doc(shared, "review"), ["CIC-02"], quote="IRO challenged drift")
    # Bob tags the same passage independently (a likely duplicate), and another
    b1 = tag(b, doc(shared), ["HP-06"], quote="she feels safe with her grandmother",
                      note="voice of the child")
    b2 = tag(b, doc(shared, "review"), ["CIC-12"], quote="views were gathered by his "
                      "advocate")
    evidence.edit(a, a2.id, strength="weak")
    evidence.delete(a, a3.id)
    evidence.delete(b, b2.id)
    return a1, a2, a3, b1, b2


def test_packs_in_any_order_end_identical(team, shared, tmp_path):
    a, b, m = team["Alice"], team["Bob"], team["Manager"]
    _work(team, shared)
    pa, pb = tmp_path / "alice.evpack", tmp_path / "bob.evpack"
    export.export_pack(a, pa)
    export.export_pack(b, pb)
    importer.import_packs(m, [pb, pa]).value  # the manager: Bob's first
    importer.import_packs(a, [pb]).value
    importer.import_packs(b, [pa]).value
    first = dump(m)
    assert dump(a) == first and dump(b) == first
    assert len(first["items"]) == 5
    assert sum(1 for i in first["items"].values() if i[5]) == 2  # two deletions travelled
    # field by field: Alice's sampled flag and Bob's team both survive, ticks unioned
    ref = first["cases"]["CH-004512"]
    assert ref[0] == "Ashlyn Pryce" and ref[3] == "East" and ref[5] == 1
    assert [t[0] for t in ref[-1]] == ["voice"]
    # the same passage tagged by both is kept twice and flagged in every workspace
    for w in (a, b, m):
        assert len(conflicts.list_duplicates(w)) == 1
    # a second round changes nothing anywhere
    for w in (a, b):
        for dst in (a, b, m):
            if dst is not w:
                report = _send(w, dst, tmp_path / f"again-{w.name}.evpack").reports[0]
                assert not report.changes_anything()
    assert dump(a) == dump(b) == dump(m) == first


def test_reimport_is_a_no_op(team, shared, tmp_path):
    a, m = team["Alice"], team["Manager"]
    _work(team, shared)
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    importer.import_packs(m, [p]).value
    before = dump(m)
    audit_rows = m.db.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    again = importer.import_packs(m, [p]).value
    assert again.reports[0].already_imported and not again.reports[0].changes_anything()
    assert again.import_ids == []  # no second report, no audit entry
    assert dump(m) == before
    assert m.db.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == audit_rows


def test_an_old_pack_cannot_bring_back_a_deleted_item(team, shared, tmp_path):
    a, m = team["Alice"], team["Manager"]
    item = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother")
    old = tmp_path / "old.evpack"
    export.export_pack(a, old)
    importer.import_packs(m, [old]).value
    evidence.delete(a, item.id)
    newer = tmp_path / "new.evpack"
    export.export_pack(a, newer)
    importer.import_packs(m, [newer]).value
    assert evidence.list_items(m) == []
    importer.import_packs(m, [old]).value  # the old pack again, and in the other order elsewhere
    assert evidence.list_items(m) == []
    other = team["Bob"]
    importer.import_packs(other, [newer, old]).value
    assert evidence.list_items(other) == []
    assert dump(other)["items"] == dump(m)["items"]


def test_thirty_senders_in_any_order_give_the_same_result(tmp_path, shared):
    from tests.core.packs.conftest import make_ws

    senders = [make_ws(tmp_path, f"Worker{i}", shared) for i in range(4)]
    packs = []
    for i, w in enumerate(senders):
        item = tag(w, doc(shared), ["HP-06"], note=f"from {i}")
        tag(w, doc(shared, "review"), ["CIC-02"], note=f"review {i}")
        if i % 2:
            evidence.edit(w, item.id, strength="strong")
        p = tmp_path / f"w{i}.evpack"
        export.export_pack(w, p)
        packs.append(p)
    results = []
    for n, order in enumerate(itertools.islice(itertools.permutations(packs), 0, 24, 7)):
        m = make_ws(tmp_path, f"Manager{n}", shared)
        importer.import_packs(m, list(order)).value
        results.append(dump(m))
        m.close()
    assert all(r == results[0] for r in results)
    for w in senders:
        w.close()
