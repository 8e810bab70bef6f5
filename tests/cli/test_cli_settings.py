"""`evidence-app settings` (name, team, default marking) and what `bundle export` does when
nobody has said who they are: refuses in one line without a terminal, asks once on one."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

import docx

from tests.conftest import ROOT
from tests.factories import write_text


def _setup(cli, tmp_path) -> str:
    src = tmp_path / "policies"
    write_text(src / "sef.txt", "Self-evaluation: leaders know their services well.")
    cli("init", "--name", "Test Borough Children's Services")
    cli("source", "add", str(src), "--kind", "policies")
    cli("index")
    cli("tag", str(src / "sef.txt"), "--enquiry", "LEAD-01", "--quote", "leaders know")
    return cli("bundle", "create", "Leadership", "--by", "custom").stdout.strip()


def _cover_text(path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs]
                     + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_settings_store_name_team_and_default_marking(cli, tmp_path):
    cli("init")
    shown = cli.json("settings")
    assert shown["author"] is None and shown["team"] is None
    assert shown["default_marking"] == "OFFICIAL-SENSITIVE"
    assert "not set" in cli("settings").stdout
    cli("settings", "--author", " Priya  Shah", "--team", "Quality Assurance",
        "--marking", "official")
    shown = cli.json("settings")
    assert (shown["author"], shown["team"], shown["default_marking"]) == \
        ("Priya Shah", "Quality Assurance", "OFFICIAL")
    assert shown["prepared_by"] == "Priya Shah, Quality Assurance"
    bad = cli("settings", "--author", "   ", check=False)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert cli.json("settings")["author"] == "Priya Shah"
    # the default marking reaches new bundles made from the CLI
    assert cli.json("bundle", "list") == []
    cli("bundle", "create", "Any", "--by", "custom")
    assert cli.json("bundle", "list")[0]["marking"] == "OFFICIAL"


def test_export_without_a_name_refuses_in_one_line_then_works(cli, tmp_path):
    bid = _setup(cli, tmp_path)
    out = tmp_path / "b.docx"
    r = cli("bundle", "export", bid, str(out), check=False)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1, r.stderr
    assert 'evidence-app settings --author "Your Name"' in lines[0] and "Traceback" not in r.stderr
    assert not out.exists()
    cli("settings", "--author", "Priya Shah")
    cli("bundle", "export", bid, str(out))
    assert "Priya Shah" in _cover_text(out)


def test_export_on_a_terminal_asks_once_for_name_and_team(cli, tmp_path):
    bid = _setup(cli, tmp_path)
    out = tmp_path / "asked.docx"
    master, slave = pty.openpty()
    try:
        os.write(master, b"Priya Shah\nFront Door\n")
        proc = subprocess.run([sys.executable, "-m", "evidence_app", "--workspace",
                               str(cli.workspace), "bundle", "export", bid, str(out)],
                              stdin=slave, capture_output=True, text=True, timeout=120,
                              cwd=str(ROOT))
    finally:
        os.close(slave)
        os.close(master)
    assert proc.returncode == 0, proc.stderr
    assert "Your name" in proc.stderr
    assert "Priya Shah, Front Door" in _cover_text(out)
    assert cli.json("settings")["author"] == "Priya Shah"


def test_default_marking_official_reaches_the_exported_cover(cli, tmp_path):
    """Set OFFICIAL once; a bundle created afterwards exports with OFFICIAL on its cover and on
    every header and footer, never OFFICIAL-SENSITIVE."""
    cli("init", "--name", "Test Borough Children's Services")
    cli("settings", "--author", "Priya Shah", "--marking", "OFFICIAL")
    src = tmp_path / "policies"
    write_text(src / "sef.txt", "Self-evaluation: leaders know their services well.")
    cli("source", "add", str(src), "--kind", "policies")
    cli("index")
    cli("tag", str(src / "sef.txt"), "--enquiry", "LEAD-01", "--quote", "leaders know")
    bid = cli("bundle", "create", "Leadership", "--by", "custom").stdout.strip()
    out = tmp_path / "official.docx"
    cli("bundle", "export", bid, str(out))
    cover = _cover_text(out)
    d = docx.Document(str(out))
    marks = [p.text for s in d.sections for part in (s.header, s.footer) for p in part.paragraphs
             if p.text.strip()]
    assert "OFFICIAL" in cover and marks
    assert "OFFICIAL-SENSITIVE" not in cover and not any("SENSITIVE" in m for m in marks)
    assert any("OFFICIAL" in m for m in marks)


def test_reading_limits_are_settings_and_bad_values_refuse_in_one_line(cli):
    cli("init")
    shown = cli.json("settings", "--time-limit", "45", "--memory-limit", "2048")
    assert (shown["time_limit_s"], shown["memory_limit_mb"]) == (45, 2048)
    bad = cli("settings", "--time-limit", "forever", "--marking", "OFFICIAL", check=False)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bad.stderr
    shown = cli.json("settings")
    assert shown["time_limit_s"] == 45 and shown["default_marking"] == "OFFICIAL-SENSITIVE"
