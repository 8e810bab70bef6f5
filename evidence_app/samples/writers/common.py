"""Helpers shared by the sample writers: escaping, fixed timestamps, deterministic zips."""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import zipfile

from evidence_app.samples.text import FICTIONAL_LINE, LINE_CHARS, PAGE_CHARS, Doc

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



_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
