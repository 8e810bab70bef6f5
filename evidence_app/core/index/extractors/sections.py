"""Cut a document's text into `Section`s: at headings, page breaks, or about every 3,000 chars."""
from __future__ import annotations

from evidence_app.core.index.extractors.base import Limits, Section

TARGET_CHARS = 3000


class SectionBuilder:
    """Collects paragraphs and emits sections; stops collecting past limits.max_text_chars."""

    def __init__(self, limits: Limits, paged: bool = False, target: int = TARGET_CHARS):
        self.sections: list[Section] = []
        self.target = target
        self.page: int | None = 1 if paged else None
        self.heading: str | None = None
        self.first_heading: str | None = None
        self.budget = limits.max_text_chars
        self.total = 0
        self.truncated = False
        self._parts: list[str] = []
        self._size = 0

    @property
    def full(self) -> bool:
        return self.truncated

    def add(self, text: str) -> None:
        """Add one paragraph (or table row, or line). Blank text is dropped."""
        if not text or self.truncated:
            return
        if not text.strip():
            return
        room = self.budget - self.total
        if len(text) > room:
            text = text[:max(0, room)]
            self.truncated = True
            if not text:
                return
        self.total += len(text)
        while len(text) > 2 * self.target:  # one huge paragraph: cut at a space near the target
            cut = text.rfind(" ", self.target // 2, self.target)
            cut = cut if cut > 0 else self.target
            self._append(text[:cut])
            self.flush()
            text = text[cut:].lstrip()
        self._append(text)

    def _append(self, text: str) -> None:
        if self._size and self._size + len(text) > self.target:
            self.flush()
        self._parts.append(text)
        self._size += len(text) + 1

    def set_heading(self, text: str | None, include: bool = True) -> None:
        """Start a new section under `text`; the heading is also kept as searchable text."""
        self.flush()
        text = " ".join(text.split()) if text else None
        self.heading = text[:300] if text else None
        if text and self.first_heading is None:
            self.first_heading = self.heading
        if text and include:
            self.add(text)

    def page_break(self) -> None:
        self.flush()
        if self.page is not None:
            self.page += 1

    def start_part(self, heading: str | None) -> None:
        """Leave the paged body for an unpaged part (headers, footnotes, comments)."""
        self.flush()
        self.page = None
        self.heading = heading

    def flush(self) -> None:
        if self._parts:
            self.sections.append(Section("\n".join(self._parts), self.page, self.heading))
            self._parts = []
            self._size = 0

    def finish(self) -> list[Section]:
        self.flush()
        return self.sections


def truncation_note(builder: SectionBuilder, limits: Limits) -> str:
    if builder.truncated:
        return f"Only the first {limits.max_text_chars:,} characters of text were indexed."
    return ""
