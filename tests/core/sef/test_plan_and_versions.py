"""The improvement plan (actions under areas for development, overdue flags) and versions
(freeze keeps text and figures; diff claim by claim)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence import cases, evidence
from evidence_app.core.sef import actions, claims, document, versions
from evidence_app.core.store import sef as store
from evidence_app.core.store.records import as_json


def _old_diff(ws, v1: str, v2: str) -> dict:
    """The dict `versions.diff` returned before it was a record (commit 02aedb9): the witness
    that `sef diff --json` keeps its shape."""
    old, new = versions.snapshot(ws, v1), versions.snapshot(ws, v2)
    changes = versions.compare(old, new)

    def one(c):
        x = c.after or c.before
        return {"change": c.change, "claim": x["id"], "ref": x["ref"], "uuid": x["uuid"],
                "area": x["area"], "question": x["question"], "fields": list(c.fields),
                "strength_before": c.before["strength"] if c.before else None,
                "strength_after": c.after["strength"] if c.after else None,
                "strength_changed": bool(c.before and c.after and
                                         c.before["strength"] != c.after["strength"]),
                "text_before": c.before["text"] if c.before else None,
                "text_after": c.after["text"] if c.after else None}

    counts = {k: sum(1 for c in changes if c.change == k)
              for k in ("added", "removed", "changed", "strength")}
    moved = [c for c in changes if c.before and c.after
             and c.before["strength"] != c.after["strength"]]
    both = {c["uuid"] for c in new.get("claims", [])} & {c["uuid"] for c in old.get("claims", [])}
    return {"from": versions._label(v1), "to": versions._label(v2),
            "from_date": old.get("as_of"), "to_date": new.get("as_of"),
            "claims": [one(c) for c in changes],
            "added": [one(c) for c in changes if c.change == "added"],
            "removed": [one(c) for c in changes if c.change == "removed"],
            "changed": [one(c) for c in changes if c.change == "changed"],
            "strength_changed": [one(c) for c in moved],
            "summary": {"added": counts["added"], "removed": counts["removed"],
                        "changed": counts["changed"], "strength_changed": len(moved),
                        "unchanged": len(both) - counts["changed"] - counts["strength"]}}


def test_actions_belong_to_areas_for_development(sef_ws):
    ws = sef_ws
    strength = claims.add(ws, "HP", "know", "Assessments are timely.").value
    with pytest.raises(InvalidInput, match="areas for development"):
        actions.add(ws, strength.id, "Audit assessments")
    dev = claims.add(ws, "HP", "plans", "Return interviews are not always offered.",
                     type="area for development").value
    a = actions.add(ws, f"C-{dev.id}", "Commission return interviews", owner="Head of Service",
                    due="31/03/2027").value
    assert (a.claim_id, a.owner, a.due, a.status) == (dev.id, "Head of Service", "2027-03-31",
                                                      "not started")
    plan = document.read(ws.db).to_json()["plan"]
    assert plan == [{"id": a.id, "ref": f"A-{a.id}", "claim": dev.id, "claim_ref": f"C-{dev.id}",
                     "area": "HP", "what": "Commission return interviews",
                     "owner": "Head of Service", "due": "2027-03-31", "status": "not started",
                     "overdue": False}]
    with pytest.raises(InvalidInput, match="not a date"):
        actions.add(ws, dev.id, "x", due="next week")
    with pytest.raises(InvalidInput, match="not an action status"):
        actions.set_action(ws, a.id, status="finished-ish")


def test_overdue_actions_are_flagged_until_done(sef_ws):
    ws = sef_ws
    dev = claims.add(ws, "CIC", "plans", "Health assessments are late.", type="development").value
    late = actions.add(ws, dev.id, "Chase health assessments", due="2020-01-31").value
    future = actions.add(ws, dev.id, "Review", due="2099-01-01").value
    doc = document.read(ws.db)
    flags = {a["id"]: a["overdue"] for a in doc.to_json()["plan"]}
    assert flags == {late.id: True, future.id: False}
    assert doc.to_json()["summary"]["overdue"] == 1
    done = actions.set_action(ws, late.id, status="done")
    assert not document.read(ws.db).to_json()["plan"][0]["overdue"]
    done.undo(ws)
    assert store.action(ws.db, late.id).status == "not started"
    on = dt.date(2098, 1, 1)
    assert not actions.overdue(store.action(ws.db, future.id), on)


def test_action_set_and_delete_undo(sef_ws):
    ws = sef_ws
    dev = claims.add(ws, "CL", "plans", "Pathway plans vary.", type="development").value
    a = actions.add(ws, dev.id, "Audit pathway plans", owner="Team manager").value
    done = actions.set_action(ws, a.id, what="Audit every pathway plan", owner="PA lead",
                              due="2027-01-15", status="in progress")
    assert (done.value.what, done.value.owner, done.value.due, done.value.status) == (
        "Audit every pathway plan", "PA lead", "2027-01-15", "in progress")
    done.undo(ws)
    assert store.action(ws.db, a.id).owner == "Team manager"
    gone = actions.delete(ws, a.id)
    with pytest.raises(NotFound):
        actions.get(ws, a.id)
    gone.undo(ws)
    assert actions.get(ws, a.id).what == "Audit pathway plans"
    # deleting the claim takes its actions out of the plan; undo brings both back
    d = claims.delete(ws, dev.id)
    assert document.read(ws.db).plan == ()
    d.undo(ws)
    assert [x.id for x in document.read(ws.db).plan] == [a.id]


def test_freeze_keeps_text_and_figures_and_diff_goes_claim_by_claim(sef_ws):
    ws, it = sef_ws, sef_ws.items
    kept = claims.add(ws, "LEAD", "know", "Leaders know their services.",
                      cites=[f"E-{it['qa']}"], figures=["open-cases"]).value
    edited = claims.add(ws, "HP", "know", "Children are seen alone.").value
    dropped = claims.add(ws, "CIC", "know", "Placements are stable.").value
    versions.freeze(ws, "v1")
    v1 = versions.snapshot(ws, "v1")
    assert [c["text"] for c in v1["claims"]][0] == "Leaders know their services."
    fig = v1["figures"][0]
    assert (fig["name"], fig["value"]) == ("open-cases", "3")

    # the workspace moves on: a figure changes, a claim changes, one goes, one comes
    cases.add_case(ws, "CH-111111", alias="Child D", team="Assessment", worker="Sam Lee")
    claims.edit(ws, edited.id, text="Children are seen alone at every visit.")
    claims.delete(ws, dropped.id)
    added = claims.add(ws, "CL", "know", "Care leavers are in touch.").value
    claims.edit(ws, kept.id, cites=[f"E-{it['supervision']}"])         # moderate -> strong

    assert versions.snapshot(ws, "v1") == v1                            # frozen: unchanged
    assert versions.snapshot(ws, "v1")["figures"][0]["value"] == "3"
    now = versions.snapshot(ws, "current")
    assert next(f for f in now["figures"] if f["name"] == "open-cases")["value"] == "4"

    d = versions.diff(ws, "v1", "current")
    by = {c.claim: c for c in d.changes}
    assert by[added.id].change == "added"
    assert by[dropped.id].change == "removed" and by[dropped.id].text == "Placements are stable."
    assert by[edited.id].change == "changed" and by[edited.id].fields == ("text",)
    assert by[edited.id].text_before == "Children are seen alone."
    assert by[kept.id].change == "changed" and "evidence" in by[kept.id].fields
    assert (by[kept.id].strength_before, by[kept.id].strength_after) == ("moderate", "strong")
    assert as_json(d.summary) == {"added": 1, "removed": 1, "changed": 2, "strength_changed": 1,
                                  "unchanged": 0}
    assert json.dumps(as_json(d)) == json.dumps(_old_diff(ws, "v1", "current"))

    versions.freeze(ws, "v2")
    assert versions.diff(ws, "v2", "current").changes == ()
    # only the evidence's strength changes: reported as a strength change
    evidence.edit(ws, it["supervision"], strength="weak")
    d = versions.diff(ws, "v2", "current")
    assert [(c.claim, c.change) for c in d.changes] == [(kept.id, "strength")]
    assert as_json(d)["strength_changed"][0]["strength_after"] == "moderate"
    assert json.dumps(as_json(d)) == json.dumps(_old_diff(ws, "v2", "current"))


def test_version_names_are_unique_and_freeze_undoes(sef_ws):
    ws = sef_ws
    done = versions.freeze(ws, "v1")
    with pytest.raises(InvalidInput, match="already a version"):
        versions.freeze(ws, "V1")
    with pytest.raises(InvalidInput, match="live self-evaluation"):
        versions.freeze(ws, "current")
    with pytest.raises(NotFound, match="no frozen version 'v9'"):
        versions.diff(ws, "v9", "current")
    back = done.undo(ws)
    assert store.versions(ws.db) == []
    back.undo(ws)
    assert [v.name for v in store.versions(ws.db)] == ["v1"]


def test_an_area_for_development_with_actions_keeps_its_type(sef_ws):
    ws = sef_ws
    dev = claims.add(ws, "HP", "plans", "Visits are late.", type="development").value
    a = actions.add(ws, dev.id, "Weekly visit audit").value
    with pytest.raises(InvalidInput, match="has improvement actions"):
        claims.edit(ws, dev.id, type="strength")
    actions.delete(ws, a.id)
    assert claims.edit(ws, dev.id, type="strength").value.type == "strength"
