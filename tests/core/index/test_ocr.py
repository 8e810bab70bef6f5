"""Scanned pages become searchable (issue 16): real scans made by the sample generator, read by
Tesseract in the extraction workers, written to a real workspace, found by search on their page."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from evidence_app.core import settings
from evidence_app.core.base.progress import CancelToken
from evidence_app.core.index.indexer import Indexer, index_workspace
from evidence_app.core.index.ocr import requests
from evidence_app.core.index.sources import add_source
from evidence_app.core.search.search import search
from evidence_app.core.store import ocr_pages as store
from evidence_app.core.store.document_reads import documents
from evidence_app.samples.writers.scan import write_scanned_pages
from tests.factories import write_pdf

LETTER = [["Letter from Oakhollow Primary School", "Dear Ms Brackenridge,",
           "We are writing about the attendance of Quillfeather this term."],
          ["Second page: the Marchbank referral", "Signed consent form for the Fenwright "
           "assessment"]]


def _index_and_read(ws, **kw):
    with Indexer(ws) as indexer:
        summary = indexer.run()
        run = indexer.read_scans(**kw)
    return summary, run


def _doc(ws, name: str) -> dict:
    return next(d for d in documents(ws.db) if Path(d.path).name == name)


def _page_of(ws, word: str) -> tuple[str, int | None]:
    hits = search(ws, word).hits
    assert hits, f"{word!r} is not searchable"
    return hits[0].name, hits[0].page


def test_words_on_a_scanned_pdf_become_searchable_on_their_page(ws, cases_dir):
    (cases_dir / "school letter.pdf").write_bytes(write_scanned_pages(LETTER, "scan", seed="1"))
    add_source(ws, cases_dir, "case-files")
    with Indexer(ws) as indexer:
        indexer.run()
        # the fast pass: findable by name, no text yet, its two pages waiting
        doc = _doc(ws, "school letter.pdf")
        assert doc.status == "empty" and "waiting to be read by OCR" in doc.reason
        assert search(ws, "school letter").hits and not search(ws, "Quillfeather").hits
        run = indexer.read_scans()
    assert (run.pages_total, run.pages_read, run.pages_failed) == (2, 2, 0)
    assert _page_of(ws, "Quillfeather") == ("school letter.pdf", 1)
    assert _page_of(ws, "Brackenridge") == ("school letter.pdf", 1)
    assert _page_of(ws, "Marchbank") == ("school letter.pdf", 2)
    assert _page_of(ws, "Fenwright") == ("school letter.pdf", 2)
    doc = _doc(ws, "school letter.pdf")
    assert doc.status == "ok"
    assert doc.reason.startswith("Text read by OCR (average confidence ")
    summary = store.summary(ws.db.conn, doc.id)
    assert summary.done == 2 and summary.confidence > 80
    assert all(p.state == "done" and p.confidence > 80 for p in store.pages(ws.db.conn, doc.id))


def test_a_photographed_letter_and_a_multi_page_fax(ws, cases_dir):
    (cases_dir / "IMG_2041.jpg").write_bytes(write_scanned_pages(
        [["Kilverton Health Centre", "Dr Harrowdene wrote about the dental check"]], "photo",
        seed="2"))
    (cases_dir / "police fax.tif").write_bytes(write_scanned_pages(
        [["Police notification about Bellweather"], ["Strategy meeting at Ashgrove"],
         ["Outcome: Pendleford to be seen"]], "fax", seed="3"))
    add_source(ws, cases_dir, "case-files")
    _index_and_read(ws)
    assert _page_of(ws, "Harrowdene") == ("IMG_2041.jpg", 1)
    assert _page_of(ws, "Bellweather") == ("police fax.tif", 1)
    assert _page_of(ws, "Ashgrove") == ("police fax.tif", 2)
    assert _page_of(ws, "Pendleford") == ("police fax.tif", 3)
    assert _doc(ws, "police fax.tif").pages == 3


def test_pages_with_a_good_text_layer_are_never_read_again(ws, cases_dir, tmp_path):
    import pypdfium2 as pdfium

    text = write_pdf(tmp_path / "text.pdf", ["Typed minutes about Thornbury.\nA full page of "
                                             "typed words is a good text layer.",
                                             "Typed page two about Wexcombe and the plan."])
    mixed = pdfium.PdfDocument(str(text))
    scan = pdfium.PdfDocument(write_scanned_pages([["Handwritten note about Kilverton"]],
                                                  "scan", seed="4"))
    mixed.import_pages(scan)
    mixed.save(str(cases_dir / "minutes with a scanned page.pdf"))
    add_source(ws, cases_dir, "case-files")
    summary, run = _index_and_read(ws)
    assert run.pages_total == 1  # only page 3, the picture
    assert _page_of(ws, "Kilverton")[1] == 3
    assert _page_of(ws, "Thornbury")[1] == 1 and _page_of(ws, "Wexcombe")[1] == 2
    doc = _doc(ws, "minutes with a scanned page.pdf")
    assert "1 scanned page read by OCR (average confidence" in doc.reason
    assert [p.page for p in store.pages(ws.db.conn, doc.id)] == [3]


def test_the_page_cap_reads_the_first_pages_and_says_why(ws, cases_dir):
    settings.set_ocr_page_cap(ws, 2)
    pages = [[f"Court bundle page {n} Oakhollow"] for n in range(1, 5)]
    (cases_dir / "court bundle.pdf").write_bytes(write_scanned_pages(pages, "scan", seed="5"))
    add_source(ws, cases_dir, "case-files")
    _, run = _index_and_read(ws)
    assert run.pages_read == 2
    doc = _doc(ws, "court bundle.pdf")
    assert "Only the first 2 of 4 scanned pages are read by OCR" in doc.reason
    states = [p.state for p in store.pages(ws.db.conn, doc.id)]
    assert states == ["done", "done", "capped", "capped"]
    assert {h.page for h in search(ws, "Oakhollow").hits} <= {1, 2}


def test_with_ocr_off_pages_wait_and_read_again_reads_them(ws, cases_dir):
    settings.set_ocr(ws, False)
    (cases_dir / "consent.png").write_bytes(_png(write_scanned_pages(
        [["Consent form signed by Marchbank"]], "photo", seed="6")))
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    doc = _doc(ws, "consent.png")
    assert doc.status == "empty" and "OCR is off for this workspace" in doc.reason
    with Indexer(ws) as indexer:
        assert indexer.read_scans(requested_only=True).pages_total == 0  # nothing asked for
        assert requests.request_again(ws, [doc.id]) == [doc.id]
        run = indexer.read_scans(doc_ids=[doc.id])
    assert run.pages_read == 1 and _page_of(ws, "Marchbank") == ("consent.png", 1)


def test_cancel_keeps_what_was_read_and_the_next_run_finishes(ws, cases_dir):
    pages = [[f"Chronology page {n} Ashgrove"] for n in range(1, 6)]
    (cases_dir / "chronology.pdf").write_bytes(write_scanned_pages(pages, "scan", seed="7"))
    add_source(ws, cases_dir, "case-files")
    token = CancelToken()
    seen = []

    def progress(p):
        seen.append((p.done, p.total, p.stage))
        token.cancel()

    with Indexer(ws) as indexer:
        indexer.run()
        first = indexer.read_scans(progress, token)
        assert first.cancelled and first.pages_read >= 1 and first.pages_left >= 1
        assert seen[0] == (1, 5, "ocr")
        assert search(ws, "Ashgrove").hits  # what was read is already searchable
        second = indexer.read_scans()
    assert first.pages_read + second.pages_read == 5 and second.pages_left == 0


def test_the_same_file_indexed_again_keeps_its_ocr_text_without_reading(ws, cases_dir):
    path = cases_dir / "letter.pdf"
    path.write_bytes(write_scanned_pages(LETTER, "scan", seed="8"))
    add_source(ws, cases_dir, "case-files")
    _index_and_read(ws)
    doc = _doc(ws, "letter.pdf")
    read_at = [r[0] for r in ws.db.conn.execute("SELECT read_at FROM ocr_pages")]
    from evidence_app.core.index.indexer import retry

    ws.db.conn.execute("UPDATE documents SET status = 'damaged' WHERE id = ?", [doc.id])
    assert retry(ws) == 1  # read again by the fast pass: same bytes, same SHA-256
    _, run = _index_and_read(ws)
    assert run.pages_total == 0
    assert [r[0] for r in ws.db.conn.execute("SELECT read_at FROM ocr_pages")] == read_at
    assert _page_of(ws, "Marchbank") == ("letter.pdf", 2)
    assert _doc(ws, "letter.pdf").status == "ok"


def test_a_changed_scan_is_read_again(ws, cases_dir):
    import os

    path = cases_dir / "letter.pdf"
    path.write_bytes(write_scanned_pages([["First version Wexcombe"]], "scan", seed="9"))
    add_source(ws, cases_dir, "case-files")
    _index_and_read(ws)
    assert search(ws, "Wexcombe").hits
    path.write_bytes(write_scanned_pages([["Second version Pendleford"]], "scan", seed="9"))
    os.utime(path, (2_000_000_000, 2_000_000_000))
    _index_and_read(ws)
    assert search(ws, "Pendleford").hits and not search(ws, "Wexcombe").hits


def test_very_low_confidence_pages_are_listed_as_scan_hard_to_read(ws, cases_dir):
    (cases_dir / "smudged.pdf").write_bytes(write_scanned_pages(LETTER, "scan", seed="10"))
    add_source(ws, cases_dir, "case-files")
    _index_and_read(ws)
    doc = _doc(ws, "smudged.pdf")
    assert store.hard_to_read(ws.db.conn) == []
    # what the engine reports for a smudged page (a real low reading is tested in the bench)
    ws.db.conn.execute("UPDATE ocr_pages SET confidence = 31 WHERE page = 2")
    store.update_reason(ws.db.conn, doc.id, True)
    (hard,) = store.hard_to_read(ws.db.conn)
    assert hard.document_id == doc.id and hard.pages == ((2, 31.0),)
    assert "Scan hard to read on page 2" in _doc(ws, "smudged.pdf").reason


def _png(jpeg: bytes) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, "PNG")
    return out.getvalue()
