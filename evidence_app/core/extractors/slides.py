"""PowerPoint: `.pptx` via python-pptx, and 97-2003 `.ppt` via its text records.

`.pptx`: one Section per slide (page = slide number, so a hit names its slide): every shape's
text (groups and tables included), then the speaker notes.

`.ppt`: there is no maintained Python reader of the binary format, but its text is simple to
find ([MS-PPT]): the `PowerPoint Document` stream is a tree of records (8-byte headers; a
version of 0xF marks a container), and slide text sits in TextCharsAtom (UTF-16LE) and
TextBytesAtom (8-bit) records. Master slides' placeholder prompts are left out. Slide order is
not kept (the format stores slides by persistence), so the text is one flowing document.
"""
from __future__ import annotations

import io
import struct

from .base import OK, Extracted, Limits
from .safety import Damaged, Encrypted, TooLarge, open_zip
from .sections import SectionBuilder, truncation_note

KIND = "PowerPoint file"
TEXT_CHARS, TEXT_BYTES = 0x0FA0, 0x0FA8
MASTERS = {0x03F8}  # MainMaster: its text is placeholder prompts ("Click to edit…")
MAX_RECORDS = 2_000_000


# ---------------------------------------------------------------- .pptx

def _shape_texts(shapes):
    for shape in shapes:
        try:
            if shape.shape_type == 6 or hasattr(shape, "shapes"):  # a group
                yield from _shape_texts(shape.shapes)
                continue
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    cells = [c.text.strip() for c in row.cells if c.text and c.text.strip()]
                    if cells:
                        yield " | ".join(cells)
                continue
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    text = "".join(r.text for r in para.runs) or para.text
                    if text.strip():
                        yield text.strip()
        except Exception:  # noqa: BLE001 - one odd shape costs only its own text
            continue


def extract_pptx(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    from .ooxml import open_package

    open_package(data, limits, KIND)  # bombs, encryption and broken packages first
    from pptx import Presentation

    try:
        prs = Presentation(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-pptx raises many kinds for broken parts
        raise Damaged(f"The {KIND} is damaged and could not be read.") from None
    builder = SectionBuilder(limits, paged=True)
    slides = 0
    for number, slide in enumerate(prs.slides, 1):
        slides = number
        if number > 1:
            builder.page_break()
        for text in _shape_texts(slide.shapes):
            builder.add(text)
        try:
            notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        except Exception:  # noqa: BLE001
            notes = ""
        if notes and notes.strip():
            builder.add("Notes: " + notes.strip())
        if builder.full:
            break
    title = None
    try:
        title = (prs.core_properties.title or "").strip() or None
    except Exception:  # noqa: BLE001
        pass
    return Extracted(OK, truncation_note(builder, limits), "pptx", title, builder.finish(),
                     slides or None)


# ---------------------------------------------------------------- .ppt

def ppt_texts(stream: bytes):
    """Text atoms of a PowerPoint Document stream, outside master slides, in stream order."""
    pos, end_stack, master_until = 0, [], []
    n = len(stream)
    records = 0
    while pos + 8 <= n:
        records += 1
        if records > MAX_RECORDS:
            raise TooLarge(f"The {KIND} has too many records to read.")
        while end_stack and pos >= end_stack[-1]:
            end_stack.pop()
        while master_until and pos >= master_until[-1]:
            master_until.pop()
        ver_inst, rtype, length = struct.unpack_from("<HHI", stream, pos)
        body = pos + 8
        if ver_inst & 0x000F == 0x000F:  # a container: walk into it
            end = min(n, body + length)
            end_stack.append(end)
            if rtype in MASTERS:
                master_until.append(end)
            pos = body
            continue
        if body + length > n:
            break
        if not master_until:
            if rtype == TEXT_CHARS:
                yield stream[body:body + length].decode("utf-16-le", "replace")
            elif rtype == TEXT_BYTES:
                yield stream[body:body + length].decode("cp1252", "replace")
        pos = body + length


def extract_ppt(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    import olefile

    from .legacy import _encrypted_legacy, not_ole

    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return not_ole(data, name, limits, depth, "ppt")
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001
        raise Damaged(f"The {KIND} is damaged: its container could not be opened.") from None
    try:
        if not ole.exists("PowerPoint Document"):
            raise Damaged(f"The {KIND} is damaged: it has no slides in it.")
        if ole.exists("EncryptedSummary") or _encrypted_legacy(data):
            raise Encrypted()
        size = ole.get_size("PowerPoint Document")
        if size > limits.max_file_bytes:
            raise TooLarge(f"Part of the {KIND} is too large to read.")
        with ole.openstream("PowerPoint Document") as f:
            stream = f.read(size)
    finally:
        ole.close()
    builder = SectionBuilder(limits)
    last = None
    for text in ppt_texts(stream):
        text = text.replace("\r", "\n").replace("\x0b", "\n").replace("\x00", "").strip()
        if not text or text == last:
            continue
        last = text
        builder.add(text)
        if builder.full:
            break
    return Extracted(OK, truncation_note(builder, limits), "ppt", None, builder.finish())
