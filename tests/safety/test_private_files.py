"""Private by default (issue 11, point 2) and the files a careless machine leaves behind (point 5):
the workspace folder is 0700 and every file the app writes in it 0600 whatever the umask, an old
workspace is tightened when opened, exports follow the umask, a leftover read-only -shm is
recreated, and a workspace path that is not UTF-8 works for every command."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import write_text

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _run(workspace, *args: str, umask: int | None = None, check: bool = True):
    env = dict(os.environ)
    pre = (lambda: os.umask(umask)) if umask is not None else None
    r = subprocess.run([sys.executable, "-m", "evidence_app", "--workspace", workspace, *args],
                       capture_output=True, text=True, env=env, cwd=str(ROOT), preexec_fn=pre,
                       timeout=120, errors="surrogateescape")
    if check:
        assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    return r


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _private_files(root: Path) -> list[Path]:
    out = []
    for p in root.rglob("*"):
        if "exports" in p.relative_to(root).parts:
            continue
        out.append(p)
    return out


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o002])
def test_every_file_is_private_whatever_the_umask(tmp_path, umask):
    src = tmp_path / "src"
    write_text(src / "CH-000001" / "visit.txt", "The child said she felt safe at home.")
    ws = tmp_path / "ws"
    _run(ws, "init", "--name", "Perms", umask=umask)
    _run(ws, "source", "add", str(src), "--kind", "case-files", umask=umask)
    _run(ws, "index", umask=umask)
    _run(ws, "tag", str(src / "CH-000001" / "visit.txt"), "--enquiry", "LEAD-01", "--quote",
         "felt safe", umask=umask)
    _run(ws, "backup", umask=umask)
    out = tmp_path / "tracker.xlsx"
    _run(ws, "export", "tracker", str(out), umask=umask)
    assert _mode(ws) == 0o700
    names = set()
    for p in _private_files(ws):
        names.add(p.name)
        want = 0o700 if p.is_dir() else 0o600
        assert _mode(p) == want, f"{p.relative_to(ws)} is {oct(_mode(p))}, umask {oct(umask)}"
    assert "evidence.db" in names and any(n.endswith(".jsonl") for n in names)
    assert any(n.startswith("evidence-") and n.endswith("-manual.db") for n in names)
    # the export follows the person's umask: it is meant to be shared
    assert _mode(out) == 0o666 & ~umask


def test_an_old_workspace_is_tightened_when_opened(tmp_path):
    ws = tmp_path / "ws"
    _run(ws, "init")
    _run(ws, "case", "add", "CH-000001")
    _run(ws, "backup")
    for p in [ws, *ws.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    readonly = ws / "backups" / "kept-read-only.db"
    readonly.write_bytes(b"")
    os.chmod(readonly, 0o444)
    _run(ws, "case", "list")
    assert _mode(ws) == 0o700
    for p in _private_files(ws):
        if p == readonly:
            assert _mode(p) == 0o400  # only group/other taken away: never made writable
            continue
        assert _mode(p) & 0o077 == 0, f"{p.relative_to(ws)} is {oct(_mode(p))}"


def test_a_leftover_read_only_shm_is_recreated(tmp_path):
    ws = tmp_path / "ws"
    _run(ws, "init")
    _run(ws, "case", "add", "CH-000001")
    shm = Path(str(ws / "evidence.db") + "-shm")
    shm.write_bytes(b"\0" * 32768)  # a leftover from another session
    os.chmod(shm, 0o444)
    r = _run(ws, "case", "add", "CH-000002")
    assert "readonly" not in r.stderr
    assert [c["ref"] for c in json.loads(_run(ws, "case", "list", "--json").stdout)] == \
        ["CH-000001", "CH-000002"]


def test_a_workspace_path_that_is_not_utf8_works_for_every_command(tmp_path):
    ws = os.fsdecode(os.fsencode(str(tmp_path)) + b"/ws-\xff\xfe-caf\xe9")
    try:
        os.mkdir(ws)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    os.rmdir(ws)
    _run(ws, "init", "--name", "Odd path")
    _run(ws, "case", "add", "CH-000001")
    made = json.loads(_run(ws, "backup", "--json").stdout)
    for p in Path(ws, "backups").glob("*.db"):
        p.unlink()  # the next opening by a command that writes makes the daily backup
    _run(ws, "status")
    _run(ws, "case", "add", "CH-000002")
    assert any(p.name.endswith("-daily.db") for p in Path(ws, "backups").iterdir())
    _run(ws, "search", "anything")
    assert "All checks passed." in _run(ws, "check").stdout
    _run(ws, "backups")
    daily = next(p for p in Path(ws, "backups").iterdir() if p.name.endswith("-daily.db"))
    _run(ws, "restore", daily.name)
    assert [c["ref"] for c in json.loads(_run(ws, "case", "list", "--json").stdout)] == \
        ["CH-000001"]  # the daily backup was made before CH-000002 was added
    assert made["size"] > 0
