"""Shared fixtures: a fresh real workspace per test, source folders of real files, a CLI runner."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real user profile: settings and default workspace go to a temp folder."""
    home = tmp_path_factory.mktemp("apphome")
    monkeypatch.setenv("EVIDENCE_APP_HOME", str(home))
    monkeypatch.delenv("EVIDENCE_WORKSPACE", raising=False)
    yield


@pytest.fixture
def ws(tmp_path):
    from evidence_app.core.workspace import Workspace

    w = Workspace.create(tmp_path / "ws", "Test Borough Children's Services")
    yield w
    w.close()


@pytest.fixture
def cases_dir(tmp_path):
    d = tmp_path / "sources" / "case-files"
    d.mkdir(parents=True)
    return d


@pytest.fixture
def policies_dir(tmp_path):
    d = tmp_path / "sources" / "policies"
    d.mkdir(parents=True)
    return d


class Cli:
    """Runs the real `python -m evidence_app` in a subprocess against one workspace."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace

    def __call__(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        proc = subprocess.run(
            [sys.executable, "-m", "evidence_app", "--workspace", str(self.workspace), *args],
            capture_output=True, text=True, timeout=timeout, env=env, cwd=str(ROOT),
            stdin=subprocess.DEVNULL)  # never a terminal: commands that may ask must not wait
        if check and proc.returncode != 0:
            raise AssertionError(f"evidence-app {' '.join(args)} failed ({proc.returncode}):\n"
                                 f"{proc.stderr}")
        return proc

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "cli-ws")
