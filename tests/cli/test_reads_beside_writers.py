"""Issue 9 point 8: reads never wait for writers, writers never wait for reads.

Read-only commands take no lock and run no start-up checks: they read beside `index --watch`, a
bundle export or a tagging loop, and a write is never refused because someone is reading. When a
write *is* refused (another writer holds the workspace), the message says truthfully what holds
it: the command or the window, its pid and since when.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from evidence_app.core.safety import lock
from evidence_app.core.workspace import Workspace
from tests.conftest import ROOT
from tests.factories import write_text

READS = [["search", "visit", "--json"], ["documents", "--json"], ["status", "--json"],
         ["evidence", "--json"], ["coverage", "--json"], ["framework", "list", "--json"],
         ["request", "list", "--json"], ["check", "--json"]]


def _sources(tmp_path, n: int = 6):
    cases = tmp_path / "cases"
    for i in range(n):
        write_text(cases / f"CH-00000{i}" / "visit.txt",
                   f"Home visit {i}.\n\nThe child said the plan helps her feel safe at home.")
    return cases


def _start_watch(cli) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_app", "--workspace", str(cli.workspace), "index",
         "--watch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=str(ROOT),
        start_new_session=True)  # its own process group: stopped with its extraction workers
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the watcher holds the lock once it has started
        if lock.holder_if_locked(cli.workspace):
            return proc
        time.sleep(0.1)
    _stop(proc)
    raise AssertionError("index --watch did not start")


def _stop(proc: subprocess.Popen) -> None:
    if not hasattr(os, "killpg"):  # Windows
        proc.terminate()
        proc.wait()
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def test_every_read_command_runs_beside_index_watch_on_an_untagged_workspace(cli, tmp_path):
    cli("init")
    cli("source", "add", str(_sources(tmp_path)), "--kind", "case-files")
    watch = _start_watch(cli)
    try:
        for args in READS:
            started = time.monotonic()
            r = cli(*args, check=False, timeout=60)
            assert r.returncode == 0, f"{' '.join(args)}: {r.stderr}"
            assert time.monotonic() - started < 20, f"{' '.join(args)} waited for the writer"
            assert "Traceback" not in r.stderr
        assert cli.json("framework", "list")["enquiries"]  # seeded, even beside the watcher
    finally:
        _stop(watch)


def test_a_refused_write_names_the_command_that_holds_the_workspace(cli, tmp_path):
    cli("init")
    cli("source", "add", str(_sources(tmp_path, 2)), "--kind", "case-files")
    watch = _start_watch(cli)
    try:
        r = cli("case", "add", "CH-000009", check=False, timeout=60)
        assert r.returncode == 1
        line = r.stderr.strip().splitlines()[-1]
        assert "the command 'evidence-app index --watch'" in line, line
        assert f"pid {watch.pid} on " in line and "since " in line, line
        assert "window" not in line.split("read-only")[0]
    finally:
        _stop(watch)


def test_a_long_read_never_makes_a_writer_wait_or_fail(cli, tmp_path):
    """A reader inside a read transaction (as a long search is) while people write."""
    cli("init")
    cli("source", "add", str(_sources(tmp_path, 3)), "--kind", "case-files")
    cli("index")
    reader = Workspace.open(cli.workspace, access="reader")
    try:
        reader.conn.execute("BEGIN")
        before = reader.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        assert not lock.held(cli.workspace)  # the reader took no lock
        for i in range(3):
            started = time.monotonic()
            cli("case", "add", f"CH-00010{i}", timeout=60)
            assert time.monotonic() - started < 15
        # the reader's snapshot is stable; a new read sees the writes
        assert reader.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == before
        reader.conn.execute("COMMIT")
        assert reader.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == before + 3
    finally:
        reader.close()


def test_reads_run_while_a_tagging_loop_and_a_bundle_export_write(cli, tmp_path):
    cli("init")
    cases = _sources(tmp_path, 6)
    cli("source", "add", str(cases), "--kind", "case-files")
    cli("index")
    cli("settings", "--author", "Sam Tester", "--team", "Quality Assurance")
    failures: list[str] = []
    stop = threading.Event()

    def read_loop() -> None:
        while not stop.is_set():
            for args in READS:
                r = cli(*args, check=False, timeout=60)
                if r.returncode != 0:
                    failures.append(f"{' '.join(args)}: {r.stderr.strip()}")

    readers = [threading.Thread(target=read_loop) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        for i in range(6):  # the tagging loop: every write succeeds beside the readers
            cli("tag", str(cases / f"CH-00000{i}" / "visit.txt"), "--enquiry", "HP-15",
                "--quote", "the plan helps her feel safe", timeout=60)
        cli("bundle", "create", "Help and protection", "--enquiry", "HP-15")
        cli("bundle", "export", "1", str(tmp_path / "bundle.docx"), timeout=120)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert not failures, failures[:3]
    assert len(cli.json("evidence")) == 6
    assert (tmp_path / "bundle.docx").exists()


def test_a_reader_takes_no_lock_but_brings_an_older_schema_up_to_date(tmp_path):
    """Readers do no start-up work, except migrating a database from an older version (once)."""
    import sqlite3

    from evidence_app.core.store import migrations

    root = tmp_path / "ws"
    Workspace.create(root).close()
    ws = Workspace.open(root, access="reader")
    assert ws._reader and not lock.held(root)
    ws.close()
    conn = sqlite3.connect(root / "evidence.db")  # as an older version left it
    conn.execute("DROP INDEX chunks_id_document")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_search_lookup'")
    conn.commit()
    conn.close()
    ws = Workspace.open(root, access="reader")
    assert not migrations.pending(ws.conn)
    assert ws.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'chunks_id_document'"
                           ).fetchone()
    ws.close()
    assert not lock.held(root)


def test_the_lock_note_describes_a_window_and_an_unknown_holder():
    assert "an Evidence Organiser window (pid 7 on pc" in lock.describe_holder(
        {"pid": 7, "host": "pc", "role": "window", "since": "2026-01-02T09:30:00"})
    assert "since 02/01/2026 09:30" in lock.describe_holder(
        {"pid": 7, "host": "pc", "role": "window", "since": "2026-01-02T09:30:00"})
    old = lock.locked_message({"pid": 8, "host": "pc"})  # a note written before roles existed
    assert "another Evidence Organiser program (pid 8 on pc)" in old
