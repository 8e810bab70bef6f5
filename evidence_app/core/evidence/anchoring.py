"""Finding a tagged passage again in a document's (possibly changed) text. Pure functions.

A passage is remembered by its exact quote, ~60 characters of context either side, and its
character offset in the document's full text (chunks joined by "\\n\\n"). After the document is
re-indexed:

1. the quote still occurs (whitespace runs may differ) -> `anchored`; with several occurrences the
   one whose context matches best wins, then the one nearest the old offset;
2. else a fuzzy match (rapidfuzz partial alignment, near the old offset first, then the whole
   text) with similarity >= 0.8 -> `moved`, with the score and where the text now is;
3. else `orphaned`: the item keeps its quote so a person can review it.
"""
from __future__ import annotations

import bisect
import re

from rapidfuzz import fuzz

from evidence_app.core.base.frozen import frozen

CONTEXT = 60
THRESHOLD = 0.8
MIN_FUZZY_CHARS = 12  # shorter quotes match too much by chance to be moved fuzzily


@frozen
class Located:
    state: str  # anchored | moved | orphaned
    start: int | None = None
    end: int | None = None
    similarity: float | None = None

    def text(self, full: str) -> str | None:
        return None if self.start is None else full[self.start:self.end]


def squash(text: str) -> str:
    """Whitespace runs collapsed to one space, ends trimmed: the form quotes are compared in."""
    return " ".join(text.split())


def find_exact(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of the quote, tolerant of whitespace differences only: its words in
    order, each run of whitespace between them matching any run (the regex `w1\\s+w2…`,
    non-overlapping, left to right). Matched by hand with `str.find`: compiling that regex for
    each new quote was ~0.15 ms of every passage tag (~15% of its time)."""
    words = quote.split()
    if not words:
        return []
    first, rest = words[0], words[1:]
    out: list[tuple[int, int]] = []
    pos = 0
    while (start := text.find(first, pos)) >= 0:
        end = _rest_of(text, start + len(first), rest)
        if end is None:
            pos = start + 1
        else:
            out.append((start, end))
            pos = end
    return out


def _rest_of(text: str, at: int, words: list[str]) -> int | None:
    """Where the words end when each follows a run of whitespace from `at`; None if not."""
    n = len(text)
    for word in words:
        i = at
        while i < n and text[i].isspace():
            i += 1
        if i == at or not text.startswith(word, i):
            return None
        at = i + len(word)
    return at


def context(text: str, start: int, end: int) -> tuple[str, str]:
    return text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def _context_score(text: str, span: tuple[int, int], before: str, after: str) -> float:
    b, a = context(text, *span)
    score = 0.0
    if before:
        score += fuzz.ratio(squash(b)[-len(squash(before)):], squash(before))
    if after:
        score += fuzz.ratio(squash(a)[:len(squash(after))], squash(after))
    return score


def locate(text: str, quote: str, before: str = "", after: str = "",
           old_start: int | None = None) -> Located:
    spans = find_exact(text, quote)
    old = old_start or 0
    if spans:
        best = max(spans, key=lambda s: (round(_context_score(text, s, before, after)),
                                         -abs(s[0] - old)))
        return Located("anchored", best[0], best[1], 1.0)
    return fuzzy(text, quote, old_start)


def fuzzy(text: str, quote: str, old_start: int | None = None) -> Located:
    q = squash(quote)
    if len(q) < MIN_FUZZY_CHARS or not text.strip():
        return Located("orphaned")
    found = None
    if old_start is not None and len(text) > 4 * len(q) + 2000:
        lo = max(0, old_start - 2 * len(q) - 1000)
        hi = min(len(text), old_start + 3 * len(q) + 1000)
        found = _align(text, q, lo, hi)
    if found is None:
        found = _align(text, q, 0, len(text))
    if found is None:
        return Located("orphaned")
    start, end = found
    similarity = fuzz.ratio(q, squash(text[start:end])) / 100
    if similarity < THRESHOLD:
        return Located("orphaned")
    return Located("moved", start, end, round(similarity, 3))


def _align(text: str, q: str, lo: int, hi: int) -> tuple[int, int] | None:
    window = text[lo:hi]
    if len(window) <= len(q):
        return (lo, hi) if fuzz.ratio(q, squash(window)) >= THRESHOLD * 100 else None
    res = fuzz.partial_ratio_alignment(q, window, score_cutoff=THRESHOLD * 100 - 5)
    if res is None:
        return None
    return _best_span(text, q, lo + res.dest_start, lo + res.dest_end)


_WORD_START = re.compile(r"(?<!\S)\S")
_WORD_END = re.compile(r"\S(?!\S)")


def _best_span(text: str, q: str, start: int, end: int) -> tuple[int, int]:
    """The alignment has the quote's length; an edited passage may be longer or shorter. Try
    whole-word boundaries around it and keep the span most similar to the quote."""
    slack = max(12, len(q) // 4)
    starts = [m.start() for m in _WORD_START.finditer(text, max(0, start - slack),
                                                      min(len(text), start + slack))]
    ends = [m.end() for m in _WORD_END.finditer(text, max(0, end - slack),
                                                min(len(text), end + slack))]
    best, best_score = (start, end), -1.0
    for s in starts or [start]:
        for e in ends or [end]:
            if e - s < len(q) // 2:
                continue
            score = fuzz.ratio(q, squash(text[s:e]))
            if score > best_score:
                best, best_score = (s, e), score
    return best


def page_at(chunk_starts: list[int], chunk_pages: list[int | None], offset: int) -> int | None:
    """The page of the chunk holding `offset` (chunks sorted by start)."""
    if not chunk_starts:
        return None
    i = bisect.bisect_right(chunk_starts, offset) - 1
    return chunk_pages[max(i, 0)]
