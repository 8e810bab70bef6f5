"""Extractors on real files built here: what a user would notice (text, pages, titles, statuses,
plain reasons), and that hostile or broken files come back fast with a status, never a crash."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from evidence_app.core.index.extractors import (
    DAMAGED, EMPTY, ENCRYPTED, MISSING, OK, STATUSES, TOO_LARGE, UNSUPPORTED, Limits,
    detect_format, extract_bytes, extract_file,
)

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
TECHNICAL = re.compile(r"Error|Exception|Traceback|\bNone\b|<class|0x[0-9a-f]{4}|\.py\b")


def text_of(result) -> str:
    return "\n".join(s.text for s in result.sections)


def assert_plain(result) -> None:
    """Every result has a known status and format; a non-ok one says why, in plain words."""
    assert result.status in STATUSES
    assert result.format
    if result.status != OK:
        assert result.reason and result.reason[0].isupper() and result.reason.endswith(".")
        assert not TECHNICAL.search(result.reason), result.reason


def corpus_file(rel: str) -> Path:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"shared corpus file {rel} is not present")
    return path


# ----------------------------------------------------------------------------- file builders

def make_docx(path: Path, pages: int = 1, footnote: bool = True) -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = "Child in Need review"
    section = doc.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL-SENSITIVE header"
    section.footer.paragraphs[0].text = "Footer: Northshire Children's Services"
    doc.add_heading("Summary of concerns", level=1)
    para = doc.add_paragraph("Home visit on 3 March found the kitchen without food.")
    table = doc.add_table(rows=2, cols=3)
    for r, row in enumerate((("Name", "Role", "Agency"), ("Sam Jones", "Social worker", "LA"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if hasattr(doc, "add_comment"):
        doc.add_comment(para.runs, text="Check the date with the school.", author="T. Manager")
    for n in range(2, pages + 1):
        doc.add_page_break()
        doc.add_heading(f"Visit {n}", level=2)
        for i in range(12):
            doc.add_paragraph(f"Page {n} paragraph {i}: the worker observed the family and "
                              "recorded the child's wishes and feelings in detail. " * 2)
    doc.save(path)
    if footnote:
        _add_part(path, "word/footnotes.xml", FOOTNOTES_XML,
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
FOOTNOTES_XML = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                 '</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Footnote: source is the '
                 'health visitor.</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _add_part(path: Path, name: str, xml: str, content_type: str) -> None:
    src = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w",
                                                                    zipfile.ZIP_DEFLATED) as zo:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/{name}" '
                                    f'ContentType="{content_type}"/></Types>'.encode())
            zo.writestr(item, data)
        zo.writestr(name, xml)
    path.write_bytes(out.getvalue())


def make_zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def docx_with_body(path: Path, body_xml: str, prolog: str = "") -> Path:
    return make_zip(path, {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                               '.org/package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0"?>{prolog}<w:document {W}><w:body>{body_xml}'
                             '</w:body></w:document>',
    })


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    """A small valid PDF: one page per string (lines split on \\n), Helvetica text."""
    objs: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        lines = "".join(f"({line}) Tj T* " for line in text.split("\n")) if text else ""
        stream = f"BT /F1 12 Tf 14 TL 72 720 Td {lines}ET".encode() if text else b""
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = None
    if title:
        objs.append(f"<< /Title ({title}) >>".encode())
        info = len(objs)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = f"<< /Size {len(objs) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "")
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_odt(path: Path) -> Path:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
               '<office:body><office:text>'
               '<text:h text:outline-level="1">Chronology</text:h>'
               '<text:p>First<text:s text:c="2"/>contact<text:tab/>by phone.'
               '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
               '<text:note-body><text:p>Footnote: from the referral form.</text:p></text:note-body>'
               '</text:note></text:p>'
               '<office:annotation><dc:creator>TM</dc:creator><text:p>Annotated: confirm with '
               'police.</text:p></office:annotation>'
               '<text:soft-page-break/>'
               '<text:list><text:list-item><text:p>Strategy meeting held.</text:p></text:list-item>'
               '</text:list>'
               '<table:table table:name="T1"><table:table-row><table:table-cell><text:p>Date'
               '</text:p></table:table-cell><table:table-cell><text:p>Event</text:p>'
               '</table:table-cell></table:table-row></table:table>'
               '</office:text></office:body></office:document-content>')
    styles = (f'<?xml version="1.0"?><office:document-styles {ns}><office:master-styles>'
              '<style:master-page style:name="Standard"><style:header><text:p>Header: '
              'Confidential</text:p></style:header></style:master-page></office:master-styles>'
              '</office:document-styles>')
    meta = (f'<?xml version="1.0"?><office:document-meta {ns}><office:meta>'
            '<dc:title>Family chronology</dc:title></office:meta></office:document-meta>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for name, data in (("content.xml", content), ("styles.xml", styles), ("meta.xml", meta),
                           ("META-INF/manifest.xml", "<manifest/>")):
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)
    return path


def make_ods(path: Path) -> Path:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
    content = (f'<?xml version="1.0"?><office:document-content {ns}><office:body>'
               '<office:spreadsheet><table:table table:name="Visits"><table:table-row>'
               '<table:table-cell><text:p>Child</text:p></table:table-cell><table:table-cell>'
               '<text:p>Visits</text:p></table:table-cell></table:table-row><table:table-row>'
               '<table:table-cell><text:p>A.B.</text:p></table:table-cell><table:table-cell '
               'office:value-type="float" office:value="12"><text:p>12</text:p>'
               '</table:table-cell><table:table-cell table:number-columns-repeated="16000"/>'
               '</table:table-row><table:table-row table:number-rows-repeated="1048000">'
               '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


# ----------------------------------------------------------------------------- Word

def test_docx_text_table_header_footer_footnote_comment_and_title(tmp_path):
    r = extract_file(make_docx(tmp_path / "review.docx"))
    assert_plain(r)
    assert (r.status, r.format) == (OK, "docx")
    text = text_of(r)
    assert "Home visit on 3 March found the kitchen without food." in text
    assert "Name | Role | Agency" in text and "Sam Jones | Social worker | LA" in text
    assert "OFFICIAL-SENSITIVE header" in text and "Northshire Children's Services" in text
    assert "Footnote: source is the health visitor." in text
    if "Check the date" not in text:
        pytest.skip("this python-docx cannot add comments")
    assert "Comment by T. Manager: Check the date with the school." in text
    assert r.title == "Child in Need review"
    assert r.sections[0].heading == "Summary of concerns"


def test_docx_page_breaks_give_exact_page_numbers(tmp_path):
    r = extract_file(make_docx(tmp_path / "long.docx", pages=4))
    assert r.status == OK and r.pages == 4
    body = [s for s in r.sections if s.page is not None]
    for n in range(2, 5):
        pages = {s.page for s in body if f"Page {n} paragraph" in s.text}
        assert pages == {n}, (n, pages)
    assert {s.heading for s in body if s.page == 3} == {"Visit 3"}
    assert all(len(s.text) < 7000 for s in r.sections)


def test_docx_title_falls_back_to_first_heading_and_rendered_page_breaks(tmp_path):
    body = ('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Assessment</w:t></w:r>'
            '</w:p><w:p><w:r><w:t>Before the break.</w:t></w:r></w:p>'
            '<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:lastRenderedPageBreak/>'
            '<w:t>After the break.</w:t></w:r></w:p>')
    r = extract_file(docx_with_body(tmp_path / "a.docx", body))
    assert r.status == OK and r.title == "Assessment" and r.pages == 2
    page_of = {line: s.page for s in r.sections for line in s.text.split("\n")}
    assert page_of["Before the break."] == 1 and page_of["After the break."] == 2


def test_docx_without_text_is_empty(tmp_path):
    r = extract_file(docx_with_body(tmp_path / "blank.docx", "<w:p/>"))
    assert r.status == EMPTY and "no text" in r.reason


def test_truncated_docx_is_damaged(tmp_path):
    whole = make_docx(tmp_path / "whole.docx").read_bytes()
    for cut in (len(whole) // 2, 100, 30):
        r = extract_bytes(whole[:cut], "cut.docx")
        assert_plain(r)
        assert r.status == DAMAGED and r.format == "docx", cut
        assert "damaged" in r.reason


def test_docx_zip_bomb_is_too_large_quickly(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            zeros = b"\0" * (1 << 24)
            for _ in range(32):  # 512 MB of zeros, about 0.5 MB packed
                f.write(zeros)
    start = time.perf_counter()
    r = extract_file(path)
    assert time.perf_counter() - start < 2
    assert r.status == TOO_LARGE and r.reason.startswith("The file looks like a zip bomb")
    assert_plain(r)


def test_billion_laughs_docx_does_not_expand(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    prolog = f'<!DOCTYPE w:document [<!ENTITY l0 "lol">{lol}]>'
    path = docx_with_body(tmp_path / "lol.docx", "<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>", prolog)
    start = time.perf_counter()
    r = extract_file(path)
    assert time.perf_counter() - start < 2
    assert r.status in (DAMAGED, OK) and r.chars < 1000
    assert_plain(r)


def test_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    r = extract_file(docx_with_body(tmp_path / "xxe.docx", "<w:p><w:r><w:t>&xxe;</w:t></w:r>"
                                    "</w:p>", prolog))
    assert "TOP SECRET" not in text_of(r)
    assert_plain(r)


def test_encrypted_docx_is_reported_as_password_protected(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = make_docx(tmp_path / "plain.docx", footnote=False)
    out = io.BytesIO()
    with plain.open("rb") as f:
        OOXMLFile(f).encrypt("secret", out)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(out.getvalue())
    r = extract_file(locked)
    assert (r.status, r.format, r.reason) == (ENCRYPTED, "docx", "The file is password-protected.")
    nameless = extract_bytes(out.getvalue(), "locked")  # no suffix: still encrypted
    assert nameless.status == ENCRYPTED


# ----------------------------------------------------------------------------- PDF

def test_pdf_one_section_per_page_with_title(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(["Referral received\nfrom school", "Outcome: Section 47"],
                              title="Strategy discussion"))
    r = extract_file(path)
    assert_plain(r)
    assert (r.status, r.format, r.pages, r.title) == (OK, "pdf", 2, "Strategy discussion")
    assert [s.page for s in r.sections] == [1, 2]
    assert "Referral received" in r.sections[0].text and "from school" in r.sections[0].text
    assert "Outcome: Section 47" in r.sections[1].text


def test_pdf_page_cap_indexes_first_pages_and_says_so(tmp_path):
    r = extract_bytes(make_pdf([f"Page {n} text" for n in range(1, 6)]), "big.pdf",
                      Limits(max_pages=2))
    assert r.status == OK and r.pages == 5
    assert [s.page for s in r.sections] == [1, 2]
    assert "first 2 of 5 pages" in r.reason


def test_pdf_without_text_layer_is_empty():
    r = extract_bytes(make_pdf(["", ""]), "scan.pdf")
    assert r.status == EMPTY and "no text layer" in r.reason and r.pages == 2


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"%PDF", b"garbage"])
def test_broken_pdf_is_damaged(data):
    r = extract_bytes(data, "broken.pdf")
    assert_plain(r)
    assert r.status == DAMAGED and r.format == "pdf" and r.reason.startswith("The PDF is damaged")


def test_password_pdf_is_encrypted_but_owner_only_pdf_is_read():
    r = extract_file(corpus_file("pdfjs/issue6010_1.pdf"))
    assert (r.status, r.reason) == (ENCRYPTED, "The file is password-protected.")
    owner_only = extract_file(corpus_file("qpdf/enc-R2,V1.pdf"))  # RC4, empty user password
    assert owner_only.status == OK and owner_only.chars > 0


# ----------------------------------------------------------------------------- spreadsheets

def test_xlsx_sheets_become_sections_with_values(tmp_path):
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Caseload"
    ws.append(["Worker", "Cases", "Visited"])
    ws.append(["A. Khan", 17, datetime.date(2024, 3, 12)])
    ws.append(["B. Lee", 3.5, True])
    wb.create_sheet("Empty")
    wb.create_sheet("Notes")["B2"] = "Audit due in May"
    wb.properties.title = "Team caseloads"
    path = tmp_path / "caseload.xlsx"
    wb.save(path)
    r = extract_file(path)
    assert_plain(r)
    assert (r.status, r.format, r.title) == (OK, "xlsx", "Team caseloads")
    assert [s.heading for s in r.sections] == ["Caseload", "Notes"]
    text = r.sections[0].text
    assert "Worker | Cases | Visited" in text
    assert "A. Khan | 17 | 12/03/2024" in text and "B. Lee | 3.5 | TRUE" in text
    assert "Audit due in May" in r.sections[1].text


def test_xlsx_inline_strings(tmp_path):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    path = make_zip(tmp_path / "inline.xlsx", {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook {ns} {rel}><sheets><sheet name="Log" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
                                      'package/2006/relationships"><Relationship Id="rId1" Type="'
                                      'x" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}><sheetData><row r="1"><c r="A1" '
                                    't="inlineStr"><is><t>Inline entry</t></is></c><c r="B1" '
                                    't="str"><v>formula text</v></c></row></sheetData></worksheet>',
    })
    r = extract_file(path)
    assert r.status == OK and r.sections[0].heading == "Log"
    assert "Inline entry | formula text" in r.sections[0].text


def test_odt_text_headings_notes_annotations_header_and_pages(tmp_path):
    r = extract_file(make_odt(tmp_path / "chronology.odt"))
    assert_plain(r)
    assert (r.status, r.format, r.title, r.pages) == (OK, "odt", "Family chronology", 2)
    text = text_of(r)
    assert "First  contact\tby phone." in text
    for expected in ("Strategy meeting held.", "Date | Event", "Footnote: from the referral form.",
                     "Annotated: confirm with police.", "Header: Confidential"):
        assert expected in text
    assert r.sections[0].heading == "Chronology" and r.sections[0].page == 1
    assert any(s.page == 2 and "Strategy meeting" in s.text for s in r.sections)
    assert "1Footnote" not in text and "First  contact\tby phone.TM" not in text


def test_ods_sheet_with_huge_repeats_is_quick(tmp_path):
    start = time.perf_counter()
    r = extract_file(make_ods(tmp_path / "visits.ods"))
    assert time.perf_counter() - start < 1
    assert (r.status, r.format) == (OK, "ods")
    assert r.sections[0].heading == "Visits"
    assert "Child | Visits" in r.sections[0].text and "A.B. | 12" in r.sections[0].text


def test_encrypted_odt_is_encrypted(tmp_path):
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                '<manifest:encryption-data/></manifest:file-entry></manifest:manifest>')
    locked = make_zip(tmp_path / "locked.odt", {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": b"\x8f\x00 encrypted bytes",
        "META-INF/manifest.xml": manifest})
    r = extract_file(locked)
    assert (r.status, r.format, r.reason) == (ENCRYPTED, "odt", "The file is password-protected.")


# ----------------------------------------------------------------------------- text formats

def test_cp1252_text_decodes_pounds_quotes_and_accents(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes("Payment of £250 agreed with “Mum” for the café.\n".encode("cp1252"))
    r = extract_file(path)
    assert r.status == OK and "Payment of £250 agreed with “Mum” for the café." in text_of(r)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_text_with_bom(tmp_path, encoding):
    data = "Zoë’s plan – £30 ✓".encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    r = extract_file(path)
    assert r.status == OK and text_of(r) == "Zoë’s plan – £30 ✓"


def test_long_text_is_cut_into_sections_at_blank_lines(tmp_path):
    paras = [f"Paragraph {i}. " + "words " * 80 for i in range(40)]
    path = tmp_path / "notes.txt"
    path.write_text("\n\n".join(paras), encoding="utf-8")
    r = extract_file(path)
    assert len(r.sections) > 5 and all(len(s.text) <= 3000 for s in r.sections)
    assert all(s.text.startswith("Paragraph") for s in r.sections)  # never mid-paragraph


def test_markdown_headings_become_section_headings(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("# Neglect policy\n\nIntro text.\n\n## Thresholds\n\nLevel 3 means "
                    "referral.\n", encoding="utf-8")
    r = extract_file(path)
    assert (r.format, r.title) == ("md", "Neglect policy")
    assert [(s.heading, "referral" in s.text) for s in r.sections] == [
        ("Neglect policy", False), ("Thresholds", True)]


def test_csv_rows_become_lines_with_header_kept(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text('Child,Date,Note\nA,2024-01-02,"Seen, well"\nB,2024-01-05,Not home\n')
    r = extract_file(path)
    assert r.format == "csv"
    assert text_of(r).split("\n") == ["Child | Date | Note", "A | 2024-01-02 | Seen, well",
                                      "B | 2024-01-05 | Not home"]


def test_html_drops_scripts_and_keeps_blocks(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(b"<html><head><title>Local offer</title><style>p{color:red}</style>"
                     b"<script>alert('x')</script></head><body><h1>Support</h1><p>Early "
                     b"<b>help</b> team.</p><ul><li>One</li><li>Two</li></ul></body></html>")
    r = extract_file(path)
    assert (r.status, r.format, r.title) == (OK, "html", "Local offer")
    assert text_of(r) == "Support\nEarly help team.\nOne\nTwo"
    assert r.sections[0].heading == "Support"


def test_rtf_text_and_bad_rtf(tmp_path):
    path = tmp_path / "note.rtf"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252{\info{\title Visit note}}{\fonttbl{\f0 Arial;}}"
                     rb"\f0 Child seen alone \'a3 5 caf\'e9.\par Next visit \u8220?soon\u8221?.}")
    r = extract_file(path)
    assert (r.status, r.format, r.title) == (OK, "rtf", "Visit note")
    assert "Child seen alone £ 5 café." in text_of(r) and "“soon”" in text_of(r)
    bad = extract_bytes(b"not rtf at all", "note.rtf")
    assert bad.status == DAMAGED and "does not start like an RTF file" in bad.reason


# ----------------------------------------------------------------------------- email

def _email(subject: str, body: str, attachments=()) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Duty Team <duty@example.gov.uk>"
    msg["To"] = "sw@example.gov.uk"
    msg["Date"] = "Mon, 04 Mar 2024 10:00:00 +0000"
    msg["Subject"] = subject
    msg.set_content(body)
    for name, data, maintype, subtype in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def test_eml_headers_body_and_attachments_as_children(tmp_path):
    docx_bytes = make_docx(tmp_path / "att.docx", footnote=False).read_bytes()
    data = _email("Referral: child A", "Please see the attached assessment.", [
        ("assessment.docx", docx_bytes, "application",
         "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "image", "png")])
    path = tmp_path / "referral.eml"
    path.write_bytes(data)
    r = extract_file(path)
    assert_plain(r)
    assert (r.status, r.format, r.title) == (OK, "eml", "Referral: child A")
    text = text_of(r)
    for expected in ("From: Duty Team <duty@example.gov.uk>", "To: sw@example.gov.uk",
                     "Subject: Referral: child A", "Please see the attached assessment."):
        assert expected in text
    kids = dict(r.children)
    assert kids["assessment.docx"].status == OK and "Sam Jones" in text_of(kids["assessment.docx"])
    assert kids["photo.png"].status == EMPTY
    assert kids["photo.png"].reason == "image: no text layer"


def test_eml_without_extension_and_html_only_body():
    msg = EmailMessage()
    msg["Return-Path"] = "<x@example.org>"
    msg["From"] = "x@example.org"
    msg["Subject"] = "Minutes"
    msg.set_content("<html><body><p>Minutes of the <i>core group</i></p></body></html>",
                    subtype="html")
    data = msg.as_bytes()
    assert detect_format(data, "saved-mail") == "eml"
    r = extract_bytes(data, "saved-mail")
    assert r.format == "eml" and "Minutes of the core group" in text_of(r)


def test_attachment_depth_is_limited():
    inner = _email("Inner", "innermost text")
    middle = _email("Middle", "middle text", [("inner.eml", inner, "application", "octet-stream")])
    outer = _email("Outer", "outer text", [("middle.eml", middle, "application", "octet-stream")])
    r = extract_bytes(outer, "outer.eml", Limits(max_attachment_depth=1))
    middle_result = dict(r.children)["middle.eml"]
    assert "middle text" in text_of(middle_result)
    deepest = dict(middle_result.children)["inner.eml"]
    assert deepest.status == UNSUPPORTED and "nested more than 1 levels" in deepest.reason


def test_mbox_messages_become_sections(tmp_path):
    mbox = b"".join(b"From x@example.org Mon Mar  4 10:00:00 2024\n" + _email(f"Note {i}",
                                                                              f"body {i}")
                    for i in range(3))
    r = extract_bytes(mbox, "archive.mbox")
    assert r.status == OK and [s.heading for s in r.sections] == ["Note 0", "Note 1", "Note 2"]


def test_garbage_mail_is_damaged():
    r = extract_bytes(b"\x01\x02 just binary noise without headers", "x.eml")
    assert_plain(r)
    assert r.status == DAMAGED


def test_outlook_msg_with_attachments_and_no_extension(tmp_path):
    data = corpus_file("tika/testMSG_att_msg.msg").read_bytes()
    assert detect_format(data, "message") == "msg"
    r = extract_bytes(data, "message")
    assert (r.status, r.format, r.title) == (OK, "msg", "test email")
    assert "Subject: test email" in text_of(r)
    kinds = {name: (c.format, c.status) for name, c in r.children}
    assert ("pdf", OK) in kinds.values() and ("msg", OK) in kinds.values()


def test_damaged_msg_is_damaged():
    from evidence_app.core.index.extractors.detect import OLE_MAGIC

    r = extract_bytes(OLE_MAGIC + b"\0" * 600, "broken.msg")
    assert_plain(r)
    assert (r.status, r.format) == (DAMAGED, "msg")


# ----------------------------------------------------------------------------- other formats

def _ole_with(stream_name: str) -> bytes:
    """Just enough of an OLE2 file for its directory names to be seen (no real streams)."""
    from evidence_app.core.index.extractors.detect import OLE_MAGIC

    return OLE_MAGIC + b"\0" * 504 + stream_name.encode("utf-16-le") + b"\0" * 400


@pytest.mark.parametrize("stream,name,fmt", [
    ("WordDocument", "old.doc", "doc"),
    ("Workbook", "old.xls", "xls"),
    ("PowerPoint Document", "old.ppt", "ppt"),
])
def test_legacy_office_with_a_broken_container_is_damaged(stream, name, fmt):
    data = _ole_with(stream)
    assert detect_format(data, "no-extension") == fmt
    r = extract_bytes(data, name)
    assert (r.status, r.format) == (DAMAGED, fmt) and "damaged" in r.reason
    assert_plain(r)


def test_legacy_encrypted_is_encrypted():
    r = extract_file(corpus_file("poi/password.xls"))
    assert (r.status, r.format) == (ENCRYPTED, "xls")


def test_plain_zip_unsupported_and_encrypted_zip_encrypted(tmp_path):
    path = make_zip(tmp_path / "bundle.zip", {"a.txt": "hello", "b.txt": "world"})
    r = extract_file(path)
    assert (r.status, r.format) == (UNSUPPORTED, "zip") and "name is still searchable" in r.reason
    data = bytearray(path.read_bytes())
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" bit
        pos = data.find(sig)
        while pos >= 0:
            data[pos + flag_at] |= 1
            pos = data.find(sig, pos + 4)
    locked = extract_bytes(bytes(data), "bundle.zip")
    assert (locked.status, locked.format) == (ENCRYPTED, "zip")


def test_unknown_binary_is_unsupported():
    r = extract_bytes(b"\x00\x01\x02binary" + bytes(range(256)) * 4, "blob.dat")
    assert (r.status, r.format) == (UNSUPPORTED, "unknown") and "Files of type .dat" in r.reason
    assert_plain(r)


@pytest.mark.parametrize("head,name,fmt", [
    (b"%PDF-1.7\n", "scan.txt", "pdf"),
    (b"Received: from mx\r\nFrom: a@b\r\n\r\nhi", "no_extension", "eml"),
    (b"MIME-Version: 1.0\nSubject: x\n\nbody", "", "eml"),
    (b"Return-Path: <a@b>\n", "mail_file", "eml"),
    (b"{\\rtf1\\ansi hello}", "letter.doc", "rtf"),
    (b"<!DOCTYPE html><html><p>x</p></html>", "page", "html"),
    (b"plain words\n", "README", "txt"),
    (b"a,b\n1,2\n", "data.CSV", "csv"),
    (b"\x00\x01\x02\x03binary", "blob", "unknown"),
    (b"", "empty.docx", "docx"),
])
def test_detect_format_magic_first_then_suffix(head, name, fmt):
    assert detect_format(head, name) == fmt


def test_detect_format_zip_kinds(tmp_path):
    docx_bytes = make_docx(tmp_path / "d.docx", footnote=False).read_bytes()
    assert detect_format(docx_bytes, "renamed.zip") == "docx"
    assert detect_format(docx_bytes[:4096], "no_suffix") == "docx"  # local headers only
    assert detect_format(make_odt(tmp_path / "o.odt").read_bytes(), "x") == "odt"
    assert detect_format(make_ods(tmp_path / "o.ods").read_bytes()[:200], "x") == "ods"
    assert detect_format(make_zip(tmp_path / "z", {"a": "b"}).read_bytes(), "z") == "zip"


def test_too_large_is_decided_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    path.write_bytes(make_pdf(["x"]) + b"\0" * 5000)
    r = extract_file(path, Limits(max_file_bytes=1000))
    assert (r.status, r.format) == (TOO_LARGE, "pdf")
    assert "too large" in r.reason and "name is still searchable" in r.reason
    assert extract_bytes(b"x" * 2000, "a.txt", Limits(max_file_bytes=1000)).status == TOO_LARGE


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    r = extract_file(empty)
    assert (r.status, r.format) == (EMPTY, "docx") and r.reason
    gone = extract_file(tmp_path / "gone.pdf")
    assert gone.status == MISSING and gone.format


def test_text_budget_stops_collecting(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 10_000)
    r = extract_file(path, Limits(max_text_chars=1000))
    assert r.status == OK and r.chars == 1000 and "first 1,000 characters" in r.reason


def test_importing_the_package_is_cheap():
    code = ("import sys, time; t = time.perf_counter(); import evidence_app.core.index.extractors; "
            "dt = time.perf_counter() - t; heavy = [m for m in ('pypdfium2', 'lxml', 'openpyxl', "
            "'extract_msg', 'msoffcrypto', 'charset_normalizer', 'striprtf', 'docx') "
            "if m in sys.modules]; print(heavy, dt)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[3], check=True).stdout
    heavy, seconds = out.rsplit("]", 1)
    assert heavy == "[" and float(seconds) < 0.25


def test_broken_inputs_never_raise(tmp_path):
    """Every prefix-truncation of every kind of real file gets a status and a plain reason."""
    samples = {
        "a.docx": make_docx(tmp_path / "a.docx", footnote=False).read_bytes(),
        "a.pdf": make_pdf(["one", "two"]),
        "a.odt": make_odt(tmp_path / "a.odt").read_bytes(),
        "a.eml": _email("s", "b", [("x.txt", b"attached text", "text", "plain")]),
        "a.rtf": rb"{\rtf1 hello \par world}",
        "a.html": b"<html><body><p>x</p>",
        "a.msg": _ole_with("__substg1.0_0037001F"),
    }
    for name, data in samples.items():
        for cut in sorted({0, 1, 7, 31, 64, len(data) // 3, len(data) // 2, len(data) - 1}):
            for nm in (name, "noext"):
                r = extract_bytes(data[:cut], nm)
                assert_plain(r)
        flipped = bytearray(data)
        for i in range(40, len(flipped), max(1, len(flipped) // 25)):
            flipped[i] ^= 0x55
        assert_plain(extract_bytes(bytes(flipped), name))
