"""Word, Excel and PowerPoint 97-2003 files for the sample corpus and tests, in pure Python.

Councils' older case files are full of .doc and .xls, so the benchmark corpus needs them too.
These are minimal but real binary files inside an OLE2 container (`cfb.py`):

- `.doc`: a Word 97 FIB, the text as UTF-16 in the WordDocument stream, and a one-piece piece
  table in the 1Table stream (what any text reader of the format follows; no styles or layout);
- `.xls`: a BIFF8 workbook stream (BOF, BOUNDSHEET, LABEL and NUMBER cells, EOF), as xlrd and
  Excel's own readers parse it;
- `.ppt`: a PowerPoint Document stream with a document container whose slide list holds one
  text atom per slide.
"""
from __future__ import annotations

import struct

from evidence_app.samples.writers.cfb import build

# ---------------------------------------------------------------- Word 97

FIB_SIZE = 0x384
TEXT_AT = 0x400


def doc_bytes(heading: str, paragraphs: list[str]) -> bytes:
    text = "\r".join([heading, *paragraphs]) + "\r"
    encoded = text.encode("utf-16-le")
    fib = bytearray(FIB_SIZE)
    struct.pack_into("<HHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0809)  # wIdent, nFib, unused, lid
    struct.pack_into("<H", fib, 0x0A, 0x1200)  # fExtChar (Unicode text) | fWhichTblStm (1Table)
    struct.pack_into("<H", fib, 0x0C, 0x00BF)  # nFibBack
    struct.pack_into("<II", fib, 0x18, TEXT_AT, TEXT_AT + len(encoded))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x40, TEXT_AT + len(encoded))  # cbMac
    struct.pack_into("<I", fib, 0x4C, len(text))  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, TEXT_AT, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))  # fcClx, lcbClx
    word = bytes(fib).ljust(TEXT_AT, b"\x00") + encoded
    return build({"WordDocument": word, "1Table": clx})


# ---------------------------------------------------------------- Excel 97 (BIFF8)

def _rec(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(substream: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0x41, 0x06))


def _label(row: int, col: int, value: str) -> bytes:
    value = value[:255]
    try:
        raw, flag = value.encode("latin-1"), 0
    except UnicodeEncodeError:
        raw, flag = value.encode("utf-16-le"), 1
    return _rec(0x0204, struct.pack("<HHHHB", row, col, 0, len(value), flag) + raw)


def _sheet(rows: list[list]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    out = [_bof(0x0010), _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out.append(_rec(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))
            else:
                out.append(_label(r, c, str(value)))
    out.append(_rec(0x000A, b""))
    return b"".join(out)


def xls_bytes(sheets: dict[str, list[list]]) -> bytes:
    bodies = [_sheet(rows) for rows in sheets.values()]

    def bound(pos: int, name: str) -> bytes:
        raw = name[:31].encode("utf-16-le")
        return _rec(0x0085, struct.pack("<IBBBB", pos, 0, 0, len(name[:31]), 1) + raw)

    head = [_bof(0x0005), _rec(0x0042, struct.pack("<H", 1200))]
    sizes = sum(len(b) for b in head) + sum(len(bound(0, n)) for n in sheets) + 4
    pos, bounds = sizes, []
    for name, body in zip(sheets, bodies):
        bounds.append(bound(pos, name))
        pos += len(body)
    stream = b"".join(head + bounds) + _rec(0x000A, b"") + b"".join(bodies)
    return build({"Workbook": stream})


# ---------------------------------------------------------------- PowerPoint 97

def _atom(kind: int, body: bytes, instance: int = 0) -> bytes:
    return struct.pack("<HHI", instance << 4, kind, len(body)) + body


def _container(kind: int, body: bytes, instance: int = 0) -> bytes:
    return struct.pack("<HHI", (instance << 4) | 0xF, kind, len(body)) + body


def ppt_bytes(slides: list[str]) -> bytes:
    items = b""
    for i, text in enumerate(slides):
        kind = 0 if i == 0 else 1  # title, then body text
        items += _atom(0x0F9F, struct.pack("<I", kind))  # TextHeaderAtom
        items += _atom(0x0FA0, text.replace("\n", "\r").encode("utf-16-le"))  # TextCharsAtom
    document = _container(0x03E8, _container(0x0FF0, items))
    return build({"PowerPoint Document": document})


# ---------------------------------------------------------------- from a sample Doc

def _paragraphs(doc) -> list[str]:
    # start-up: loaded only when this runs
    from evidence_app.samples.writers.common import ensure_pages

    out = []
    for page in ensure_pages(doc):
        for typ, payload in page:
            if typ == "table":
                out.extend(" | ".join(map(str, r)) for r in payload)
            else:
                out.append(str(payload))
        out.append("\f")  # a page break, as Word writes it
    return out[:-1] if out and out[-1] == "\f" else out


def write_doc(doc) -> bytes:
    """A sample document as a Word 97-2003 .doc."""
    paras = _paragraphs(doc)
    return doc_bytes(doc.title, [p for p in paras if p != doc.title][:100_000])


def write_xls(doc) -> bytes:
    """A sample table (or a prose document as rows) as an Excel 97-2003 .xls."""
    # start-up: loaded only when this runs
    from evidence_app.samples.writers.common import ensure_rows

    rows = ensure_rows(doc)
    return xls_bytes({(doc.sheet or "Sheet1")[:31]: [list(r) for r in rows[:60_000]]})
