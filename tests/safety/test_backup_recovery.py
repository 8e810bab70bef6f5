"""Backups (rotating, manual, restore), the journal and its replay, recovery of a damaged
database at opening, and `check` (integrity, FTS, audit chain, journal vs database)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from evidence_app.core.safety import audit, backup, integrity, journal_replay
from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import cases, evidence
from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from tests.factories import write_text


def _setup(tmp_path: Path) -> tuple[Workspace, list[int]]:
    src = tmp_path / "src"
    for i in range(4):
        write_text(src / f"CH-00000{i}" / f"visit{i}.txt",
                   f"Visit {i}. The child said she felt safe at home with her nan.")
    ws = Workspace.create(tmp_path / "ws", "Backup Borough")
    add_source(ws, src, "case-files")
    index_workspace(ws, jobs=1)
    docs = [r[0] for r in ws.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    return ws, docs


def _smash(root: Path) -> None:
    db = root / "evidence.db"
    data = bytearray(db.read_bytes())
    data[100:8192] = b"\xff" * (8192 - 100)
    db.write_bytes(bytes(data))
    for s in ("-wal", "-shm"):
        Path(str(db) + s).unlink(missing_ok=True)


def test_backup_is_renamed_into_place_and_automatic_ones_rotate_to_ten(tmp_path):
    ws, _ = _setup(tmp_path)
    for _ in range(13):
        backup.backup_now(ws, "auto")
    manual = backup.backup_now(ws, "manual")
    kinds = [b.kind for b in backup.list_backups(ws)]
    assert kinds.count("auto") == 10 and kinds.count("manual") == 1
    assert not list(ws.backups_dir.glob("*.tmp"))
    c = sqlite3.connect(manual.path)
    assert c.execute("SELECT COUNT(*) FROM documents_backup").fetchone()[0] == 4
    c.close()
    ws.close()


def test_closing_backs_up_changed_work_and_restore_keeps_the_current_database(tmp_path):
    ws, docs = _setup(tmp_path)
    evidence.tag(ws, docs[0], enquiries=["LEAD-01"], note="first").value
    root = ws.root
    ws.close()
    (first,) = backup.list_backups(root)
    assert first.kind == "close"
    ws = Workspace.open(root)
    evidence.tag(ws, docs[1], enquiries=["LEAD-01"], note="second").value
    done = backup.restore(ws, first.path.name)
    assert [i.note for i in evidence.list_items(ws)] == ["first"]
    aside = Path(done["previous_database"])
    assert aside.exists() and aside.parent == ws.backups_dir  # moved aside, never deleted
    # the discarded change is not replayed by a later recovery
    assert journal_replay.compare(ws)["missing_from_database"] == 0
    evidence.tag(ws, docs[2], enquiries=["LEAD-01"], note="third").value
    ws.close()
    _smash(root)
    ws = Workspace.open(root)
    assert sorted(i.note for i in evidence.list_items(ws)) == ["first", "third"]
    ws.close()


def test_a_damaged_database_is_set_aside_restored_rebuilt_and_replayed(tmp_path):
    ws, docs = _setup(tmp_path)
    root = ws.root
    cases.add_case(ws, "CH-000001", name="Jane Example", redact=["Nan"])
    a = evidence.tag(ws, docs[0], enquiries=["LEAD-01"], quote="felt safe at home", note="q").value
    backup.backup_now(ws, "manual")
    b = evidence.tag(ws, docs[1], enquiries=["HP-15"], note="after the backup").value
    evidence.edit(ws, a.id, note="edited after the backup", strength="strong").value
    bundle = bundles.create_bundle(ws, "Leadership", enquiries=["LEAD-01"]).value
    cases.update_case(ws, "CH-000001", worker="Sam Worker")
    evidence.delete(ws, b.id).value
    ws.close()
    _smash(root)

    ws = Workspace.open(root)
    rep = ws.recovery_report
    assert rep is not None and rep.backup_used and not rep.lost, rep.message()
    assert "Nothing you saved was lost" in rep.message()
    assert Path(rep.damaged_copy).exists() and Path(rep.damaged_copy).parent.name == "damaged"
    assert rep.replayed == 5 and rep.files_queued == 4
    items = {i.uuid: i for i in evidence.list_items(ws)}
    assert set(items) == {a.uuid}
    assert items[a.uuid].note == "edited after the backup"
    assert items[a.uuid].quote == "felt safe at home"  # full text, not the audit digest
    case = cases.get_case(ws, "CH-000001", include_name=True)
    assert case.name == "Jane Example" and case.worker == "Sam Worker"
    assert bundles.get_bundle(ws, bundle.id).title == "Leadership"
    assert audit.verify(ws).ok
    assert integrity.check(ws).ok
    # the index is rebuilt from the sources
    assert ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 4
    index_workspace(ws, jobs=1)
    assert integrity.check(ws).ok
    ws.close()


def test_without_any_backup_the_work_is_rebuilt_from_the_journal(tmp_path):
    ws, docs = _setup(tmp_path)
    root = ws.root
    item = evidence.tag(ws, docs[2], enquiries=["LEAD-01"], quote="felt safe", note="keep me").value
    ws.close()
    for b in backup.list_backups(root):
        b.path.unlink()
    _smash(root)
    ws = Workspace.open(root)
    assert ws.recovery_report and not ws.recovery_report.backup_used
    assert ws.recovery_report.sources_restored == 1
    index_workspace(ws, jobs=1)
    (got,) = evidence.list_items(ws)
    assert got.uuid == item.uuid and got.note == "keep me"
    assert got.path.endswith("visit2.txt") and got.anchor == "anchored"
    ws.close()


def test_damaged_with_nothing_to_rebuild_from_is_refused_and_left_in_place(tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "evidence.db").write_bytes(b"not a database" * 500)
    with pytest.raises(WorkspaceError, match="cannot be read"):
        Workspace.open(tmp_path / "w")
    assert (tmp_path / "w" / "evidence.db").exists()


def test_replay_is_idempotent_and_skips_a_change_that_never_committed(tmp_path):
    ws, docs = _setup(tmp_path)
    evidence.tag(ws, docs[0], enquiries=["LEAD-01"]).value
    with pytest.raises(RuntimeError):
        from evidence_app.core.store.db import transaction

        with transaction(ws.db):  # journaled, then rolled back (a crash before COMMIT)
            evidence.tag(ws, docs[1], enquiries=["LEAD-01"], note="rolled back").value
            raise RuntimeError
    kept = evidence.tag(ws, docs[2], enquiries=["LEAD-01"], note="kept").value
    assert journal_replay.replay(ws).applied == 0
    info = journal_replay.compare(ws)
    assert info["missing_from_database"] == 0 and info["not_committed_or_discarded"] == 1
    assert info["missing_from_journal"] == 0
    backup.backup_now(ws)
    ws.close()
    _smash(ws.root)
    ws = Workspace.open(ws.root)
    notes = [i.note for i in evidence.list_items(ws)]
    assert "rolled back" not in notes and kept.note in notes
    ws.close()


def test_check_reports_the_first_broken_audit_entry(tmp_path, cli):
    cli("init")
    for ref in ("CH-000001", "CH-000002", "CH-000003"):
        cli("case", "add", ref)
    db = sqlite3.connect(cli.workspace / "evidence.db")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET who = 'someone else' WHERE id = 2")
    db.commit()
    db.close()
    r = cli("check", "--json", check=False)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["audit"]["first_bad_entry"] == 2 and not data["ok"]
    assert data["integrity"] == "ok" and data["fts"] == []


def test_cli_backup_backups_restore_and_check(tmp_path, cli):
    cli("init")
    cli("case", "add", "CH-000001")
    made = json.loads(cli("backup", "--json").stdout)
    cli("case", "add", "CH-000002")
    listed = cli.json("backups")
    assert made["name"] in [b["name"] for b in listed]
    r = cli("restore", made["name"])
    assert "kept as" in r.stderr
    assert [c["ref"] for c in cli.json("case", "list")] == ["CH-000001"]
    r = cli("restore", made["name"], "--replay-journal")
    assert [c["ref"] for c in cli.json("case", "list")] == ["CH-000001", "CH-000002"]
    out = cli("check").stdout
    assert "All checks passed." in out and "search index: ok" in out


# -- backups sized to people's work (issue 9, point 10) ------------------------------------------
def test_a_backup_keeps_the_work_and_the_text_evidence_points_at_not_the_whole_index(tmp_path):
    src = tmp_path / "src"
    # 60 files: enough text that the index outweighs the fixed cost of the schema's empty tables
    # (a page each, in the backup as in a whole copy), which grows with every stage added
    for i in range(60):
        write_text(src / f"CH-0000{i:02d}" / f"visit{i}.txt",
                   f"Visit {i}. " + "The child said she felt safe at home with her nan. " * 200)
    ws = Workspace.create(tmp_path / "ws", "Slim")
    add_source(ws, src, "case-files")
    index_workspace(ws, jobs=1)
    docs = {r[1]: r[0] for r in ws.db.conn.execute("SELECT id, name FROM documents")}
    evidence.tag(ws, docs["visit3.txt"], enquiries=["LEAD-01"], quote="felt safe at home").value
    info = backup.backup_now(ws, "manual")
    c = sqlite3.connect(info.path)
    kept = {r[0] for r in c.execute("SELECT DISTINCT document_id FROM chunks")}
    assert kept == {docs["visit3.txt"]}  # only the text evidence points at
    assert c.execute("SELECT COUNT(*) FROM documents_backup").fetchone()[0] == 60
    assert c.execute("SELECT COUNT(*) FROM chunks_fts_data").fetchone()[0] <= 2  # no index
    assert c.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    c.close()
    full = ws.root / "full-copy.db"
    ws.db.conn.execute("VACUUM INTO ?", [str(full)])
    assert info.size < full.stat().st_size / 2
    ws.close()


def test_restore_then_rebuild_gives_back_every_evidence_item_even_from_vanished_sources(
        tmp_path):
    import shutil

    from evidence_app.core.search.search import search

    keep, gone = tmp_path / "kept-src", tmp_path / "gone-src"
    write_text(keep / "CH-000001" / "Home visit.txt",
               "Home visit. Jamie said he likes living with his aunt and wants to stay.")
    write_text(keep / "CH-000001" / "Plan.txt", "Child in need plan: weekly visits by the worker.")
    write_text(gone / "CH-000002" / "Strategy discussion.txt",
               "Strategy discussion. The police and school shared concerns about bruising.")
    write_text(gone / "CH-000002" / "Other.txt", "Nothing tagged here: xylophone marmalade.")
    ws = Workspace.create(tmp_path / "ws", "Restore")
    add_source(ws, keep, "case-files")
    add_source(ws, gone, "case-files")
    index_workspace(ws, jobs=1)
    doc = {r[1]: r[0] for r in ws.db.conn.execute("SELECT id, name FROM documents")}
    a = evidence.tag(ws, doc["Home visit.txt"], enquiries=["HP-15"], quote="wants to stay").value
    b = evidence.tag(ws, doc["Strategy discussion.txt"], enquiries=["HP-04"],
                     quote="shared concerns about bruising", note="s47 threshold").value
    c = evidence.tag(ws, doc["Plan.txt"], enquiries=["LEAD-01"]).value  # a whole document
    before = {i.uuid: i for i in evidence.list_items(ws)}
    made = backup.backup_now(ws, "manual")
    evidence.tag(ws, doc["Other.txt"], enquiries=["LEAD-01"], note="after the backup").value
    shutil.rmtree(gone)  # the second source has since vanished

    done = backup.restore(ws, made.path.name)
    assert done["replaced_contents"]["evidence"] == 4 and done["backup_contents"]["evidence"] == 3
    # findable by name at once, before any re-reading
    names = {h.name for h in search(ws, "strategy").hits} | {h.name for h in search(
        ws, "Plan").hits}
    assert {"Strategy discussion.txt", "Plan.txt"} <= names
    index_workspace(ws, jobs=1)  # the background rebuild
    after = {i.uuid: i for i in evidence.list_items(ws)}
    assert set(after) == set(before) == {a.uuid, b.uuid, c.uuid}
    for u, item in before.items():
        for field in ("quote", "context_before", "context_after", "start", "end", "note"):
            assert getattr(after[u], field) == getattr(item, field), (field, item.quote)
    assert after[a.uuid].anchor == "anchored"
    assert after[b.uuid].anchor in ("anchored", "missing")  # its file is gone...
    gone_doc = ws.db.conn.execute("SELECT status FROM documents WHERE name = "
                                  "'Strategy discussion.txt'").fetchone()[0]
    assert gone_doc == "missing"
    # ...but its text is still there, and searchable, because evidence points at it
    assert search(ws, "bruising").hits
    # the kept source is searchable by content again; the untagged vanished file is listed
    assert search(ws, "weekly visits").hits
    assert not search(ws, "xylophone").hits
    assert integrity.check(ws).ok
    ws.close()


def test_a_slim_backup_copied_into_place_by_hand_is_unpacked_at_opening(tmp_path):
    import shutil

    ws, docs = _setup(tmp_path)
    evidence.tag(ws, docs[1], enquiries=["LEAD-01"], quote="felt safe").value
    made = backup.backup_now(ws, "manual")
    root = ws.root
    ws.close()
    for s in ("", "-wal", "-shm"):
        Path(str(root / "evidence.db") + s).unlink(missing_ok=True)
    shutil.copyfile(made.path, root / "evidence.db")
    ws = Workspace.open(root)
    assert any("put in place by hand" in w for w in ws.warnings)
    assert len(evidence.list_items(ws)) == 1
    assert ws.db.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
    index_workspace(ws, jobs=1)
    assert integrity.check(ws).ok
    ws.close()


# -- start-up checks that do not grow with the database (issue 9, point 9) -----------------------
def test_opening_does_not_run_the_whole_file_check_but_the_daily_one_finds_damage(
        tmp_path, monkeypatch):
    ws, docs = _setup(tmp_path)
    evidence.tag(ws, docs[0], enquiries=["LEAD-01"], note="keep").value
    backup.backup_now(ws, "manual")
    root = ws.root
    ws.close()
    calls = []
    real = integrity.quick_check
    monkeypatch.setattr(integrity, "quick_check", lambda c: calls.append(1) or real(c))
    for _ in range(3):
        Workspace.open(root, access="read").close()
        Workspace.open(root).close()
    assert calls == []  # never on an ordinary opening
    # damage a page of the index (not people's work): the cheap check does not see it...
    conn = sqlite3.connect(root / "evidence.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'chunks'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(root / "evidence.db", "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * size)
    ws = Workspace.open(root)
    assert ws.recovery_report is None
    ws.close()
    # ...the daily whole-file check does, once it is due, and the next opening repairs it
    state = json.loads((root / integrity.STATE_FILE).read_text())
    state["at"] = "2000-01-01T00:00:00"
    (root / integrity.STATE_FILE).write_text(json.dumps(state))
    assert integrity.full_check_due(root)
    ws = Workspace.open(root)  # background_check=True, like the window
    ws._check_thread.join(30)
    assert any("daily integrity check found damage" in w for w in ws.warnings)
    ws.close()
    assert calls  # the whole-file check ran, once
    ws = Workspace.open(root)
    assert ws.recovery_report is not None and not ws.recovery_report.lost
    assert [i.note for i in evidence.list_items(ws)] == ["keep"]
    assert not integrity.full_check_due(root)
    ws.close()


def test_check_on_the_command_line_records_the_full_check(cli):
    cli("init")
    state = cli.workspace / integrity.STATE_FILE
    state.unlink()
    cli("status")  # a read-only command does not run it
    assert not state.exists() or json.loads(state.read_text()).get("kind") != "full"
    cli("check")
    assert json.loads(state.read_text())["kind"] == "full"
