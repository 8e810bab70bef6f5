"""What a pack carries and how each kind of record lands: cases field by field, readiness
ticks, names left out, documents matched by file or text or carried, framework ids mapped or
added, what changed since the last pack; and the records an import and an export leave."""
from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import cases, evidence, framework
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.packs import export, importer
from evidence_app.core.safety import audit
from tests.core.packs.conftest import VISIT, doc, make_ws, tag
from tests.factories import write_text


def later(monkeypatch, seconds: int) -> None:
    """Move the app's clock on (times are kept to the second)."""
    import datetime as dt

    from evidence_app.core.base import clock

    start = dt.datetime.now(dt.timezone.utc)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=seconds))


def test_cases_newer_change_wins_field_by_field_and_the_report_names_what_it_replaced(
        team, tmp_path, monkeypatch):
    a, m = team["Alice"], team["Manager"]
    cases.add_case(m, "CH-1", worker="Old Worker", team="North", status="CIN")
    later(monkeypatch, 60)
    cases.add_case(a, "CH-1", worker="Alice", name="Ashlyn Pryce")
    cases.check(a, "CH-1", "plan")
    cases.check(m, "CH-1", "voice")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    report = importer.import_packs(m, [p]).value.reports[0]
    got = cases.get_case(m, "CH-1", include_name=True)
    assert got.worker == "Alice" and got.name == "Ashlyn Pryce"
    assert got.team == "North" and got.status == "CIN"  # never set there: kept
    changed = {c["field"]: c for c in report.cases_updated}
    assert changed["worker"]["overwritten"] == "Old Worker"
    assert changed["name"]["overwritten"] is None and "not shown" in changed["name"]["shown"]
    ticks = {r.item: r for r in cases.readiness(m, "CH-1") if r.done}
    assert set(ticks) == {"plan", "voice"} and ticks["plan"].by == "Alice"
    # a later change at the manager's wins over the same older pack
    later(monkeypatch, 120)
    cases.update_case(m, "CH-1", worker="Manager's choice")
    importer.import_packs(m, [p]).value
    assert cases.get_case(m, "CH-1").worker == "Manager's choice"


def test_no_names_leaves_real_names_out(team, shared, tmp_path):
    a, m = team["Alice"], team["Manager"]
    cases.add_case(a, "CH-9", name="Ashlyn Pryce", other_names=["Ash"], dob="12/03/2015",
                   relatives=["Kerry Pryce=mother"], worker="Alice")
    tag(a, doc(shared), ["HP-06"], note="whole visit")  # in CH-004512/Visits/
    p = tmp_path / "anon.evpack"
    result = export.export_pack(a, p, no_names=True)
    assert result.no_names
    raw = b"".join(zipfile.ZipFile(p).read(n) for n in zipfile.ZipFile(p).namelist())
    for secret in (b"Ashlyn", b"Pryce", b"Kerry", b"2015-03-12", b"Visits"):
        assert secret not in raw
    importer.import_packs(m, [p]).value
    got = cases.get_case(m, "CH-9", include_name=True)
    assert got.name is None and got.worker == "Alice" and got.relatives == ()


def test_documents_match_by_file_then_text_else_carried_or_not_here(tmp_path, shared):
    a = make_ws(tmp_path, "Alice", shared)
    whole = tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother")
    # the manager has the same letter saved again (other bytes, same text) elsewhere
    other = tmp_path / "elsewhere"
    write_text(other / "CH-004512" / "visit copy.txt", VISIT + "\n")
    m = make_ws(tmp_path, "Manager", other)
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    report = importer.import_packs(m, [p]).value.reports[0]
    assert report.documents["matched_text"] == 1
    [got] = evidence.list_items(m)
    assert got.anchor == "anchored" and "visit copy" in got.path
    # a colleague with no files at all: a reference "not on this machine"
    n = make_ws(tmp_path, "Newcomer", None)
    report = importer.import_packs(n, [p]).value.reports[0]
    assert report.documents["not_here"] == 1 and report.not_here == ["visit.txt"]
    [ref] = evidence.list_items(n)
    assert ref.anchor == "missing" and ref.quote == whole.quote
    # ...which links up by itself once the file is indexed there
    local = tmp_path / "newcomer-files"
    shutil.copytree(shared, local)
    add_source(n, local, "case-files")
    index_workspace(n)
    [linked] = evidence.list_items(n)
    assert linked.anchor == "anchored" and str(local) in linked.path
    # with --with-files a copy travels, kept inside the workspace (never a source folder)
    q = tmp_path / "files.evpack"
    assert export.export_pack(a, q, with_files=True).files == 1
    c = make_ws(tmp_path, "Carrier", None)
    report = importer.import_packs(c, [q]).value.reports[0]
    assert report.documents["carried"] == 1
    [carried] = evidence.list_items(c)
    assert carried.path.startswith(str(c.root / "pack-files"))
    assert carried.anchor == "anchored"
    text = evidence.document_text(c, carried.document_id).text
    assert carried.quote in text


def test_unknown_framework_ids_are_mapped_or_added_never_dropped(team, shared, tmp_path):
    a, m, b = team["Alice"], team["Manager"], team["Bob"]
    framework.add_enquiry(a, "HP", "Our local line about family time", ident="HP-LOCAL")
    tag(a, doc(shared), ["HP-LOCAL", "HP-06"], note="family time")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    [pre] = importer.preview(m, [p])
    assert [u["id"] for u in pre.unknown_ids] == ["HP-LOCAL"]
    with pytest.raises(InvalidInput, match="no line of enquiry"):
        importer.import_packs(m, [p], maps=["HP-LOCAL=NOPE-1"]).value
    importer.import_packs(m, [p], maps=["HP-LOCAL=HP-15"]).value
    assert evidence.list_items(m)[0].enquiries == ("HP-06", "HP-15",)
    report = importer.import_packs(b, [p]).value.reports[0]
    assert report.unknown_ids[0]["mapped_to"] is None
    assert evidence.list_items(b)[0].enquiries == ("HP-06", "HP-LOCAL",)
    kind, line = framework.get(b, "HP-LOCAL")
    assert line.title == "Our local line about family time" and line.custom


def test_export_filters_and_since_last(team, shared, tmp_path):
    a = team["Alice"]
    cases.add_case(a, "CH-004512", worker="Alice")
    cases.add_case(a, "CH-000777", worker="Alice")
    tag(a, doc(shared), ["HP-06"])
    tag(a, doc(shared, "review"), ["CIC-02"])
    assert export.export_pack(a, tmp_path / "one.evpack", cases=["ch-004512"]).items == 1
    r = export.export_pack(a, tmp_path / "enq.evpack", enquiries=["cic-02"])
    assert (r.items, r.cases) == (1, 1)
    assert export.export_pack(a, tmp_path / "all.evpack").items == 2
    assert export.export_pack(a, tmp_path / "none.evpack", since_last=True).items == 0
    tag(a, doc(shared), ["HP-15"], note="new one")
    assert export.export_pack(a, tmp_path / "new.evpack", since_last=True).items == 1
    with pytest.raises(InvalidInput, match="no case CH-1"):
        export.export_pack(a, tmp_path / "x.evpack", cases=["CH-1"])
    with pytest.raises(InvalidInput, match="already exists"):
        export.export_pack(a, tmp_path / "new.evpack")
    assert not list(tmp_path.glob(".evpack-*"))  # no temporary left behind


def test_import_and_export_leave_a_report_a_backup_and_audit_entries(team, shared, tmp_path):
    a, m = team["Alice"], team["Manager"]
    tag(a, doc(shared), ["HP-06"])
    p = tmp_path / "a.evpack"
    made = export.export_pack(a, p)
    [logged] = audit.entries(a, entity_type="pack-export")
    assert logged["after"]["sha256"] == made.sha256 and logged["who"] == "Alice"
    result = importer.import_packs(m, [p]).value
    assert (m.backups_dir / result.backup).is_file() and "before-pack" in result.backup
    [entry] = audit.entries(m, entity_type="pack")
    assert entry["after"]["sha256"] == made.sha256 and entry["after"]["sender"] == "Alice"
    [kept] = importer.reports(m)
    assert kept.pack_sha256 == made.sha256 and kept.report["counts"]["added"] == 1
    assert importer.get_report(m, str(kept.id)).sender == "Alice"
    assert audit.verify(m).ok
    # the journal holds the merged item, so a restore can replay it
    from evidence_app.core.safety import journal

    lines = [r for r in journal.read(m.root).records if r.get("kind") == "audit"
             and r["audit"]["entity_type"] == "pack"]
    assert lines[-1]["state"]["entities"][0]["type"] == "evidence"


def test_team_view_counts_per_sender(team, shared, tmp_path):
    from evidence_app.core.packs import team as team_view

    a, b, m = team["Alice"], team["Bob"], team["Manager"]
    tag(a, doc(shared), ["HP-06"])
    tag(a, doc(shared, "review"), ["CIC-02"])
    tag(b, doc(shared, "review"), ["CIC-12"])
    for w, name in ((a, "a"), (b, "b")):
        export.export_pack(w, tmp_path / f"{name}.evpack")
    importer.import_packs(m, [tmp_path / "a.evpack", tmp_path / "b.evpack"]).value
    rows = {s.sender: s for s in team_view.senders(m)}
    assert rows["Alice"].items_added == 2 and rows["Bob"].items_added == 1
    assert rows["Alice"].last_pack_at and rows["Bob"].conflicts_open == 0
    assert len(team_view.item_ids_from(m, "Alice")) == 2
    assert team_view.coverage_from(m, "Bob") == {"CIC-12": 1}


def test_a_restore_with_the_journal_brings_a_merged_pack_back(team, shared, tmp_path):
    """The import's backup, then the database put back as it was before: replaying the journal
    restores every item the pack brought (its journal line holds them)."""
    from evidence_app.core.safety import backup

    a, m = team["Alice"], team["Manager"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="voice")
    tag(a, doc(shared, "review"), ["CIC-02"], note="review")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    result = importer.import_packs(m, [p]).value
    assert len(evidence.list_items(m)) == 2
    backup.restore(m, result.backup, replay=True)
    got = sorted((i.note, i.enquiries[0]) for i in evidence.list_items(m))
    assert got == [("review", "CIC-02"), ("voice", "HP-06")]
    # and the same pack again afterwards changes nothing it already brought
    again = importer.import_packs(m, [p]).value.reports[0]
    assert not again.added and not again.updated


def test_bundles_travel_by_uuid_whatever_the_order(team, shared, tmp_path, monkeypatch):
    """A bundle listing items that arrive in another colleague's pack is complete whichever pack
    is merged first; a later change to the bundle wins over an older one."""
    from evidence_app.core.bundles import bundles

    a, b, m = team["Alice"], team["Bob"], team["Manager"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother", note="Alice's")
    export.export_pack(a, tmp_path / "a.evpack")
    importer.import_packs(b, [tmp_path / "a.evpack"]).value
    tag(b, doc(shared, "review"), ["HP-06"], note="Bob's")
    made = bundles.create_bundle(b, "Help and protection", "enquiry", enquiries=["HP-06"]).value
    assert made.item_count == 2
    export.export_pack(b, tmp_path / "b.evpack")
    shapes = []
    for n, order in enumerate((["b", "a"], ["a", "b"])):
        w = make_ws(tmp_path, f"M{n}", shared)
        for name in order:  # one import each: Bob's bundle may arrive before Alice's item
            importer.import_packs(w, [tmp_path / f"{name}.evpack"]).value
        [got] = bundles.list_bundles(w)
        full = bundles.get_bundle(w, got.id)
        shapes.append([(s.title, sorted(evidence.get_item(w, i).note for i in s.items))
                       for s in full.sections])
        w.close()
    assert shapes[0] == shapes[1]
    assert sorted(n for s in shapes[0] for n in s[1]) == ["Alice's", "Bob's"]
    # the manager retitles it later; Bob's older pack does not undo that
    importer.import_packs(m, [tmp_path / "b.evpack", tmp_path / "a.evpack"]).value
    [mine] = bundles.list_bundles(m)
    later(monkeypatch, 120)
    bundles.set_settings(m, mine.id, title="Help and protection (final)")
    report = importer.import_packs(m, [tmp_path / "b.evpack"]).value.reports[0]
    assert not report.bundles_updated
    assert bundles.get_bundle(m, mine.id).title == "Help and protection (final)"
    # ...and the manager's version travels back to Bob, replacing his older one
    export.export_pack(m, tmp_path / "m.evpack")
    report = importer.import_packs(b, [tmp_path / "m.evpack"]).value.reports[0]
    assert report.bundles_updated and report.bundles_updated[0]["title"].endswith("(final)")
