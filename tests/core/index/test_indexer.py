"""Indexing real files: statuses, incremental runs, moves, deletions, failures, resumption."""
import os
import time

import pytest

from evidence_app.core.index.extractors.base import Limits
from evidence_app.core.index.indexer import Indexer, index_workspace, retry
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source, remove_source
from evidence_app.core.store.document_reads import document_chunks, find_by_path, documents
from tests.factories import write_docx, write_pdf, write_text

VISIT = ("Home visit to Ashlyn Quillfeather. Ashlyn said she feels safe with her grandmother "
         "and wants to keep seeing her brother at weekends.")


def _doc(ws, path):
    return find_by_path(ws.db, str(path))


def test_each_format_gets_a_status_and_a_reason(ws, cases_dir):
    case = cases_dir / "CH-004512" / "Visits"
    write_docx(case / "Visit record.docx", [VISIT], title="Home visit record")
    write_pdf(case / "Strategy meeting.pdf", ["Strategy meeting page one", "Section 47 agreed"])
    write_text(case / "note.txt", "Case note: the worker spoke with the school.")
    (case / "empty.txt").write_bytes(b"")
    (case / "broken.docx").write_bytes(b"PK\x03\x04 this zip is cut short")
    (case / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    add_source(ws, cases_dir, "case-files")
    summary = index_workspace(ws)
    assert summary.indexed == 6
    status = {d.name: (d.status, d.reason) for d in documents(ws.db)}
    assert status["Visit record.docx"][0] == "ok"
    assert status["Strategy meeting.pdf"][0] == "ok"
    assert status["note.txt"][0] == "ok"
    assert status["empty.txt"][0] == "empty"
    assert status["broken.docx"][0] == "damaged" and status["broken.docx"][1]
    assert status["old.doc"][0] == "damaged" and "Word document" in status["old.doc"][1]
    # the unreadable file's name is still searchable
    assert [h.name for h in search(ws, "old").hits] == ["old.doc"]


def test_pdf_chunks_know_their_pages_and_cases_are_linked_by_path(ws, cases_dir):
    pdf = write_pdf(cases_dir / "CH-000777" / "Conference.pdf",
                    ["Initial child protection conference", "Plan agreed", "Core group dates set"])
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    d = _doc(ws, pdf)
    assert d.case_ref == "CH-000777" and d.pages == 3
    assert [c.page for c in document_chunks(ws.db, d.id)] == [1, 2, 3]
    hit = search(ws, '"core group"').hits[0]
    assert hit.page == 3 and hit.path == str(pdf)


def test_unchanged_files_are_skipped_and_changed_ones_reindexed(ws, cases_dir):
    a = write_text(cases_dir / "a.txt", "first version about supervision")
    write_text(cases_dir / "b.txt", "another file about caseloads")
    add_source(ws, cases_dir, "case-files")
    assert index_workspace(ws).indexed == 2
    second = index_workspace(ws)
    assert second.queued == 0 and second.indexed == 0
    write_text(a, "second version about management oversight")
    third = index_workspace(ws)
    assert third.indexed == 1
    assert search(ws, "oversight").hits and not search(ws, "supervision").hits
    # touched but identical content: hashed, not re-parsed
    os.utime(a, (time.time() + 5, time.time() + 5))
    fourth = index_workspace(ws)
    assert fourth.unchanged == 1 and fourth.indexed == 0


def test_deleted_file_is_marked_missing_not_dropped(ws, cases_dir):
    a = write_text(cases_dir / "gone.txt", "a record of the child's wishes and feelings")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    doc_id = _doc(ws, a).id
    a.unlink()
    assert index_workspace(ws).missing == 1
    d = _doc(ws, a)
    assert d.id == doc_id and d.status == "missing" and d.chars > 0
    assert document_chunks(ws.db, doc_id)  # text kept for evidence anchored to it


def test_moved_file_is_recognised_by_its_hash(ws, cases_dir):
    a = write_docx(cases_dir / "CH-000001" / "Plan.docx", ["The plan is reviewed monthly."])
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    old = _doc(ws, a)
    target = cases_dir / "CH-000001" / "Plans" / "Plan v2.docx"
    target.parent.mkdir()
    os.rename(a, target)
    index_workspace(ws)
    new = _doc(ws, target)
    assert new.id == old.id and new.uuid == old.uuid
    assert new.status == "ok" and new.rel_path == "CH-000001/Plans/Plan v2.docx"
    assert _doc(ws, a) is None


def test_a_file_that_breaks_keeps_its_last_good_text_marked_stale(ws, cases_dir):
    a = write_docx(cases_dir / "report.docx", ["Audit found management oversight was strong."])
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    a.write_bytes(b"PK\x03\x04 now damaged")
    index_workspace(ws)
    d = _doc(ws, a)
    assert d.status == "damaged" and d.stale == 1
    assert "still searchable" in d.reason
    assert search(ws, "oversight").hits[0].document_id == d.id


def test_lock_and_temp_files_are_ignored_and_globs_apply(ws, cases_dir):
    write_text(cases_dir / "~$Plan.docx", "owner file")
    write_text(cases_dir / ".~lock.Plan.odt#", "lock")
    write_text(cases_dir / "save.tmp", "temp")
    write_text(cases_dir / "keep.txt", "keep me")
    write_text(cases_dir / "drafts" / "skip.txt", "skip me")
    add_source(ws, cases_dir, "other", exclude=["drafts/*"])
    index_workspace(ws)
    assert [d.name for d in documents(ws.db)] == ["keep.txt"]


def test_the_queue_survives_an_interrupted_run(ws, cases_dir):
    for i in range(5):
        write_text(cases_dir / f"f{i}.txt", f"document number {i} about permanence")
    add_source(ws, cases_dir, "policies")
    with Indexer(ws) as ix:
        from evidence_app.core.index.indexer import IndexSummary

        ix.plan_full(IndexSummary())  # planned, then the "crash": nothing extracted
    assert ws.db.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 5
    # touch nothing: the next run must still finish the queued work
    summary = index_workspace(ws)
    assert summary.indexed == 5
    assert ws.db.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0


def test_time_limit_marks_timeout_and_the_run_goes_on(ws, cases_dir):
    write_text(cases_dir / "big.txt", "word " * 2_000_000)
    write_text(cases_dir / "small.txt", "a small note")
    add_source(ws, cases_dir, "other")
    summary = index_workspace(ws, limits=Limits(time_limit_s=0.001))
    assert summary.indexed == 2
    statuses = {d.name: d.status for d in documents(ws.db)}
    assert set(statuses.values()) <= {"timeout", "ok"} and "timeout" in statuses.values()
    timed_out = [d for d in documents(ws.db) if d.status == "timeout"]
    assert "longer than" in timed_out[0].reason


def test_memory_limit_marks_too_large(ws, cases_dir):
    if os.name == "nt":
        pytest.skip("RLIMIT_AS is POSIX; Windows uses the RSS watch")
    write_text(cases_dir / "huge.txt", "care plan " * 3_000_000)
    add_source(ws, cases_dir, "other")
    index_workspace(ws, limits=Limits(memory_limit_mb=8))
    d = documents(ws.db)[0]
    assert d.status == "too_large" and "memory" in d.reason, d


def test_file_over_the_size_limit_is_too_large_but_findable_by_name(ws, cases_dir):
    write_text(cases_dir / "enormous export.csv", "a,b\n" * 1000)
    add_source(ws, cases_dir, "other")
    index_workspace(ws, limits=Limits(max_file_bytes=100))
    d = documents(ws.db)[0]
    assert d.status == "too_large"
    assert search(ws, "enormous").hits[0].name == "enormous export.csv"


def test_retry_reads_failed_files_again(ws, cases_dir):
    write_text(cases_dir / "x.txt", "retry me " * 1_000_000)
    add_source(ws, cases_dir, "other")
    index_workspace(ws, limits=Limits(time_limit_s=0.001))
    assert documents(ws.db)[0].status == "timeout"
    assert retry(ws) == 1
    index_workspace(ws)
    assert documents(ws.db)[0].status == "ok"


def test_removing_a_source_keeps_its_documents_as_missing(ws, cases_dir):
    write_text(cases_dir / "x.txt", "supervision record")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    remove_source(ws, cases_dir)
    d = documents(ws.db)[0]
    assert d.status == "missing" and "source folder was removed" in d.reason


def test_the_app_never_writes_to_source_folders(ws, cases_dir):
    write_docx(cases_dir / "CH-000002" / "a.docx", ["text"])
    write_pdf(cases_dir / "b.pdf", ["page"])
    add_source(ws, cases_dir, "case-files")
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in cases_dir.rglob("*")}
    index_workspace(ws)
    index_workspace(ws)
    after = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in cases_dir.rglob("*")}
    assert before == after


def test_a_worker_that_dies_is_replaced_and_the_run_goes_on(ws, cases_dir):
    import threading

    import psutil

    write_text(cases_dir / "slow.txt", "supervision record " * 3_000_000)
    for i in range(6):
        write_text(cases_dir / f"note {i}.txt", f"note number {i}")
    add_source(ws, cases_dir, "other")
    me = psutil.Process()
    killed = []

    def killer():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not killed:
            for child in me.children(recursive=True):
                try:
                    if child.ppid() == me.pid and "forkserver" in " ".join(child.cmdline()):
                        continue  # the server that forks workers (they are its children)
                    if child.cpu_times().user > 0.3:  # busy with the big file
                        child.kill()
                        killed.append(child.pid)
                except psutil.Error:
                    pass
            time.sleep(0.02)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    summary = index_workspace(ws, jobs=2)
    t.join()
    assert killed, "the test never found a busy worker to kill"
    docs = {d.name: d for d in documents(ws.db)}
    assert summary.indexed == 7 and len(docs) == 7
    assert all(docs[f"note {i}.txt"].status == "ok" for i in range(6))
    assert docs["slow.txt"].status == "damaged"
    assert "stop unexpectedly" in docs["slow.txt"].reason


def test_case_pattern_is_configurable_and_relinks(ws, cases_dir):
    from evidence_app.core.index.sources import set_case_patterns

    a = write_text(cases_dir / "CH-000042" / "note.txt", "visit")
    b = write_text(cases_dir / "1234567 Brackenby" / "note.txt", "visit")
    c = write_text(cases_dir / "LCS-99" / "note.txt", "visit")
    d = write_text(cases_dir / "2026-03-12 minutes.txt", "minutes")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    refs = {p: _doc(ws, p).case_ref for p in (a, b, c, d)}
    assert refs == {a: "CH-000042", b: "1234567", c: None, d: None}
    set_case_patterns(ws, [r"\b(LCS-\d+)\b"])
    assert _doc(ws, c).case_ref == "LCS-99" and _doc(ws, a).case_ref is None


def test_an_edit_reindexes_only_the_passages_that_changed(ws, cases_dir):
    pages = [f"Page {i}: visit record number {i} about the child's routine." for i in range(1, 6)]
    pdf = write_pdf(cases_dir / "record.pdf", pages)
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    doc = _doc(ws, pdf)
    before = {c.page: c.id for c in document_chunks(ws.db, doc.id)}
    pages[2] = "Page 3: the child now attends a new school and is settled."
    write_pdf(pdf, pages)
    index_workspace(ws)
    after = {c.page: c.id for c in document_chunks(ws.db, doc.id)}
    assert [p for p in after if after[p] == before[p]] == [1, 2, 4, 5]
    assert after[3] != before[3]
    assert search(ws, '"new school"').hits[0].page == 3
    assert not [h for h in search(ws, '"record number 3"').hits if h.document_id == doc.id]
    ws.db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
