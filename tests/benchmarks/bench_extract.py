"""Extraction speed per typical file (docx, pdf, xlsx, txt), in process: the indexer's budget is a few ms.

A benchmark, not a timed test: a loaded CI machine must not fail the suite, so figures are printed.
Run: python tests/benchmarks/bench_extract.py
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from evidence_app.core.index.extractors import OK, extract_bytes  # noqa: E402
from tests.core.index.test_extractors import make_docx, make_pdf  # noqa: E402


def main() -> None:
    import openpyxl

    tmp = Path(tempfile.mkdtemp())
    docx_bytes = make_docx(tmp / "ten.docx", pages=10).read_bytes()
    pdf_bytes = make_pdf([("Line of case recording text " * 3 + "\n") * 40] * 10)
    wb = openpyxl.Workbook()
    for r in range(400):
        wb.active.append([f"Child {r}", r, "Seen and spoken to alone", r * 1.5])
    buf = io.BytesIO()
    wb.save(buf)
    txt = ("Case note paragraph with several words in it.\n\n" * 600).encode()
    for name, data in (("a.docx", docx_bytes), ("a.pdf", pdf_bytes), ("a.xlsx", buf.getvalue()),
                       ("a.txt", txt)):
        assert extract_bytes(data, name).status == OK  # warm up imports
        start = time.perf_counter()
        for _ in range(20):
            extract_bytes(data, name)
        ms = (time.perf_counter() - start) / 20 * 1000
        print(f"{name:8} {ms:7.2f} ms per file (10-page docx/pdf, 400-row sheet, 600-paragraph txt)")


if __name__ == "__main__":
    main()
