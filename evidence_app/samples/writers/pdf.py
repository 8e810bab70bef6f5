"""PDF written by hand: Helvetica text, one content stream per page, exact xref offsets."""
from __future__ import annotations

import hashlib
import zlib

from evidence_app.samples.text import COUNCIL, DEPARTMENT, Doc
from evidence_app.samples.writers.common import ensure_pages, stamp

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
    """A document-information string: PDFDocEncoding when it is plain ASCII, else UTF-16BE with
    a byte-order mark, as Word writes it (latin-1 with "replace" turned "–" into "?")."""
    if s.isascii():
        return b"(" + s.translate(_PDF_ESC).encode("ascii") + b")"
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode("ascii") + b">"


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
