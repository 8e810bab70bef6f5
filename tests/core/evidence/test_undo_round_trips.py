"""Every write of evidence items, requests and bundles returns a `Done`, and its undo really takes
it back: do → undo leaves the rows as before, undo → redo leaves them as after the write (same
ids and uuids), through the core alone, as the window's undo stack uses it."""
from __future__ import annotations

import pytest

from evidence_app.core.base.changes import Done
from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import evidence, framework, requests
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.safety import audit
from tests.factories import write_text

VOICE = "Ashlyn said she feels safe with her grandmother and wants to see her brother."


def rows(ws) -> dict[str, list]:
    """What a person could see: the items (not deleted), the request tracker with what is linked,
    and every bundle with its sections in order. Only the time of the last change differs after
    an undo (it is stamped anew), so it is left out."""
    from dataclasses import replace

    def unstamped(record):  # noqa: ANN001, ANN202
        return replace(record, updated_at="")

    return {"items": [unstamped(i) for i in evidence.list_items(ws)],
            "requests": requests.list_requests(ws, include_retired=True),
            "linked": ws.db.conn.execute("SELECT request_id, document_id FROM request_documents "
                                         "ORDER BY 1, 2").fetchall(),
            "bundles": [unstamped(bundles.get_bundle(ws, b.id)) for b in bundles.list_bundles(ws)]}


def round_trip(ws, write) -> Done:
    """Do `write`, undo it, redo it; check the rows each time and that the audit log holds."""
    before = rows(ws)
    done = write()
    assert isinstance(done, Done) and done.undo is not None and done.changes
    after = rows(ws)
    assert after != before, "the write changed nothing"
    undone = done.undo(ws)
    assert isinstance(undone, Done) and undone.undo is not None
    assert rows(ws) == before
    redone = undone.undo(ws)
    assert rows(ws) == after
    assert audit.verify(ws).ok
    return redone


@pytest.fixture
def docs(ws, cases_dir):
    files = [write_text(cases_dir / "CH-004512" / "visit.txt", f"Home visit.\n\n{VOICE}\n\nPlan."),
             write_text(cases_dir / "CH-000777" / "review.txt", "Review of the care plan."),
             write_text(cases_dir / "CH-000777" / "supervision.txt", "Supervision notes.")]
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    framework.ensure(ws)  # the framework is seeded on first use: before the first "before"
    return [str(f) for f in files]


def test_tag_edit_delete_round_trip(ws, docs):
    item = round_trip(ws, lambda: evidence.tag(ws, docs[0], ["HP-15"], requests=["AA-L07"],
                                                quote=VOICE, note="voice")).value
    assert evidence.get_item(ws, item.id).quote == VOICE  # redo brought back the same item
    edited = round_trip(ws, lambda: evidence.edit(
        ws, item.id, note="voice shapes the plan", strength="strong", kind="impact",
        add_enquiries=["CIC-12"], remove_requests=["AA-L07"], case_ref="CH-000777")).value
    assert (edited.note, edited.strength, edited.links) == (
        "voice shapes the plan", "strong", ("CIC-12", "HP-15"))
    assert edited.case_ref == "CH-000777"
    round_trip(ws, lambda: evidence.edit(ws, item.id, case_ref=""))  # back to the document's
    round_trip(ws, lambda: evidence.delete(ws, item.id))
    assert evidence.list_items(ws) == []


def test_an_edit_undoes_even_after_its_line_of_enquiry_is_retired(ws, docs):
    item = evidence.tag(ws, docs[1], ["HP-15"]).value
    done = evidence.edit(ws, item.id, enquiries=["CIC-12"])
    framework.retire(ws, "HP-15")
    done.undo(ws)
    assert evidence.get_item(ws, item.id).enquiries == ("HP-15",)


def test_request_update_send_and_link_round_trip(ws, docs):
    from evidence_app.core.evidence.evidence import resolve_document

    round_trip(ws, lambda: requests.update(ws, "AA-L08", status="in progress", owner="Kim",
                                            due="12/05/2026 17:00"))
    doc = resolve_document(ws, docs[1])
    round_trip(ws, lambda: requests.link_document(ws, "AA-L08", doc.id))
    sent = round_trip(ws, lambda: requests.send(ws, "AA-L08")).value
    assert sent.status == "sent" and sent.sent_sha256 and sent.documents == 1
    round_trip(ws, lambda: requests.link_document(ws, "AA-L08", doc.id, unlink=True))


def test_bundle_writes_round_trip(ws, docs):
    a = evidence.tag(ws, docs[0], ["HP-15"], quote=VOICE).value
    b = evidence.tag(ws, docs[1], ["HP-15", "CIC-12"]).value
    c = evidence.tag(ws, docs[2], ["LEAD-01"]).value
    bundle = round_trip(ws, lambda: bundles.create_bundle(ws, "Voices", by="enquiry")).value
    assert sorted(bundle.item_ids) == sorted([a.id, b.id, c.id])
    round_trip(ws, lambda: bundles.move_item(ws, bundle.id, b.id, "1"))
    round_trip(ws, lambda: bundles.remove_item(ws, bundle.id, "E-002"))
    round_trip(ws, lambda: bundles.add_section(ws, bundle.id, "Children's voices"))
    round_trip(ws, lambda: bundles.move_item(ws, bundle.id, a.id, "Children's voices"))
    round_trip(ws, lambda: bundles.set_settings(ws, bundle.id, external=True, marking="official",
                                                 title="Voices heard"))
    kept = bundles.get_bundle(ws, bundle.id)
    deleted = round_trip(ws, lambda: bundles.delete_bundle(ws, bundle.id))
    assert bundles.list_bundles(ws) == []
    deleted.undo(ws)
    assert bundles.get_bundle(ws, bundle.id) == kept  # same ids, sections, order and settings


def test_a_bundle_shows_its_own_rows_numbered(ws, docs):
    a = evidence.tag(ws, docs[0], ["HP-15"], quote=VOICE).value
    evidence.tag(ws, docs[1], ["LEAD-01"])  # not in the bundle: not read to show it
    bundle = bundles.create_bundle(ws, "Help", enquiries=["HP-15"]).value
    shown = bundles.bundle_rows(ws, bundle.id)
    assert list(shown.rows) == [a.id]
    row = shown.rows[a.id]
    assert (row.number, row.position, row.item.quote) == ("E-001", 1, VOICE)


def test_undo_of_a_write_someone_changed_since_says_why(ws, docs):
    item = evidence.tag(ws, docs[0], ["HP-15"]).value
    bundle = bundles.create_bundle(ws, "Help", enquiries=["HP-15"]).value
    added = bundles.add_section(ws, bundle.id, "Extra")
    section = added.value.sections[-1]
    bundles.move_item(ws, bundle.id, item.id, f"{section.id}:1")
    from evidence_app.core.base.errors import InvalidInput

    with pytest.raises(InvalidInput, match="has evidence in it"):
        added.undo(ws)


def test_review_answers_round_trip(ws, docs):
    from evidence_app.core.bundles import pseudonymise as ps

    evidence.tag(ws, docs[0], ["HP-15"])
    bundle = bundles.create_bundle(ws, "Help", enquiries=["HP-15"]).value
    ps.accept(ws, bundle.id, [("before", "name")], "Priya")
    done = ps.accept(ws, bundle.id, [("grandmother", "word"), ("before", "name")], "Priya")
    assert done.value == 1 and ps.accepted(ws, bundle.id) == {"before", "grandmother"}
    again = done.undo(ws)
    assert ps.accepted(ws, bundle.id) == {"before"}  # what was accepted before stays
    again.undo(ws)
    assert ps.accepted(ws, bundle.id) == {"before", "grandmother"}
    reset = ps.reset_review(ws, bundle.id)
    assert reset.value == 2 and ps.accepted(ws, bundle.id) == frozenset()
    reset.undo(ws)
    assert ps.accepted(ws, bundle.id) == {"before", "grandmother"}
