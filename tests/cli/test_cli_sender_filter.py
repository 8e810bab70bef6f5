"""`evidence --sender NAME` / `evidence list --sender NAME` and `coverage --sender NAME`, run as
real processes: a manager imports a colleague's pack and filters by who the evidence came from."""
from __future__ import annotations

from tests.cli.test_cli_packs import _err, _person
from tests.factories import write_text

VOICE = "The child said the plan helps her feel safe at home."


def _row(data: dict, enquiry: str) -> dict:
    return next(r for r in data["rows"] if r["enquiry"] == enquiry)


def test_sender_filters_the_evidence_list_and_coverage(cli, tmp_path):
    files = tmp_path / "shared"
    f = write_text(files / "CH-004512" / "visit.txt", f"Home visit.\n\n{VOICE}\n\nPlan agreed.")
    jo = _person(cli, tmp_path, "Jo Social", files)
    mgr = _person(cli, tmp_path, "Manager Mo", files)
    theirs = jo.json("tag", str(f), "--enquiry", "HP-06", "--quote", "feel safe at home",
                     "--strength", "strong")
    mine = mgr.json("tag", str(f), "--enquiry", "HP-15", "--note", "my own")
    jo("pack", "export", str(tmp_path / "jo.evpack"))
    mgr("pack", "import", str(tmp_path / "jo.evpack"))

    everything = mgr.json("evidence")
    assert {i["uuid"] for i in everything} == {theirs["uuid"], mine["uuid"]}
    [got] = mgr.json("evidence", "--sender", "Jo Social")
    assert got["uuid"] == theirs["uuid"]
    assert set(got) == set(everything[0])  # the same JSON fields as ever
    assert mgr.json("evidence", "list", "--sender", "jo social") == [got]
    assert mgr.json("evidence", "--enquiry", "HP-06", "list", "--sender", "Jo Social") == [got]
    assert mgr.json("evidence", "list", "--sender", "Jo Social", "--enquiry", "HP-15") == []
    [own] = mgr.json("evidence", "list", "--sender", "Manager Mo")
    assert own["uuid"] == mine["uuid"]
    assert "No evidence matches." in mgr("evidence", "list", "--sender", "Jo Social",
                                         "--enquiry", "HP-15").stderr + \
        mgr("evidence", "list", "--sender", "Jo Social", "--enquiry", "HP-15").stdout

    whole = mgr.json("coverage")
    jos = mgr.json("coverage", "--sender", "Jo Social")
    assert set(jos) == set(whole)
    assert _row(jos, "HP-06")["strong"] == 1 and _row(jos, "HP-15")["total"] == 0
    assert _row(whole, "HP-15")["total"] == 1
    by_case = mgr.json("coverage", "--by", "case", "--sender", "Manager Mo")
    assert _row(by_case, "HP-06")["total"] == 0 and _row(by_case, "HP-15")["total"] == 1
    # in words: Jo's strong item closes the HP-06 gap for everyone, not in the manager's own
    assert "HP-06" not in mgr("coverage").stdout
    own_words = mgr("coverage", "--sender", "manager mo")
    assert "  HP-06 " in own_words.stdout and "Manager Mo" in own_words.stdout + own_words.stderr

    line = _err(mgr("evidence", "list", "--sender", "Nobody", check=False))
    assert "Nobody" in line and "Jo Social" in line
    _err(mgr("coverage", "--sender", "", "--json", check=False))
