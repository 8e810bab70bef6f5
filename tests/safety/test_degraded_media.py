"""Degraded media: a full disk during indexing, backup and export; a workspace on read-only
media; source files that vanish, move or shrink while being read.

Full disk: as root we mount a 3 MB tmpfs for the workspace (`mount -t tmpfs -o size=3m`); where
mounting is impossible (CI as a normal user) the CLI runs with RLIMIT_FSIZE, which makes writes
past the limit fail with EFBIG, the same path through SQLite ("database or disk is full").
Read-only: a read-only bind mount as root, else chmod a-w as a normal user.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_app.core.evidence import evidence
from evidence_app.core.base.errors import ReadOnlyWorkspace
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from tests.factories import write_text

ROOT = Path(__file__).resolve().parents[2]


def _mount(args: list[str]) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _cli(ws: Path, *args: str, fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(ws), *args],
                          capture_output=True, text=True, cwd=str(ROOT), timeout=300,
                          preexec_fn=limit if fsize else None)


@pytest.fixture
def small_disk(tmp_path):
    """(workspace folder, rlimit or None): a tiny filesystem, or a file-size limit."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if _mount(["-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)]):
        yield mnt / "ws", None, "tmpfs 3 MB"
        _umount(mnt)
    else:
        yield mnt / "ws", 2_500_000, "RLIMIT_FSIZE 2.5 MB"


def test_disk_full_during_index_backup_and_export_loses_nothing(tmp_path, small_disk):
    ws_root, fsize, how = small_disk
    src = tmp_path / "src"
    for i in range(60):
        words = " ".join(f"word{i}x{j} visit assessment plan" for j in range(900))
        write_text(src / f"CH-{i:06d}" / f"record-{i}.txt", words)
    assert _cli(ws_root, "init").returncode == 0
    assert _cli(ws_root, "settings", "--author", "Priya Shah").returncode == 0
    assert _cli(ws_root, "source", "add", str(src), "--kind", "case-files").returncode == 0
    write_text(tmp_path / "one" / "CH-999999" / "first.txt", "The first visit went well.")
    _cli(ws_root, "source", "add", str(tmp_path / "one"), "--kind", "case-files")
    # index just the small folder first, tag it (committed work that must survive)
    ws = Workspace.open(ws_root)
    from evidence_app.core.index.indexer import index_workspace

    index_workspace(ws, jobs=1, paths=[str(tmp_path / "one" / "CH-999999" / "first.txt")])
    item = evidence.tag(ws, str(tmp_path / "one" / "CH-999999" / "first.txt"),
                        enquiries=["LEAD-01"], note="before the disk filled").value
    from evidence_app.core.bundles import bundles

    bundle_id = str(bundles.create_bundle(ws, "Leadership", enquiries=["LEAD-01"]).value.id)
    ws.close()

    r = _cli(ws_root, "index", fsize=fsize)
    assert r.returncode == 1, r.stderr
    assert "disk" in r.stderr and "full" in r.stderr and "Nothing was lost" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    filler = ws_root.parent / "filler.bin"
    if fsize is None:  # leave a few KB free on the tiny disk: how much the failed pass gave
        free = shutil.disk_usage(ws_root).free  # back (its rolled-back batch) is not the point
        filler.write_bytes(b"\0" * max(0, free - 8192))
    r = _cli(ws_root, "backup", fsize=fsize and 150_000)  # smaller than the database
    assert r.returncode == 1 and "full" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not list((ws_root / "backups").glob("*.tmp"))
    out = ws_root / "exports" / "bundle.docx"
    r = _cli(ws_root, "bundle", "export", bundle_id, str(out), fsize=fsize and 8192)
    assert r.returncode == 1 and "full" in r.stderr and "Traceback" not in r.stderr, r.stderr
    filler.unlink(missing_ok=True)

    # nothing lost; the work resumes once there is room
    if fsize is None:
        subprocess.run(["mount", "-o", "remount,size=64m", str(ws_root.parent)], check=True)
    ws = Workspace.open(ws_root)
    assert ws.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    got = [i.uuid for i in evidence.list_items(ws)]
    assert got == [item.uuid], (got, item.uuid)
    queued_before = ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]
    ws.close()
    if fsize is None:
        r = _cli(ws_root, "index")
        assert r.returncode == 0, r.stderr
        ws = Workspace.open(ws_root)
        assert ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0
        assert ws.db.conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'ok'"
                                  ).fetchone()[0] == 61
        ws.close()
    print(f"\nFAULTS disk full ({how}): index and backup refused cleanly; "
          f"{queued_before} files left queued; 0 lost")


@pytest.fixture
def readonly_copy(tmp_path):
    src = tmp_path / "src"
    write_text(src / "CH-000001" / "visit.txt", "The child enjoyed the trampoline park visit.")
    root = tmp_path / "ws"
    ws = Workspace.create(root)
    add_source(ws, src, "case-files")
    from evidence_app.core.index.indexer import index_workspace

    index_workspace(ws, jobs=1)
    evidence.tag(ws, str(src / "CH-000001" / "visit.txt"), enquiries=["LEAD-01"]).value
    ws.close()
    ro = tmp_path / "ro"
    ro.mkdir()
    if _mount(["--bind", str(root), str(ro)]) and _mount(["-o", "remount,bind,ro", str(ro)]):
        yield ro, "read-only bind mount"
        _umount(ro)
    elif os.geteuid() != 0:
        for p in [root, *root.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        yield root, "chmod a-w"
        for p in [root, *root.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)
    else:
        pytest.skip("cannot make read-only media here (root without mount)")


def test_a_workspace_on_read_only_media_opens_read_only(readonly_copy):
    root, how = readonly_copy
    ws = Workspace.open(root)
    assert ws.readonly and "read-only" in ws.readonly_reason
    assert search(ws, "trampoline").hits
    assert len(evidence.list_items(ws)) == 1
    with pytest.raises(ReadOnlyWorkspace, match="read-only"):
        evidence.tag(ws, 1, enquiries=["LEAD-01"]).value
    ws.close()
    r = _cli(root, "search", "trampoline", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)
    r = _cli(root, "case", "add", "CH-000002")
    assert r.returncode == 1 and "read-only" in r.stderr and "Traceback" not in r.stderr
    print(f"\nFAULTS read-only media ({how}): opened read-only, search ok, edits refused")


def test_source_files_vanishing_or_shrinking_while_read_are_reconciled(tmp_path):
    from evidence_app.core.index.extract_worker import Task, process_one
    from evidence_app.core.index.extractors.base import Limits
    from evidence_app.core.index.indexer import Indexer, IndexSummary, index_workspace
    from evidence_app.core.base.progress import no_progress

    src = tmp_path / "src"
    paths = [write_text(src / f"CH-00000{i}" / f"v{i}.txt", f"visit number {i} " * 200)
             for i in range(6)]
    ws = Workspace.create(tmp_path / "ws")
    add_source(ws, src, "case-files")
    indexer = Indexer(ws, jobs=1)
    summary = IndexSummary()
    seen = indexer.plan_full(summary)
    # between planning and reading: one deleted, one renamed, one truncated
    paths[0].unlink()
    paths[1].rename(paths[1].with_name("renamed.txt"))
    paths[2].write_bytes(b"")
    indexer._drain(seen, summary, no_progress, None)  # no exception
    indexer.close()
    assert process_one(Task(str(paths[0])), Limits()).result is None  # reported, not raised
    index_workspace(ws, jobs=1)  # the next scan reconciles
    rows = dict(ws.db.conn.execute("SELECT name, status FROM documents").fetchall())
    assert rows["renamed.txt"] == "ok" and rows["v3.txt"] == "ok"
    assert rows.get("v0.txt", "missing") == "missing"
    assert rows.get("v1.txt", "missing") == "missing"
    assert rows["v2.txt"] in ("empty", "ok")
    assert ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0
    ws.close()
