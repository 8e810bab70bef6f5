"""`evidence-app --self-test` and `--version`: what IT runs to check an install.

The self-test runs in-process from source here (CI also runs it in the frozen bundle, see
`make dist-check`). Failures are provoked for real: a pseudonymiser that leaves names in, a
step that reaches for the network, a broken reader.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app import __version__
from evidence_app.core.bundles import bundle_data
from evidence_app.selftest import engine as self_test
from evidence_app.selftest import files as S
from evidence_app.core.bundles.export.model import RedactionRules
from evidence_app.core.index.extractors import REGISTRY
from evidence_app.selftest import run as run_full_self_test

ROOT = Path(__file__).resolve().parents[1]
STEP_LINE = re.compile(r"^(?P<name>.{1,22}?) +(?P<state>ok|FAILED) +(?P<detail>.+)$")


def _run(**kwargs) -> tuple[int, list[str]]:
    lines: list[str] = []
    code = self_test.run_self_test(lines.append, **kwargs)
    return code, lines


def test_self_test_passes_from_source_one_line_per_step(qapp):
    lines: list[str] = []
    home_before = os.environ.get("EVIDENCE_APP_HOME")
    assert run_full_self_test(lines.append) == 0
    assert lines[0].startswith(f"Evidence Organiser {__version__} self-test")
    steps = [STEP_LINE.match(line) for line in lines[1:-1]]
    assert all(m and m["state"] == "ok" for m in steps), lines
    names = [m["name"] for m in steps]
    assert names == [n for n, _ in self_test.ENGINE_STEPS] + ["window parts", "network"]
    assert re.match(r"^OK: 14 steps passed in \d+\.\d s$", lines[-1])  # with OCR
    # every sample was read, found, tagged, bundled and exported
    joined = "\n".join(lines)
    n = len(S.writers())
    assert f"{n} passages tagged" in joined and f"{n} items" in joined
    assert "offscreen platform" in joined
    # nothing of the run is left behind, and the user's settings location was restored
    folder = re.search(r"temporary workspace in (\S+)", joined)[1]
    assert not Path(folder).exists()
    assert os.environ.get("EVIDENCE_APP_HOME") == home_before


def test_every_readable_format_has_a_sample():
    readable = {fmt for fmt in REGISTRY if fmt not in ("zip", "unknown")}
    sampled = set(S.writers())
    assert readable - S.NO_TEXT_FORMATS <= sampled, readable - sampled
    assert {"docx", "doc", "pdf", "msg", "eml", "xlsx", "xls", "ods", "odt", "rtf", "html",
            "csv", "txt", "md", "pptx", "ppt"} <= sampled


def test_a_pseudonymiser_that_leaves_a_name_fails_its_step(monkeypatch):
    monkeypatch.setattr(bundle_data, "redaction_rules", lambda ws: RedactionRules(()))
    code, lines = _run()
    assert code == 1
    assert lines[-1].startswith("FAILED at step 'export pseudonymised':")
    assert "still contains 'Poppy Brackenby'" in lines[-1]
    assert sum("FAILED" in line for line in lines) == 2  # the step's line and the verdict
    assert not any(line.startswith("network") for line in lines)  # stops at the failure


def test_a_network_attempt_is_caught_even_when_swallowed():
    def sneaky(run):
        try:
            socket.create_connection(("updates.example.org", 443), timeout=1)
        except OSError:
            pass
        return "looked fine"

    code, lines = _run(extra_steps=[("sneaky", sneaky)])
    assert code == 1
    assert lines[-1].startswith("FAILED at step 'network': tried to reach the network")
    assert "updates.example.org" in lines[-1]
    assert socket.create_connection.__module__ == "socket"  # the guard is removed afterwards


def test_a_sample_its_reader_cannot_open_names_the_format(monkeypatch):
    real = S.writers()
    monkeypatch.setattr(S, "writers", lambda: {"pdf": lambda doc: b"%PDF-1.7\n" + b"\xff" * 200,
                                               "txt": real["txt"]})
    code, lines = _run(jobs=1)
    assert code == 1
    assert re.match(r"^FAILED at step 'index': not read: pdf: damaged", lines[-1]), lines[-1]
    assert "txt" not in lines[-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ok", "fail", "raise", "raise-empty"]),
                          st.text(max_size=40)), min_size=1, max_size=6))
def test_runner_prints_one_line_per_step_and_never_a_traceback(plan):
    lines: list[str] = []

    def make(kind, text):
        def step(run):
            if kind == "fail":
                raise self_test.StepFailed(text or "bad")
            if kind == "raise":
                raise ValueError(text + "\nsecond line")
            if kind == "raise-empty":
                raise RuntimeError()
            return text or "fine"
        return step

    steps = [(f"step{i}", make(kind, text)) for i, (kind, text) in enumerate(plan)]
    failed = self_test.run_steps(steps, self_test.Run(Path(".")), lines.append)
    first_bad = next((i for i, (k, _) in enumerate(plan) if k != "ok"), None)
    assert len(lines) == (len(plan) if first_bad is None else first_bad + 1)
    assert all("\n" not in line and "Traceback" not in line for line in lines)
    if first_bad is None:
        assert failed is None
    else:
        assert failed[0] == f"step{first_bad}" and "FAILED" in lines[-1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "evidence_app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


def test_version_flag_matches_the_installed_package():
    r = _cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"evidence-app {__version__}"
    assert metadata.version("evidence-organiser") == __version__


def test_self_test_flag_from_the_command_line():
    r = _cli("--self-test")
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout.strip().splitlines()
    assert out[-1].startswith("OK: ")
    assert "Traceback" not in r.stderr
    assert "window parts" in r.stdout and "export pseudonymised" in r.stdout


@pytest.mark.parametrize("fmt", ["msg", "ods", "ppt"])
def test_new_sample_writers_make_files_the_readers_open(fmt, tmp_path):
    from evidence_app.core.index.extractors import extract_file

    path = S.write_samples(tmp_path)[fmt]
    r = extract_file(path)
    assert (r.status, r.format) == ("ok", fmt)
    text = "\n".join(s.text for s in r.sections)
    assert S.QUOTE in " ".join(text.split()) and S.marker(fmt) in text
