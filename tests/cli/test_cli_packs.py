"""The pack commands' contract, run as real processes: two colleagues and a manager."""
from __future__ import annotations

import json
import zipfile

from tests.factories import write_text

VOICE = "The child said the plan helps her feel safe at home."


def _err(proc):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def _person(cli, tmp_path, name: str, files):
    c = type(cli)(tmp_path / f"ws-{name}")
    c("init")
    c("settings", "--author", name)
    if files is not None:
        c("source", "add", str(files), "--kind", "case-files")
        c("index")
    return c


def test_export_preview_import_conflicts_resolve(cli, tmp_path):
    files = tmp_path / "shared"
    f = write_text(files / "CH-004512" / "visit.txt", f"Home visit.\n\n{VOICE}\n\nPlan agreed.")
    jo = _person(cli, tmp_path, "Jo Social", files)
    mgr = _person(cli, tmp_path, "Manager Mo", files)
    jo("case", "add", "CH-004512", "--name", "Ashlyn Quillfeather", "--worker", "Jo Social")
    item = jo.json("tag", str(f), "--enquiry", "HP-06", "--quote", "feel safe at home",
                   "--note", "voice")
    pack = tmp_path / "jo.evpack"
    made = jo.json("pack", "export", str(pack), "--case", "CH-004512", "--no-names")
    assert made["items"] == 1 and made["cases"] == 1 and made["no_names"]
    assert b"Quillfeather" not in b"".join(zipfile.ZipFile(pack).read(n)
                                           for n in zipfile.ZipFile(pack).namelist())
    assert _err(jo("pack", "export", str(pack), check=False)).endswith("--force to replace it.")

    pre = mgr.json("pack", "preview", str(pack))
    assert pre["counts"]["added"] == 1 and pre["counts"]["conflicts"] == 0
    assert pre["sender"] == "Jo Social" and pre["added"][0]["uuid"] == item["uuid"]
    assert mgr.json("evidence") == []  # the preview wrote nothing
    text = mgr("pack", "preview", str(pack)).stdout
    assert "1 to add" in text and "Nothing was written" in text

    done = mgr.json("pack", "import", str(pack))
    assert done["counts"]["added"] == 1 and done["backup"].endswith("-before-pack.db")
    [got] = mgr.json("evidence")
    assert got["uuid"] == item["uuid"] and got["note"] == "voice"
    again = mgr.json("pack", "import", str(pack))
    assert again["counts"]["added"] == 0 and again["packs"][0]["already_imported"]

    # both change the item: a conflict, listed and resolved
    jo("evidence", "edit", str(item["id"]), "--note", "Jo's view")
    mgr("evidence", "edit", str(got["id"]), "--note", "Manager's view")
    pack2 = tmp_path / "jo2.evpack"
    jo("pack", "export", str(pack2))
    mgr("pack", "import", str(pack2))
    listed = mgr.json("pack", "conflicts")
    [c] = listed["conflicts"]
    assert c["mine"]["note"] == "Manager's view" and c["theirs"]["note"] == "Jo's view"
    assert "mine" in mgr("pack", "conflicts").stdout
    assert _err(mgr("pack", "resolve", "999", "mine", check=False))
    assert mgr("pack", "resolve", "1", "maybe", check=False).returncode == 2
    out = mgr("pack", "resolve", str(c["id"]), "both")
    assert "new item" in out.stderr
    notes = sorted(i["note"] for i in mgr.json("evidence"))
    assert notes == ["Copy from Jo Social. Jo's view", "Manager's view"]
    assert mgr.json("pack", "conflicts")["conflicts"] == []

    reports = mgr.json("pack", "reports")
    assert [r["sender"] for r in reports] == ["Jo Social", "Jo Social"]
    assert "from Jo Social" in mgr("pack", "report", str(reports[0]["id"])).stdout
    [sender] = mgr.json("pack", "team")
    assert sender["sender"] == "Jo Social" and sender["items_added"] == 1
    audit = mgr.json("audit")
    assert any(e["action"] == "pack-import" and e["after"]["sha256"] == made["sha256"]
               for e in audit)


def test_map_unknown_ids_and_several_packs_at_once(cli, tmp_path):
    files = tmp_path / "shared"
    f = write_text(files / "CH-1" / "visit.txt", f"Home visit.\n\n{VOICE}")
    a = _person(cli, tmp_path, "Ann", files)
    b = _person(cli, tmp_path, "Ben", files)
    mgr = _person(cli, tmp_path, "Mo", None)
    a("framework", "add", "Local line", "--area", "HP", "--id", "HP-LOCAL")
    a("tag", str(f), "--enquiry", "HP-LOCAL")
    b("tag", str(f), "--enquiry", "HP-06", "--quote", "plan helps her")
    a("pack", "export", str(tmp_path / "a.evpack"))
    b("pack", "export", str(tmp_path / "b.evpack"), "--with-files")
    pre = mgr.json("pack", "preview", str(tmp_path / "a.evpack"))
    assert pre["unknown_ids"][0]["id"] == "HP-LOCAL"
    done = mgr.json("pack", "import", str(tmp_path / "a.evpack"), str(tmp_path / "b.evpack"),
                    "--map", "HP-LOCAL=HP-15")
    assert done["counts"]["added"] == 2 and len(done["packs"]) == 2
    assert sorted(e for i in mgr.json("evidence") for e in i["enquiries"]) == ["HP-06", "HP-15"]
    assert _err(mgr("pack", "import", str(tmp_path / "a.evpack"), "--map", "nonsense",
                    check=False)).startswith("error: 'nonsense' is not a mapping")


def test_bad_packs_are_one_line_refusals(cli, tmp_path):
    cli("init")
    junk = tmp_path / "junk.evpack"
    junk.write_text("not a pack")
    assert "not an evidence pack" in _err(cli("pack", "import", str(junk), check=False))
    assert "not an evidence pack" in _err(cli("pack", "preview", str(junk), check=False))
    assert _err(cli("pack", "import", str(tmp_path / "missing.evpack"), check=False))
    assert _err(cli("pack", "import", check=False))
    assert _err(cli("pack", "export", str(tmp_path / "wrong.zip"), check=False))
    assert cli.json("pack", "conflicts") == {"conflicts": [], "duplicates": []}
    assert "No packs" in cli("pack", "team").stdout
    assert json.loads(cli("pack", "reports", "--json").stdout) == []
