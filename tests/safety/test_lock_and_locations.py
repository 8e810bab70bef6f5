"""One instance per workspace (OS lock, stale lock taken over), and no workspace in a cloud-sync or
network folder unless the person insists."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence_app.core.safety import lock, locations
from evidence_app.core.base.errors import ReadOnlyWorkspace, WorkspaceError
from evidence_app.core.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time; sys.path.insert(0, {root!r});"
        "from evidence_app.core.workspace import Workspace;"
        "ws = Workspace.open({ws!r}); ws.db; print('held', flush=True); time.sleep(60)")


def _hold(root: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), ws=str(root))],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_instance_is_refused_with_pid_and_host_and_readers_still_read(tmp_path, cli):
    cli("init")
    holder = _hold(cli.workspace)
    try:
        with pytest.raises(lock.WorkspaceLocked, match=f"pid {holder.pid} on"):
            Workspace.open(cli.workspace)
        r = cli("case", "add", "CH-000001", check=False)
        assert r.returncode == 1
        assert "in use by another Evidence Organiser program" in r.stderr  # not a "window"
        assert f"pid {holder.pid}" in r.stderr
        # read-only commands run beside the window
        assert cli.json("status")["documents"] == 0
        ro = Workspace.open(cli.workspace, access="read")
        assert ro.readonly and "read-only" in ro.readonly_reason
        with pytest.raises(ReadOnlyWorkspace):
            ro.set_meta("x", "y")
        ro.close()
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_after_a_crash_is_taken_over(tmp_path):
    root = tmp_path / "ws"
    Workspace.create(root).close()
    holder = _hold(root)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (root / ".lock").exists()  # the file stays; the OS lock went with the process
    assert lock.read_holder(root)["pid"] == holder.pid
    ws = Workspace.open(root)
    assert lock.read_holder(root)["pid"] == os.getpid()
    ws.close()


def test_extraction_workers_do_not_keep_the_lock_alive(tmp_path):
    root = tmp_path / "ws"
    ws = Workspace.create(root)
    pid = os.fork()
    if pid == 0:  # a forked child (like an extraction worker) outlives nothing
        time.sleep(1.5)
        os._exit(0)
    try:
        ws.close()
        assert lock.holder_if_locked(root) is None  # the child's copy was closed at fork
    finally:
        os.waitpid(pid, 0)


def test_the_lock_is_shared_inside_one_process_and_released_by_the_last_close(tmp_path):
    root = tmp_path / "ws"
    a = Workspace.create(root)
    b = Workspace.open(root)  # e.g. a worker thread of the window
    assert lock.count(root) == 2
    b.close()
    assert lock.held(root)
    a.close()
    assert not lock.held(root)


@pytest.mark.parametrize("path,service", [
    ("/home/sam/OneDrive - Northshire Council/Evidence", "OneDrive"),
    ("/Users/sam/Library/CloudStorage/OneDrive-Shared/ws", "OneDrive"),
    ("/home/sam/Dropbox/ws", "Dropbox"),
    ("/home/sam/Google Drive/My Drive/ws", "Google Drive"),
    ("/Users/sam/Library/Mobile Documents/com~apple~CloudDocs/ws", "iCloud"),
    ("/home/sam/Box/ws", "Box"),
    ("/home/sam/Northshire - SharePoint/ws", "SharePoint"),
])
def test_cloud_sync_folders_are_recognised(path, service):
    assert service in locations.synced_reason(Path(path))


def test_unc_and_network_mounts_are_recognised(tmp_path, monkeypatch):
    assert "network share" in locations.synced_reason(Path(r"\\server\share\ws"))
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda / ext4 rw 0 0\nserver:/x {tmp_path} nfs4 rw 0 0\n"
                      "sam@h:/y /mnt/ssh fuse.sshfs rw 0 0\n")
    monkeypatch.setattr(locations, "MOUNTS_FILE", str(mounts))
    assert "nfs4" in locations.synced_reason(tmp_path / "ws")
    assert "fuse.sshfs" in locations.synced_reason(Path("/mnt/ssh/ws"))
    assert locations.synced_reason(Path("/home/sam/Documents/ws")) is None


def test_a_synced_folder_is_refused_unless_allowed(tmp_path, cli, monkeypatch):
    synced = tmp_path / "OneDrive - Northshire" / "ws"
    with pytest.raises(WorkspaceError, match="--allow-synced-folder"):
        Workspace.create(synced)
    r = subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(synced), "init"],
                       capture_output=True, text=True, cwd=str(ROOT))
    assert r.returncode == 1 and "OneDrive" in r.stderr and "--allow-synced-folder" in r.stderr
    r = subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(synced), "init",
                        "--allow-synced-folder"], capture_output=True, text=True, cwd=str(ROOT))
    assert r.returncode == 0, r.stderr
    assert "WARNING" in r.stderr
    # the choice is remembered for this workspace, with the warning each time
    r = subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(synced), "status"],
                       capture_output=True, text=True, cwd=str(ROOT))
    assert r.returncode == 0 and "WARNING" in r.stderr


def test_a_writer_waits_for_a_short_reader_instead_of_refusing(tmp_path):
    """A `search` that finds the lock free holds it for its first moments; a window (writer)
    opening at that instant waits for it rather than telling the user the workspace is busy."""
    import time

    from evidence_app.core.safety import lock
    from evidence_app.core.workspace import Workspace

    Workspace.create(tmp_path / "w").close()
    code = ("import time, sys; from evidence_app.core.safety import lock; "
            "lock.acquire(__import__('pathlib').Path(sys.argv[1])); print('held', flush=True); "
            "time.sleep(1.0)")
    import subprocess
    import sys

    reader = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "w")],
                              stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "held"
    started = time.monotonic()
    ws = Workspace.open(tmp_path / "w")  # a writer
    waited = time.monotonic() - started
    assert not ws.readonly and lock.held(tmp_path / "w")
    assert 0.3 < waited < 3.0
    ws.close()
    reader.wait(5)
