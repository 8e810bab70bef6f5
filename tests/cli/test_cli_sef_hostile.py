"""Any text, number or bytes in any argument position of the `sef` commands: accepted, or
refused in one `error:` line with nothing already written lost (the hostile-input suite's
property, over the self-evaluation's doors)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.safety.hostile_cli import main_in_process, run

TEMPLATES = [
    ["sef", "claim", "add", "{x}", "--question", "know", "--text", "A claim."],
    ["sef", "claim", "add", "LEAD", "--question", "how", "--text", "{x}"],
    ["sef", "claim", "add", "LEAD", "--question", "know", "--text", "x", "--type", "{x}"],
    ["sef", "claim", "add", "HP", "--question", "plans", "--text", "x", "--enquiry", "{x}"],
    ["sef", "claim", "add", "HP", "--question", "know", "--text", "x", "--cite", "{x}"],
    ["sef", "claim", "add", "CL", "--question", "know", "--text", "x", "--figure", "{x}"],
    ["sef", "claim", "edit", "{x}", "--text", "{x}"],
    ["sef", "claim", "edit", "1", "--uncite", "{x}"],
    ["sef", "claim", "edit", "1", "--drop-enquiry", "{x}"],
    ["sef", "claim", "move", "1", "{x}"],
    ["sef", "claim", "delete", "{x}"],
    ["sef", "action", "add", "{x}", "--what", "{x}"],
    ["sef", "action", "add", "2", "--what", "Audit", "--due", "{x}"],
    ["sef", "action", "set", "{x}", "--status", "{x}"],
    ["sef", "freeze", "{x}"],
    ["sef", "diff", "{x}", "current"],
    ["sef", "diff", "v1", "{x}", "--json"],
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("sef-hostile")
    src = base / "policies"
    src.mkdir()
    (src / "qa.txt").write_text("Leaders know their services well.", encoding="utf-8")
    ws = base / "ws"
    for args in (("init",), ("source", "add", src, "--kind", "policies"), ("index",),
                 ("tag", src / "qa.txt", "--enquiry", "LEAD-01"),
                 ("sef", "claim", "add", "LEAD", "--question", "know", "--text", "Kept claim."),
                 ("sef", "claim", "add", "HP", "--question", "plans", "--text", "Kept area.",
                  "--type", "development"),
                 ("sef", "freeze", "v1")):
        proc = run(ws, *args)
        assert proc.returncode == 0, proc.stderr
    return ws


def _argv_text():
    from_bytes = st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape"))
    any_chars = st.text(st.characters(blacklist_categories=(), min_codepoint=1), max_size=40)
    numbers = st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(str)
    return st.one_of(from_bytes, any_chars, numbers,
                     st.sampled_from(["", " ", "\n", "-1", "0", "C-1", "E-1", "current"]))


def _claims(ws: Path) -> set:
    con = sqlite3.connect(f"file:{ws / 'evidence.db'}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT uuid FROM sef_claims")}
    finally:
        con.close()


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(template=st.sampled_from(TEMPLATES), value=_argv_text())
def test_any_argument_is_accepted_or_refused_calmly(setup, template, value):
    value = value.replace("\x00", "")       # an operating system cannot pass NUL in argv
    argv = ["--workspace", str(setup)] + [value if p == "{x}" else p for p in template]
    before = _claims(setup)
    code, out, err = main_in_process(argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert not any("unexpected problem" in line for line in lines), (argv, lines)
    if code != 0:
        assert code in (1, 2) and len(lines) == 1 and lines[0].startswith("error:"), (argv, err)
    assert before <= _claims(setup)          # soft deletes keep every claim's row
    if "--json" in argv and code == 0:
        json.loads(out)
