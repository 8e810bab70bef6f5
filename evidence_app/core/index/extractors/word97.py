"""Word 97-2003 `.doc` (and Word 6/95) text, read in pure Python from the OLE2 container.

Why a bundled reader rather than antiword or catdoc: see the README's "How files are read" (they
are separate C programs with no maintained Windows build, run outside our worker limits, and
lose text this reader keeps). The format (MS-DOC, [MS-DOC] 2.4.1 "Retrieving Text"):

- the `WordDocument` stream starts with the FIB; it says which table stream holds the piece
  table (`1Table` or `0Table`), whether the file is encrypted, and how many characters each
  story has (main text, footnotes, headers, comments, endnotes, text boxes);
- the piece table (the Clx at `fcClx` in the table stream) maps character positions to byte
  runs of the `WordDocument` stream, each either 8-bit (Windows-1252) or UTF-16LE;
- the text then holds control characters: paragraph and cell marks, fields (`\\x13` code
  `\\x14` result `\\x15`: the result is what the reader sees), pictures and note references.

Word 6/95 files have no piece table worth reading here: their text is the 8-bit run between
`fcMin` and `fcMac` of the FIB.
"""
from __future__ import annotations

import io
import re
import struct

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged, Encrypted, TooLarge
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note

KIND = "Word document"
MAX_PIECES = 1_000_000
STORIES = ("Footnotes", "Headers and footers", "Comments", "Endnotes", "Text boxes",
           "Header text boxes")
_FIELD_CODE = re.compile("\x13[^\x13\x14\x15]*?(?:\x14|(\x15))")
_DROP = dict.fromkeys(map(ord, "\x00\x01\x02\x03\x04\x05\x06\x08\x1f\ufeff"), None)
_MAP = {ord("\x07"): "\t", ord("\x0b"): "\n", ord("\x1e"): "-", ord("\x0e"): "\n"}


def _u16(b: bytes, at: int) -> int:
    return struct.unpack_from("<H", b, at)[0]


def _u32(b: bytes, at: int) -> int:
    return struct.unpack_from("<I", b, at)[0]


def _open(data: bytes):
    import olefile  # start-up: olefile is loaded only when this runs

    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises many kinds for a broken container
        raise Damaged(f"The {KIND} is damaged: its container could not be opened.") from None


def _stream(ole, name: str, cap: int) -> bytes:
    try:
        size = ole.get_size(name)
    except Exception:  # noqa: BLE001
        raise KeyError(name) from None
    if size > cap:
        raise TooLarge(f"Part of the {KIND} is too large to read.")
    with ole.openstream(name) as f:
        return f.read(size)


def _pieces(table: bytes, fc_clx: int, lcb_clx: int):
    """(cp_start, cp_end, byte_offset, compressed) for each piece of the piece table."""
    if lcb_clx <= 0 or fc_clx + lcb_clx > len(table):
        raise Damaged(f"The {KIND} is damaged: its piece table is missing.")
    pos, end = fc_clx, fc_clx + lcb_clx
    while pos < end and table[pos] == 0x01:  # Prc: formatting, skip
        pos += 3 + struct.unpack_from("<h", table, pos + 1)[0]
    if pos >= end or table[pos] != 0x02:
        raise Damaged(f"The {KIND} is damaged: its piece table could not be read.")
    lcb = _u32(table, pos + 1)
    plc = table[pos + 5:pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0 or n > MAX_PIECES:
        raise Damaged(f"The {KIND} is damaged: its piece table could not be read.")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    for i in range(n):
        fc = _u32(plc, (n + 1) * 4 + i * 8 + 2)
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        yield cps[i], cps[i + 1], (fc // 2 if compressed else fc), compressed


def _text_97(word: bytes, table: bytes, limits: Limits) -> str:
    fc_clx, lcb_clx = _u32(word, 0x01A2), _u32(word, 0x01A6)
    out: list[str] = []
    total = 0
    budget = limits.max_text_chars * 2
    for cp0, cp1, offset, compressed in _pieces(table, fc_clx, lcb_clx):
        count = max(0, cp1 - cp0)
        if compressed:
            raw = word[offset:offset + count]
            out.append(raw.decode("cp1252", "replace"))
        else:
            raw = word[offset:offset + 2 * count]
            out.append(raw.decode("utf-16-le", "replace"))
        total += count
        if total > budget:
            break
    return "".join(out)


def _text_95(word: bytes) -> str:
    fc_min, fc_mac = _u32(word, 0x18), _u32(word, 0x1C)
    if not 0 < fc_min <= fc_mac <= len(word):
        raise Damaged(f"The {KIND} is damaged: its text could not be found.")
    return word[fc_min:fc_mac].decode("cp1252", "replace")


def _story_lengths(word: bytes) -> list[int]:
    """Characters in the main text, then each of STORIES (FibRgLw97)."""
    if len(word) < 0x6C:
        return []
    main = _u32(word, 0x4C)
    rest = [_u32(word, at) for at in (0x50, 0x54, 0x5C, 0x60, 0x64, 0x68)]
    return [main] + rest


def clean(text: str) -> str:
    """Word's control characters to plain text: field codes out, field results kept, marks to
    line breaks, pictures and note references dropped."""
    if "\x13" in text:
        # innermost first, until no field is left (nested fields: INCLUDE inside IF, …)
        for _ in range(20):
            new = _FIELD_CODE.sub(lambda m: "" if m.group(1) is None else "", text)
            if new == text:
                break
            text = new
        text = text.replace("\x13", "").replace("\x14", "").replace("\x15", "")
    text = text.translate(_DROP).translate(_MAP)
    return text.replace("\r", "\n").replace("\x0c", "\f")


def extract_doc(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.legacy import not_ole

    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        return not_ole(data, name, limits, depth, "doc")
    ole = _open(data)
    try:
        if not ole.exists("WordDocument"):
            raise Damaged(f"The {KIND} is damaged: it has no Word text in it.")
        word = _stream(ole, "WordDocument", limits.max_file_bytes)
        if len(word) < 0x22 or _u16(word, 0) not in (0xA5EC, 0xA5DC):
            raise Damaged(f"The {KIND} is damaged: it does not start like a Word document.")
        n_fib, flags = _u16(word, 2), _u16(word, 0x0A)
        if flags & 0x0100:  # fEncrypted
            raise Encrypted()
        if n_fib < 101:  # Word 6.0 / 95
            text, lengths = _text_95(word), []
        else:
            table_name = "1Table" if flags & 0x0200 else "0Table"
            try:
                table = _stream(ole, table_name, limits.max_file_bytes)
            except KeyError:
                raise Damaged(f"The {KIND} is damaged: its table stream is missing.") from None
            text, lengths = _text_97(word, table, limits), _story_lengths(word)
        title = _title(ole)
    finally:
        ole.close()
    return _result(text, lengths, title, limits)


def _title(ole) -> str | None:
    try:
        meta = ole.get_metadata()
        raw = meta.title
    except Exception:  # noqa: BLE001 - properties are optional
        return None
    if isinstance(raw, bytes):
        raw = raw.decode("cp1252", "replace")
    raw = " ".join((raw or "").replace("\x00", "").split())
    return raw[:500] or None


def _result(text: str, lengths: list[int], title: str | None, limits: Limits) -> Extracted:
    builder = SectionBuilder(limits, paged=False)
    parts: list[tuple[str | None, str]] = []
    if lengths and sum(lengths) <= len(text) + 1:
        pos = 0
        for heading, n in zip((None,) + STORIES, lengths):
            if n > 0:
                parts.append((heading, text[pos:pos + n]))
            pos += n
    else:
        parts.append((None, text))
    for heading, story in parts:
        if heading:
            builder.start_part(heading)
        for para in clean(story).split("\n"):
            if para.strip():
                builder.add(para.strip().replace("\f", " "))
            if builder.full:
                break
    sections = builder.finish()
    return Extracted(OK, truncation_note(builder, limits), "doc", title or None, sections)
