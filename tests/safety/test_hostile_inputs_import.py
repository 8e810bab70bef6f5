"""Hostile case lists through the real CLI, in a subprocess under a 1 GiB address-space limit:
each one imports cleanly or is refused in one line, with no traceback, nothing printed that
breaks a terminal (no NUL), the cases already there untouched, and memory bounded."""
from __future__ import annotations

import json
import os
import sys
import time

import pytest

from tests.safety.hostile_cli import calm, refused, run
from tests.safety.hostile_tables import REFS, hostile_csvs, lone_cell_xlsx, wide_header_xlsx

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="RLIMIT_AS in a preexec_fn is Linux-only")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-import") / "ws"
    assert run(root, "init").returncode == 0
    assert run(root, "case", "add", "CH-000001", "--name", "Kept Child").returncode == 0
    return root


def _refs(root) -> list[str]:
    proc = run(root, "case", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    return sorted(c["ref"] for c in json.loads(proc.stdout))


def test_every_hostile_csv_is_imported_or_refused_calmly_within_1_gib(workspace, tmp_path):
    before = _refs(workspace)
    for name, path in hostile_csvs(tmp_path).items():
        proc = run(workspace, "case", "import", path, "--dry-run", "--json", limit_memory=True)
        calm(proc)
        assert b"\x00" not in proc.stdout, name
        if proc.returncode == 0:
            report = json.loads(proc.stdout)
            if name not in ("unterminated-quote",):
                assert set(REFS) <= set(report["added"]) | set(report["updated"]), name
    assert _refs(workspace) == before  # dry runs changed nothing


def test_the_issue_files_import_for_real(workspace, tmp_path):
    files = hostile_csvs(tmp_path)
    for name in ("cr-only", "cp1252-undefined", "huge-field", "utf16-bom", "utf16-le-no-bom"):
        proc = run(workspace, "case", "import", files[name], "--json", limit_memory=True)
        assert proc.returncode == 0, (name, proc.stderr)
        report = json.loads(proc.stdout)
        assert not [r for r in report["rejected"] if r["row"] <= 4], (name, report["rejected"])
    assert set(REFS) | {"CH-000001"} <= set(_refs(workspace))


def test_a_lone_cell_at_xfd1048576_under_1_gib(workspace, tmp_path):
    path = lone_cell_xlsx(tmp_path / "lone.xlsx")
    assert path.stat().st_size < 10_000
    start = time.monotonic()
    proc = run(workspace, "case", "import", path, "--dry-run", "--json", limit_memory=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows"] == 3
    assert time.monotonic() - start < 30
    alone = lone_cell_xlsx(tmp_path / "alone.xlsx", with_table=False)
    assert "is empty" in refused(run(workspace, "case", "import", alone, limit_memory=True))


def test_caps_and_non_files_are_one_line_refusals(workspace, tmp_path):
    before = _refs(workspace)
    many = tmp_path / "many.csv"
    many.write_text("Child ID\n" + "".join(f"CH-{i}\n" for i in range(100_001)))
    assert "100,000 rows" in refused(run(workspace, "case", "import", many, limit_memory=True))
    wide = wide_header_xlsx(tmp_path / "wide.xlsx")
    assert "200 columns" in refused(run(workspace, "case", "import", wide, limit_memory=True))
    commas = tmp_path / "commas.csv"
    commas.write_text("Child ID,Name\n" + "," * 95_000_000 + "\n")
    line = refused(run(workspace, "case", "import", commas, limit_memory=True, timeout=180))
    assert "memory" in line or "too large" in line
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    start = time.monotonic()
    assert "named pipe" in refused(run(workspace, "case", "import", fifo, timeout=30))
    assert time.monotonic() - start < 20
    assert "device" in refused(run(workspace, "case", "import", "/dev/zero"))
    assert "folder" in refused(run(workspace, "case", "import", tmp_path))
    assert "There is no file" in refused(run(workspace, "case", "import", tmp_path / "no.csv"))
    assert _refs(workspace) == before
