"""Building the preview's text (runs off the UI thread): chunks joined with page markers, the
places where the query's terms occur, and a map back to offsets in the document's own text.

Offsets given to Qt are in UTF-16 code units (what QTextCursor counts), so characters outside the
Basic Multilingual Plane (emoji) do not shift the highlights.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from evidence_app.core.index.chunking import SEPARATOR
from evidence_app.core.store.records import Chunk, Document

MAX_MATCHES = 20000
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly", "ment", "ments", "ation", "ations")


@dataclass
class Span:
    display_start: int  # in the preview's text (UTF-16 units)
    doc_start: int  # in the document's full text (Python str offsets, as stored)
    length: int  # UTF-16 units
    page: int | None
    chunk_id: int


@dataclass
class PreviewText:
    document: Document | None
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    matches: list[tuple[int, int]] = field(default_factory=list)  # (start, length), UTF-16 units
    markers: list[tuple[int, int]] = field(default_factory=list)  # page marker (start, length)
    truncated_matches: bool = False
    evidence: list = field(default_factory=list)  # this document's evidence items

    def span_at(self, pos: int) -> Span | None:
        starts = [s.display_start for s in self.spans]
        i = bisect.bisect_right(starts, pos) - 1
        return self.spans[i] if i >= 0 else None

    def span_for_chunk(self, chunk_id: int | None) -> Span | None:
        for s in self.spans:
            if s.chunk_id == chunk_id:
                return s
        return None

    def page_at(self, pos: int) -> int | None:
        s = self.span_at(pos)
        return s.page if s else None

    def doc_offset(self, pos: int) -> int | None:
        """Where a preview position is in the document's full text (what evidence anchors to)."""
        s = self.span_at(pos)
        if s is None:
            return None
        within = min(max(pos - s.display_start, 0), s.length)
        chunk_text = self.text_utf16_slice(s.display_start, within)
        return s.doc_start + len(chunk_text)

    def display_pos(self, doc_offset: int) -> int | None:
        """Where an offset in the document's text is in the preview (inverse of doc_offset)."""
        for s in self.spans:
            chunk = self.text_utf16_slice(s.display_start, s.length)
            if s.doc_start <= doc_offset <= s.doc_start + len(chunk):
                within = chunk[:doc_offset - s.doc_start]
                return s.display_start + len(within.encode("utf-16-le")) // 2
        return None

    def text_utf16_slice(self, start: int, length: int) -> str:
        raw = self.text.encode("utf-16-le")[start * 2:(start + length) * 2]
        return raw.decode("utf-16-le", errors="ignore")


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[:-len(suffix)]
    return w


def term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One regex matching every term (words with their other forms, phrases across spacing)."""
    alts = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = re.findall(r"\w+", term)
        if not words:
            continue
        parts = [re.escape(_stem(w)) + r"\w*" for w in words]
        alts.append(r"\b" + r"\W+".join(parts))
    if not alts:
        return None
    return re.compile("|".join(alts), re.IGNORECASE)


def _utf16_index(text: str):  # noqa: ANN202
    """A function from Python offsets to UTF-16 offsets (identity for BMP-only text)."""
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if re.search(
        "[\U00010000-\U0010ffff]", text) else []
    if not astral:
        return lambda i: i
    return lambda i: i + bisect.bisect_left(astral, i)


def build_preview(document: Document | None, chunks: list[Chunk] | tuple[Chunk, ...],
                  terms: list[str]) -> PreviewText:
    """The preview of a document: its chunks joined, a page marker where the page changes, and
    the places where `terms` occur."""
    parts: list[str] = []
    raw_spans: list[tuple[int, int, int, int | None, int]] = []
    raw_markers: list[tuple[int, int]] = []
    pos = 0
    last_page = None
    for c in chunks:
        if c.page is not None and c.page != last_page:
            marker = f"— Page {c.page} —"
            raw_markers.append((pos, len(marker)))
            parts.append(marker + "\n")
            pos += len(marker) + 1
            last_page = c.page
        raw_spans.append((pos, c.start, len(c.text), c.page, c.id))
        parts.append(c.text)
        pos += len(c.text)
        parts.append(SEPARATOR)
        pos += len(SEPARATOR)
    text = "".join(parts).rstrip("\n")
    u = _utf16_index(text)
    out = PreviewText(document, text)
    out.spans = [Span(u(a), ds, u(a + n) - u(a), pg, cid) for a, ds, n, pg, cid in raw_spans]
    out.markers = [(u(a), u(a + n) - u(a)) for a, n in raw_markers]
    pattern = term_pattern(terms)
    if pattern is not None:
        for m in pattern.finditer(text):
            if len(out.matches) >= MAX_MATCHES:
                out.truncated_matches = True
                break
            out.matches.append((u(m.start()), u(m.end()) - u(m.start())))
    return out


def load_preview(ws, doc_id: int, terms: list[str]) -> PreviewText:  # noqa: ANN001
    # start-up: loaded when first used, not when the window opens
    from evidence_app.ui.lookups import document_text

    data = document_text(ws, doc_id)
    out = build_preview(data.document, data.chunks, terms)
    out.evidence = document_evidence(ws, doc_id)
    return out


def document_evidence(ws, doc_id: int) -> list:  # noqa: ANN001
    """The evidence filed from this document (to shade its passages in the preview)."""
    try:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.evidence import evidence
    except ImportError:
        return []
    return evidence.list_items(ws, document_id=doc_id)
