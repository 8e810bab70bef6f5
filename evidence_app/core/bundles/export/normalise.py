"""The one normal form every name, term and text is matched in, with a map back to the original.

People write the same name many ways: "Zoë" and "Zoe" (and "Zoe" + a combining diaeresis, as macOS
stores file names), "O'Neill", "O’Neill", "ONeill", "Pryce‑Hughes" with a non-breaking hyphen,
"Ashlyn%20Smith" in a link. Matching on the raw text misses all but one of them, so text is folded
first: accents removed (NFD, combining marks dropped, a few letters such as ß and ø spelt out),
every apostrophe-like character made "'", every hyphen or dash made "-", curly quotes made '"',
`%20` made a space. Case is kept (capitals tell a name from an ordinary word); comparisons lower
the case themselves.

Replacements must land in the original text, so folding returns, for each character of the folded
text, the index of the original character it came from. Most text is plain ASCII and folds to
itself (no map is built: identity), and most non-ASCII text folds one character to one character
(a translate table, no map either); only text with combining marks, `%20` or letters that become
two letters takes the slow path that builds the map.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'’ʼ‘`′´ʻ"
HYPHENS = "-‐‑‒–—―−"
QUOTES = "“”„‟«»"
_SPECIAL = {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
            "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d",
            "Ð": "D", "ħ": "h", "Ħ": "H"}


def _fold_char(ch: str) -> str:
    if ch in APOSTROPHES:
        return "'"
    if ch in HYPHENS:
        return "-"
    if ch in QUOTES:
        return '"'
    if ch in "\u00a0\u2007\u202f\u2009\u200a":
        return " "
    if ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
        return ""                       # soft hyphen, zero-width characters
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if unicodedata.combining(ch):
        return ""
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base or ch


def _table() -> tuple[dict, dict]:
    """One-to-one folds (for str.translate) and the rest (need the slow path)."""
    one, other = {}, {}
    for code in list(range(0x80, 0x250)) + list(range(0x1E00, 0x1F00)) + \
            [ord(c) for c in APOSTROPHES + HYPHENS + QUOTES] + \
            [0xA0, 0x2007, 0x202F, 0x2009, 0x200A, 0x1E9E]:
        ch = chr(code)
        folded = _fold_char(ch)
        if folded == ch:
            continue
        if len(folded) == 1:
            one[code] = folded
        else:
            other[ch] = folded
    return one, other


_ONE, _OTHER = _table()


_SLOW = re.compile("%20|[" + "".join(_OTHER) + "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff"
                   "\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff]")


def fold(text: str) -> tuple[str, list[int] | None]:
    """(folded text, map) where map[i] is the original index of folded character i, or None when
    the folding kept every index (then folded[i] came from text[i])."""
    if text.isascii() and "%20" not in text and "`" not in text:
        return text, None
    if not _SLOW.search(text):
        return text.translate(_ONE), None
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and text[i + 1:i + 3] == "20":
            out.append(" ")
            index.append(i)
            i += 3
            continue
        folded = _ONE.get(ord(ch)) if ord(ch) in _ONE else _fold_char(ch) if ord(ch) > 127 else ch
        for c in folded:
            out.append(c)
            index.append(i)
        i += 1
    return "".join(out), index


def to_original(index: list[int] | None, start: int, end: int, length: int) -> tuple[int, int]:
    """A span of the folded text as a span of the original (combining marks that follow the last
    letter are included)."""
    if index is None:
        return start, end
    a = index[start] if start < len(index) else length
    b = index[end] if end < len(index) else length
    return a, b


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """Folded and lower-cased: how a word is looked up."""
    return fold(text)[0].lower()
