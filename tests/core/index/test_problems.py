"""The Problems list is a rule of the core: every file not read in full and every readable scan
OCR could hardly read, one row per document with its reason, missing files last; the window's
dialog and count and the `problems` command show the same list."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.index.indexer import Indexer, index_workspace
from evidence_app.core.index.problems import HARD_TO_READ, merge, problem_count, problems
from evidence_app.core.index.sources import add_source
from evidence_app.core.store import ocr_pages
from evidence_app.core.store.document_reads import documents
from evidence_app.core.store.ocr_pages import HardToRead
from evidence_app.core.store.records import Document
from evidence_app.samples.writers.scan import write_scanned_pages
from tests.factories import write_text


def test_every_file_not_read_in_full_is_listed_with_its_reason_missing_last(ws, cases_dir):
    write_text(cases_dir / "a fine note.txt", "read in full")
    write_text(cases_dir / "empty.txt", "")
    (cases_dir / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    gone = write_text(cases_dir / "a gone.txt", "soon gone")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws, jobs=1)
    assert [(p.shown_name, p.status) for p in problems(ws)] == [
        ("broken.pdf", "damaged"), ("empty.txt", "empty")]
    gone.unlink()
    index_workspace(ws, jobs=1)
    rows = problems(ws)
    assert [(p.shown_name, p.status) for p in rows] == [
        ("broken.pdf", "damaged"), ("empty.txt", "empty"), ("a gone.txt", "missing")]
    assert all(p.reason for p in rows)
    assert "damaged" in rows[0].reason
    assert problem_count(ws) == 3
    by_name = {d.name: d for d in documents(ws.db)}
    assert [p.id for p in rows] == [by_name[n].id for n in ("broken.pdf", "empty.txt",
                                                            "a gone.txt")]
    assert rows[0].disk_path == str(cases_dir / "broken.pdf")


def test_a_scan_hard_to_read_is_listed_and_joins_another_reason(ws, cases_dir):
    (cases_dir / "smudged.pdf").write_bytes(write_scanned_pages(
        [["Letter from Oakhollow Primary School"], ["Second page: the Marchbank referral"]],
        "scan", seed="p1"))
    add_source(ws, cases_dir, "case-files")
    with Indexer(ws) as indexer:
        indexer.run()
        indexer.read_scans()
    assert problems(ws) == [] and problem_count(ws) == 0
    # what the engine reports for a smudged page (a real low reading depends on the scan)
    ws.db.conn.execute("UPDATE ocr_pages SET confidence = 31 WHERE page = 2")
    (row,) = problems(ws)
    assert (row.shown_name, row.status) == ("smudged.pdf", HARD_TO_READ)
    assert row.reason.startswith("scan hard to read: OCR was unsure of page 2 (31%)")
    assert problem_count(ws) == 1
    ws.db.conn.execute("UPDATE documents SET status = 'damaged', reason = 'It broke.'")
    (row,) = problems(ws)  # one row, both reasons
    assert row.status == "damaged"
    assert row.reason.startswith("It broke. scan hard to read: OCR was unsure of page 2")
    assert problem_count(ws) == 1
    assert len(ocr_pages.hard_to_read(ws.db.conn)) == 1


# -- the merge, for any documents and any poor scans ------------------------------------------
STATUSES = ["ok", "empty", "encrypted", "damaged", "unsupported", "too_large", "timeout",
            "missing", "skipped"]


def _doc(doc_id: int, path: str, status: str, reason: str | None) -> Document:
    return Document(doc_id, f"u{doc_id}", 1, None, path, "", path, path, None, "txt", 1, 0.0,
                    None, status, reason, 0, None, 0, None, 0, 1, None, None, None)


@st.composite
def workspaces(draw):  # noqa: ANN201
    """Documents (id -> path, status, reason) and which of them have poorly read pages."""
    n = draw(st.integers(0, 12))
    docs = {i: (draw(st.sampled_from(["a", "b", "c/d", "é"])) + str(i),
                draw(st.sampled_from(STATUSES)), draw(st.none() | st.text(max_size=8)))
            for i in range(1, n + 1)}
    hard = draw(st.lists(st.sampled_from(sorted(docs)), unique=True)) if docs else []
    return docs, hard


@given(workspaces(), st.integers(1, 12))
@settings(max_examples=300, deadline=None)
def test_no_problem_is_lost_or_listed_twice(ws_state, pages):
    docs, hard_ids = ws_state
    not_readable = sorted((_doc(i, p, s, r) for i, (p, s, r) in docs.items() if s != "ok"),
                          key=lambda d: d.path)
    hard = [HardToRead(i, docs[i][0], "", tuple((p, 20.0) for p in range(1, pages + 1)),
                       docs[i][1]) for i in hard_ids if docs[i][1] != "missing"]
    rows = merge(not_readable, hard)
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))  # never twice
    hard_ok = {h.document_id for h in hard if h.status == "ok"}
    assert set(ids) == {d.id for d in not_readable} | hard_ok  # never lost, nothing extra
    for r in rows:
        path, status, reason = docs[r.id]
        assert r.status == (HARD_TO_READ if status == "ok" else status)
        if r.id in {h.document_id for h in hard}:
            said = r.reason[r.reason.index("scan hard to read"):]
            assert said.count("page ") == min(pages, 8) and (pages > 8) == ("…" in said)
            if status != "ok":  # the other reason kept, first
                assert r.reason.startswith((reason or "").strip())
        else:
            assert r.reason == reason
    missing = [r.status == "missing" for r in rows]
    assert missing == sorted(missing)  # missing files last
    present = [r.path for r in rows if r.status != "missing"]
    assert present == sorted(present)


def test_the_problems_command_lists_them_as_json_and_in_words(cli, tmp_path):
    cases = tmp_path / "cases"
    write_text(cases / "note.txt", "read in full")
    write_text(cases / "empty.txt", "")
    cli("init")
    cli("source", "add", str(cases), "--kind", "case-files")
    assert cli("problems").stderr.startswith("Every file was read")
    (cases / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    cli("index")
    rows = cli.json("problems")
    assert [(r["path"], r["status"]) for r in rows] == [
        (str(cases / "broken.pdf"), "damaged"), (str(cases / "empty.txt"), "empty")]
    assert list(rows[0]) == ["id", "path", "member", "status", "reason", "stale"]
    assert rows[0]["member"] is None and rows[0]["stale"] is False and rows[0]["reason"]
    docs = {d["path"]: d for d in cli.json("documents")}
    assert [r["id"] for r in rows] == [docs[r["path"]]["id"] for r in rows]
    words = cli("problems")
    assert words.stdout.splitlines()[0].split() == ["damaged", str(cases / "broken.pdf")]
    assert "2 files could not be read fully" in words.stderr
