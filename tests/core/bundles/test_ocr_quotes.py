"""Evidence tagged in text that OCR read from a scan is anchored like any passage, and the
bundle says under the quote that it came from a scanned page read by OCR (issue 16)."""
from __future__ import annotations

import zipfile

from evidence_app.core import settings
from evidence_app.core.bundles import bundles
from evidence_app.core.bundles.bundle_data import export_bundle
from evidence_app.core.evidence import evidence
from evidence_app.core.index.indexer import Indexer
from evidence_app.core.index.sources import add_source
from evidence_app.core.search.search import search
from evidence_app.samples.writers.scan import write_scanned_pages
from tests.factories import write_docx


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_a_quote_from_ocr_text_is_anchored_and_marked_in_the_bundle(ws, cases_dir, tmp_path):
    settings.set_author(ws, "Priya Shah")
    (cases_dir / "CH-000321").mkdir()
    (cases_dir / "CH-000321" / "consent form.pdf").write_bytes(write_scanned_pages(
        [["Consent form"], ["The mother agreed to the Pendleford assessment"]], "scan",
        seed="q"))
    write_docx(cases_dir / "CH-000321" / "plan.docx", ["The typed plan says the Wexcombe visit "
                                                      "went well."])
    add_source(ws, cases_dir, "case-files")
    with Indexer(ws) as indexer:
        indexer.run()
        indexer.read_scans()
    scan_hit = search(ws, "Pendleford").hits[0]
    typed_hit = search(ws, "Wexcombe").hits[0]
    scanned = evidence.tag(ws, scan_hit.document_id, enquiries=["LEAD-01"],
                           quote="agreed to the Pendleford assessment").value
    typed = evidence.tag(ws, typed_hit.document_id, enquiries=["LEAD-01"],
                         quote="the Wexcombe visit went well").value
    assert scanned.anchor == "anchored" and scanned.page == 2
    assert typed.anchor == "anchored"
    b = bundles.create_bundle(ws, "Consent", enquiries=["LEAD-01"]).value
    out = tmp_path / "bundle.docx"
    export_bundle(ws, b.id, out)
    xml = _docx_text(out)
    assert "Quoted from a scanned page read by OCR (average confidence" in xml
    assert xml.count("read by OCR") == 1  # only under the scanned quote, not the typed one
    quote_at, note_at = xml.index("agreed to the Pendleford assessment"), xml.index("read by OCR")
    assert quote_at < note_at < quote_at + 2000  # right under the scanned quote
