"""A PDF whose title has a dash ("Strategy meeting record – CH-004512") keeps it: the sample
writer stores non-ASCII titles as UTF-16 (as Word does), and extraction reads them back whole."""
from __future__ import annotations

from evidence_app.core.index.extractors.pdf import extract_pdf
from evidence_app.core.index.extractors.base import Limits


def test_generated_pdf_title_keeps_its_dash(tmp_path):
    from evidence_app.samples import generate_corpus

    info = generate_corpus(tmp_path / "c", 30, seed=1, formats="pdf")
    pdfs = [d for d in info.documents if d.path.endswith(".pdf") and d.case_ref]
    assert pdfs
    for d in pdfs[:5]:
        data = (info.root / d.path).read_bytes()
        got = extract_pdf(data, d.path, Limits(), 0)
        assert "?" not in (got.title or ""), got.title
        assert "–" in got.title and d.case_ref in got.title
