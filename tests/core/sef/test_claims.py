"""Claims in the core: writing them, citing evidence, saved searches and figures, strengths and
warnings, the guiding lists, and undo of every write."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence import evidence, framework
from evidence_app.core.search import saved_searches
from evidence_app.core.sef import claims, document
from evidence_app.core.store import sef as store


def view(ws, claim_id):
    return next(v for v in document.read(ws.db).claims if v.claim.id == claim_id)


def test_a_claim_is_placed_under_its_area_and_question_with_its_links(sef_ws):
    ws = sef_ws
    done = claims.add(ws, "lead", "know", "Leaders know their services well.",
                      enquiries=["lead-01"], cites=[f"E-{ws.items['qa']}"],
                      figures=["sampled cases ready"])
    c = done.value
    assert (c.area, c.question, c.type, c.position) == ("LEAD", "know", "strength", 1)
    assert c.enquiries == ("LEAD-01",)
    assert [(x.kind, x.ref) for x in c.citations] == [
        ("evidence", str(ws.items["qa"])), ("figure", "sampled-cases-ready")]
    second = claims.add(ws, "LEAD", "know", "Supervision is regular.").value
    assert second.position == 2
    doc = document.read(ws.db).to_json()
    lead = next(a for a in doc["areas"] if a["id"] == "LEAD")
    assert lead["questions"][0]["claims"] == [c.id, second.id]
    assert [a["id"] for a in doc["areas"]][0] == "OVERVIEW"
    shown = next(x for x in doc["claims"] if x["id"] == c.id)
    assert shown["evidence"] == [f"E-{ws.items['qa']:03d}"]
    fig = next(x for x in shown["citations"] if x["kind"] == "figure")
    assert fig["value"] == "1 of 2 (50%)" or fig["value"].endswith("%)")
    assert fig["as_of"] and fig["definition"]


@pytest.mark.parametrize("kwargs, message", [
    (dict(area="NOPE"), "not an area"),
    (dict(question="why"), "three questions"),
    (dict(type="opinion"), "type of claim"),
    (dict(text="   "), "needs its text"),
    (dict(enquiries=["LEAD-99"]), "not a line of enquiry"),
    (dict(cites=["E-9999"]), "no evidence item E-9999"),
    (dict(cites=["search:nothing saved"]), "no saved search"),
    (dict(cites=["hello"]), "not something a claim can cite"),
    (dict(figures=["happiness index"]), "no figure"),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(sef_ws, kwargs, message):
    args = dict(area="LEAD", question="know", text="A claim.")
    args.update(kwargs)
    with pytest.raises((InvalidInput, NotFound)) as err:
        claims.add(sef_ws, args.pop("area"), args.pop("question"), args.pop("text"), **args)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert store.claims(sef_ws.db) == []


def test_strength_follows_the_rule(sef_ws):
    ws, it = sef_ws, sef_ws.items
    none = claims.add(ws, "LEAD", "know", "No evidence yet.").value
    weak = claims.add(ws, "HP", "know", "One weak item.", cites=[str(it["plan"])]).value
    one_mod = claims.add(ws, "HP", "how", "One moderate.", cites=[f"E{it['voice']}"]).value
    mod_fig = claims.add(ws, "HP", "how", "Moderate and a figure.", cites=[f"E-{it['voice']}"],
                         figures=["open-cases"]).value
    one_strong = claims.add(ws, "LEAD", "how", "One strong.", cites=[f"E-{it['qa']}"]).value
    strong = claims.add(ws, "LEAD", "how", "Two strong.",
                        cites=[f"E-{it['qa']}", f"#{it['supervision']}"]).value
    figure_only = claims.add(ws, "LEAD", "how", "Only a figure.", figures=["evidence-items"]).value
    got = {c.id: view(ws, c.id).strength for c in
           (none, weak, one_mod, mod_fig, one_strong, strong, figure_only)}
    assert got == {none.id: "none", weak.id: "weak", one_mod.id: "weak", mod_fig.id: "moderate",
                   one_strong.id: "moderate", strong.id: "strong", figure_only.id: "weak"}
    needing = {v.claim.id for v in document.read(ws.db).needing}
    assert needing == {none.id, weak.id, one_mod.id, figure_only.id}


def test_warnings_for_deleted_orphaned_missing_and_retired(sef_ws, policies_dir):
    ws, it = sef_ws, sef_ws.items
    c = claims.add(ws, "LEAD", "know", "Leaders know their services.", enquiries=["LEAD-05"],
                   cites=[f"E-{it['qa']}", f"E-{it['supervision']}", f"E-{it['workforce']}"]
                   ).value
    assert view(ws, c.id).warnings == () and view(ws, c.id).strength == "strong"
    evidence.delete(ws, it["supervision"], force=True)
    framework.retire(ws, "LEAD-05")
    v = view(ws, c.id)
    text = " ".join(v.warnings)
    assert f"E-{it['supervision']:03d} is missing" in text
    assert f"E-{it['workforce']:03d} is filed only under retired lines of enquiry" in text
    assert "LEAD-05 has been retired" in text
    assert v.strength == "strong"       # qa and workforce are still usable
    # the file of E-qa goes: its evidence is missing, the claim weakens
    (policies_dir / "qa.txt").unlink()
    from evidence_app.core.index.indexer import index_workspace
    index_workspace(ws)
    v = view(ws, c.id)
    assert f"E-{it['qa']:03d} is missing" in " ".join(v.warnings)
    assert v.strength == "moderate"


def test_saved_search_citation_and_its_warning_when_deleted(sef_ws):
    ws = sef_ws
    saved_searches.save(ws, "Supervision audits", "supervision", None)
    c = claims.add(ws, "LEAD", "how", "We audit supervision.",
                   cites=["search:supervision AUDITS"]).value
    assert [(x.kind, x.ref) for x in c.citations] == [("search", "Supervision audits")]
    doc = document.read(ws.db).to_json()
    cit = doc["claims"][0]["citations"][0]
    assert cit["query"] == "supervision"
    saved_searches.delete(ws, "Supervision audits")
    assert "no longer exists" in view(ws, c.id).warnings[0]


def test_strong_evidence_not_used_lists_strong_items_on_unmentioned_lines(sef_ws):
    ws, it = sef_ws, sef_ws.items
    unused = {u.item.id for u in document.read(ws.db).unused}
    assert unused == {it["qa"], it["supervision"], it["workforce"]}
    claims.add(ws, "LEAD", "know", "Supervision is good.", enquiries=["LEAD-03"])
    claims.add(ws, "LEAD", "know", "Leaders know.", cites=[f"E-{it['qa']}"])
    unused = {u.item.id for u in document.read(ws.db).unused}
    assert unused == {it["workforce"]}


def test_edit_adds_and_removes_links_and_undo_redo_round_trip(sef_ws):
    ws, it = sef_ws, sef_ws.items
    c = claims.add(ws, "LEAD", "know", "First words.", enquiries=["LEAD-01"],
                   cites=[f"E-{it['qa']}"]).value
    done = claims.edit(ws, c.id, text="Better words.", type="impact", enquiries=["LEAD-03"],
                       drop_enquiries=["LEAD-01"], cites=[f"E-{it['supervision']}"],
                       uncite=[f"E-{it['qa']:03d}"], figures=["open cases"])
    after = done.value
    assert after.text == "Better words." and after.type == "impact"
    assert after.enquiries == ("LEAD-03",)
    assert [(x.kind, x.ref) for x in after.citations] == [
        ("evidence", str(it["supervision"])), ("figure", "open-cases")]
    back = done.undo(ws)
    assert store.claim(ws.db, c.id).text == "First words."
    assert store.claim(ws.db, c.id).enquiries == ("LEAD-01",)
    again = back.undo(ws)
    assert again.value.text == "Better words." and again.value.citations == after.citations
    with pytest.raises(InvalidInput, match="does not cite"):
        claims.edit(ws, c.id, uncite=["E-999"])
    assert not claims.edit(ws, c.id, text="Better words.").changes


def test_delete_and_undo_bring_back_the_same_claim(sef_ws):
    ws = sef_ws
    a = claims.add(ws, "HP", "plans", "One.").value
    b = claims.add(ws, "HP", "plans", "Two.").value
    done = claims.delete(ws, a.id)
    assert [c.id for c in store.claims(ws.db)] == [b.id]
    assert store.claim(ws.db, b.id).position == 1
    with pytest.raises(NotFound):
        claims.get(ws, a.id)
    done.undo(ws)
    assert {c.id for c in store.claims(ws.db)} == {a.id, b.id}
    add = claims.add(ws, "HP", "plans", "Three.")
    add.undo(ws)
    assert add.value.id not in {c.id for c in store.claims(ws.db)}


def test_move_reorders_under_the_question(sef_ws):
    ws = sef_ws
    ids = [claims.add(ws, "CL", "know", f"Claim {n}.").value.id for n in range(3)]
    done = claims.move(ws, ids[2], 1)
    assert [c.id for c in store.claims(ws.db)] == [ids[2], ids[0], ids[1]]
    done.undo(ws)
    assert [c.id for c in store.claims(ws.db)] == ids


def test_every_write_is_in_the_audit_log_without_the_text(sef_ws):
    from evidence_app.core.safety import audit

    ws = sef_ws
    c = claims.add(ws, "LEAD", "know", "Ashlyn Smith is safe.").value
    claims.edit(ws, c.id, text="The child is safe.")
    claims.delete(ws, c.id)
    entries = audit.entries(ws, "sef-claim")
    assert [e["action"] for e in entries] == ["add", "edit", "delete"]
    assert "Ashlyn" not in str(entries)
