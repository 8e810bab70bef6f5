"""The quick path for `search` and `status` (cli/fast.py) takes only command lines the full parser
would accept and read the same way, and then prints exactly what the full command line prints.
Everything else (help, abbreviations, odd values, hostile bytes) goes to the full parser."""
from __future__ import annotations

import contextlib
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.cli import fast
from evidence_app.cli import main as cli_main

FIELDS = ("workspace", "command", "query", "limit", "exact", "sort", "json",
          "allow_synced_folder", "self_test")

TOKENS = st.sampled_from([
    "search", "status", "visit", "supervis*", "kind:policies", '"child protection"', "-w",
    "--workspace", "--workspace=", "--json", "--js", "--exact", "--limit", "--limit=5", "5",
    "0", "-1", "100001", "1,000", "+3", "--sort", "--sort=date", "date", "relevance", "random",
    "--allow-synced-folder", "-h", "--help", "--version", "--", "-", "", " ", "a\tb", "a\x00b",
    "caf\udce9", "\u00e9l\u00e8ve", "x" * 10, "--self-test", "documents", "-wX", "NOT", "OR",
])


def _full_parse(argv):
    """vars() of the full parser's reading, or None if it refuses (or prints help/version)."""
    parser = cli_main.build_parser(cli_main.parts_for(argv))
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            args = parser.parse_args(argv)
    except SystemExit:
        return None
    return vars(args)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(TOKENS, max_size=7), st.booleans())
def test_the_quick_path_takes_only_what_the_full_parser_reads_the_same_way(tmp_path, argv,
                                                                          with_ws):
    if with_ws:
        argv = ["-w", str(tmp_path / "ws"), *argv]
    quick = fast.parse(argv)
    if quick is None:
        return  # the full parser decides, as before
    full = _full_parse(argv)
    assert full is not None, f"the quick path took {argv!r}, which the full parser refuses"
    command, args = quick
    assert command == full["command"]
    for name in FIELDS:
        if name in full:
            assert getattr(args, name) == full[name], (name, argv)


def test_usual_command_lines_take_the_quick_path(tmp_path):
    ws = str(tmp_path)
    for argv in (["-w", ws, "search", "visit", "--json"], ["search", "child", "protection"],
                 ["--workspace", ws, "search", "--limit", "5", "supervis*", "kind:policies"],
                 [f"--workspace={ws}", "search", "plan", "--sort=date", "--exact", "--json"],
                 ["-w", ws, "status", "--json"], ["status"]):
        assert fast.parse(argv) is not None, argv
    for argv in (["search", "--lim", "5", "x"], ["search", "x", "--json", "y"], ["search"],
                 ["search", "a\x00b"], ["search", "x", "--limit", "0"], ["-h"],
                 ["search", "--", "-x"], ["documents"], ["-w", "", "status"]):
        assert fast.parse(argv) is None, argv


def _run(main, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_the_quick_path_prints_what_the_full_command_line_prints(cli, cases_dir):
    (cases_dir / "CH-000123").mkdir()
    (cases_dir / "CH-000123" / "Visit.txt").write_text(
        "Home visit: the child was seen alone and spoke about school and supervision.")
    (cases_dir / "Policy.txt").write_text("Supervision policy for social workers.")
    cli("init")
    cli("source", "add", str(cases_dir), "--kind", "case-files")
    cli("index")
    ws = str(cli.workspace)
    for argv in (["-w", ws, "search", "supervision", "--json"],
                 ["-w", ws, "search", "supervis*", "case:CH-000123"],
                 ["-w", ws, "search", "nothing-like-this", "--json"],
                 ["-w", ws, "search", "visit", "--sort", "date", "--limit", "1", "--json"],
                 ["-w", ws, "search", '"seen alone"', "--exact"],
                 ["-w", ws, "status", "--json"], ["-w", ws, "status"],
                 ["-w", str(cli.workspace / "nowhere"), "search", "x"]):
        quick = _run(fast.run, argv)
        full = _run(cli_main.run, argv)
        # timings in the text output ("2 documents (3 ms)") differ from run to run
        if "--json" not in argv:
            quick, full = ([_no_ms(x) for x in quick], [_no_ms(x) for x in full])
        assert quick == full, argv


def _no_ms(value):
    import re

    return re.sub(r"\(\d+ ms\)", "(N ms)", value) if isinstance(value, str) else value


def test_a_missing_workspace_is_one_line_on_the_quick_path_too(tmp_path):
    code, out, err = _run(fast.run, ["-w", os.fspath(tmp_path / "none"), "search", "x"])
    assert code == 1 and out == "" and err.startswith("error: ") and err.count("\n") == 1
