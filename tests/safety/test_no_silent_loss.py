"""No silent loss (issue 11, point 4): restore refuses what is not a backup of this workspace and
says what it replaces; committed work the database lost is replayed from the journal at opening
and reported; a journal cut short, with a gap or edited, fails `check` and is reported at opening.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.evidence import cases
from evidence_app.core.safety import journal, journal_replay
from evidence_app.core.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def _one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


def _refs(cli) -> list[str]:
    return [c["ref"] for c in cli.json("case", "list")]


# -- restore ----------------------------------------------------------------------------------------
def test_restore_refuses_what_is_not_a_backup_of_this_workspace(cli, tmp_path):
    cli("init", "--name", "Northshire")
    cli("case", "add", "CH-000001")
    cli("case", "add", "CH-000002")
    db_before = (cli.workspace / "evidence.db").read_bytes()

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    text = tmp_path / "notes.db"
    text.write_text("this is a shopping list, not a database\n" * 50)
    other_schema = tmp_path / "other.db"
    c = sqlite3.connect(other_schema)
    c.execute("CREATE TABLE t(x)")
    c.execute("INSERT INTO t VALUES (1)")
    c.commit()
    c.close()
    for path, words in ((empty, "empty"), (text, "not an SQLite database"),
                        (other_schema, "not an Evidence Organiser workspace")):
        line = _one_line_error(cli("restore", str(path), check=False))
        assert words in line, line
        assert _refs(cli) == ["CH-000001", "CH-000002"]  # nothing lost
    # a backup of another workspace: refused unless --force, and says what it would replace
    other = tmp_path / "other-ws"
    r = subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(other), "init", "--name",
                        "Southshire"], capture_output=True, text=True, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(other), "case", "add",
                    "CH-999999"], check=True, capture_output=True, cwd=str(ROOT))
    made = json.loads(subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(other),
                                      "backup", "--json"], check=True, capture_output=True,
                                     text=True, cwd=str(ROOT)).stdout)
    line = _one_line_error(cli("restore", made["path"], check=False))
    assert "another workspace" in line and "Southshire" in line and "--force" in line
    assert "2 cases" in line  # what it would replace
    assert _refs(cli) == ["CH-000001", "CH-000002"]
    r = cli("restore", made["path"], "--force")
    assert "It replaced a database with 0 evidence items, 2 cases" in r.stderr
    assert _refs(cli) == ["CH-999999"]
    assert db_before  # the replaced database is kept aside, never deleted
    assert any(p.name.startswith("replaced-") for p in (cli.workspace / "backups").iterdir())


def test_restore_json_says_what_it_replaced(cli):
    cli("init")
    cli("case", "add", "CH-000001")
    made = cli.json("backup")
    cli("case", "add", "CH-000002")
    done = cli.json("restore", made["name"])
    assert done["replaced_contents"]["cases"] == 2 and done["backup_contents"]["cases"] == 1
    assert done["discarded_changes"] == 1


# -- committed work the database lost ------------------------------------------------------------
KILL_AFTER_TAGS = r"""
import os, signal, sys
sys.path.insert(0, sys.argv[2])
from evidence_app.core.evidence import cases
from evidence_app.core.workspace import Workspace
ws = Workspace.open(sys.argv[1])
ws.db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the changes stay in the WAL only
for ref in ("CH-000101", "CH-000102", "CH-000103"):
    cases.add_case(ws, ref, name="Child " + ref)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_work_lost_with_a_deleted_wal_is_replayed_and_reported(cli):
    cli("init")
    cli("case", "add", "CH-000001")
    r = subprocess.run([sys.executable, "-c", KILL_AFTER_TAGS, str(cli.workspace), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == -9
    wal = Path(str(cli.workspace / "evidence.db") + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    wal.unlink()  # the three committed changes were only in the WAL
    Path(str(cli.workspace / "evidence.db") + "-shm").unlink(missing_ok=True)
    r = cli("case", "list", "--json")
    assert "missing work recorded in the journal" in r.stderr
    assert "3 changes replayed from the journal (3 cases)" in r.stderr
    assert [c["ref"] for c in json.loads(r.stdout)] == ["CH-000001", "CH-000101", "CH-000102",
                                                        "CH-000103"]
    assert "All checks passed." in cli("check").stdout
    r = cli("case", "list")  # reported once: the database has it now
    assert "journal" not in r.stderr


def test_a_rolled_back_change_is_not_replayed(ws):
    from evidence_app.core.store.db import transaction

    cases.add_case(ws, "CH-000001")
    try:
        with transaction(ws.db):
            cases.add_case(ws, "CH-000002")
            raise RuntimeError("an error after the journal line was written")
    except RuntimeError:
        pass
    root = ws.root
    ws.close()
    ws = Workspace.open(root)
    assert [c.ref for c in cases.list_cases(ws)] == ["CH-000001"]
    assert journal_replay.verify_sequence(ws)["problems"] == []
    ws.close()


KILL_AFTER_A_ROLLBACK = r"""
import os, signal, sys
sys.path.insert(0, sys.argv[2])
from evidence_app.core.evidence import cases
from evidence_app.core.store.db import transaction
from evidence_app.core.workspace import Workspace
ws = Workspace.open(sys.argv[1])
ws.db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the changes stay in the WAL only
cases.add_case(ws, "CH-000101")
try:
    with transaction(ws.db):
        cases.add_case(ws, "CH-000102")
        raise RuntimeError("an error after the journal line was written")
except RuntimeError:
    pass
os.kill(os.getpid(), signal.SIGKILL)  # no later write, no orderly close
"""


def test_a_rolled_back_change_is_not_replayed_after_a_crash(cli):
    """The rollback is recorded in the journal as it happens, not at the next write or an
    orderly close: a crash just after it that also loses the WAL must not bring back the change
    that never happened."""
    cli("init")
    r = subprocess.run([sys.executable, "-c", KILL_AFTER_A_ROLLBACK, str(cli.workspace),
                        str(ROOT)], capture_output=True, text=True)
    assert r.returncode == -9, r.stderr
    Path(str(cli.workspace / "evidence.db") + "-wal").unlink()
    Path(str(cli.workspace / "evidence.db") + "-shm").unlink(missing_ok=True)
    r = cli("case", "list", "--json")
    assert "1 change replayed from the journal (1 case)." in r.stderr
    assert [c["ref"] for c in json.loads(r.stdout)] == ["CH-000101"]


def test_rollbacks_in_the_windows_writer_are_settled_as_it_goes(ws):
    """The window writes everything on one thread, each write in its transaction: the entries it
    waits to settle must not pile up for the whole session (nor outgrow one SQL statement)."""
    from evidence_app.core.store.db import transaction

    for i in range(40):
        with transaction(ws.db):
            cases.add_case(ws, f"CH-{i:06d}")
        assert journal._pending(ws) == []


# -- the journal's sequence ------------------------------------------------------------------------
def _journal_file(root: Path) -> Path:
    (path,) = sorted((root / "journal").glob("*.jsonl"))
    return path


def test_a_truncated_journal_fails_check_and_is_reported_at_opening(cli):
    cli("init")
    ws = Workspace.open(cli.workspace)
    for i in range(160):  # ~170 KB of journal, as in the report
        cases.add_case(ws, f"CH-{i:06d}", name=f"Child number {i}", worker="A. Worker",
                       redact=[f"Surname{i}"])
    ws.close()
    path = _journal_file(cli.workspace)
    assert path.stat().st_size > 100_000
    before = cli("check")
    assert "All checks passed." in before.stdout
    with open(path, "r+b") as f:
        f.truncate(5 * 1024)
    r = cli("check", "--json", check=False)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert not data["ok"] and data["journal"]["missing_at_end"] > 150
    assert any("ends at entry" in p for p in data["problems"])
    r = cli("case", "list", "--json")
    assert "The journal is missing its last" in r.stderr
    assert len(json.loads(r.stdout)) == 160  # the database's work is intact
    cli("case", "add", "CH-999999")  # writing on does not hide the loss
    assert cli("check", check=False).returncode == 1


def test_a_line_removed_from_the_middle_is_a_gap(ws):
    for i in range(6):
        cases.add_case(ws, f"CH-00000{i}")
    path = _journal_file(ws.root)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:3] + lines[4:]))
    info = journal_replay.verify_sequence(ws)
    assert info["gaps"] and any("gap" in p for p in info["problems"])
    ws.close()


def test_a_deleted_journal_is_noticed_even_after_more_work(ws):
    cases.add_case(ws, "CH-000001")
    shutil.rmtree(ws.root / "journal")
    cases.add_case(ws, "CH-000002")
    info = journal_replay.verify_sequence(ws)
    assert info["problems"], info
    ws.close()


def test_a_torn_last_line_after_a_crash_is_harmless(ws):
    cases.add_case(ws, "CH-000001")
    path = _journal_file(ws.root)
    with open(path, "ab") as f:
        f.write(b'{"seq": 99, "kind": "audit", "aud')  # a write cut short by a crash
    cases.add_case(ws, "CH-000002")
    assert journal_replay.verify_sequence(ws)["problems"] == []
    ws.close()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_complete_lines_removed_from_the_journal_are_detected(tmp_path_factory, data):
    """Property: whichever non-empty set of whole lines is removed (from the start, the middle,
    the end), verify_sequence reports a problem; with none removed it reports none."""
    base = tmp_path_factory.mktemp("journal-prop")
    ws = Workspace.create(base / "ws")
    n = data.draw(st.integers(2, 12), label="changes")
    for i in range(n):
        cases.add_case(ws, f"CH-{i:06d}")
    path = _journal_file(ws.root)
    lines = path.read_bytes().splitlines(keepends=True)
    assert journal_replay.verify_sequence(ws)["problems"] == []
    drop = data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1), label="removed")
    path.write_bytes(b"".join(ln for i, ln in enumerate(lines) if i not in drop))
    assert journal_replay.verify_sequence(ws)["problems"], (len(lines), sorted(drop))
    ws.close()


def test_journal_lines_carry_a_sequence_and_a_running_hash(ws):
    cases.add_case(ws, "CH-000001")
    cases.add_case(ws, "CH-000002")
    raw = _journal_file(ws.root).read_bytes().splitlines()
    objs = [json.loads(r) for r in raw]
    assert [o["seq"] for o in objs] == list(range(1, len(objs) + 1))
    assert objs[0]["prev"] == journal.GENESIS
    for a, b in zip(raw, objs[1:]):
        assert b["prev"] == journal.line_hash(a)
    assert journal.database_seq(ws.db) == objs[-1]["seq"]
    ws.close()


def test_opening_reads_only_the_journal_tail_when_in_step(ws, monkeypatch):
    """The comparison at opening stays cheap: no full read of the journal when they agree."""
    for i in range(5):
        cases.add_case(ws, f"CH-00000{i}")
    root = ws.root
    ws.close()
    calls = []
    real = journal.read
    monkeypatch.setattr(journal, "read", lambda *a, **k: calls.append(1) or real(*a, **k))
    ws = Workspace.open(root)
    assert calls == [] and ws.journal_report is not None and not ws.journal_report.warnings()
    ws.close()
    assert os.path.exists(root / "journal")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(head=st.sampled_from([b"", b"SQLite format 3\x00", b"\x00" * 16, b"PK\x03\x04"]),
       body=st.binary(max_size=6000))
def test_restore_of_any_bytes_is_refused_calmly_and_changes_nothing(tmp_path_factory, head,
                                                                     body):
    """Property: whatever bytes a file holds, restore either refuses it with InvalidInput (one
    message) or it is a real backup; the live database is untouched by a refusal."""
    from evidence_app.core.safety import backup
    from evidence_app.core.base.errors import InvalidInput

    base = tmp_path_factory.mktemp("restore-prop")
    ws = Workspace.create(base / "ws")
    cases.add_case(ws, "CH-000001")
    junk = base / "junk.db"
    junk.write_bytes(head + body)
    try:
        backup.restore(ws, str(junk))
        raise AssertionError("random bytes were restored")
    except InvalidInput as exc:
        assert "\n" not in str(exc) and "Nothing was changed" in str(exc)
    assert [c.ref for c in cases.list_cases(ws)] == ["CH-000001"]
    assert not any(p.name.startswith("replaced-") for p in ws.backups_dir.iterdir())
    ws.close()
