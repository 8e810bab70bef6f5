"""Text that any user, file or file system can produce, made safe to store and to print.

Command-line arguments on POSIX arrive with undecodable bytes as lone surrogates (U+DC80-U+DCFF);
SQLite and UTF-8 output refuse those, and control characters (NUL, ESC, a stray CR) corrupt a
terminal line or hide text. `clean_text` turns such input into text that can be stored (bytes a
legacy Windows terminal typed are read as Windows-1252, so "café" survives); `printable` shows a
value inside a one-line message without letting it break the line.
"""
from __future__ import annotations

import re

_SURROGATES = re.compile(r"[\ud800-\udfff]+")
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROLS_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _redecode(match: re.Match) -> str:
    """Lone surrogates from surrogateescape become the bytes they stood for, read as cp1252."""
    chunk = match.group(0)
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        raw = bytes(ord(c) - 0xDC00 for c in chunk)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("cp1252", errors="replace")
    return "\ufffd" * len(chunk)


def has_bad_chars(value: str) -> bool:
    return bool(_SURROGATES.search(value) or _CONTROLS_MULTI_LINE.search(value))


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` with undecodable bytes re-read and control characters removed.

    One-line text (names, titles, references) loses every control character (a tab or newline
    becomes a space); multi-line text (notes, quotes) keeps tabs and line breaks.
    """
    if not isinstance(value, str):
        value = str(value)
    value = _SURROGATES.sub(_redecode, value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROLS_MULTI_LINE.sub("", value)
    return _CONTROLS_ONE_LINE.sub(" ", value)


def printable(value, limit: int = 120) -> str:
    """A value as it may appear inside a one-line message: no control characters, no raw
    undecodable bytes, and no more than `limit` characters."""
    text = str(value)
    text = _SURROGATES.sub(lambda m: "".join(f"\\x{ord(c) - 0xDC00:02x}" if c >= "\udc80"
                                             else "\ufffd" for c in m.group(0)), text)
    text = _CONTROLS_ONE_LINE.sub(lambda m: f"\\x{ord(m.group(0)):02x}"
                                  if ord(m.group(0)) < 0x100 else " ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
