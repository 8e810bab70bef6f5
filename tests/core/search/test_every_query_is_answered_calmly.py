"""Issue 9 point 7: every query gets results or one calm line, quickly.

Thousands of generated queries (operators, quotes, brackets, filters with odd values, unicode,
control characters, surrogates, very long and deeply nested ones) go through the CLI's own
parse-and-search path (`evidence_app.app.main`, in-process for speed); a few go through a real
process, including bytes that are not UTF-8 on the command line. None may raise, and none may
take more than 2 seconds.
"""
from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.app import main
from evidence_app.core.search import query
from tests.conftest import ROOT

LIMIT_S = 2.0  # CPU seconds one query may spend: the bound a person would call "calm"
HANG_S = 20.0  # wall-clock seconds: on a machine shared with other work, only a hang exceeds this
WORDS = ["supervision", "supervis*", "visit", "child", "CH-004512", "assess*", "happin*",
         "AND", "OR", "NOT", "-", "-visit", "(", ")", '"', "*", "**", "a*", "ab*", ":",
         "kind:", "case:", "type:", "path:", "after:", "before:", "near", "NEAR(a b)", "^",
         "'", "\\", "%", "_", "{", "}", "col:text", "rank", "bm25", "\x00", "\x1b[31m",
         "\ud800", "\udce9", "😀", "😀*", "𝒶𝒷𝒸*", "\U0010ffff*", "ﬁle", "Ça", "naïve*",
         "日本語", "ÅSE*", "ß*", "١٢٣", "\u200b", "\ufeff"]
FILTER_VALUES = ["policies", "case-files", "other", "nonsense", "", "CH-004512", "pdf", "word",
                 "Visits", "%", "_", '"a b"', "01/04/2026", "2026-06-30", "01/01/0001",
                 "31/12/9999", "29/02/2025", "00/00/0000", "1899-12-31", "2101-01-01",
                 "01/04/26", "9" * 40, "-1"]
FIELDS = ["kind", "case", "type", "path", "after", "before", "Kind", "AFTER"]

token = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda f, v: f"{f}:{v}", st.sampled_from(FIELDS), st.sampled_from(FILTER_VALUES)),
    st.text(min_size=1, max_size=12),  # anything, surrogates and control characters included
    st.from_regex(r"[A-Za-z]{1,12}\*?", fullmatch=True),
)
queries = st.one_of(
    st.lists(token, min_size=1, max_size=30).map(" ".join),
    st.lists(token, min_size=1, max_size=8).map("".join),
    st.text(max_size=200),
    st.integers(1, 80).map(lambda n: "(" * n + "visit" + ")" * n),
    st.integers(1, 120).map(lambda n: " ".join(["child"] * n)),
    st.integers(1, 120).map(lambda n: " OR ".join(["visit"] * n)),
    st.integers(1, 70).map(lambda n: " ".join(f"w{i}*" for i in range(n))),
    st.integers(1, 70).map(lambda n: "child " + " ".join(f"-x{i}" for i in range(n))),
)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=queries)
def test_any_query_gets_results_or_one_calm_line_within_two_seconds(corpus_ws, text):
    started, cpu = time.perf_counter(), time.process_time()
    code, out, err = run_cli(["-w", str(corpus_ws[0]), "search", "--json", "--limit", "5",
                              "--", text])
    elapsed, spent = time.perf_counter() - started, time.process_time() - cpu
    assert spent < LIMIT_S, f"{text!r} took {spent:.2f} s of CPU"
    assert elapsed < HANG_S, f"{text!r} took {elapsed:.2f} s"
    assert "Traceback" not in err
    if code == 0:
        assert isinstance(json.loads(out), list)
    else:
        assert code == 1, (code, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err


@pytest.mark.parametrize("text, message", [
    ("after:01/01/0001 visit", "between 1900 and 2100"),
    ("before:01/01/0001", "between 1900 and 2100"),
    ("after:31/12/9999", "between 1900 and 2100"),
    ("(" * 400 + "visit" + ")" * 400, "nested too deeply"),
    (" ".join(["visit"] * 800), "too long"),
    (" OR ".join(["visit"] * 3000), "too long"),
    (" ".join(f"w{i}" for i in range(65)), "too many words"),
    ("😀*", "no letters or numbers"),
])
def test_limits_and_impossible_values_are_refused_with_a_message(corpus_ws, text, message):
    code, out, err = run_cli(["-w", str(corpus_ws[0]), "search", "--", text])
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1, err


def test_the_longest_allowed_queries_are_fast(corpus_ws):
    """Cost stays linear in the terms: the largest queries allowed finish well inside 2 s."""
    biggest = [" ".join(["child"] * query.MAX_TERMS),
               " OR ".join(["visit", "child", "plan", "review"] * (query.MAX_TERMS // 4)),
               " ".join(f"{w}*" for w in ["sup", "chi", "ass", "vis", "pla", "rev", "fam",
                                          "sch"] * (query.MAX_TERMS // 8)),
               "(" * query.MAX_DEPTH + "visit OR child" + ")" * query.MAX_DEPTH]
    for text in biggest:
        started, cpu = time.perf_counter(), time.process_time()
        code, out, err = run_cli(["-w", str(corpus_ws[0]), "search", "--json", "--", text])
        assert code == 0, err
        assert time.process_time() - cpu < LIMIT_S, text[:60]
        assert time.perf_counter() - started < HANG_S, text[:60]


@pytest.mark.parametrize("arg", [b"caf\xe9 visit", b"\xff\xfe*", b"supervis\xc3*", b"\x00x",
                                 "visit \U0001f600*".encode(), b"after:01/01/0001"])
def test_a_real_process_takes_any_bytes_calmly(corpus_ws, arg):
    proc = subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(corpus_ws[0]).encode(),
                           "search", "--json", "--", arg.replace(b"\x00", b" ")],
                          capture_output=True, timeout=60, cwd=str(ROOT))
    assert b"Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode == 0:
        assert isinstance(json.loads(proc.stdout), list)
    else:
        assert proc.stderr.decode("utf-8").startswith("error: ")
