"""The evidence commands' contract, run as a real process."""
import json

from tests.factories import write_text

VOICE = "The child said the plan helps her feel safe at home."


def _setup(cli, tmp_path):
    cases = tmp_path / "cases"
    f = write_text(cases / "CH-004512" / "visit.txt", f"Home visit.\n\n{VOICE}\n\nPlan agreed.")
    cli("init")
    cli("source", "add", str(cases), "--kind", "case-files")
    cli("index")
    return f


def _err(proc):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    return lines[0]


def test_framework_list_export_import(cli, tmp_path):
    cli("init")
    data = cli.json("framework", "list")
    assert data["version"] == "ilacs-2026-04"
    assert "LEAD-01" in [e["id"] for e in data["enquiries"]]
    assert "AA-L08" in [r["id"] for r in data["requests"]]
    new = cli("framework", "add", "Family Help", "--area", "HP").stdout.strip()
    assert new == "HP-16"
    cli("framework", "rename", "LEAD-01", "--title", "Self-evaluation")
    out = tmp_path / "fw.json"
    cli("framework", "export", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "evidence-organiser/framework"
    # a colleague imports it
    other = type(cli)(tmp_path / "other-ws")
    other("init")
    report = other.json("framework", "import", str(out))
    assert report["added"] == ["HP-16"] and report["changed"][0]["id"] == "LEAD-01"
    assert _err(other("framework", "import", str(tmp_path / "nope.json"), check=False))


def test_case_add_import_list(cli, tmp_path):
    cli("init")
    cli("case", "add", "CH-000001", "--name", "Ashlyn Quillfeather", "--worker", "Sam",
        "--team", "North", "--status", "CP", "--sampled", "--redact", "Quillfeather")
    f = tmp_path / "list.csv"
    f.write_text("Child ID,Social worker name,Team,Category\nCH-000002,Jo,South,CIN\n"
                 ",Jo,South,CIN\nCH-000003,Jo,South,XX\n", encoding="utf-8")
    report = cli.json("case", "import", str(f), "--map", "Social worker name=worker")
    assert report["added"] == ["CH-000002"]
    assert [r["row"] for r in report["rejected"]] == [3, 4]
    rows = cli.json("case", "list")
    assert [c["ref"] for c in rows] == ["CH-000001", "CH-000002"]
    assert rows[0]["alias"] == "Child A" and "name" not in rows[0]
    assert rows[1]["worker"] == "Jo"
    cli("case", "check", "CH-000001", "voice")
    shown = cli.json("case", "show", "CH-000001")
    assert shown["name"] == "Ashlyn Quillfeather"
    assert [r["done"] for r in shown["readiness"] if r["item"] == "voice"] == [True]
    assert "Quillfeather" not in cli("audit", "--json").stdout
    assert "legal status" in _err(cli("case", "add", "CH-9", "--status", "ZZ", check=False))


def test_tag_evidence_coverage_audit(cli, tmp_path):
    f = _setup(cli, tmp_path)
    proc = cli("tag", str(f), "--enquiry", "HP-15", "--quote", "the plan   helps her\nfeel safe",
               "--strength", "strong", "--kind", "impact", "--note", "voice")
    item_id = int(proc.stdout.strip())
    whole = cli.json("tag", str(f), "--request", "AA-L07")
    assert whole["anchor"] == "document" and whole["enquiries"] == []
    items = cli.json("evidence", "--enquiry", "HP-15")
    assert len(items) == 1
    it = items[0]
    assert it["id"] == item_id and it["quote"] == "the plan helps her feel safe"
    for key in ("id", "path", "quote", "enquiries", "requests", "strength", "kind", "anchor",
                "uuid", "note", "author", "page", "case_ref", "created_at", "similarity"):
        assert key in it
    assert (it["strength"], it["kind"], it["anchor"], it["case_ref"]) == \
        ("strong", "impact", "anchored", "CH-004512")
    assert [i["id"] for i in cli.json("evidence", "--case", "CH-004512")] == [item_id, whole["id"]]
    assert [i["id"] for i in cli.json("evidence", "--request", "AA-L07")] == [whole["id"]]

    msg = _err(cli("tag", str(f), "--enquiry", "NOPE-1", check=False))
    assert "framework list" in msg
    assert "not found" in _err(cli("tag", str(f), "--enquiry", "HP-15", "--quote", "absent words",
                                   check=False))

    cov = cli.json("coverage")
    hp15 = [r for r in cov["rows"] if r["enquiry"] == "HP-15"][0]
    assert hp15["strong"] == 1 and hp15["cells"]["HP"]["strong"] == 1
    assert "HP-15" not in [g["enquiry"] for g in cov["gaps"]]
    by_case = cli.json("coverage", "--by", "case")
    assert by_case["groups"] == ["CH-004512"]

    cli("evidence", "edit", str(item_id), "--strength", "weak")
    assert cli.json("evidence", "--enquiry", "HP-15")[0]["strength"] == "weak"
    cli("evidence", "delete", str(whole["id"]))
    assert cli.json("evidence", "--request", "AA-L07") == []

    log = cli.json("audit")
    assert [e["action"] for e in log if e["entity_type"] == "evidence"] == \
        ["tag", "tag", "edit", "delete"]
    assert cli("audit", "--verify").returncode == 0


def test_request_tracker_and_send(cli, tmp_path):
    f = _setup(cli, tmp_path)
    cli("request", "set", "AA-L08", "--status", "in progress", "--owner", "Kim", "--due",
        "12/05/2026 17:00")
    row = [r for r in cli.json("request", "list") if r["id"] == "AA-L08"][0]
    assert (row["status"], row["owner"], row["due_at"]) == ("in progress", "Kim",
                                                            "2026-05-12T17:00")
    assert "dd/mm/yyyy" in _err(cli("request", "set", "AA-L08", "--due", "soon", check=False))
    cli("tag", str(f), "--request", "AA-L08")
    sent = cli.json("request", "send", "AA-L08")
    assert sent["status"] == "sent" and len(sent["sent_sha256"]) == 64
    upload = tmp_path / "upload.xlsx"
    upload.write_bytes(b"data")
    digest = cli("request", "send", "AA-L08", str(upload)).stdout.strip()
    import hashlib

    assert digest == hashlib.sha256(b"data").hexdigest()


def test_saved_searches_and_plain_search_still_work(cli, tmp_path):
    _setup(cli, tmp_path)
    cli("saved-search", "save", "Voice", "plan safe", "--enquiry", "HP-15")
    saved = cli.json("saved-search", "list")
    assert saved[0]["name"] == "Voice" and saved[0]["enquiry_id"] == "HP-15"
    hits = cli.json("saved-search", "run", "Voice")
    assert hits and hits[0]["path"].endswith("visit.txt")
    assert cli.json("search", "plan") and cli.json("search", "plan", "agreed")


def test_saved_search_list_json_and_delete(cli, tmp_path):
    cli("init")
    cli("saved-search", "save", "Plans", "plan", "--enquiry", "HP-06")
    listed = cli.json("saved-search", "list")
    assert [set(r) for r in listed] == [{"id", "uuid", "name", "query", "enquiry_id", "author",
                                        "created_at"}]
    assert listed[0]["name"] == "Plans" and listed[0]["enquiry_id"] == "HP-06"
    cli("saved-search", "delete", "Plans")
    assert cli.json("saved-search", "list") == []
    r = cli("saved-search", "delete", "Plans", check=False)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
