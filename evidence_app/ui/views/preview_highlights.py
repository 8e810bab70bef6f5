"""What the preview paints over its text: the query's matches (the current one strongly), the
page markers, and the passages already filed as evidence, with the tooltip that names them.

Only what is on screen (with a margin) is painted: a long document may have thousands of
matches, and painting them all would stall the window. Positions are preview positions (UTF-16
units, see ui/preview_text.py)."""
from __future__ import annotations

import bisect

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from evidence_app.core.base.frozen import frozen
from evidence_app.core.store.records import EvidenceItem
from evidence_app.ui.preview_text import PreviewText
from evidence_app.ui.style import ACCENT, muted

TAGGED_COLOUR = "#d9ccf2"  # passages filed as evidence (lavender: not a coverage colour)
MAX_HIGHLIGHTS = 400  # on screen at once
HIGHLIGHT_MARGIN = 4000  # characters above and below the visible part

Tagged = tuple[int, int, EvidenceItem]  # (start, length, item) in preview positions


def tagged_tip(items: list[EvidenceItem]) -> str:
    """'Evidence: HP-04, HP-15 — strong, a strength — "note"' for each item under the pointer."""
    lines = []
    for item in items:
        line = f"Evidence for {', '.join(item.links)} — {item.strength}, {item.kind}"
        if item.note:
            line += f": {item.note}"
        lines.append(line)
    return "\n".join(lines)


def tagged_spans(preview: PreviewText, items: list[EvidenceItem]) -> list[Tagged]:
    """Where this document's evidence passages are in the preview (anchored ones only: a
    passage that is missing or orphaned has no place in the text as it is now)."""
    out: list[Tagged] = []
    for item in items:
        if not item.quote or item.start is None or item.anchor not in ("anchored", "moved"):
            continue
        start = preview.display_pos(int(item.start))
        end = preview.display_pos(int(item.end)) if item.end is not None else None
        if start is None or end is None or end <= start:
            continue
        out.append((start, end - start, item))
    return out


def tagged_at(tagged: list[Tagged], pos: int) -> list[EvidenceItem]:
    """The evidence items whose passage covers preview position `pos`."""
    return [item for start, length, item in tagged if start <= pos < start + length]


@frozen
class Formats:
    """How each kind of highlight looks."""

    match: QTextCharFormat
    current: QTextCharFormat
    marker: QTextCharFormat
    tagged: QTextCharFormat

    @classmethod
    def make(cls) -> Formats:
        match = QTextCharFormat()
        match.setBackground(QColor(255, 213, 79, 150))
        match.setForeground(QColor("#000000"))
        current = QTextCharFormat()
        current.setBackground(QColor(ACCENT))
        current.setForeground(QColor("#ffffff"))
        marker = QTextCharFormat()
        marker.setForeground(muted())
        marker.setFontWeight(700)
        tagged = QTextCharFormat()  # evidence already filed: its own colour, underlined too
        tagged.setBackground(QColor(TAGGED_COLOUR))
        tagged.setForeground(QColor("#000000"))
        tagged.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        tagged.setUnderlineColor(QColor("#5b3f9e"))
        return cls(match, current, marker, tagged)


class Highlights:
    """The painting of one preview's text box."""

    def __init__(self, text: QPlainTextEdit) -> None:
        self.text = text
        self.formats = Formats.make()

    def visible_range(self) -> tuple[int, int]:
        """Preview positions on screen, widened by a margin so a short scroll needs no redraw."""
        view = self.text.viewport()
        first = self.text.cursorForPosition(view.rect().topLeft()).position()
        last = self.text.cursorForPosition(view.rect().bottomRight()).position()
        return max(0, first - HIGHLIGHT_MARGIN), last + HIGHLIGHT_MARGIN

    def paint(self, preview: PreviewText | None, tagged: list[Tagged], current: int) -> None:
        """Highlight the matches on screen, the current hit strongly (even off screen), the
        page markers and the evidence passages; None clears them."""
        selections: list[QTextEdit.ExtraSelection] = []
        if preview is not None:
            lo, hi = self.visible_range()
            doc = self.text.document()

            def add(start: int, length: int, fmt: QTextCharFormat) -> None:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(doc)
                sel.cursor.setPosition(start)
                sel.cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
                sel.format = fmt
                selections.append(sel)

            for start, length, _item in tagged:
                if start + length >= lo and start <= hi:
                    add(start, length, self.formats.tagged)
            markers = preview.markers
            for start, length in markers[bisect.bisect_left(markers, (lo, 0)):]:
                if start > hi:
                    break
                add(start, length, self.formats.marker)
            matches = preview.matches
            first = bisect.bisect_left(matches, (lo, 0))
            for i in range(first, min(len(matches), first + MAX_HIGHLIGHTS)):
                start, length = matches[i]
                if start > hi:
                    break
                add(start, length, self.formats.current if i == current else self.formats.match)
            if 0 <= current < len(matches) and not lo <= matches[current][0] <= hi:
                add(*matches[current], self.formats.current)
        self.text.setExtraSelections(selections)
