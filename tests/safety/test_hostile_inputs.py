"""Hostile and careless input at every door of the CLI (issue 11, points 3 and 5).

Real subprocesses for the cases the issue names (a 23-digit id, `-w ""`, `--quote ""`, an
unknown `--case`, `--limit -1`, `--jobs 500`, bytes that are not UTF-8, framework files of the
wrong shape, a FIFO, an existing output file); in-process `main()` with hypothesis for arbitrary
text, numbers and bytes in the argument positions of many commands. Every refusal is one
`error:` line with a non-zero exit code and no traceback, and nothing already saved is lost.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.safety.hostile_cli import calm, main_in_process, refused, run, stderr_lines
from tests.safety.hostile_tables import FRAMEWORK_SHAPES

VOICE = "The child said the plan helps her feel safe at home."
LATIN1_NAME = b"caf\xe9 visit.txt"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-args")
    src = base / "cases" / "CH-004512"
    src.mkdir(parents=True)
    (src / "visit.txt").write_text(f"Home visit.\n\n{VOICE}\n\nPlan agreed.", encoding="utf-8")
    odd = None
    if sys.platform.startswith("linux"):
        odd = os.path.join(os.fsencode(src), LATIN1_NAME)
        with open(odd, "wb") as f:
            f.write(b"A visit note whose file name is Windows-1252.")
    ws = base / "ws"
    for args in (("init",), ("source", "add", base / "cases", "--kind", "case-files"),
                 ("index",), ("case", "add", "CH-004512", "--name", "Kept Child")):
        proc = run(ws, *args)
        assert proc.returncode == 0, proc.stderr
    first = json.loads(run(ws, "tag", src / "visit.txt", "--enquiry", "LEAD-01", "--json").stdout)
    return {"base": base, "ws": ws, "src": src, "odd": odd, "doc": str(first["document_id"])}


def _count(ws, *args) -> int:
    proc = run(ws, *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return len(json.loads(proc.stdout))


def test_the_issue_arguments_are_refused_in_one_line_and_nothing_is_tagged(setup):
    ws, doc = setup["ws"], setup["doc"]
    before = _count(ws, "evidence")
    cases = [
        (("tag", "12345678901234567890123", "--enquiry", "LEAD-01"), "not an id"),
        (("tag", doc, "--enquiry", "LEAD-01", "--quote", ""), "quote is empty"),
        (("tag", doc, "--enquiry", "LEAD-01", "--quote", "   "), "quote is empty"),
        (("tag", doc, "--enquiry", "LEAD-01", "--case", "CH-999999"), "case list"),
        (("evidence", "edit", "99999999999999999999999", "--note", "x"), "not an id"),
        (("evidence", "delete", "-5"), ""),
        (("search", "child", "--limit", "-1"), "--limit"),
        (("search", "child", "--limit", "0"), "--limit"),
        (("audit", "--limit", "99999999999999999999999"), "--limit"),
        (("bundle", "add", "1", "1", "--position", "-3"), "--position"),
        (("framework", "move", "LEAD-01", "100000000000000000000000"), "position"),
        (("index", "--jobs", "500"), "--jobs"),
        (("index", "--jobs", "0"), "--jobs"),
        (("case", "show", ""), "empty"),
        (("tag", "", "--enquiry", "LEAD-01"), "document is empty"),
        (("source", "add", "", "--kind", "other"), "path is empty"),
    ]
    for args, words in cases:
        line = refused(run(ws, *args))
        assert words in line, (args, line)
    assert _count(ws, "evidence") == before


def test_an_empty_workspace_argument_is_refused_not_the_default(setup, tmp_path):
    home = Path(os.environ["EVIDENCE_APP_HOME"])
    line = refused(run(None, "-w", "", "case", "add", "CH-1"))
    assert "workspace" in line
    assert not (home / "workspace").exists()  # the default workspace was not created or used
    assert "workspace" in refused(run(None, "--workspace", "  ", "status"))
    assert "workspace" in refused(run(None, "-w", "", timeout=60))  # alone: not the window
    afile = tmp_path / "plain.txt"
    afile.write_text("x")
    assert "not a workspace folder" in refused(run(None, "-w", afile, "status"))


def test_jobs_within_the_cap_still_index(setup):
    proc = run(setup["ws"], "index", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr


def test_bytes_that_are_not_utf8_are_stored_readably_or_refused_calmly(setup):
    ws, doc = setup["ws"], setup["doc"]
    note = b"caf\xe9 \xff\xfe note \x1b[31m with controls\x07"
    proc = run(ws, "tag", doc, "--enquiry", "LEAD-01", "--note", note, "--json")
    assert proc.returncode == 0, proc.stderr
    item = json.loads(proc.stdout)
    assert item["note"].startswith("café ÿþ note") and "\x1b" not in item["note"]
    assert "\x07" not in item["note"]
    for args in (("case", "add", b"CH-\xff01", "--name", b"Zo\xeb \xff"),
                 ("case", "set", "CH-004512", "--worker", b"Sam \x81\x8d Patel"),
                 ("settings", "--author", b"J\xf6rg \x00".replace(b"\x00", b"")),
                 ("bundle", "create", b"Bundle \xe9\x1b"),
                 ("saved-search", "save", b"name \xff", b"visit \xfe"),
                 ("framework", "add", b"Title \xe9", "--area", "HP", "--prompt", b"\xff\n")):
        proc = run(ws, *args)
        calm(proc)
        assert b"\\udc" not in proc.stderr, (args, proc.stderr)
    shown = run(ws, "case", "list", "--names", "--json")
    assert shown.returncode == 0 and "\\udc" not in shown.stdout.decode("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bytes file names are POSIX")
def test_a_file_name_that_is_not_utf8_can_be_tagged_and_shown(setup):
    ws = setup["ws"]
    proc = run(ws, "tag", setup["odd"], "--enquiry", "HP-01", "--json")
    assert proc.returncode == 0, proc.stderr
    item = json.loads(proc.stdout)
    assert item["path"].endswith("café visit.txt")
    proc = run(ws, "request", "send", "AA-L08", setup["odd"], "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["sent_file"].endswith("café visit.txt")


def test_a_quote_with_line_breaks_and_stray_bytes_is_matched_or_refused(setup):
    ws, doc = setup["ws"], setup["doc"]
    ok = run(ws, "tag", doc, "--enquiry", "HP-02", "--quote", "the plan helps\r\nher feel safe",
             "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["quote"] == "the plan helps her feel safe"
    line = refused(run(ws, "tag", doc, "--enquiry", "HP-02", "--quote", b"not \xff there"))
    assert "not found" in line


def test_an_unknown_case_is_refused_with_a_hint_and_a_known_one_is_accepted(setup):
    ws, doc = setup["ws"], setup["doc"]
    line = refused(run(ws, "tag", doc, "--enquiry", "LEAD-02", "--case", "CH-4040"))
    assert "There is no case CH-4040" in line and "CH-004512" in line
    ok = run(ws, "tag", doc, "--enquiry", "LEAD-02", "--case", "ch-004512", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["case_ref"] == "CH-004512"
    line = refused(run(ws, "evidence", "edit", json.loads(ok.stdout)["id"], "--set-case", "X-1"))
    assert "There is no case X-1" in line


def test_framework_files_of_the_wrong_shape_name_the_wrong_value(setup, tmp_path):
    ws = setup["ws"]
    before = run(ws, "framework", "list", "--json").stdout
    for name, (doc, words) in FRAMEWORK_SHAPES.items():
        f = tmp_path / f"{name}.json"
        f.write_text(doc, encoding="utf-8")
        line = refused(run(ws, "framework", "import", f))
        for w in words:
            assert w in line, (name, line)
    big = tmp_path / "huge.json"
    with open(big, "w") as fh:
        fh.write('{"areas": [], "requests": [')
        fh.write(",".join(['{"id": "R", "title": "' + "t" * 1000 + '"}'] * 25_000))
        fh.write("]}")
    assert "too large" in refused(run(ws, "framework", "import", big, limit_memory=True))
    assert run(ws, "framework", "list", "--json").stdout == before  # nothing merged


def test_a_fifo_or_a_device_is_refused_at_once(setup, tmp_path):
    ws = setup["ws"]
    fifo = tmp_path / "framework.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    for args in (("framework", "import", fifo), ("case", "import", fifo),
                 ("request", "send", "AA-L01", fifo), ("restore", fifo),
                 ("framework", "import", "/dev/zero"),
                 ("framework", "import", tmp_path)):
        line = refused(run(ws, *args, timeout=30))
        assert any(w in line for w in ("named pipe", "device", "folder")), line
    assert time.monotonic() - start < 60


def test_no_command_overwrites_an_existing_file_without_force(setup, tmp_path):
    ws = setup["ws"]
    bid = run(ws, "bundle", "create", "For inspectors", "--json")
    bundle_id = str(json.loads(bid.stdout)["id"])
    run(ws, "settings", "--author", "Alex Manager")
    writers = [(("framework", "export"), ".json"), (("export", "tracker"), ".xlsx"),
               (("export", "coverage"), ".xlsx"), (("export", "evidence"), ".xlsx"),
               (("bundle", "export", bundle_id), ".docx")]
    for i, (cmd, suffix) in enumerate(writers):
        target = tmp_path / f"existing-{i}{suffix}"
        target.write_bytes(b"keep me")
        line = refused(run(ws, *cmd, target))
        assert "--force" in line, (cmd, line)
        assert target.read_bytes() == b"keep me", cmd
        proc = run(ws, *cmd, target, "--force")
        assert proc.returncode == 0, (cmd, proc.stderr)
        assert target.read_bytes() != b"keep me"
        assert "folder" in refused(run(ws, *cmd, tmp_path))


def test_the_last_line_of_defence_logs_a_bug_and_prints_one_line(setup, monkeypatch):
    from evidence_app.cli import workspace

    def broken(args, ctx):  # noqa: ANN001 - a stand-in for a bug deep in a command
        raise TypeError("a bug")

    monkeypatch.setattr(workspace, "cmd_status", broken)  # both the parser and the quick path
    code, out, err = main_in_process(["--workspace", str(setup["ws"]), "status"])
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1 and len(lines) == 1 and "unexpected problem (TypeError)" in lines[0]
    log = setup["ws"] / "logs" / "errors.log"
    assert "raise TypeError" in log.read_text(encoding="utf-8")


# -- properties: any text, number or bytes in an argument position ------------------------------
def _argv_text():
    from_bytes = st.binary(max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape"))
    any_chars = st.text(st.characters(blacklist_categories=(), min_codepoint=1), max_size=40)
    numbers = st.integers(min_value=-10 ** 30, max_value=10 ** 30).map(str)
    return st.one_of(from_bytes, any_chars, numbers, st.sampled_from(["", " ", "\n", "-1", "0"]))


TEMPLATES = [
    ["tag", "{x}", "--enquiry", "LEAD-01"],
    ["tag", "{doc}", "--enquiry", "{x}"],
    ["tag", "{doc}", "--enquiry", "LEAD-01", "--note", "{x}"],
    ["tag", "{doc}", "--enquiry", "LEAD-01", "--quote", "{x}"],
    ["tag", "{doc}", "--enquiry", "LEAD-01", "--case", "{x}"],
    ["case", "add", "{x}", "--name", "{x}"],
    ["case", "show", "{x}"],
    ["case", "set", "CH-004512", "--team", "{x}"],
    ["search", "{x}", "--limit", "{x}"],
    ["search", "visit", "--limit", "{x}"],
    ["evidence", "edit", "{x}", "--note", "{x}"],
    ["evidence", "--case", "{x}"],
    ["bundle", "show", "{x}"],
    ["bundle", "create", "{x}", "--purpose", "{x}"],
    ["saved-search", "save", "{x}", "{x}"],
    ["framework", "import", "{x}"],
    ["framework", "rename", "LEAD-01", "--title", "{x}"],
    ["case", "import", "{x}"],
    ["audit", "--limit", "{x}"],
    ["settings", "--author", "{x}"],
    ["request", "set", "AA-L08", "--owner", "{x}", "--due", "{x}"],
    ["documents", "--status", "{x}"],
]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(template=st.sampled_from(TEMPLATES), value=_argv_text())
def test_any_argument_text_is_accepted_or_refused_calmly(setup, template, value):
    if "\x00" in value:
        value = value.replace("\x00", "")  # an operating system cannot pass NUL in argv
    argv = ["--workspace", str(setup["ws"])] + [
        value if part == "{x}" else setup["doc"] if part == "{doc}" else part
        for part in template]
    before = (_sql_count(setup["ws"], "evidence_items"), _sql_count(setup["ws"], "cases"))
    code, out, err = main_in_process(argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and "\x00" not in err + out
    assert not any("unexpected problem" in line for line in lines), (argv, lines)
    if code != 0:
        assert code in (1, 2) and len(lines) == 1 and lines[0].startswith("error:"), (argv, err)
        assert (_sql_count(setup["ws"], "evidence_items"), _sql_count(setup["ws"], "cases")) \
            == before


def _sql_count(ws: Path, table: str) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{ws / 'evidence.db'}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_stderr_lines_helper_rejects_nul():
    class P:
        stderr = b"error: x\x00"

    with pytest.raises(AssertionError):
        stderr_lines(P())


def test_a_future_command_that_writes_out_gets_force_and_the_check(tmp_path):
    import argparse

    from evidence_app.cli.argtypes import OneLineParser, harden
    from evidence_app.core.base.errors import InvalidInput

    parser = OneLineParser(prog="evidence-app")
    sub = parser.add_subparsers(dest="command")
    written = []
    p = sub.add_parser("pack")
    p.add_argument("out")
    p.add_argument("--limit", type=int)
    p.set_defaults(handler=lambda args, ctx: written.append(args.out))
    harden(parser)
    existing = tmp_path / "a.evpack"
    existing.write_text("keep")
    args = parser.parse_args(["pack", str(existing)])
    with pytest.raises(InvalidInput, match="--force"):
        args.handler(args, None)
    args = parser.parse_args(["pack", str(existing), "--force", "--limit", "5"])
    args.handler(args, None)
    assert written == [str(existing)] and args.limit == 5
    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["pack", str(tmp_path / "b"), "--limit", "-4"])
    assert caught.value.code == 1
    assert isinstance(parser, argparse.ArgumentParser)
