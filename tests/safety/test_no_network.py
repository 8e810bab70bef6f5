"""No network: the main flows run under a guard that fails on any internet connection attempt.

The guard patches socket.socket.connect / connect_ex, socket.create_connection and getaddrinfo.
Local sockets (AF_UNIX: multiprocessing pipes, D-Bus for the keystore) are allowed; AF_INET and
AF_INET6 connections and name lookups fail and are recorded (an app that swallowed the error
would still be caught by the record).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import write_docx, write_text

ROOT = Path(__file__).resolve().parents[2]

GUARD = r'''
import os, socket
_LOG = os.environ.get("NO_NET_LOG")
def _record(what):
    if _LOG:
        with open(_LOG, "a") as f:
            f.write(what + "\n")
    raise OSError("network access attempted: " + what)
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _record(f"connect {address!r}")
    return _connect(self, address)
def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _record(f"connect_ex {address!r}")
    return _connect_ex(self, address)
socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.create_connection = lambda address, *a, **k: _record(f"create_connection {address!r}")
socket.getaddrinfo = lambda host, *a, **k: _record(f"getaddrinfo {host!r}")
'''


@pytest.fixture
def no_network(tmp_path, monkeypatch):
    log = tmp_path / "network-attempts.log"
    monkeypatch.setenv("NO_NET_LOG", str(log))
    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection,
             socket.getaddrinfo)
    exec(GUARD, {})
    try:
        yield log
    finally:
        (socket.socket.connect, socket.socket.connect_ex, socket.create_connection,
         socket.getaddrinfo) = saved


def _sources(tmp_path: Path) -> Path:
    from evidence_app.samples.writers.scan import write_scanned_pages

    src = tmp_path / "src"
    write_docx(src / "CH-000001" / "plan.docx", ["The child's plan was reviewed on time."])
    write_text(src / "CH-000001" / "visit.txt", "Visit: the child said she felt listened to.")
    # a scanned letter: OCR (issue 16) must read it from the models installed with the app
    (src / "CH-000001" / "school letter.pdf").write_bytes(write_scanned_pages(
        [["Letter from the school about Quillfeather"]], "scan", seed="offline"))
    return src


def test_the_guard_really_blocks(no_network):
    with pytest.raises(OSError, match="network access attempted"):
        socket.create_connection(("example.org", 80))
    a, b = socket.socketpair()  # AF_UNIX is fine
    a.close(), b.close()
    no_network.unlink()


def test_main_flows_in_process_make_no_connection(tmp_path, no_network):
    from evidence_app.core.safety import backup, integrity
    from evidence_app.core.bundles import bundles
    from evidence_app.core.evidence import coverage, evidence
    from evidence_app.core import settings
    from evidence_app.core.bundles.bundle_data import export_bundle
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.search.search import search
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws", "Offline Borough")
    settings.set_author(ws, "Priya Shah")
    add_source(ws, _sources(tmp_path), "case-files")
    index_workspace(ws, jobs=2)
    from evidence_app.core.index.indexer import Indexer

    with Indexer(ws, jobs=1) as indexer:  # the OCR pass, in a worker, offline
        assert indexer.read_scans().pages_read == 1
    assert search(ws, "Quillfeather").hits
    hit = search(ws, "listened").hits[0]
    evidence.tag(ws, hit.document_id, enquiries=["LEAD-01"], quote="felt listened to").value
    coverage.coverage(ws)
    b = bundles.create_bundle(ws, "Leadership", enquiries=["LEAD-01"]).value
    export_bundle(ws, b.id, tmp_path / "out.docx")
    backup.backup_now(ws)
    assert integrity.check(ws).ok
    ws.close()
    try:
        import evidence_app.ui.main_window  # noqa: F401  (offscreen; Qt never phones home)
    except ImportError:
        pass
    assert not no_network.exists(), no_network.read_text()


def test_the_cli_makes_no_connection(tmp_path):
    log = tmp_path / "attempts.log"
    env = {**os.environ, "NO_NET_LOG": str(log), "PYTHONPATH": str(ROOT)}
    wrapper = GUARD + "\nimport runpy, sys\nsys.argv = ['evidence-app'] + sys.argv[1:]\n" \
                      "runpy.run_module('evidence_app', run_name='__main__')\n"
    ws = tmp_path / "ws"
    src = _sources(tmp_path)

    def run(*args):
        r = subprocess.run([sys.executable, "-c", wrapper, "-w", str(ws), *args], env=env,
                           capture_output=True, text=True, cwd=str(ROOT), timeout=120)
        assert r.returncode == 0, (args, r.stderr)
        return r.stdout

    run("init")
    run("settings", "--author", "Priya Shah")
    run("source", "add", str(src), "--kind", "case-files")
    run("index")  # with its OCR pass
    assert [h["page"] for h in json.loads(run("search", "Quillfeather", "--json"))] == [1]
    assert json.loads(run("ocr", str(src / "CH-000001" / "school letter.pdf"),
                          "--json"))["pages_read"] == 1
    hits = json.loads(run("search", "plan", "--json"))
    run("tag", str(hits[0]["document_id"]), "--enquiry", "LEAD-01")
    run("coverage")
    bid = str(json.loads(run("bundle", "create", "All", "--json"))["id"])
    run("bundle", "export", bid, str(tmp_path / "b.docx"))
    run("backup")
    run("check")
    assert not log.exists(), log.read_text()
