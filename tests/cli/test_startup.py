"""Issue 9 point 9: fast from the first keystroke. A read-only command loads only what it needs:
no sqlite-utils (pluggy, click, dateutil), no Qt, no file
readers, only the CLI part that defines the command, and no start-up checks or lock. (A new
migration must import sqlite_utils only under TYPE_CHECKING, like m002-m006.)"""
from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from evidence_app.cli import main as cli_module
from tests.conftest import ROOT

HEAVY = ["sqlite_utils", "pluggy", "click", "dateutil", "PySide6", "docx",
         "openpyxl", "pypdfium2", "lxml", "extract_msg", "dataclasses", "tempfile", "shutil",
         "evidence_app.core.safety.backup", "evidence_app.core.safety.integrity", "evidence_app.core.safety.journal",
         "evidence_app.cli.evidence", "evidence_app.cli.bundles", "evidence_app.cli.cases",
         "evidence_app.cli.index", "evidence_app.cli.framework"]
PROBE = """
import contextlib, io, json, sys
from evidence_app.app import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main({argv!r})
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""


def _modules_after(argv: list[str]) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True,
                          text=True, cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == 0
    return set(data["modules"])


@pytest.mark.parametrize("command", [["search", "visit", "--json"], ["status", "--json"],
                                     ["search", "vis*", "kind:policies", "--json"]])
def test_read_commands_load_only_what_they_need(cli, command):
    cli("init")
    loaded = _modules_after(["-w", str(cli.workspace), *command])
    assert not [m for m in HEAVY if m in loaded]


def test_every_command_is_mapped_to_the_part_that_defines_it():
    """COMMAND_PARTS lets the CLI load one part; an unmapped command still works (all parts
    load), but would lose that speed."""
    for part in cli_module.PARTS:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"evidence_app.cli.{part}").register(sub)
        for command in sub.choices:
            assert cli_module.COMMAND_PARTS.get(command) == part, command


@pytest.mark.parametrize("argv, expected", [
    (["search", "x"], ["search", "safety"]),
    (["-w", "/tmp/ws", "coverage"], ["evidence", "safety"]),
    (["--workspace", "search", "backup"], ["safety"]),  # "search" is the workspace here
    (["check"], ["safety"]),
    (["-h"], None), (["-w", "x", "--help", "search"], None), (["nonsense"], None), ([], None),
])
def test_only_the_commands_part_is_loaded(argv, expected):
    assert cli_module.parts_for(argv) == (expected or cli_module.PARTS)


def test_help_and_unknown_commands_still_list_everything(cli):
    r = cli("--help")
    for command in ("search", "coverage", "bundle", "backup"):
        assert command in r.stdout
    r = cli("serch", "visit", check=False)
    assert r.returncode == 2 and "invalid choice" in r.stderr and "search" in r.stderr
