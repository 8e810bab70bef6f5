"""Every entry under a source gets a status: pipes, sockets and devices are skipped unopened;
links are never followed (outside the source above all), loops are detected, unreadable folders
are reported; `source add` refuses system folders (issue 9, point 3)."""
from __future__ import annotations

import os
import socket
import stat
import threading
import time

import pytest

from evidence_app.core.index import scan
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source
from evidence_app.core.store.document_reads import documents
from tests.factories import write_text

posix = pytest.mark.skipif(os.name == "nt", reason="POSIX file types")


def _by_name(ws):
    return {d.name: d for d in documents(ws.db)}


def _index_with_deadline(ws, seconds=60):
    """Index in a thread: a reader that opened a FIFO would block forever."""
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("s", index_workspace(ws)), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "indexing hung (was a pipe opened?)"
    return out["s"]


@posix
def test_pipes_sockets_and_devices_are_skipped_and_never_opened(ws, cases_dir):
    write_text(cases_dir / "note.txt", "a note about the wombat")
    os.mkfifo(cases_dir / "a pipe")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(cases_dir / "a socket"))
    device = True
    try:
        os.mknod(cases_dir / "a device", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        device = False  # no CAP_MKNOD here: the pipe and socket still cover the rule
    try:
        add_source(ws, cases_dir, "case-files")
        started = time.monotonic()
        _index_with_deadline(ws)
        assert time.monotonic() - started < 60
    finally:
        sock.close()
    docs = _by_name(ws)
    assert docs["note.txt"].status == "ok"
    for name in ["a pipe", "a socket"] + (["a device"] if device else []):
        assert docs[name].status == "skipped", docs[name]
        assert "not a regular file" in docs[name].reason
    assert "named pipe" in docs["a pipe"].reason
    # a second pass leaves them be; removing the pipe forgets it (it never was a document)
    assert index_workspace(ws).indexed == 0
    os.unlink(cases_dir / "a pipe")
    index_workspace(ws)
    assert "a pipe" not in _by_name(ws)


@posix
def test_links_are_never_followed_and_loops_are_detected(ws, tmp_path, cases_dir):
    outside = tmp_path / "elsewhere"
    write_text(outside / "secret.txt", "the xylophonist lives outside the source")
    write_text(cases_dir / "CH-000100" / "real.txt", "the real note about the capybara")
    os.symlink(outside / "secret.txt", cases_dir / "CH-000100" / "to outside file.txt")
    os.symlink(outside, cases_dir / "outside folder")
    os.symlink(cases_dir / "CH-000100" / "real.txt", cases_dir / "inside link.txt")
    os.symlink("..", cases_dir / "CH-000100" / "loop")
    os.symlink("no such target", cases_dir / "broken.txt")
    os.symlink("self loop", cases_dir / "self loop")
    add_source(ws, cases_dir, "case-files")
    _index_with_deadline(ws)
    docs = _by_name(ws)
    assert docs["real.txt"].status == "ok"
    assert not search(ws, "xylophonist").hits  # nothing outside the source was read
    assert len(search(ws, "capybara").hits) == 1  # the inside link adds no duplicate
    expect = {"to outside file.txt": "outside", "outside folder": "outside",
              "inside link.txt": "indexed at its own place", "loop": "loop",
              "broken.txt": "broken", "self loop": "loop"}
    for name, words in expect.items():
        assert docs[name].status == "skipped", docs[name]
        assert words in docs[name].reason, docs[name]
    assert docs["loop"].case_ref == "CH-000100"


@posix
def test_an_unreadable_folder_is_reported_with_its_reason(ws, cases_dir, monkeypatch):
    write_text(cases_dir / "open" / "a.txt", "an open note")
    locked = cases_dir / "locked"
    write_text(locked / "b.txt", "a locked note")
    if os.geteuid() == 0:
        # root reads everything: inject the refusal the file system gives everyone else
        real = os.scandir

        def scandir(path="."):
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(scan.os, "scandir", scandir)
    else:
        os.chmod(locked, 0)
    try:
        add_source(ws, cases_dir, "case-files")
        index_workspace(ws)
        docs = _by_name(ws)
        assert docs["a.txt"].status == "ok"
        assert docs["locked"].status == "skipped"
        assert "could not be opened (Permission denied)" in docs["locked"].reason
        assert "b.txt" not in docs
    finally:
        os.chmod(locked, 0o755)
    monkeypatch.undo()
    index_workspace(ws)  # readable again: the folder's files come in, the report goes
    docs = _by_name(ws)
    assert docs["b.txt"].status == "ok" and "locked" not in docs


@pytest.mark.parametrize("path", ["", "   ", "/", "/proc", "/sys/kernel", "/dev", "/etc"])
def test_source_add_refuses_the_root_system_folders_and_an_empty_path(ws, path):
    if os.name == "nt" and path.startswith("/"):
        pytest.skip("POSIX paths")
    with pytest.raises(InvalidInput) as err:
        add_source(ws, path, "policies")
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


@pytest.mark.skipif(os.name != "nt", reason="Windows paths")
def test_source_add_refuses_windows_system_folders(ws):
    for path in ("C:\\", "C:\\Windows", "C:\\Windows\\System32", "C:\\Program Files"):
        with pytest.raises(InvalidInput):
            add_source(ws, path, "policies")


def test_source_add_refusals_through_the_cli(cli):
    cli("init")
    for path in ("", "/", "/proc"):
        if os.name == "nt" and path:
            continue
        p = cli("source", "add", path, "--kind", "policies", check=False)
        assert p.returncode == 1 and "Traceback" not in p.stderr
        assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert cli.json("source", "list") == []


def test_inside_compares_whole_path_components():
    sep = os.sep
    assert scan.inside(f"{sep}x{sep}ws{sep}a.txt", f"{sep}x{sep}ws")
    assert scan.inside(f"{sep}x{sep}ws", f"{sep}x{sep}ws{sep}")
    assert not scan.inside(f"{sep}x{sep}ws_src{sep}a.txt", f"{sep}x{sep}ws")
    assert not scan.inside(f"{sep}x{sep}w", f"{sep}x{sep}ws")
    assert scan.inside(f"{sep}anything", sep)
