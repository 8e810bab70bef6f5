"""Issue 9 point 9: `evidence-app search ... --json` answered by the quick path (cli/fast.py, which
opens a plain workspace itself through cli/fast_open.py) prints exactly the bytes, and ends with
exactly the exit code, of the full command line (argparse, cli/safety.py's opening), for
ordinary, odd and bad queries alike; and it loads none of the heavy modules the full path does.

The workspace is a generated corpus (the sample generator's mix of formats and case folders) plus
a few hostile files, indexed once by the real CLI for the module."""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.app import main as app_main
from evidence_app.cli import fast, fast_open
from evidence_app.cli import main as cli_main
from tests.conftest import ROOT


def _cli(env: dict, ws, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "evidence_app", "--workspace", str(ws), *args],
                   check=True, capture_output=True, env=env, cwd=str(ROOT), timeout=600,
                   stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def plain_ws(tmp_path_factory):
    """A plain, healthy workspace over ~70 generated documents and some hostile files."""
    from evidence_app.samples import generate_corpus

    base = tmp_path_factory.mktemp("fastpath")
    env = dict(os.environ, EVIDENCE_APP_HOME=str(base / "home"))
    env.pop("EVIDENCE_WORKSPACE", None)
    corpus = base / "corpus"
    generate_corpus(corpus, 70, seed=11, workers=1)
    odd = corpus / "case-files" / "odd"
    odd.mkdir(parents=True, exist_ok=True)
    (odd / "notes «quoted» \u2028.txt").write_text(
        "Supervision note: the child's grandmother attended; \"safety plan\" agreed.",
        encoding="utf-8")
    os.makedirs(os.fsencode(odd) + b"/caf\xe9", exist_ok=True)
    with open(os.fsencode(odd) + b"/caf\xe9/visit \xe9t\xe9.txt", "wb") as f:
        f.write("Home visit \u00e9t\u00e9: the child was seen alone. Chronology updated.\n"
                .encode("utf-8"))
    (odd / "emoji.txt").write_text("Visit \U0001F600 notes: neglect concerns, supervision.",
                                   encoding="utf-8")
    ws = base / "ws"
    _cli(env, ws, "init", "--name", "Fast path")
    for folder, kind in (("case-files", "case-files"), ("policies", "policies"),
                         ("performance", "other")):
        if (corpus / folder).is_dir():
            _cli(env, ws, "source", "add", str(corpus / folder), "--kind", kind)
    _cli(env, ws, "index")
    return ws


def run_both(argv: list[str]) -> tuple[tuple, tuple]:
    """(exit code, stdout, stderr) of the program (the quick path when it takes the command
    line, as evidence-app runs) and of the full command line alone."""
    return _run(app_main, argv), _run(cli_main.run, argv)


def _run(entry, argv: list[str]) -> tuple:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = entry(list(argv))
        except SystemExit as exc:  # the full parser refusing the command line
            code = exc.code
    return code, out.getvalue(), _no_ms(err.getvalue())


def _no_ms(text: str) -> str:
    """The text output's "20 documents (13 ms)" differs from run to run."""
    return re.sub(r"\(\d+ ms\)", "(N ms)", text)


QUERIES = [
    "supervision", "supervis*", "child", "the", "visit", "chronology", "grandmother",
    "neglect", "assess*", '"child protection"', '"safety plan"', "visit NOT virtual",
    "strategy OR conference", "(visit OR meeting) AND school", "-school visit",
    "kind:policies supervision", "kind:case-files visit", "type:pdf child", "type:docx plan",
    "path:odd visit", "after:01/01/2020 review", "before:2030-01-01 plan",
    "after:01/01/2020 before:01/01/2030", "kind:policies", "case:CH-000001",
    "\u00e9t\u00e9", "caf\u00e9", "\u00abquoted\u00bb", "happin*",
    "nothingmatcheszzz", "zzz*", "visit*", "pathway plan", "IRO", "voice of the child",
]
BAD = ['"unclosed', "ab*", "after:01/01/0001 x", "before:31/02/2026 x", "x" * 1001,
       "(" * 20 + "visit" + ")" * 20, "NOT visit", "visit OR", "AND", "()", "kind:nowhere x",
       " ".join(["visit"] * 65), "after: x", "-", "\"\"", "\U0001F600"]


def test_the_plain_workspace_is_opened_by_the_quick_path(plain_ws):
    ws = fast_open.open_plain(os.path.realpath(plain_ws))
    assert ws is not None
    ws.close()
    for query in QUERIES + BAD:  # so the comparisons below compare the two ways
        if not query.startswith("-") and "\x00" not in query:
            assert fast.parse(["-w", str(plain_ws), "search", query, "--json"]) is not None


@pytest.mark.parametrize("query", QUERIES + BAD)
def test_json_and_exit_code_are_the_full_paths(plain_ws, query):
    quick, full = run_both(["-w", str(plain_ws), "search", query, "--json"])
    assert quick == full
    if query in BAD:
        assert quick[0] == 1 and quick[1] == "" and quick[2].startswith("error: ") \
            and quick[2].count("\n") == 1, quick
    else:
        assert quick[0] == 0 and isinstance(json.loads(quick[1]), list)


@pytest.mark.parametrize("options", [
    ["--limit", "1"], ["--limit=3"], ["--limit", "100000"], ["--sort", "date"], ["--sort=relevance"],
    ["--exact"], ["--exact", "--sort", "date", "--limit", "7"], [], ["--allow-synced-folder"],
])
@pytest.mark.parametrize("query", ["visit", "supervis*", "kind:policies", "nothingmatcheszzz"])
def test_options_and_text_output_are_the_full_paths(plain_ws, query, options):
    for fmt in (["--json"], []):
        quick, full = run_both(["-w", str(plain_ws), "search", query, *options, *fmt])
        assert quick == full, (query, options, fmt)


def test_several_words_and_the_workspace_from_the_environment(plain_ws, monkeypatch):
    for argv in (["search", "home", "visit", "--json"], ["search", "child", "protection"],
                 ["search", "--limit", "2", "supervis*", "kind:policies", "--json"]):
        quick, full = run_both(["--workspace", str(plain_ws), *argv])
        assert quick == full and quick[0] == 0, argv
        quick, full = run_both([f"--workspace={plain_ws}", *argv])
        assert quick == full and quick[0] == 0, argv
    monkeypatch.setenv("EVIDENCE_WORKSPACE", str(plain_ws))
    quick, full = run_both(["search", "visit", "--json"])
    assert quick == full and quick[0] == 0 and json.loads(quick[1])


_WORDS = st.sampled_from(["visit", "child", "plan", "supervis", "grandmother", "school",
                          "assess", "neglect", "review", "\u00e9t\u00e9", "caf\u00e9", "IRO",
                          "x", "a1", "CH-000001", "\U0001F600", "\u00ab", "0", "42"])
_TOKEN = st.one_of(
    _WORDS, _WORDS.map(lambda w: w + "*"), _WORDS.map(lambda w: f'"{w} {w}"'),
    _WORDS.map(lambda w: "-" + w),
    st.sampled_from(["AND", "OR", "NOT", "(", ")", '"', "*", "kind:policies", "kind:case",
                     "type:pdf", "type:doc", "path:odd", "case:CH-000001", "after:01/01/2021",
                     "before:2026-06-30", "after:1/1/1", "kind:", ":", "\\", "'", "%", "_"]),
    st.text(max_size=4))


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(_TOKEN, min_size=1, max_size=6), as_json=st.booleans(),
       limit=st.sampled_from([None, "1", "5", "20"]))
def test_any_query_gives_the_same_bytes_both_ways(plain_ws, tokens, as_json, limit):
    argv = ["-w", str(plain_ws), "search", " ".join(tokens)]
    if limit:
        argv += ["--limit", limit]
    if as_json:
        argv.append("--json")
    quick, full = run_both(argv)
    assert quick == full
    assert "Traceback" not in quick[2]


# -- what the quick path loads -------------------------------------------------------------------
HEAVY = ["argparse", "pathlib", "typing", "threading", "base64", "gettext", "dataclasses",
         "tempfile", "shutil", "hashlib", "sqlite_utils", "pluggy", "click", "dateutil", "docx",
         "openpyxl", "pypdfium2", "lxml", "PySide6", "sqlcipher3", "platformdirs",
         "evidence_app.cli.main", "evidence_app.cli.argtypes", "evidence_app.cli.safety",
         "evidence_app.core.workspace", "evidence_app.core.opening",
         "evidence_app.core.safety.crypto", "evidence_app.core.safety.lock",
         "evidence_app.core.safety.journal_tail", "evidence_app.core.store.migrations",
         "evidence_app.core.store.records"]
PROBE = """
import contextlib, io, json, sys
before = set(sys.modules)
from evidence_app.app import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main({argv!r})
print(json.dumps({{"code": code, "before": sorted(before), "after": sorted(sys.modules),
                   "hits": len(json.loads(out.getvalue()))}}))
"""


@pytest.mark.parametrize("query", ["supervision", "supervis*", "kind:policies supervision"])
def test_the_quick_path_loads_none_of_the_heavy_modules(plain_ws, query):
    argv = ["-w", str(plain_ws), "search", query, "--json"]
    proc = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True,
                          text=True, cwd=str(ROOT), timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == 0 and data["hits"] > 0
    # what the interpreter's own start-up (site, .pth files) loaded is not the app's doing
    loaded = set(data["after"]) - set(data["before"])
    assert not [m for m in HEAVY if m in loaded]


def test_the_fallback_loads_the_full_opening(plain_ws, tmp_path):
    """The check above means something: a workspace the quick path leaves alone (here, one
    that does not exist) goes through the full opening, which loads those modules."""
    argv = ["-w", str(tmp_path / "nowhere"), "search", "visit", "--json"]
    probe = PROBE.replace('"hits": len(json.loads(out.getvalue()))', '"hits": 0')
    proc = subprocess.run([sys.executable, "-c", probe.format(argv=argv)], capture_output=True,
                          text=True, cwd=str(ROOT), timeout=120)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == 1
    assert "evidence_app.core.opening" in set(data["after"]) - set(data["before"])
