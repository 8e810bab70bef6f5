"""RTF via striprtf, with embedded pictures and objects (long hex runs) removed first for speed."""
from __future__ import annotations

import re

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged, TooLarge, size_text
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note

MAX_RTF_BYTES = 20 * 1024 * 1024
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\r\n]*){256,}")
_TITLE = re.compile(r"\{\\title\s+([^{}]*)\}")


def extract_rtf(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    if len(data) > MAX_RTF_BYTES:
        raise TooLarge(f"The RTF document is too large to index ({size_text(len(data))}; the "
                       f"limit for RTF is {size_text(MAX_RTF_BYTES)}).")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body.lstrip().startswith(b"{\\rtf"):
        raise Damaged("The RTF document is damaged: it does not start like an RTF file.")
    from striprtf.striprtf import rtf_to_text  # start-up: striprtf is loaded only when this runs

    # RTF is 7-bit text; any raw high bytes are taken as Windows-1252.
    source = body.decode("cp1252", errors="replace")
    source = _HEX_RUN.sub("", source)
    try:
        text = rtf_to_text(source, errors="ignore")
    except (LookupError, ValueError, IndexError, OverflowError):
        raise Damaged("The RTF document is damaged: its formatting codes could not be read.") \
            from None
    builder = SectionBuilder(limits)
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\x00", "")):
        builder.add(block.strip())
        if builder.full:
            break
    title = None
    m = _TITLE.search(source[:200_000])
    if m and m.group(1).strip():
        cp = re.search(r"\\ansicpg(\d+)", source[:2000])
        try:
            raw = rtf_to_text("{\\rtf1\\ansi" + (f"\\ansicpg{cp.group(1)}" if cp else "")
                              + " " + m.group(1) + "}", errors="ignore")
            title = " ".join(raw.split())[:500] or None
        except Exception:  # noqa: BLE001 - a title is optional
            title = None
    return Extracted(OK, truncation_note(builder, limits), "rtf", title, builder.finish())
