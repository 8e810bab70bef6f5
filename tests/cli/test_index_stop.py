"""Workers end with their parent; SIGTERM and Ctrl+C end `index` calmly and the queue resumes
(issue 9, point 5). Real processes: the CLI in a subprocess, its workers found with psutil."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from evidence_app.core.workspace import DB_NAME
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals")

FILES = 600  # enough that a pass outlasts the test starting and stopping it, on an idle machine too


def _corpus(folder: Path) -> None:
    folder.mkdir(parents=True)
    para = "The social worker visited the family and discussed the plan with the child. " * 40
    for i in range(FILES):
        # big enough text that a pass takes several seconds on a busy 2-core machine
        (folder / f"note {i:03d}.txt").write_text(f"note {i} about quokkas\n\n" + para * 30)


def _cli(ws: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "evidence_app", "--workspace", str(ws), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            **kw)


def _setup(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    src = tmp_path / "src"
    _corpus(src)
    for args in (("init",), ("source", "add", str(src), "--kind", "other")):
        p = _cli(ws, *args)
        assert p.wait(60) == 0, p.stderr.read()
    return ws


def _indexed(ws: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{ws / DB_NAME}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start_and_wait_for_workers(ws: Path) -> tuple[subprocess.Popen, list[psutil.Process]]:
    proc = _cli(ws, "index", "--jobs", "2")
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline:
        workers = parent.children(recursive=True)
        if len(workers) >= 2 and _indexed(ws) > 0:
            break
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    assert len(workers) >= 2, "the index run never started its workers"
    return proc, workers


def _gone_within(procs: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    _gone, alive = psutil.wait_procs(procs, timeout=seconds)
    return alive


def _db_path_exists(ws: Path) -> bool:
    return (ws / DB_NAME).exists()


def test_sigkill_of_index_leaves_no_worker_running(tmp_path):
    ws = _setup(tmp_path)
    assert _db_path_exists(ws)
    for _round in range(2):
        proc, workers = _start_and_wait_for_workers(ws)
        proc.kill()
        proc.wait(10)
        alive = _gone_within(workers, 5)
        for p in alive:
            p.kill()
        assert not alive, f"workers outlived a SIGKILLed index by 5 s: {[p.pid for p in alive]}"
    # and the interrupted work resumes
    p = _cli(ws, "index")
    assert p.wait(180) == 0, p.stderr.read()
    assert _indexed(ws) == FILES


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_end_index_with_one_line_and_the_queue_resumes(tmp_path, sig, code):
    ws = _setup(tmp_path)
    proc, workers = _start_and_wait_for_workers(ws)
    if sig == signal.SIGINT:
        # Ctrl+C at a terminal reaches the whole process group, workers included
        for p in [psutil.Process(proc.pid), *workers]:
            try:
                p.send_signal(sig)
            except psutil.NoSuchProcess:
                pass
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    last = [line for line in err.splitlines() if line.strip()][-1]
    assert last.startswith("Indexing stopped") and "index" in last, err
    assert not _gone_within(workers, 5)
    done_before = _indexed(ws)
    assert done_before < FILES, "the run finished before it could be stopped: make it longer"
    # nothing was marked damaged by the interruption
    con = sqlite3.connect(f"file:{ws / DB_NAME}?mode=ro", uri=True)
    assert con.execute("SELECT COUNT(*) FROM documents WHERE status != 'ok'").fetchone()[0] == 0
    con.close()
    p = _cli(ws, "index")
    _, err2 = p.communicate(timeout=180)
    assert p.returncode == 0, err2
    con = sqlite3.connect(f"file:{ws / DB_NAME}?mode=ro", uri=True)
    assert con.execute("SELECT COUNT(*) FROM documents WHERE status = 'ok'").fetchone()[0] == FILES
    assert con.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0
    con.close()
