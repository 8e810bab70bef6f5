"""File and folder names that are not valid Unicode: kept losslessly, stored safely, shown readably.

On Linux a name is any bytes; one copied from an old Windows share or a USB stick is often
Windows-1252 (`Caf\\xe9.doc`), which Python gives us with each undecodable byte as a lone
surrogate (PEP 383 `surrogateescape`, U+DC80–U+DCFF). Windows allows unpaired UTF-16 surrogates
too. SQLite (and UTF-8 output) cannot hold lone surrogates, so three forms exist:

- the *disk* form: what `os` functions take and return; opens the file.
- the *stored* form (`to_store`): valid Unicode, what the database holds in `path`/`rel_path`.
  Identical to the disk form for every ordinary name; a lone surrogate becomes two characters of
  the Supplementary Private Use Area (`ESC` and one marker) and a literal `ESC` is doubled, so
  `to_disk(to_store(p)) == p` for every string (a bijection, tested with hypothesis).
- the *display* form (`display`): for people and the names index; each undecodable byte is read
  as Windows-1252 (what such names nearly always are here), so `Caf\\xe9.doc` shows as `Café.doc`.
"""
from __future__ import annotations

import re

ESC = "\U000F0000"
_MARK_BASE = 0xF0001  # ESC + chr(_MARK_BASE + (surrogate - 0xD800)) stands for one lone surrogate
_PATTERNS = {"needs_escape": ("[\ud800-\udfff\U000F0000]", 0), "escaped": ("\U000F0000(.)", re.S)}
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    """Compiled on first use: every command imports this module and most names never need it
    (compiling the first cost about as much as the rest of a search's imports)."""
    found = _compiled.get(name)
    if found is None:
        found = _compiled[name] = re.compile(*_PATTERNS[name])
    return found


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    if ch == ESC:
        return ESC + ESC
    return ESC + chr(_MARK_BASE + ord(ch) - 0xD800)


def to_store(path: str) -> str:
    """The form of `path` the database can hold (unchanged for ordinary names)."""
    if path.isascii() or not _pattern("needs_escape").search(path):
        return path
    return _pattern("needs_escape").sub(_escape, path)


def _unescape(m: re.Match) -> str:
    ch = m.group(1)
    if ch == ESC:
        return ESC
    n = ord(ch) - _MARK_BASE
    if 0 <= n <= 0x7FF:
        return chr(0xD800 + n)
    return m.group(0)  # not something to_store wrote: leave it alone


def to_disk(stored: str) -> str:
    """The name `os` functions understand, from the stored form."""
    if stored.isascii() or ESC not in stored:
        return stored
    return _pattern("escaped").sub(_unescape, stored)


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"


def display(path: str) -> str:
    """A readable version of a disk- or stored-form name (lossy: for showing and name search)."""
    path = to_disk(path)
    if path.isascii() or not re.search("[\ud800-\udfff]", path):
        return path
    out = []
    for ch in path:
        cp = ord(ch)
        if 0xDC80 <= cp <= 0xDCFF:
            out.append(_cp1252(cp - 0xDC00))
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def is_odd(path: str) -> bool:
    """True if the name is not valid Unicode (it needs escaping to be stored)."""
    return bool(_pattern("needs_escape").search(path)) and to_store(path) != path
