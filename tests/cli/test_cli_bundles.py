"""The bundle and export commands' contract, run as a real process."""
from __future__ import annotations

import json
import zipfile

import docx
import openpyxl

from tests.factories import write_docx, write_text

VOICE = "Ashlyn said the plan helps her feel safe at home."


def _setup(cli, tmp_path):
    cases = tmp_path / "cases"
    write_text(cases / "CH-004512" / "visit.txt", f"Home visit.\n\n{VOICE}\n\nPlan agreed.")
    write_docx(cases / "CH-004512" / "plan.docx", ["Plan for Ashlyn Smith.", "Review soon."])
    cli("init", "--name", "Test Borough Children's Services")
    cli("settings", "--author", "Priya Shah", "--team", "Quality Assurance")
    cli("source", "add", str(cases), "--kind", "case-files")
    cli("index")
    cli("case", "add", "CH-004512", "--name", "Ashlyn Smith", "--alias", "Child A")
    a = cli.json("tag", str(cases / "CH-004512" / "visit.txt"), "--enquiry", "HP-15",
                 "--quote", "Ashlyn said the plan helps her feel safe", "--strength", "strong")
    b = cli.json("tag", str(cases / "CH-004512" / "plan.docx"), "--enquiry", "LEAD-01",
                 "--request", "AA-L07")
    return a["id"], b["id"]


def _err(proc):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    return lines[0]


def test_create_list_show_move_export(cli, tmp_path):
    a, b = _setup(cli, tmp_path)
    created = cli.json("bundle", "create", "Inspection evidence", "--by", "enquiry")
    assert set(created) == {"id", "uuid", "title", "sections", "items"}
    assert created["items"] == 2 and created["sections"] == 2
    bid = str(created["id"])
    plain = cli("bundle", "create", "Requests", "--request", "AA-L07").stdout.strip()
    assert plain.isdigit()
    listed = cli.json("bundle", "list")
    assert [x["title"] for x in listed] == ["Inspection evidence", "Requests"]
    shown = cli.json("bundle", "show", bid)
    first = shown["sections"][0]["items"][0]
    assert first["number"] == "E-001"
    cli("bundle", "section", bid, "Children's voices")
    cli("bundle", "move", bid, "E-001", "--to", "S3")
    cli("bundle", "move", bid, str(a), "--to", "children's voices:1")
    shown = cli.json("bundle", "show", bid)
    assert [i["item"] for i in shown["sections"][2]["items"]] == [a, b]
    assert _err(cli("bundle", "move", bid, "E-009", "--to", "1", check=False))

    out = tmp_path / "exports" / "bundle.docx"
    r = json.loads(cli("bundle", "export", bid, str(out), "--append-sources", "--json").stdout)
    assert out.exists() and r["sha256"] and r["items"] == 2
    manifest = json.loads((tmp_path / "exports" / "bundle.docx.manifest.json").read_text())
    assert manifest["sha256"] == r["sha256"] and manifest["bundle"]["id"] == int(bid)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Children's voices" in text and "Plan for Ashlyn Smith." in text
    # no overwrite without --force
    assert "already exists" in _err(cli("bundle", "export", bid, str(out), check=False))
    cli("bundle", "export", bid, str(out), "--force", "--pseudonymise")
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                assert "ashlyn" not in z.read(name).decode("utf-8", "replace").lower(), name
    exports = cli.json("bundle", "exports", bid)
    assert len(exports) == 2 and exports[1]["pseudonymised"]
    assert any(e["action"] == "export" for e in cli.json("audit"))


def test_set_external_pseudonymises_by_default(cli, tmp_path):
    _setup(cli, tmp_path)
    bid = cli("bundle", "create", "External", "--by", "case").stdout.strip()
    cli("bundle", "set", bid, "--external", "--marking", "official", "--purpose", "For Ofsted")
    listed = cli.json("bundle", "list")[0]
    assert listed["external"] and listed["pseudonymise"] and listed["marking"] == "OFFICIAL"
    out = tmp_path / "ext.docx"
    cli("bundle", "export", bid, str(out))
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Child A said the plan" in text and "Ashlyn" not in text


def test_spreadsheet_exports(cli, tmp_path):
    _setup(cli, tmp_path)
    for which in ("tracker", "coverage", "evidence"):
        out = tmp_path / f"{which}.xlsx"
        cli("export", which, str(out))
        sheet = openpyxl.load_workbook(out).worksheets[0]
        assert sheet["A1"].font.bold and sheet.freeze_panes == "B2" and sheet.auto_filter.ref
        assert "already exists" in _err(cli("export", which, str(out), check=False))
    assert "must end in .xlsx" in _err(cli("export", "tracker", str(tmp_path / "x.csv"),
                                           check=False))
