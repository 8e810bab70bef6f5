"""The snippet under a search result: the passage around the best hit, not the header lines.

FTS5's own snippet picks the fragment with the most matches in a passage; in a case record that
is often the heading block ("Workforce development strategy / Document | Workforce development
strategy / Owner | …"), which says nothing a person did not know from the title. Here a hit in a
sentence of running text is preferred: each line holding a query term is scored by how many
different terms it holds, lines that look like a heading, a table row or a "Label | value" line
count for less, and the snippet is the words around the first term in the best line, with the
matches marked as FTS5 marks them. When the terms are only in the heading block (the title
matched), the snippet is the opening of the running text instead: the title is already shown.
"""
from __future__ import annotations

import re
from functools import lru_cache

_LABEL = re.compile(r"^[A-Z][\w ()/-]{0,28}:\s")  # "Owner: …", "Family contact: …" (a form row)
WORDS_AROUND = 14  # on each side of the first match
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly", "ments", "ment", "ations", "ation")


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[:-len(suffix)]
    return w


def term_patterns(terms: list[str]) -> list[re.Pattern[str]]:
    """One pattern per term: its words with their other forms, a phrase across spacing."""
    return list(_term_patterns(tuple(terms)))


@lru_cache(maxsize=64)
def _term_patterns(terms: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """(Made once per query: a page of results asks for them once per hit.)"""
    out = []
    for term in dict.fromkeys(terms):
        words = re.findall(r"\w+", term)
        if words:
            out.append(re.compile(r"\b" + r"\W+".join(re.escape(_stem(w)) + r"\w*" for w in words),
                                  re.IGNORECASE))
    return tuple(out)


@lru_cache(maxsize=64)
def _needles(terms: tuple[str, ...]) -> tuple[str | None, ...]:
    """For each of `_term_patterns(terms)`: the lower-case first stem its matches start with,
    when that stem is ASCII, else None. Matching ignores case, and in ASCII text an ASCII
    letter matches only its two cases, so a line whose lower-case form lacks the stem holds no
    match: a substring test (fast, in C) then spares the pattern's walk along the line, which
    was most of a search's snippet time."""
    out: list[str | None] = []
    for term in dict.fromkeys(terms):
        words = re.findall(r"\w+", term)
        if words:
            stem = _stem(words[0])
            out.append(stem if stem.isascii() else None)
    return tuple(out)


@lru_cache(maxsize=64)
def _combined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def _line_weight(line: str) -> float:
    """Running text counts fully; short lines, headings and 'Label | value' rows much less."""
    s = line.strip()
    sentence = len(s.split()) >= 6 and s[-1:] in ".!?”\"'"
    if (len(s) < 60 and not sentence) or s.count("|") >= 1 or s.count("\t") >= 2 \
            or s.isupper() or _LABEL.match(s):
        return 0.2
    if not re.search(r"[.;:!?,]", s):
        return 0.5  # a long line without punctuation: a title or a list of words
    return 1.0


def _paragraph(line: str) -> bool:
    return len(line) >= 60 and len(line.strip()) >= 60 and _line_weight(line) == 1.0


def has_running_text(text: str) -> bool:
    """A paragraph of running text (not only headings, short lines and label rows)."""
    return any(_paragraph(line) for line in text.split("\n"))


def best_passage(text: str, terms: list[str], mark: tuple[str, str],
                 opening: bool = True) -> str | None:
    """The marked words around the best hit in running text; else (with `opening`) the first
    words of the running text; else None."""
    patterns = _term_patterns(tuple(terms))
    if not patterns or not text:
        return None
    needles = _needles(tuple(terms))
    best, best_score = None, 0.0
    for line in text.split("\n"):
        if line.isascii():
            # a pattern can only match an ASCII line where its first stem is (see _needles)
            low = line.lower()
            found = [m for p, needle in zip(patterns, needles)
                     if needle is None or needle in low for m in [p.search(line)] if m]
        else:
            found = [m for p in patterns for m in [p.search(line)] if m]
        if found:
            score = (len(found) + 0.1 * sum(len(p.findall(line)) for p in patterns)) \
                * _line_weight(line)
            if score > best_score:
                best, best_score = (line, min(m.start() for m in found)), score
    if best is None or best_score < 0.5:
        return _opening(text) if opening else None
    line, first = best
    before = line[:first].split()
    after = line[first:].split()
    left = before[-WORDS_AROUND:]
    right = after[:WORDS_AROUND + 6]
    snippet = " ".join(left + right)
    snippet = _combined(patterns).sub(lambda m: f"{mark[0]}{m.group(0)}{mark[1]}", snippet)
    return ("…" if len(before) > len(left) else "") + snippet + \
        ("…" if len(after) > len(right) else "")


def opening_of(text: str) -> str | None:
    """The first words of the first line of running text (for a hit in the title only); None
    exactly when the text has none (`has_running_text` is false)."""
    return _opening(text)


def _opening(text: str) -> str | None:
    """The first words of the first line of running text (for a hit in the title only)."""
    for line in text.split("\n"):
        if _paragraph(line):
            words = line.split()
            return " ".join(words[:2 * WORDS_AROUND]) + ("…" if len(words) > 2 * WORDS_AROUND else "")
    return None
