"""Adding or removing a source folder, and changing the case patterns, return a `Done` whose undo
really takes the change back (issue 12, point 4): a folder removed by mistake comes back with its
documents as they were, findable again, and the evidence on them never moved."""
from __future__ import annotations

from evidence_app.core.base.changes import Done
from evidence_app.core.evidence import evidence, framework
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source, list_sources, remove_source, \
    set_case_patterns
from evidence_app.core.search.search import search
from evidence_app.core.store import documents as docstore
from tests.factories import write_text


def statuses(ws) -> dict[str, tuple]:
    return {d.name: (d.status, d.reason, d.case_ref)
            for d in (docstore.get_document(ws.db, i) for i, in ws.conn.execute(
                "SELECT id FROM documents ORDER BY id"))}


def test_a_removed_source_comes_back_with_its_documents_as_they_were(ws, cases_dir):
    write_text(cases_dir / "CH-004512" / "visit.txt", "Ashlyn said she feels safe with nan.")
    write_text(cases_dir / "CH-000777" / "review.txt", "Review of the pathway plan.")
    added = add_source(ws, cases_dir, "case-files", exclude=["*.tmp"])
    assert isinstance(added, Done) and added.changes.touches("sources")
    index_workspace(ws)
    framework.ensure(ws)
    doc = search(ws, "nan").hits[0]
    item = evidence.tag(ws, doc.document_id, enquiries=["HP-04"], strength="strong").value
    before, sources_before = statuses(ws), list_sources(ws)

    removed = remove_source(ws, cases_dir)
    assert list_sources(ws) == []
    assert {s for s, _, _ in statuses(ws).values()} == {"missing"}

    back = removed.undo(ws)
    assert statuses(ws) == before                    # every document as it was: ok, same case
    [source] = list_sources(ws)
    assert (source.path, source.kind, source.exclude) == (sources_before[0].path, "case-files",
                                                          ("*.tmp",))
    assert search(ws, "nan").hits[0].document_id == doc.document_id
    assert evidence.get_item(ws, item.id).document_id == doc.document_id
    index_workspace(ws)                              # the next pass finds nothing to re-read
    assert statuses(ws) == before

    back.undo(ws)                                    # redo: removed again
    assert list_sources(ws) == [] and {s for s, _, _ in statuses(ws).values()} == {"missing"}


def test_adding_a_source_is_taken_back_and_changing_one_gets_its_old_patterns(ws, cases_dir):
    done = add_source(ws, cases_dir, "case-files")
    done.undo(ws)
    assert list_sources(ws) == []
    add_source(ws, cases_dir, "case-files")
    changed = add_source(ws, cases_dir, "policies", include=["*.docx"])
    assert list_sources(ws)[0].kind == "policies"
    changed.undo(ws)
    [source] = list_sources(ws)
    assert (source.kind, source.include) == ("case-files", ())


def test_new_case_patterns_relink_documents_and_undo_links_them_back(ws, cases_dir):
    write_text(cases_dir / "LCS-881" / "note.txt", "Strategy discussion held.")
    write_text(cases_dir / "CH-000777" / "review.txt", "Review.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    before = statuses(ws)
    assert before["note.txt"][2] is None and before["review.txt"][2] == "CH-000777"

    done = set_case_patterns(ws, [r"\b(LCS-\d+)\b"])
    assert done.value == 2
    assert statuses(ws)["note.txt"][2] == "LCS-881" and statuses(ws)["review.txt"][2] is None
    back = done.undo(ws)
    assert statuses(ws) == before
    back.undo(ws)
    assert statuses(ws)["note.txt"][2] == "LCS-881"
