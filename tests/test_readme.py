"""The README is a contract: every ```sh block in it runs as written.

The blocks are run in order, in one bash session (so `source .venv/bin/activate` and
`export EVIDENCE_WORKSPACE=…` carry on as they would in a terminal), in a temporary home folder
(`~` is a fresh folder: `~/sample-files`, `~/inspection`), with a `.venv` whose `evidence-app`
is this checkout. Each command must exit 0 without a traceback; a command with `--watch` runs
for a few seconds and is then stopped with Ctrl+C (SIGINT), which must end it with one line.

A block that must not be run (an example with placeholders, a Windows command) is marked by the
line `<!-- not run by tests/test_readme.py -->` just above it, or fenced as something other than
```sh (```powershell, ```text).
"""
from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIP_MARK = "<!-- not run by tests/test_readme.py -->"
WATCH_SECONDS = 4


def sh_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number, commands) for each ```sh block; continuation lines joined; comments and
    blank lines dropped."""
    blocks, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() in ("```sh", "```bash", "```shell"):
            skipped = i > 0 and lines[i - 1].strip() == SKIP_MARK or \
                i > 1 and lines[i - 2].strip() == SKIP_MARK and not lines[i - 1].strip()
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            if not skipped:
                blocks.append((start, join_commands(body)))
        i += 1
    return blocks


def join_commands(body: list[str]) -> list[str]:
    out, current = [], ""
    for line in body:
        if current:
            current += " " + line.strip()
        else:
            current = line.strip()
        if current.endswith("\\"):
            current = current[:-1].rstrip()
            continue
        if current and not current.startswith("#"):
            out.append(current)
        current = ""
    return out


def _fake_venv(cwd: Path) -> Path:
    """`.venv/bin/` with `activate`, `python` and `evidence-app` for this checkout."""
    bindir = cwd / ".venv" / "bin"
    bindir.mkdir(parents=True)
    py = shlex.quote(sys.executable)  # wrappers, not symlinks: a venv is found from its path
    for name, body in (("python", f'exec {py} "$@"'), ("python3", f'exec {py} "$@"'),
                       ("evidence-app", f'exec {py} -m evidence_app "$@"')):
        f = bindir / name
        f.write_text(f"#!/bin/sh\n{body}\n")
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
    (bindir / "activate").write_text(f'export PATH={shlex.quote(str(bindir))}:"$PATH"\n'
                                     f'export VIRTUAL_ENV={shlex.quote(str(cwd / ".venv"))}\n')
    return bindir


def _script(blocks: list[tuple[int, list[str]]]) -> str:
    lines = ["set -u"]
    for start, commands in blocks:
        for cmd in commands:
            label = shlex.quote(f"README line {start}: {cmd}")
            lines.append(f"echo '### '{label} >&2")
            # the command on its own line (a trailing # comment stays a comment), then its check
            if "--watch" in cmd.split(" #")[0]:
                # like pressing Ctrl+C after a few seconds: one line, exit code 130
                lines.append(f"timeout --preserve-status -s INT {WATCH_SECONDS} {cmd}")
                want = 130
            else:
                lines.append(cmd)
                want = 0
            lines.append(f'rc=$?; [ $rc -eq {want} ] || {{ echo "### FAILED ($rc) "{label} >&2; '
                         "exit 1; }")
    lines.append("echo '### ALL DONE' >&2")
    return "\n".join(lines) + "\n"


def test_readme_has_the_cli_blocks():
    blocks = sh_blocks(README.read_text(encoding="utf-8"))
    commands = [c for _, cs in blocks for c in cs]
    assert any(c.startswith("export EVIDENCE_WORKSPACE=") for c in commands)
    assert any("evidence_app.samples" in c for c in commands)
    # EVIDENCE_WORKSPACE is set once, at the top: no command repeats --workspace
    assert not [c for c in commands if "--workspace" in c]


def test_join_commands_handles_continuations_and_comments():
    assert join_commands(["a \\", "  b  # c", "", "# note", "d"]) == ["a b  # c", "d"]


@pytest.mark.slow
def test_every_readme_command_runs_as_written(tmp_path):
    blocks = sh_blocks(README.read_text(encoding="utf-8"))
    home = tmp_path / "home"
    cwd = tmp_path / "checkout"
    home.mkdir()
    cwd.mkdir()
    _fake_venv(cwd)
    env = {k: v for k, v in os.environ.items() if k not in ("EVIDENCE_WORKSPACE", "VIRTUAL_ENV")}
    env.update(HOME=str(home), EVIDENCE_APP_HOME=str(tmp_path / "apphome"),
               PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(["bash", "-c", _script(blocks)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)
    log = proc.stderr + proc.stdout
    failed = re.findall(r"### FAILED .*", proc.stderr)
    assert proc.returncode == 0 and "### ALL DONE" in proc.stderr, (
        (failed[0] if failed else "the script stopped") + "\n"
        + "\n".join(proc.stderr.splitlines()[-25:]))
    assert "Traceback" not in log, log[-4000:]
