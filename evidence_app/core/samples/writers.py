"""One fast writer per format: `Doc` -> bytes.

The office formats are written by hand (zipfile + string templates) because python-docx and
openpyxl are far too slow for thousands of files, and because hand-written output is fully
deterministic: zip entry dates, document properties, PDF IDs and MIME boundaries are all derived
from the document itself, so the same `Doc` always gives the same bytes.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import zipfile
import zlib
from email.message import EmailMessage
from email.utils import format_datetime

from .text import COUNCIL, DEPARTMENT, FICTIONAL_LINE, LINE_CHARS, PAGE_CHARS, Doc, dmy

# ---------------------------------------------------------------------------------------------
# Shared helpers

_XML_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def x(s) -> str:
    s = str(s)
    if "&" in s or "<" in s or ">" in s or '"' in s:
        return s.translate(_XML_ESC)
    return s


def stamp(doc: Doc) -> _dt.datetime:
    """The document's fixed timestamp: its date, at a time derived from its title."""
    h = int.from_bytes(hashlib.blake2b(doc.title.encode(), digest_size=2).digest(), "big")
    return _dt.datetime(doc.date.year, doc.date.month, doc.date.day, 8 + h % 9, h % 60,
                        tzinfo=_dt.timezone.utc)


def w3c(ts: _dt.datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _zip(entries, ts: _dt.datetime) -> bytes:
    """entries: (name, data, compress). Fixed dates and attributes, so bytes are reproducible."""
    buf = io.BytesIO()
    dt = (ts.year, ts.month, ts.day, ts.hour, ts.minute, 0)
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, compress in entries:
            zi = zipfile.ZipInfo(name, dt)
            zi.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            zi.create_system = 0
            zi.external_attr = 0
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zi, data)
    return buf.getvalue()


def ensure_pages(doc: Doc) -> list:
    """Pages for flowing formats; tabular docs are split into ~page-sized tables."""
    if doc.pages:
        return doc.pages
    rows = doc.rows or []
    lead, body = [], []
    for r in rows:
        (body if body or len(r) > 3 or (not r) else lead).append(r)
    body = [r for r in body if r]
    pages, page, used = [], [("h1", doc.title), ("p", FICTIONAL_LINE)], 0
    for r in lead[2:]:
        page.append(("p", "  ".join(map(str, r))))
    if not body:
        return [page]
    header, data = body[0], body[1:]
    chunk = []
    for r in data:
        chunk.append([str(c) for c in r])
        used += max(LINE_CHARS, sum(len(str(c)) for c in r) * 3 // 2)
        if used >= PAGE_CHARS:
            page.append(("table", [list(map(str, header))] + chunk))
            pages.append(page)
            page, chunk, used = [], [], 0
    if chunk or not pages:
        page.append(("table", [list(map(str, header))] + chunk))
        pages.append(page)
    doc.pages = pages
    return pages


def ensure_rows(doc: Doc) -> list:
    """Rows for tabular formats; prose docs become (section, text) rows."""
    if doc.rows is not None:
        return doc.rows
    rows = [[doc.title], [FICTIONAL_LINE], [], ["Section", "Text"]]
    heading = doc.title
    for page in doc.pages:
        for typ, payload in page:
            if typ in ("h1", "h2"):
                heading = payload
            elif typ == "p" and payload != FICTIONAL_LINE:
                rows.append([heading, payload])
            elif typ == "table":
                for r in payload:
                    rows.append([heading, " | ".join(map(str, r))])
    doc.rows = rows
    return rows


def _text_lines(doc: Doc, page_sep: str) -> str:
    out = []
    for page in ensure_pages(doc):
        lines = []
        for typ, payload in page:
            if typ == "h1":
                lines += [payload, "=" * len(payload), ""]
            elif typ == "h2":
                lines += [payload, "-" * len(payload), ""]
            elif typ == "table":
                if len(payload[0]) == 2:
                    lines += [f"{a}: {b}" for a, b in payload]
                else:
                    lines += [" | ".join(map(str, r)) for r in payload]
                lines.append("")
            else:
                lines += [payload, ""]
        out.append("\n".join(lines))
    return page_sep.join(out)


# ---------------------------------------------------------------------------------------------
# DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_DOCX_CT = _XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

_DOCX_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOCX_DOC_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)

_BORDER = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _heading_style(n: int, size: int) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>'
            f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 - 120 * n}" w:after="120"/>'
            f'<w:outlineLvl w:val="{n - 1}"/></w:pPr>'
            f'<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
            "</w:style>")


_DOCX_STYLES = _XML_DECL + (
    f'<w:styles xmlns:w="{_W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    + _heading_style(1, 32) + _heading_style(2, 26) +
    '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    f'<w:uiPriority w:val="39"/><w:tblPr><w:tblBorders>{_BORDER}</w:tblBorders></w:tblPr></w:style>'
    "</w:styles>"
)

_DOCX_SETTINGS = _XML_DECL + (
    f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat></w:settings>"
)

_DOCX_HEADER = _XML_DECL + (
    f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
    f'<w:r><w:t xml:space="preserve">{x(COUNCIL)} – {x(DEPARTMENT)} · OFFICIAL-SENSITIVE (fictional sample)</w:t></w:r>'
    "</w:p></w:hdr>"
)

_DOCX_FOOTER = _XML_DECL + (
    f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">FICTIONAL TEST DATA · Page </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    "</w:p></w:ftr>"
)

_DOCX_PAGEBREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_TEXT_WIDTH = 9026  # A4 with 1-inch margins, in twentieths of a point


def _core_xml(title: str, author: str, ts: _dt.datetime, subject: str = "") -> str:
    return _XML_DECL + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{x(title)}</dc:title><dc:subject>{x(subject)}</dc:subject><dc:creator>{x(author)}</dc:creator>"
        f"<cp:keywords>FICTIONAL TEST DATA</cp:keywords><cp:lastModifiedBy>{x(author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{w3c(ts)}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{w3c(ts)}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _docx_table(rows) -> str:
    ncol = max(len(r) for r in rows)
    if ncol == 2:
        widths = [2600, _TEXT_WIDTH - 2600]
    else:
        widths = [_TEXT_WIDTH // ncol] * ncol
    parts = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
             'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid>")
    for ri, r in enumerate(rows):
        parts.append("<w:tr>")
        for ci in range(ncol):
            cell = r[ci] if ci < len(r) else ""
            bold = "<w:rPr><w:b/></w:rPr>" if (ri == 0 and ncol > 2) or (ncol == 2 and ci == 0) else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[ci]}" w:type="dxa"/></w:tcPr>'
                         f'<w:p><w:r>{bold}<w:t xml:space="preserve">{x(cell)}</w:t></w:r></w:p></w:tc>')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def write_docx(doc: Doc) -> bytes:
    ts = stamp(doc)
    body = []
    pages = ensure_pages(doc)
    for pi, page in enumerate(pages):
        if pi:
            body.append(_DOCX_PAGEBREAK)
        for typ, payload in page:
            if typ == "p":
                body.append(f'<w:p><w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "h2":
                body.append('<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>'
                            f'<w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "h1":
                body.append('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
                            f'<w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "table":
                body.append(_docx_table(payload))
                body.append("<w:p/>")
    document = (
        _XML_DECL + f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>' + "".join(body)
        + '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>'
        '<w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" '
        'w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    app = _XML_DECL + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>Microsoft Office Word</Application><Pages>{len(pages)}</Pages>"
        f"<Company>{x(COUNCIL)} (fictional)</Company></Properties>"
    )
    return _zip([
        ("[Content_Types].xml", _DOCX_CT, True),
        ("_rels/.rels", _DOCX_RELS, True),
        ("word/document.xml", document, True),
        ("word/_rels/document.xml.rels", _DOCX_DOC_RELS, True),
        ("word/styles.xml", _DOCX_STYLES, True),
        ("word/settings.xml", _DOCX_SETTINGS, True),
        ("word/header1.xml", _DOCX_HEADER, True),
        ("word/footer1.xml", _DOCX_FOOTER, True),
        ("docProps/core.xml", _core_xml(doc.title, doc.author, ts, doc.subtitle), True),
        ("docProps/app.xml", app, True),
    ], ts)


# ---------------------------------------------------------------------------------------------
# PDF

_PDF_ESC = {ord("\\"): "\\\\", ord("("): "\\(", ord(")"): "\\)", ord("\r"): " ", ord("\n"): " "}


def _pdf_str(s: str) -> bytes:
    if "(" in s or ")" in s or "\\" in s or "\n" in s or "\r" in s:
        s = s.translate(_PDF_ESC)
    return b"(" + s.encode("cp1252", "replace") + b")"


def _wrap(s: str, width: int) -> list:
    if len(s) <= width:
        return [s]
    out = []
    while len(s) > width:
        cut = s.rfind(" ", 0, width + 1)
        if cut <= 0:
            cut = width
            out.append(s[:cut])
            s = s[cut:]
        else:
            out.append(s[:cut])
            s = s[cut + 1:]
    if s:
        out.append(s)
    return out


def _pdf_lines(page) -> list:
    """(font, size, advance-before, text) lines for one page."""
    lines = []
    for typ, payload in page:
        if typ == "h1":
            for i, t in enumerate(_wrap(payload, 52)):
                lines.append(("F2", 16, 22 if i == 0 else 19, t))
            lines.append(("F1", 10, 6, ""))
        elif typ == "h2":
            for i, t in enumerate(_wrap(payload, 70)):
                lines.append(("F2", 12, 20 if i == 0 else 15, t))
        elif typ == "table":
            two = len(payload[0]) == 2
            for r in payload:
                text = f"{r[0]}: {r[1]}" if two else "  |  ".join(map(str, r))
                for t in _wrap(text, 100):
                    lines.append(("F1", 9, 11.5, t))
            lines.append(("F1", 9, 4, ""))
        else:
            first = True
            for t in _wrap(payload, 92):
                lines.append(("F1", 10, 18 if first else 12.5, t))
                first = False
    return lines


def _pdf_page_stream(page, n: int, total: int, header: str) -> bytes:
    lines = _pdf_lines(page)
    top, bottom = 780.0, 70.0
    need = sum(a for _, _, a, _ in lines)
    scale = min(1.0, (top - bottom) / need) if need else 1.0
    out = [b"BT", b"0.35 g", b"/F1 8 Tf", b"1 0 0 1 56 810 Tm", _pdf_str(header) + b" Tj",
           b"1 0 0 1 56 40 Tm",
           _pdf_str(f"FICTIONAL TEST DATA - sample document   Page {n} of {total}") + b" Tj",
           b"0 g"]
    y = top + 10
    cur = None
    for font, size, adv, text in lines:
        y -= adv * scale
        if not text:
            continue
        if (font, size) != cur:
            out.append(f"/{font} {size} Tf".encode())
            cur = (font, size)
        out.append(f"1 0 0 1 56 {y:.1f} Tm".encode())
        out.append(_pdf_str(text) + b" Tj")
    out.append(b"ET")
    return b"\n".join(out)


def _pdf_info_str(s: str) -> bytes:
    return b"(" + s.translate(_PDF_ESC).encode("latin-1", "replace") + b")"


def write_pdf(doc: Doc) -> bytes:
    ts = stamp(doc)
    pages = ensure_pages(doc)
    header = f"{COUNCIL} – {DEPARTMENT} · OFFICIAL-SENSITIVE (fictional sample)"
    objs: list[bytes] = []
    n = len(pages)
    first_page = 6
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    d = ts.strftime("D:%Y%m%d%H%M%SZ")
    objs.append(b"<< /Title " + _pdf_info_str(doc.title) + b" /Author " + _pdf_info_str(doc.author)
                + b" /Subject (FICTIONAL TEST DATA) /Creator (Microsoft Word) /Producer (Evidence Organiser samples)"
                + f" /CreationDate ({d}) /ModDate ({d}) >>".encode())
    for i, page in enumerate(pages):
        stream = zlib.compress(_pdf_page_stream(page, i + 1, n, header), 6)
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {first_page + 2 * i + 1} 0 R >>".encode())
        objs.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream
                    + b"\nendstream")
    buf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(buf))
        buf += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(buf)
    buf += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        buf += f"{off:010d} 00000 n \n".encode()
    ident = hashlib.md5(bytes(buf)).hexdigest()
    buf += (f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 5 0 R /ID [<{ident}> <{ident}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(buf)


# ---------------------------------------------------------------------------------------------
# ODT

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
)
_ODT_MIME = "application/vnd.oasis.opendocument.text"
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{_ODT_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODT_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-styles {_ODF_NS}office:version="1.2"><office:styles>'
    '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
    '<style:paragraph-properties fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="11pt" style:font-name="Arial"/></style:style>'
    '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">'
    '<style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">'
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">'
    '<style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>'
    "</office:styles><office:automatic-styles>"
    '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
    'fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" '
    'fo:margin-right="2.5cm"/></style:page-layout></office:automatic-styles>'
    '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
    "</office:master-styles></office:document-styles>"
)


def write_odt(doc: Doc) -> bytes:
    ts = stamp(doc)
    body = []
    tcount = 0
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            body.append('<text:p text:style-name="PB"/>')
        for typ, payload in page:
            if typ == "p":
                body.append(f'<text:p text:style-name="Standard">{x(payload)}</text:p>')
            elif typ in ("h1", "h2"):
                lvl = typ[1]
                body.append(f'<text:h text:style-name="Heading_20_{lvl}" text:outline-level="{lvl}">'
                            f"{x(payload)}</text:h>")
            elif typ == "table":
                tcount += 1
                ncol = max(len(r) for r in payload)
                body.append(f'<table:table table:name="Table{tcount}" table:style-name="Tbl">'
                            f'<table:table-column table:number-columns-repeated="{ncol}"/>')
                for r in payload:
                    body.append("<table:table-row>")
                    for ci in range(ncol):
                        c = r[ci] if ci < len(r) else ""
                        body.append('<table:table-cell office:value-type="string">'
                                    f"<text:p>{x(c)}</text:p></table:table-cell>")
                    body.append("</table:table-row>")
                body.append("</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {_ODF_NS}office:version="1.2"><office:automatic-styles>'
        '<style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" '
        'table:align="margins"/></style:style>'
        "</office:automatic-styles><office:body><office:text>" + "".join(body)
        + "</office:text></office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {_ODF_NS}office:version="1.2"><office:meta>'
        "<meta:generator>LibreOffice/7.6</meta:generator>"
        f"<dc:title>{x(doc.title)}</dc:title><dc:creator>{x(doc.author)}</dc:creator>"
        f"<meta:creation-date>{w3c(ts)[:-1]}</meta:creation-date><dc:date>{w3c(ts)[:-1]}</dc:date>"
        "<meta:keyword>FICTIONAL TEST DATA</meta:keyword>"
        "</office:meta></office:document-meta>"
    )
    return _zip([
        ("mimetype", _ODT_MIME, False),
        ("content.xml", content, True),
        ("styles.xml", _ODT_STYLES, True),
        ("meta.xml", meta, True),
        ("META-INF/manifest.xml", _ODT_MANIFEST, True),
    ], ts)


# ---------------------------------------------------------------------------------------------
# XLSX

_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_CT = _XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_XLSX_RELS = _DOCX_RELS.replace("word/document.xml", "xl/workbook.xml")
_XLSX_WB_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_XLSX_STYLES = _XML_DECL + (
    f'<styleSheet xmlns="{_S}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(doc: Doc) -> bytes:
    ts = stamp(doc)
    rows = ensure_rows(doc)
    ncol = max((len(r) for r in rows), default=1)
    cols = [_col(i) for i in range(max(ncol, 1))]
    # The header row is the first row after the blank separator.
    header_at = next((i for i, r in enumerate(rows) if not r), -1) + 1
    widths = [12] * ncol
    for r in rows[header_at:header_at + 30]:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], min(60, len(str(c)) + 2))
    out = [_XML_DECL, f'<worksheet xmlns="{_S}"><sheetViews><sheetView workbookViewId="0">'
           f'<pane ySplit="{header_at + 1}" topLeftCell="A{header_at + 2}" activePane="bottomLeft" state="frozen"/>'
           "</sheetView></sheetViews><cols>"]
    out += [f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths)]
    out.append("</cols><sheetData>")
    for ri, r in enumerate(rows, 1):
        if not r:
            continue
        out.append(f'<row r="{ri}">')
        style = ' s="1"' if ri - 1 == header_at or ri == 1 else ""
        for ci, c in enumerate(r):
            if isinstance(c, int):
                out.append(f'<c r="{cols[ci]}{ri}"{style}><v>{c}</v></c>')
            elif c != "":
                out.append(f'<c r="{cols[ci]}{ri}" t="inlineStr"{style}><is><t xml:space="preserve">{x(c)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    sheet = "".join(out)
    name = doc.sheet[:31]
    workbook = _XML_DECL + (
        f'<workbook xmlns="{_S}" xmlns:r="{_R}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name="{x(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    app = _XML_DECL + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>"
    )
    return _zip([
        ("[Content_Types].xml", _XLSX_CT, True),
        ("_rels/.rels", _XLSX_RELS, True),
        ("xl/workbook.xml", workbook, True),
        ("xl/_rels/workbook.xml.rels", _XLSX_WB_RELS, True),
        ("xl/styles.xml", _XLSX_STYLES, True),
        ("xl/worksheets/sheet1.xml", sheet, True),
        ("docProps/core.xml", _core_xml(doc.title, doc.author, ts), True),
        ("docProps/app.xml", app, True),
    ], ts)


# ---------------------------------------------------------------------------------------------
# RTF

_RTF_ESC = {ord("\\"): "\\\\", ord("{"): "\\{", ord("}"): "\\}", ord("\t"): "\\tab ", ord("\n"): "\\line "}


def _rtf(s: str) -> str:
    s = s.translate(_RTF_ESC)
    if s.isascii():
        return s
    return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in s)


def write_rtf(doc: Doc) -> bytes:
    ts = stamp(doc)
    out = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\nouicompat{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}",
        "{\\colortbl ;\\red31\\green56\\blue100;}",
        f"{{\\info{{\\title {_rtf(doc.title)}}}{{\\author {_rtf(doc.author)}}}"
        f"{{\\creatim\\yr{ts.year}\\mo{ts.month}\\dy{ts.day}\\hr{ts.hour}\\min{ts.minute}}}}}",
        "\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440",
        "\\pard\\sa120\\f0\\fs22",
    ]
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append("\\page")
        for typ, payload in page:
            if typ == "h1":
                out.append(f"{{\\pard\\sb240\\sa120\\b\\cf1\\fs32 {_rtf(payload)}\\par}}")
            elif typ == "h2":
                out.append(f"{{\\pard\\sb200\\sa100\\b\\cf1\\fs26 {_rtf(payload)}\\par}}")
            elif typ == "table":
                for r in payload:
                    out.append("\\pard\\sa0 " + "\\tab ".join(_rtf(str(c)) for c in r) + "\\par")
                out.append("\\pard\\sa120\\par")
            else:
                out.append(f"\\pard\\sa120 {_rtf(payload)}\\par")
    out.append("}")
    return "\n".join(out).encode("ascii")


# ---------------------------------------------------------------------------------------------
# Plain-text family


def write_txt(doc: Doc) -> bytes:
    text = _text_lines(doc, "\f")
    if doc.encoding == "cp1252":
        return text.replace("\n", "\r\n").encode("cp1252", "replace")
    if doc.encoding == "utf-16":
        return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    return text.encode("utf-8")


def _md_cell(s) -> str:
    return str(s).replace("|", "\\|")


def write_md(doc: Doc) -> bytes:
    out = []
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append("---\n")
        for typ, payload in page:
            if typ == "h1":
                out.append(f"# {payload}\n")
            elif typ == "h2":
                out.append(f"## {payload}\n")
            elif typ == "table":
                head, *rest = payload
                if len(head) == 2 and head[0] != "Name" and head[0] != "Section":
                    out.append("| Field | Value |\n| --- | --- |")
                    rest = payload
                else:
                    out.append("| " + " | ".join(map(_md_cell, head)) + " |")
                    out.append("|" + " --- |" * len(head))
                out.append("\n".join("| " + " | ".join(map(_md_cell, r)) + " |" for r in rest) + "\n")
            elif payload == FICTIONAL_LINE:
                out.append(f"> **{payload}**\n")
            else:
                out.append(payload + "\n")
    return "\n".join(out).encode("utf-8")


_HTML_HEAD = (
    '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    '<meta name="author" content="{author}">\n<meta name="date" content="{date}">\n'
    "<style>body{{font-family:Arial,sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}"
    "table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #999;padding:4px 6px;"
    "vertical-align:top}}.fictional{{color:#a00;font-weight:bold}}.page-break{{page-break-after:always;"
    "border:0;border-top:1px dashed #ccc}}</style>\n</head>\n<body>\n"
    '<header><p>{council} – {dept}</p></header>\n<main>\n'
)


def write_html(doc: Doc) -> bytes:
    out = [_HTML_HEAD.format(title=x(doc.title), author=x(doc.author), date=doc.date.isoformat(),
                             council=x(COUNCIL), dept=x(DEPARTMENT))]
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append('<hr class="page-break">')
        for typ, payload in page:
            if typ in ("h1", "h2"):
                out.append(f"<{typ}>{x(payload)}</{typ}>")
            elif typ == "table":
                two = len(payload[0]) == 2 and payload[0][0] not in ("Name", "Section")
                out.append("<table>")
                for ri, r in enumerate(payload):
                    if two:
                        out.append(f"<tr><th>{x(r[0])}</th><td>{x(r[1])}</td></tr>")
                    else:
                        tag = "th" if ri == 0 else "td"
                        out.append("<tr>" + "".join(f"<{tag}>{x(c)}</{tag}>" for c in r) + "</tr>")
                out.append("</table>")
            elif payload == FICTIONAL_LINE:
                out.append(f'<p class="fictional">{x(payload)}</p>')
            else:
                out.append(f"<p>{x(payload)}</p>")
    out.append(f"</main>\n<footer><p>Page generated {dmy(doc.date)} · {x(FICTIONAL_LINE)}</p></footer>\n"
               "</body>\n</html>\n")
    return "\n".join(out).encode("utf-8")


def write_csv(doc: Doc) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in ensure_rows(doc):
        w.writerow(r)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if doc.encoding == "utf-8-sig" else data


# ---------------------------------------------------------------------------------------------
# EML


def write_eml(doc: Doc) -> bytes:
    e = doc.email or {}
    ts = stamp(doc)
    msg = EmailMessage()
    msg["From"] = e.get("from", f"{doc.author} <noreply@example.gov.uk>")
    msg["To"] = e.get("to", "duty.team@example.gov.uk")
    if e.get("cc"):
        msg["Cc"] = e["cc"]
    msg["Subject"] = e.get("subject", doc.title)
    msg["Date"] = format_datetime(ts)
    h = hashlib.sha1((doc.title + doc.date.isoformat() + str(doc.case_ref)).encode()).hexdigest()
    msg["Message-ID"] = f"<{h[:24]}@example.gov.uk>"
    msg["X-Classification"] = "OFFICIAL-SENSITIVE (FICTIONAL TEST DATA)"
    body = [e.get("greeting", "Hello,"), "", FICTIONAL_LINE, ""]
    if e.get("intro"):
        body += [e["intro"], ""]
    for page in ensure_pages(doc):
        for typ, payload in page:
            if typ == "p" and payload != FICTIONAL_LINE:
                body += [payload, ""]
            elif typ == "table" and not (e.get("intro") and len(payload[0]) == 2):
                body += [f"{r[0]}: {r[1]}" if len(r) == 2 else " | ".join(map(str, r)) for r in payload]
                body.append("")
    body += ["Kind regards,", "", e.get("signature", doc.author)]
    msg.set_content("\n".join(body), cte="quoted-printable")
    for name, data, maintype, subtype in e.get("attachments", ()):
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if msg.is_multipart():
        msg.set_boundary(f"==sample_{h[:16]}==")
    return msg.as_bytes()


WRITERS = {
    "docx": write_docx,
    "pdf": write_pdf,
    "eml": write_eml,
    "txt": write_txt,
    "md": write_md,
    "xlsx": write_xlsx,
    "odt": write_odt,
    "rtf": write_rtf,
    "html": write_html,
    "csv": write_csv,
}
