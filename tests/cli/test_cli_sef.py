"""The self-evaluation through the real command line: claims, citations, strengths, warnings,
the plan, freeze/diff, and refusals of bad input in one line."""
from __future__ import annotations

import pytest

from tests.factories import write_text


@pytest.fixture
def tagged(cli, tmp_path):
    src = tmp_path / "policies"
    write_text(src / "qa.txt", "Quality assurance: leaders know their services well. Audits "
               "show supervision is regular.")
    write_text(src / "edge.txt", "Edge of care: the panel meets weekly.")
    cli("init", "--name", "Test Borough")
    cli("settings", "--author", "Priya Shah")
    cli("source", "add", str(src), "--kind", "policies")
    cli("index")
    ids = {}
    for name, args in (("qa", ["--quote", "leaders know their services well", "--strength",
                               "strong", "--enquiry", "LEAD-01"]),
                       ("sup", ["--quote", "supervision is regular", "--strength", "strong",
                                "--enquiry", "LEAD-03"]),
                       ("edge", ["--strength", "strong", "--enquiry", "HP-01"])):
        path = src / ("edge.txt" if name == "edge" else "qa.txt")
        ids[name] = cli.json("tag", str(path), *args)["id"]
    return ids


def test_claims_citations_strength_and_lists(cli, tagged):
    one = cli.json("sef", "claim", "add", "LEAD", "--question", "know", "--text",
                   "Leaders know their services well.", "--enquiry", "LEAD-01",
                   "--cite", f"E-{tagged['qa']}", "--cite", str(tagged["sup"]),
                   "--figure", "open cases")
    assert one["strength"] == "strong" and one["ref"] == f"C-{one['id']}"
    assert one["evidence"] == [f"E-{tagged['qa']:03d}", f"E-{tagged['sup']:03d}"]
    assert one["figures"] == ["open-cases"] and one["warnings"] == []
    two = cli.json("sef", "claim", "add", "overview", "--question", "plans", "--text",
                   "Return home interviews are not yet offered to every child.",
                   "--type", "development")
    assert two["strength"] == "none" and two["needs_evidence"]
    show = cli.json("sef", "show")
    assert show["needing_evidence"] == [two["id"]]
    assert [u["id"] for u in show["strong_evidence_not_used"]] == [tagged["edge"]]
    assert [c["id"] for c in show["claims"]] == [two["id"], one["id"]]   # overview first
    text = cli("sef", "show").stdout
    assert "Claims needing evidence" in text and "[strong]" in text

    cli("evidence", "delete", str(tagged["sup"]))
    edited = cli.json("sef", "claim", "edit", str(one["id"]), "--uncite", "open-cases")
    assert edited["strength"] == "moderate"
    assert any("is missing" in w for w in edited["warnings"])
    assert edited["figures"] == []


def test_plan_freeze_and_diff(cli, tagged):
    dev = cli.json("sef", "claim", "add", "HP", "--question", "plans", "--text",
                   "Strategy meetings are sometimes late.", "--type", "development")
    act = cli.json("sef", "action", "add", str(dev["id"]), "--what", "Weekly strategy audit",
                   "--owner", "Head of Service", "--due", "2021-06-30")
    assert act["overdue"] and act["status"] == "not started"
    done = cli.json("sef", "action", "set", act["ref"], "--status", "done")
    assert not done["overdue"]
    assert cli.json("sef", "show")["plan"][0]["status"] == "done"

    r = cli("sef", "freeze", "v1")
    assert "Froze version 'v1'" in r.stderr
    cli("sef", "claim", "edit", dev["ref"], "--text", "Strategy meetings are now timely.",
        "--cite", f"E-{tagged['edge']}")
    new = cli.json("sef", "claim", "add", "CL", "--question", "know", "--text",
                   "Care leavers stay in touch.")
    diff = cli.json("sef", "diff", "v1", "current")
    assert {(c["claim"], c["change"]) for c in diff["claims"]} == {(dev["id"], "changed"),
                                                                  (new["id"], "added")}
    changed = diff["changed"][0]
    assert changed["strength_before"] == "none" and changed["strength_after"] == "moderate"
    cli("sef", "freeze", "v2")
    cli("sef", "claim", "delete", new["ref"])
    diff = cli.json("sef", "diff", "v2", "current")
    assert [(c["claim"], c["change"]) for c in diff["claims"]] == [(new["id"], "removed")]
    back = cli.json("sef", "diff", "v1", "v2")
    assert back["summary"]["added"] == 1 and back["summary"]["changed"] == 1
    out = cli("sef", "diff", "v1", "v2").stdout
    assert "1 added" in out and "was: Strategy meetings are sometimes late." in out
    cli("sef", "claim", "restore", new["ref"])
    assert cli.json("sef", "diff", "v2", "current")["claims"] == []


@pytest.mark.parametrize("args, message", [
    (["sef", "claim", "add", "NOPE", "--question", "know", "--text", "x"], "not an area"),
    (["sef", "claim", "add", "LEAD", "--question", "know", "--text", "x", "--cite", "E-999"],
     "no evidence item E-999"),
    (["sef", "claim", "add", "LEAD", "--question", "know", "--text", "x", "--figure", "morale"],
     "no figure 'morale'"),
    (["sef", "claim", "add", "LEAD", "--question", "know", "--text", "x", "--type", "opinion"],
     "type of claim"),
    (["sef", "claim", "edit", "C-77", "--text", "x"], "no claim C-77"),
    (["sef", "claim", "delete", "seven"], "not a claim"),
    (["sef", "action", "set", "A-5", "--status", "done"], "no action A-5"),
    (["sef", "diff", "v9", "current"], "no frozen version 'v9'"),
])
def test_bad_input_is_one_line_no_traceback(cli, tagged, tmp_path, args, message):
    r = cli(*args, check=False)
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr
    assert cli.json("sef", "show")["claims"] == []


def test_export_through_the_cli(cli, tagged, tmp_path):
    import docx

    cli("sef", "claim", "add", "LEAD", "--question", "know", "--text",
        "Leaders know their services well.", "--cite", f"E-{tagged['qa']}")
    out = tmp_path / "sef.docx"
    r = cli.json("sef", "export", str(out), "--with-bundle")
    assert r["path"] == str(out) and r["claims"] == 1 and r["bundle_items"] == 1
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert f"[E-{tagged['qa']:03d}]" in text
    again = cli("sef", "export", str(out), check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    cli("sef", "export", str(out), "--force", "--pseudonymise")
    assert cli.json("audit")[-1]["entity_type"] == "self-evaluation"


def test_self_evaluation_survives_a_restore_through_the_journal(cli, tagged):
    cli("sef", "claim", "add", "LEAD", "--question", "know", "--text", "Before the backup.")
    cli("backup")
    dev = cli.json("sef", "claim", "add", "HP", "--question", "plans", "--text",
                   "After the backup.", "--type", "development", "--cite", f"E-{tagged['qa']}")
    cli("sef", "action", "add", dev["ref"], "--what", "Audit", "--due", "2027-01-31")
    cli("sef", "freeze", "v1")
    backups = cli.json("backups")
    cli("restore", backups[0]["name"],
        "--replay-journal")
    show = cli.json("sef", "show")
    assert [c["text"] for c in show["claims"]] == ["Before the backup.", "After the backup."]
    assert show["claims"][1]["evidence"] == [f"E-{tagged['qa']:03d}"]
    assert [a["what"] for a in show["plan"]] == ["Audit"]
    assert [v["name"] for v in show["versions"]] == ["v1"]
    assert "All checks passed" in cli("check").stderr + cli("check").stdout
