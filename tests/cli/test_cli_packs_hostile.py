"""Property: any text, number or undecodable bytes in any argument of the pack commands is
accepted or refused with one 'error:' line; never a traceback, never a half-made change."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.factories import write_text
from tests.safety.hostile_cli import main_in_process


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("packs-hostile")
    os.environ.setdefault("EVIDENCE_APP_HOME", str(base / "home"))
    src = base / "case-files"
    doc = write_text(src / "CH-004512" / "visit.txt", "Home visit. The plan helps her feel safe.")
    ws = base / "ws"
    for argv in (["init"], ["settings", "--author", "Jo"],
                 ["source", "add", str(src), "--kind", "case-files"], ["index"],
                 ["tag", str(doc), "--enquiry", "HP-06"],
                 ["pack", "export", str(base / "good.evpack")]):
        code, _, err = main_in_process(["--workspace", str(ws), *argv])
        assert code == 0, err
    (base / "out").mkdir()
    return {"ws": ws, "base": base, "good": str(base / "good.evpack")}


def _argv_text():
    from_bytes = st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape"))
    any_chars = st.text(st.characters(min_codepoint=1), max_size=40)
    return st.one_of(from_bytes, any_chars, st.integers(-10 ** 20, 10 ** 20).map(str),
                     st.sampled_from(["", " ", "-1", "0", "D1", "C1", "../x.evpack", "=",
                                      "A=", "=B", "X=Y"]))


TEMPLATES = [
    ["pack", "resolve", "{x}", "mine"],
    ["pack", "export", "{out}", "--case", "{x}", "--force"],
    ["pack", "export", "{out}", "--enquiry", "{x}", "--force"],
    ["pack", "export", "{x}"],
    ["pack", "preview", "{x}"],
    ["pack", "import", "{x}"],
    ["pack", "import", "{good}", "--map", "{x}"],
    ["pack", "preview", "{good}", "--map", "{x}", "--json"],
    ["pack", "report", "{x}"],
]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(template=st.sampled_from(TEMPLATES), value=_argv_text())
def test_any_argument_is_accepted_or_refused_calmly(setup, template, value):
    value = value.replace("\x00", "")
    out = str(Path(setup["base"]) / "out" / "fuzz.evpack")
    argv = ["--workspace", str(setup["ws"])] + [
        value if part == "{x}" else out if part == "{out}" else setup["good"]
        if part == "{good}" else part for part in template]
    code, stdout, err = main_in_process(argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and not any("unexpected problem" in x for x in lines), \
        (argv, lines)
    if code != 0:
        assert code in (1, 2) and len(lines) == 1 and lines[0].startswith("error:"), (argv, err)
    assert not list(Path(setup["base"]).glob("**/.evpack-*.tmp"))  # no half-written pack
