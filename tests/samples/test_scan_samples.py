"""The sample generator's scanned-looking documents (issue 16): image-only PDFs, photographed
letters and faxes, with no text layer at all, become searchable after the OCR pass."""
from __future__ import annotations

from pathlib import Path

import pytest

from evidence_app.core.index.indexer import Indexer
from evidence_app.core.index.sources import add_source
from evidence_app.core.search.search import search
from evidence_app.core.store.document_reads import documents
from evidence_app.samples import generate_corpus
from evidence_app.samples.writers.scan import write_scanned_pages


def test_scan_styles_are_pictures_only_and_the_same_seed_gives_the_same_bytes():
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    pages = [["Letter about Quillfeather"], ["Second page"]]
    pdf = write_scanned_pages(pages, "scan", seed="s")
    assert pdf == write_scanned_pages(pages, "scan", seed="s")
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 2 and all(not doc[i].get_textpage().get_text_range().strip()
                                 for i in range(2))
    assert Image.open(io.BytesIO(write_scanned_pages(pages, "photo", seed="s"))).format == "JPEG"
    fax = Image.open(io.BytesIO(write_scanned_pages(pages, "fax", seed="s")))
    assert (fax.format, fax.n_frames) == ("TIFF", 2)
    with pytest.raises(ValueError):
        write_scanned_pages(pages, "polaroid")


@pytest.mark.slow
def test_generated_scans_photos_and_faxes_become_searchable(ws, tmp_path):
    info = generate_corpus(tmp_path / "corpus", 4, seed=2, formats="scan,jpg,tif", cases=1)
    kinds = {Path(d.path).suffix for d in info.documents}
    assert kinds == {".pdf", ".jpg", ".tif"}
    add_source(ws, info.root / "case-files", "case-files")
    with Indexer(ws) as indexer:
        indexer.run()
        assert not search(ws, "FICTIONAL").hits  # no text layer: nothing before OCR
        run = indexer.read_scans()
    assert run.pages_read >= 4 and not run.pages_failed
    found = {h.name for h in search(ws, "FICTIONAL", limit=50).hits}
    docs = documents(ws.db)
    assert {d.name for d in docs} == found
    assert all(d.status == "ok" and "read by OCR" in d.reason for d in docs)
    ref = info.cases[0]
    assert search(ws, f'"{ref}"').hits  # the case reference printed on each page reads back
