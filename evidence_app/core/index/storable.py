"""Making extracted text storable before it leaves the worker: SQLite and UTF-8 output refuse
lone UTF-16 surrogates, and a NUL cuts text short in places.

Parsers emit such text more often than one would think: an RTF `\\u` escape for a character
outside the Basic Multilingual Plane arrives as two separate halves, a damaged one as one half; a
Word binary or an e-mail header may hold NULs. `storable` joins split pairs into the real
character, replaces any lone half with U+FFFD and drops NULs; `clean_extracted` applies it to
everything of an `Extracted` that is written to the database (texts, title, reason, attachment
names, recursively).
"""
from __future__ import annotations

import re

from evidence_app.core.index.extractors.base import Extracted, Section

_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def storable(text: str | None) -> str | None:
    """`text` with split surrogate pairs joined, lone ones replaced and NULs removed."""
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if text.isascii():
        return text.replace("\x00", "") if "\x00" in text else text
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _SURROGATE.search(text) is None:
        return text
    # UTF-16 with surrogatepass keeps every half as written; decoding pairs them up again and
    # turns the halves that have no partner into U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_extracted(result: Extracted | None, depth: int = 0) -> Extracted | None:
    """Make every text of `result` storable, in place (returns it for convenience)."""
    if result is None:
        return None
    result.reason = storable(result.reason) or ""
    result.title = storable(result.title)
    result.format = storable(result.format) or ""
    result.sections = [s if _clean(s.text, s.heading) else
                       Section(storable(s.text) or "", s.page, storable(s.heading))
                       for s in result.sections]
    if depth < 16:
        result.children = [(storable(name) or "", clean_extracted(child, depth + 1))
                           for name, child in result.children]
    else:
        result.children = []
    return result


def _clean(text: str, heading: str | None) -> bool:
    return storable(text) is text and (heading is None or storable(heading) is heading)
