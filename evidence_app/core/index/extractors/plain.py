"""Plain text, Markdown and CSV, with encoding detection (BOM, UTF-8, charset-normalizer, cp1252)."""
from __future__ import annotations

import codecs
import csv
import io
import re

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.detect import detect_format

BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"))
SAMPLE = 64 * 1024
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def detect_encoding(data: bytes) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip) for a text file's bytes."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    sample = data[:SAMPLE]
    try:
        sample.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4 and len(data) > SAMPLE:
            return "utf-8", 0  # a character cut by the sample's end
    nuls = sample.count(0)
    if nuls > len(sample) // 10:  # UTF-16 without a BOM: NULs in the high bytes
        odd = sample[1::2].count(0)
        return ("utf-16-le" if odd >= nuls - odd else "utf-16-be"), 0
    high = sum(1 for b in sample if b >= 0x80)
    # Mostly-ASCII text with a few accented letters, pound signs or curly quotes: in this
    # country that is nearly always Windows-1252, which guessers often misread on short texts.
    if high <= len(sample) * 0.3 and not any(b in _CP1252_UNDEFINED for b in sample):
        return "cp1252", 0
    try:
        # start-up: charset_normalizer is loaded only when this runs
        from charset_normalizer import from_bytes

        best = from_bytes(sample[:16 * 1024]).best()
        if best is not None and best.encoding:
            codecs.lookup(best.encoding)
            return best.encoding, 0
    except Exception:  # noqa: BLE001 - detection is a guess; fall back below
        pass
    return "cp1252", 0


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; never fails (undecodable bytes become U+FFFD)."""
    enc, skip = detect_encoding(data)
    text = data[skip:].decode(enc, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""), enc


def _paragraphs(text: str):
    """Blocks of text between blank lines."""
    block: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield "\n".join(block)
            block = []
    if block:
        yield "\n".join(block)


def _csv_lines(text: str):
    first = text[:4096].split("\n", 1)[0]
    delim = max(",;\t|", key=first.count) if first else ","
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delim):
            cells = [c.strip() for c in row]
            if any(cells):
                yield " | ".join(c for c in cells if c)
    except csv.Error:
        yield from (line for line in text.split("\n") if line.strip())


def extract_text(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    fmt = detect_format(data, name)
    fmt = fmt if fmt in ("txt", "md", "csv") else "txt"
    # Decode no more than the text budget could use (4 bytes per char at most).
    text, enc = decode_text(data[: limits.max_text_chars * 4 + 4])
    builder = SectionBuilder(limits)
    if fmt == "csv":
        for line in _csv_lines(text):
            builder.add(line)
            if builder.full:
                break
    else:
        for block in _paragraphs(text):
            m = MD_HEADING.match(block.split("\n", 1)[0]) if fmt == "md" else None
            if m:
                builder.set_heading(m.group(2))
                rest = block.split("\n", 1)[1] if "\n" in block else ""
                builder.add(rest)
            else:
                builder.add(block)
            if builder.full:
                break
    title = builder.first_heading if fmt == "md" else None
    return Extracted(OK, truncation_note(builder, limits), fmt, title, builder.finish(), None,
                     {"encoding": enc})
