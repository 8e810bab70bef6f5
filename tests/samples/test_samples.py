"""The fictional sample corpus: deterministic, readable by the real libraries, shaped as specified.

Everything here writes real files and reads them back with the real readers (python-docx,
openpyxl, pypdfium2, odfpy, striprtf, email, csv, lxml); nothing is mocked.
"""
from __future__ import annotations

import codecs
import csv
import email
import email.policy
import hashlib
import io
import os
import re
import statistics
import time
import zipfile
from pathlib import Path

import pytest

from evidence_app.samples import (
    DEFAULT_MIX, FICTIONAL_LINE, FORMATS, MANIFEST_NAME, generate_corpus, modify_some,
)

NHS_RE = re.compile(r"\b999 \d{3} \d{4}\b")
PHONE_RE = re.compile(r"\b(?:01632 960\d{3}|07700 900\d{3})\b")
POSTCODE_RE = re.compile(r"\bZZ99 \d[A-Z]{2}\b")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w.-]+\.[a-z]{2,}")


# ---------------------------------------------------------------------------------------------
# Readers: one real reader per format, returning the document's text (and page texts for PDF)


def _decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_docx(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def read_pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        pdf.close()


def read_xlsx(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True)
    try:
        cells = []
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += [str(v) for v in row if v is not None]
        return "\n".join(cells)
    finally:
        wb.close()


def read_odt(path: Path) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import H, P

    doc = load(str(path))
    return "\n".join(teletype.extractText(e) for tag in (H, P) for e in doc.getElementsByType(tag))


def read_rtf(path: Path) -> str:
    from striprtf.striprtf import rtf_to_text

    return rtf_to_text(path.read_bytes().decode("ascii"))


def read_eml(path: Path) -> str:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = [str(msg["Subject"]), msg.get_body(preferencelist=("plain",)).get_content()]
    for att in msg.iter_attachments():
        data = att.get_content()
        if att.get_content_type() == "application/pdf":
            assert data.startswith(b"%PDF-")
        else:
            parts.append(data if isinstance(data, str) else _decode_text(data))
    return "\n".join(parts)


def read_html(path: Path) -> str:
    import lxml.html

    return lxml.html.fromstring(path.read_bytes()).text_content()


def read_csv(path: Path) -> str:
    rows = list(csv.reader(io.StringIO(_decode_text(path.read_bytes()))))
    assert rows and len(rows) > 4
    return "\n".join(",".join(r) for r in rows)


def read_plain(path: Path) -> str:
    return _decode_text(path.read_bytes())


def read_doc(path: Path) -> str:
    """catdoc where installed (an independent reader); else the app's own .doc reader."""
    import shutil
    import subprocess

    if shutil.which("catdoc"):
        return subprocess.run(["catdoc", "-d", "utf-8", str(path)], capture_output=True,
                              text=True, check=True).stdout
    from evidence_app.core.index.extractors.word97 import extract_doc
    from evidence_app.core.index.extractors.base import Limits

    return "\n".join(s.text for s in extract_doc(path.read_bytes(), path.name, Limits(), 0).sections)


def read_xls(path: Path) -> str:
    import xlrd

    book = xlrd.open_workbook(str(path))
    return "\n".join(" ".join(str(c.value) for c in sheet.row(r))
                     for sheet in book.sheets() for r in range(sheet.nrows))


def read_pptx(path: Path) -> str:
    from pptx import Presentation

    return "\n".join(shape.text_frame.text for slide in Presentation(str(path)).slides
                     for shape in slide.shapes if shape.has_text_frame)


READERS = {
    "doc": read_doc, "xls": read_xls, "pptx": read_pptx,
    "docx": read_docx, "pdf": lambda p: "\n".join(read_pdf_pages(p)), "xlsx": read_xlsx,
    "odt": read_odt, "rtf": read_rtf, "eml": read_eml, "html": read_html, "csv": read_csv,
    "md": read_plain, "txt": read_plain,
}


def _hashes(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(root).as_posix()] = (hashlib.sha256(p.read_bytes()).hexdigest(),
                                                   int(st.st_mtime))
    return out


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def corpus60(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("c60") / "corpus", 60, seed=7)


@pytest.fixture(scope="module")
def corpus400(tmp_path_factory):
    return generate_corpus(tmp_path_factory.mktemp("c400") / "corpus", 400, seed=11)


# ---------------------------------------------------------------------------------------------
# Determinism


def test_same_seed_gives_byte_identical_files_and_mtimes(corpus60, tmp_path):
    again = generate_corpus(tmp_path / "again", 60, seed=7)
    assert again.documents == corpus60.documents
    a, b = _hashes(corpus60.root), _hashes(again.root)
    assert len(a) == 61  # 60 documents + the manifest
    assert a == b


def test_worker_processes_do_not_change_the_output(corpus60, tmp_path):
    parallel = generate_corpus(tmp_path / "par", 60, seed=7, workers=2)
    # 60 documents is below the parallel threshold; force a real multi-process run as well.
    big1 = generate_corpus(tmp_path / "b1", 240, seed=5, formats=["docx", "pdf", "eml"])
    big2 = generate_corpus(tmp_path / "b2", 240, seed=5, formats=["docx", "pdf", "eml"], workers=2)
    assert _hashes(parallel.root) == _hashes(corpus60.root)
    assert _hashes(big1.root) == _hashes(big2.root)


def test_a_different_seed_gives_a_different_corpus(corpus60, tmp_path):
    other = generate_corpus(tmp_path / "other", 60, seed=8)
    assert {d.path for d in other.documents} != {d.path for d in corpus60.documents}


# ---------------------------------------------------------------------------------------------
# Every format opens with its real reader and carries the fictional line and case reference


def test_every_document_opens_and_is_flagged_fictional(corpus60):
    # the default mix covers every format but the scanned-looking ones (asked for by name: their
    # pages are pictures, tests/samples/test_scan_samples.py)
    assert set(corpus60.counts) == set(FORMATS) - {"scan", "jpg", "tif"}
    for d in corpus60.documents:
        path = corpus60.root / d.path
        text = READERS[d.format](path)
        assert FICTIONAL_LINE in text, d.path
        if d.path.startswith("case-files/"):
            assert d.case_ref and d.path.split("/")[1] == d.case_ref
            assert d.case_ref in text, d.path
        else:
            assert d.case_ref is None


def test_docx_headings_tables_pages_and_properties(corpus60):
    import docx

    docs = [d for d in corpus60.documents if d.format == "docx"]
    assert docs
    for d in docs:
        path = corpus60.root / d.path
        document = docx.Document(str(path))
        h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        h2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
        assert h1 and h1[0] == document.core_properties.title
        assert h2
        assert document.tables and document.tables[0].rows[0].cells[0].text
        assert document.core_properties.created.year >= 2022
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        assert xml.count('<w:br w:type="page"/>') + 1 == d.pages, d.path


def test_pdf_page_texts_match_page_count(corpus60):
    docs = [d for d in corpus60.documents if d.format == "pdf"]
    assert docs
    for d in docs:
        pages = read_pdf_pages(corpus60.root / d.path)
        assert len(pages) == d.pages, d.path
        assert FICTIONAL_LINE in pages[0]
        for i, t in enumerate(pages, 1):
            assert f"Page {i} of {len(pages)}" in t
            assert len(t) > 300


def test_xlsx_opens_in_openpyxl(corpus60):
    import openpyxl

    docs = [d for d in corpus60.documents if d.format == "xlsx"]
    assert docs
    for d in docs:
        wb = openpyxl.load_workbook(str(corpus60.root / d.path))
        ws = wb.active
        assert ws.max_row > 5
        assert ws["A2"].value == FICTIONAL_LINE


def test_odt_is_a_valid_odf_zip(corpus60):
    docs = [d for d in corpus60.documents if d.format == "odt"]
    assert docs
    for d in docs:
        z = zipfile.ZipFile(corpus60.root / d.path)
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert "META-INF/manifest.xml" in z.namelist()
        assert z.testzip() is None


def test_eml_parses_with_headers_and_attachments(tmp_path):
    info = generate_corpus(tmp_path / "eml", 40, seed=3, formats=["eml"])
    with_attachments = 0
    for d in info.documents:
        msg = email.message_from_bytes((info.root / d.path).read_bytes(), policy=email.policy.default)
        assert msg["From"] and msg["To"] and msg["Date"] and msg["Message-ID"]
        assert re.search(r"@example\.(org|gov\.uk)>?$", str(msg["From"]))
        body = msg.get_body(preferencelist=("plain",)).get_content()
        assert FICTIONAL_LINE in body
        with_attachments += any(True for _ in msg.iter_attachments())
    assert 0 < with_attachments < len(info.documents)


def test_text_files_use_several_encodings(tmp_path):
    info = generate_corpus(tmp_path / "txt", 60, seed=4, formats=["txt"])
    raw = [(info.root / d.path).read_bytes() for d in info.documents]
    utf16 = [b for b in raw if b.startswith(codecs.BOM_UTF16_LE)]
    cp1252 = [b for b in raw if not b.startswith(codecs.BOM_UTF16_LE) and b"\xa3" in b
              and b"\xc2\xa3" not in b]
    assert utf16 and cp1252
    for b in cp1252:
        with pytest.raises(UnicodeDecodeError):
            b.decode("utf-8")
        text = b.decode("cp1252")
        assert "£" in text and "“" in text and FICTIONAL_LINE in text


# ---------------------------------------------------------------------------------------------
# Shape of the corpus


def test_format_mix_and_page_distribution(corpus400):
    n = len(corpus400.documents)
    assert n == 400
    total = sum(DEFAULT_MIX.values())
    for fmt, weight in DEFAULT_MIX.items():
        assert abs(corpus400.counts.get(fmt, 0) - n * weight / total) <= 1, fmt
    pages = [d.pages for d in corpus400.documents]
    assert min(pages) >= 1 and max(pages) <= 30
    small = sum(p <= 4 for p in pages) / n
    assert 0.7 <= small <= 0.92, small
    assert sum(p >= 11 for p in pages) >= 5  # a long tail
    assert 2.0 <= statistics.mean(pages) <= 6.0


def test_layout_case_references_and_names(corpus400):
    root = corpus400.root
    case_dirs = sorted(p.name for p in (root / "case-files").iterdir())
    assert set(case_dirs) == set(corpus400.cases)
    numeric = [c for c in case_dirs if c.isdigit()]
    assert all(re.fullmatch(r"CH-\d{6}", c) or re.fullmatch(r"\d{7}", c) for c in case_dirs)
    assert len(numeric) <= 0.1 * len(case_dirs)
    subfolders = {p.name for c in (root / "case-files").iterdir() for p in c.iterdir() if p.is_dir()}
    assert subfolders <= {"Assessments", "Visits", "Plans", "Meetings", "Correspondence"}
    assert {"Assessments", "Visits", "Plans", "Meetings", "Correspondence"} <= subfolders
    tops = {d.path.split("/")[0] for d in corpus400.documents}
    assert tops == {"case-files", "policies", "performance"}
    paths = [d.path for d in corpus400.documents]
    assert len(set(p.casefold() for p in paths)) == len(paths)
    assert all((root / p).is_file() for p in paths)
    names = " ".join(Path(p).name for p in paths)
    for expected in ("Home visit ", "Strategy meeting record", "Chronology", "Email from "):
        assert expected in names


def test_redaction_patterns_are_present_and_safe(corpus60):
    text = "\n".join(READERS[d.format](corpus60.root / d.path) for d in corpus60.documents)
    assert NHS_RE.search(text) and PHONE_RE.search(text) and POSTCODE_RE.search(text)
    # NHS-like numbers are all in the 999 test range.
    assert not re.search(r"\b(?!999)\d{3} \d{3} \d{4}\b", text)
    domains = {m.split("@", 1)[1] for m in EMAIL_RE.findall(text)}
    assert domains and domains <= {"example.org", "example.gov.uk"}, domains
    # Only Ofcom drama numbers.
    assert not re.search(r"\b0\d{4} \d{6}\b", PHONE_RE.sub("", text))


def test_file_mtimes_are_fixed_and_in_the_past_of_the_as_at_date(corpus60):
    import datetime as dt

    limit = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc).timestamp()
    for d in corpus60.documents:
        m = os.stat(corpus60.root / d.path).st_mtime
        assert dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc).timestamp() < m < limit


# ---------------------------------------------------------------------------------------------
# Options, modify_some and CLI


def test_formats_and_cases_arguments(tmp_path):
    info = generate_corpus(tmp_path / "a", 30, seed=1, formats=["pdf", "md"], cases=["CH-000001", "1234567"])
    assert set(info.counts) <= {"pdf", "md"} and sum(info.counts.values()) == 30
    refs = {d.case_ref for d in info.documents if d.case_ref}
    assert refs == {"CH-000001", "1234567"}
    only = generate_corpus(tmp_path / "b", 12, seed=1, formats={"csv": 1}, cases=3)
    assert only.counts == {"csv": 12}
    with pytest.raises(ValueError):
        generate_corpus(tmp_path / "c", 5, formats=["exe"])


def test_modify_some_changes_exactly_that_fraction(tmp_path):
    a = generate_corpus(tmp_path / "a", 80, seed=2)
    b = generate_corpus(tmp_path / "b", 80, seed=2)
    before = _hashes(a.root)
    changed = modify_some(a.root, 0.1, seed=9)
    assert len(changed) == 8 and all(p.is_file() for p in changed)
    after = _hashes(a.root)
    rel = {p.relative_to(a.root).as_posix() for p in changed}
    for path, (digest, mtime) in before.items():
        if path == MANIFEST_NAME:
            continue
        if path in rel:
            assert after[path][0] != digest and after[path][1] > mtime, path
        else:
            assert after[path] == (digest, mtime), path
    # Changed files still open, still flagged, and the change is deterministic.
    fmt = {d.path: d for d in a.documents}
    for p in rel:
        text = READERS[fmt[p].format](a.root / p)
        assert FICTIONAL_LINE in text
    changed_b = modify_some(b, 0.1, seed=9)
    assert [p.relative_to(b.root) for p in changed_b] == [p.relative_to(a.root) for p in changed]
    assert _hashes(a.root) == _hashes(b.root)
    # A second call is a new revision: it changes files again.
    again = modify_some(a.root, 0.1, seed=9)
    assert len(again) == 8 and _hashes(a.root) != after


def test_cli_prints_counts(tmp_path, capsys):
    from evidence_app.samples.__main__ import main

    assert main([str(tmp_path / "cli"), "--documents", "25", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "25 documents" in out and "docx" in out
    assert len([p for p in (tmp_path / "cli").rglob("*") if p.is_file()]) == 26


def test_generating_1000_documents_is_fast(tmp_path):
    t0 = time.perf_counter()
    info = generate_corpus(tmp_path / "k", 1000, seed=0)
    elapsed = time.perf_counter() - t0
    print(f"\n1,000 documents: {elapsed:.2f} s, {info.total_bytes / 1e6:.1f} MB")
    assert len(info.documents) == 1000
    assert elapsed < 30  # sanity bound, not a benchmark (target: < 15 s)
