"""Pseudonymised exports through the real CLI: unregistered cases refused, the review gate,
other names and relatives on cases, and pseudonymised spreadsheets — all verified after writing."""
from __future__ import annotations

import json
import re
import zipfile

import openpyxl

from tests.factories import write_docx, write_text

FOLDER = "CH-300117 Siobhán O'Dowd-Ng"
VISIT = ("Home visit. Siobhan O’Dowd-Ng (known as Shiv) said she likes school. Her mum "
         "Niamh O'Dowd rang on 07700 900456. DOB 04.07.2016. NHS 943 476 5919.")


def _setup(cli, tmp_path, *, register: bool):
    cases = tmp_path / "cases"
    write_text(cases / FOLDER / "visit.txt", f"{VISIT}\n\nPlan agreed with Shiv.")
    write_docx(cases / FOLDER / "plan.docx", ["Plan for Siobhán O'Dowd-Ng.", "Mrs O'Dowd agreed."])
    write_text(cases / "CH-300118 Tyler Li" / "note.txt", "Tyler Li and Mr Li met the worker.")
    cli("init", "--name", "Westmere Children's Services")
    cli("settings", "--author", "Priya Raman", check=False)
    cli("source", "add", str(cases), "--kind", "case-files")
    cli("index")
    cli("case", "add", "CH-300118", "--name", "Tyler Li")
    if register:
        cli("case", "add", "CH-300117", "--name", "Siobhán O'Dowd-Ng", "--other-name", "Shiv",
            "--relative", "Niamh O'Dowd=mother")
    a = cli.json("tag", str(cases / FOLDER / "visit.txt"), "--enquiry", "HP-15",
                 "--quote", "said she likes school", "--strength", "strong")
    b = cli.json("tag", str(cases / FOLDER / "plan.docx"), "--enquiry", "LEAD-01")
    c = cli.json("tag", str(cases / "CH-300118 Tyler Li" / "note.txt"), "--enquiry", "LEAD-01")
    bundle = cli.json("bundle", "create", "Voice of the child", "--by", "custom")
    for item in (a, b, c):
        cli("bundle", "add", str(bundle["id"]), str(item["id"]), check=False)
    cli("bundle", "set", str(bundle["id"]), "--prepared-by", "Priya Raman", check=False)
    return bundle["id"]


def _text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(re.sub(r"<[^>]+>", " ", z.read(n).decode("utf-8", "replace"))
                         for n in z.namelist() if n.endswith((".xml", ".rels")))


LEAKS = ("siobhan", "siobhán", "o'dowd", "o’dowd", "dowd", "shiv", "niamh", "tyler", "07700",
         "04.07.2016", "943 476 5919")


def _no_leak(text: str):
    low = text.lower()
    for word in LEAKS:
        assert word not in low, word
    assert not re.search(r"\bLi\b", text)


def test_unregistered_case_refused_then_exported_once_registered(cli, tmp_path):
    bid = _setup(cli, tmp_path, register=False)
    out = tmp_path / "out" / "voice.docx"
    proc = cli("bundle", "export", str(bid), str(out), "--pseudonymise", "--append-sources",
               check=False)
    assert proc.returncode == 1
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith("error:") and "CH-300117" in line and "E-001" in line
    assert "CH-300118" not in line           # that one is registered
    assert "Siobh" not in line                # the message itself names no child
    assert not out.exists() and not list(out.parent.glob("*")) if out.parent.exists() else True
    check = cli.json("bundle", "check", str(bid))
    assert check["ok"] is False
    u = check["unregistered"][0]
    assert u["ref"] == "CH-300117" and u["items"] == ["E-001", "E-002"]
    assert u["suggested_name"] == "Siobhán O'Dowd-Ng"

    cli("case", "add", "CH-300117", "--name", u["suggested_name"], "--other-name", "Shiv",
        "--relative", "Niamh O'Dowd=mother", "--dob", "04/07/2016")
    shown = cli.json("case", "show", "CH-300117")
    assert shown["other_names"] == ["Shiv"]
    assert shown["relatives"] == [{"name": "Niamh O'Dowd", "role": "mother"}]
    assert shown["dob"] == "2016-07-04"
    plain = cli("case", "show", "CH-300117").stdout
    assert "Niamh O'Dowd (mother)" in plain and "Shiv" in plain

    r = cli.json("bundle", "export", str(bid), str(out), "--pseudonymise", "--append-sources",
                 "--accept-review")
    assert r["verified"] is True and r["pseudonymised"] is True
    text = _text(out)
    _no_leak(text)
    assert "Child A" in text and "[mother]" in text and "Mrs [surname]" in text
    manifest = json.loads((out.parent / "voice.docx.manifest.json").read_text())
    assert manifest["verified"] is True
    _no_leak(json.dumps(manifest, ensure_ascii=False))


def test_review_gate_and_accept(cli, tmp_path):
    bid = _setup(cli, tmp_path, register=True)
    cli("case", "set", "CH-300117", "--relative", "Niamh O'Dowd=mother")
    # an unregistered person: the review must list her before export
    cases = tmp_path / "cases"
    write_text(cases / FOLDER / "call.txt", "Call from Mrs Kowalczyk, a neighbour.")
    cli("index")
    item = cli.json("tag", str(cases / FOLDER / "call.txt"), "--enquiry", "HP-15",
                    "--quote", "Call from Mrs Kowalczyk")
    cli("bundle", "add", str(bid), str(item["id"]))
    out = tmp_path / "gate.docx"
    proc = cli("bundle", "export", str(bid), str(out), "--pseudonymise", check=False)
    assert proc.returncode == 1 and "Kowalczyk" in proc.stderr and "E-004" in proc.stderr
    assert f"bundle check {bid}" in proc.stderr
    assert not out.exists()
    check = cli.json("bundle", "check", str(bid))
    keys = [i["key"] for i in check["review"]]
    assert any("kowalczyk" in k for k in keys)
    listed = cli("bundle", "check", str(bid)).stdout
    assert "Kowalczyk" in listed
    # add as a term: gone from the review and from the export
    cli("case", "set", "CH-300117", "--redact", "Kowalczyk")
    check = cli.json("bundle", "check", str(bid))
    assert not any("kowalczyk" in i["key"] for i in check["review"])
    for i in check["review"]:
        cli("bundle", "check", str(bid), "--accept", i["key"])
    assert cli.json("bundle", "check", str(bid))["ok"] is True
    r = cli.json("bundle", "export", str(bid), str(out), "--pseudonymise")
    assert r["verified"] is True
    assert "Kowalczyk" not in _text(out)


def test_evidence_spreadsheet_pseudonymised_refused_then_verified(cli, tmp_path):
    _setup(cli, tmp_path, register=False)
    out = tmp_path / "evidence.xlsx"
    proc = cli("export", "evidence", str(out), "--pseudonymise", check=False)
    assert proc.returncode == 1 and "CH-300117" in proc.stderr and not out.exists()
    cli("case", "add", "CH-300117", "--name", "Siobhán O'Dowd-Ng", "--other-name", "Shiv",
        "--relative", "Niamh O'Dowd=mother")
    r = cli.json("export", "evidence", str(out), "--pseudonymise")
    assert r["verified"] is True
    wb = openpyxl.load_workbook(out)
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value]
    text = "\n".join(cells)
    _no_leak(text)
    assert "Child A" in text
    heads = [c.value for c in next(wb["Evidence"].iter_rows(max_row=1))]
    assert "Case" not in heads and "Child" in heads      # the reference column is left out
    plain = tmp_path / "plain.xlsx"
    cli("export", "evidence", str(plain))
    assert "O'Dowd-Ng" in "\n".join(str(c.value) for ws in openpyxl.load_workbook(plain)
                                     for row in ws.iter_rows() for c in row if c.value)
    for which in ("tracker", "coverage"):
        r = cli.json("export", which, str(tmp_path / f"{which}.xlsx"), "--pseudonymise")
        assert r["verified"] is True
