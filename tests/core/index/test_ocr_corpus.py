"""The shared real-world corpus's PDFs whose pages are pictures (issue 16): after the OCR pass
each such page has text or a clear reason, and nothing raises. Skips when the corpus is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.core.index.indexer import Indexer
from evidence_app.core.index.ocr import requests
from evidence_app.core.index.sources import add_source
from evidence_app.core.store.document_reads import documents

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
# PDFs with pages that are pictures (found by the fast pass; see the README's OCR section)
SCANNED = ["pdfjs/scan-bad.pdf", "pdfminer/encrypted_doc_no_id.pdf",
           "pypdf-samples/imagemagick-images.pdf", "qpdf/issue-117.pdf"]

pytestmark = pytest.mark.skipif(not all((CORPUS / p).exists() for p in SCANNED),
                                reason="the shared corpus is not here")


@pytest.mark.slow
def test_image_only_pdfs_of_the_corpus_get_text_or_a_clear_reason(ws):
    # the corpus folders are sources, read in place (the app never writes to a source)
    for sub in sorted({rel.split("/")[0] for rel in SCANNED}):
        add_source(ws, CORPUS / sub, "other")
    with Indexer(ws) as indexer:
        indexer.run()
        run = indexer.read_scans()
    assert run.pages_total >= 9
    docs = {d.rel_path: d for d in documents(ws.db)}
    for rel in SCANNED:
        doc = docs[rel.split("/", 1)[1]]
        described = requests.describe(ws, doc.id)
        assert described is not None, rel
        for page in described.pages:
            assert page.state in ("done", "failed"), (rel, page)
            if page.state == "failed":
                assert page.reason and "Traceback" not in page.reason, (rel, page)
        assert "OCR" in doc.reason, (rel, doc.reason)
        if any(p.state == "done" and p.words for p in described.pages):
            assert doc.status == "ok", (rel, doc.status, doc.reason)
