"""PowerPoint: `.pptx` from its slide XML, and 97-2003 `.ppt` via its text records.

`.pptx`: one Section per slide (page = slide number, so a hit names its slide): every shape's
text (groups and tables included), then the speaker notes; read from the package XML with the
same hardened parser as Word documents.

`.ppt`: there is no maintained Python reader of the binary format, but its text is simple to
find ([MS-PPT]): the `PowerPoint Document` stream is a tree of records (8-byte headers; a
version of 0xF marks a container), and slide text sits in TextCharsAtom (UTF-16LE) and
TextBytesAtom (8-bit) records. Master slides' placeholder prompts are left out. Slide order is
not kept (the format stores slides by persistence), so the text is one flowing document.
"""
from __future__ import annotations

import io
import struct

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged, Encrypted, TooLarge
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.safety import parse_xml, read_member

KIND = "PowerPoint file"
TEXT_CHARS, TEXT_BYTES = 0x0FA0, 0x0FA8
MASTERS = {0x03F8}  # MainMaster: its text is placeholder prompts ("Click to edit…")
MAX_RECORDS = 2_000_000


# ---------------------------------------------------------------- .pptx

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_A_P, _A_T, _A_BR, _A_TBL, _A_TR, _A_TC = (f"{{{A_NS}}}{x}" for x in ("p", "t", "br", "tbl",
                                                                    "tr", "tc"))
_P_PH, _P_SP = f"{{{P_NS}}}ph", f"{{{P_NS}}}sp"
NOTES_REL = "/notesSlide"


def _para_text(p) -> str:
    parts = []
    for el in p.iter(_A_T, _A_BR):
        parts.append(el.text or "" if el.tag == _A_T else "\n")
    return "".join(parts).strip()


def _slide_texts(root, skip_placeholders: tuple = ()):
    """Paragraphs of a slide (or notes) part in document order; tables as one line per row."""
    for el in root.iter(_A_TBL, _P_SP):
        if el.tag == _A_TBL:
            for tr in el.iter(_A_TR):
                cells = [" ".join(t for t in (_para_text(p) for p in tc.iter(_A_P)) if t)
                         for tc in tr.iter(_A_TC)]
                cells = [c for c in cells if c]
                if cells:
                    yield " | ".join(cells)
            continue
        ph = next(el.iter(_P_PH), None)
        if ph is not None and ph.get("type") in skip_placeholders:
            continue
        for p in el.iter(_A_P):
            text = _para_text(p)
            if text:
                yield text


def extract_pptx(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    """Slides straight from the package XML with the hardened parser (python-pptx builds an
    object per shape and was ten times slower; it still writes the sample decks)."""
    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.ooxml import (
        core_properties, embedded_children, main_part, open_package, rel_targets,
    )

    zf = open_package(data, limits, KIND)
    try:
        pres_path = main_part(zf, "ppt/presentation.xml")
        pres = parse_xml(read_member(zf, pres_path), KIND)
    except KeyError:
        raise Damaged(f"The {KIND} is damaged: its list of slides is missing.") from None
    rels = rel_targets(zf, pres_path)
    names = set(zf.namelist())
    order = [rels.get(el.get(R_ID) or "") for el in pres.iter(f"{{{P_NS}}}sldId")]
    builder = SectionBuilder(limits, paged=True)
    slides = 0
    for path in order:
        if not path or path not in names:
            continue
        slides += 1
        if slides > 1:
            builder.page_break()
        for text in _slide_texts(parse_xml(read_member(zf, path), KIND)):
            builder.add(text)
        notes = next((t for t in rel_targets(zf, path).values() if "notesSlide" in t), None)
        if notes and notes in names:
            said = [t for t in _slide_texts(parse_xml(read_member(zf, notes), KIND),
                                            ("sldImg", "sldNum", "hdr", "ftr", "dt"))]
            if said:
                builder.add("Notes: " + "\n".join(said))
        if builder.full:
            break
    props = core_properties(zf, KIND)
    return Extracted(OK, truncation_note(builder, limits), "pptx", props.get("title"),
                     builder.finish(), slides or None, props,
                     embedded_children(zf, "ppt/embeddings/", limits, depth))


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
    import olefile  # start-up: olefile is loaded only when this runs

    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.legacy import _encrypted_legacy, not_ole

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
