"""PowerPoint 97-2003 (.ppt): a "PowerPoint Document" stream of slide records in an OLE2 file.

Only the record structure the readers use ([MS-PPT]: a Document container holding one Slide
container per page, each with its text as TextCharsAtom records, UTF-16). It carries no
layout, so PowerPoint itself would not open it; it exists so the self-test can prove the .ppt
reader works in an installed build.
"""
from __future__ import annotations

import struct

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import ensure_pages
from evidence_app.samples.writers.ole2 import compound_file

DOCUMENT, SLIDE, TEXT_CHARS = 0x03E8, 0x03EE, 0x0FA0


def _record(rtype: int, body: bytes, container: bool = False) -> bytes:
    return struct.pack("<HHI", 0x000F if container else 0x0000, rtype, len(body)) + body


def write_ppt(doc: Doc) -> bytes:
    slides = []
    for page in ensure_pages(doc):
        texts = []
        for typ, payload in page:
            if typ == "table":
                texts += [" | ".join(map(str, r)) for r in payload]
            else:
                texts.append(str(payload))
        atoms = b"".join(_record(TEXT_CHARS, t.encode("utf-16-le")) for t in texts if t)
        slides.append(_record(SLIDE, atoms, container=True))
    stream = _record(DOCUMENT, b"".join(slides), container=True)
    return compound_file({"PowerPoint Document": stream, "Current User": b""})
