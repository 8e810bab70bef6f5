"""The preview's header: the document's title, and under it where the hit is (case, page, path)
with any note the document needs (why it could not be read fully, passages already evidence).

Apart from the pane so the words shown about a document live in one place."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from evidence_app.core.base.fsnames import display
from evidence_app.core.search.search import SearchHit
from evidence_app.core.store.records import Document
from evidence_app.ui.style import muted


def where_text(hit: SearchHit) -> str:
    """'CH-000123 · p. 2 · /cases/CH-000123/letter.eml › minutes.docx'."""
    parts = []
    if hit.case_ref:
        parts.append(hit.case_ref)
    if hit.page:
        parts.append(f"p. {hit.page}")
    parts.append(display(hit.path) + (f" › {hit.member}" if hit.member else ""))
    return " · ".join(parts)


def unread_note(document: Document | None) -> str:
    """Why the text shown may be incomplete ('' when the document was read in full)."""
    if document is None or document.is_readable:
        return ""
    return document.reason or ""


def evidence_note(passages: int) -> str:
    """'2 passages here are already evidence (shaded; …)' ('' for none)."""
    if not passages:
        return ""
    return (f"{passages} passage{'s' if passages != 1 else ''} here "
            f"{'is' if passages == 1 else 'are'} already evidence (shaded; hover to see the "
            "lines of enquiry).")


class PreviewHeader(QWidget):
    """Title and details of the document shown; selectable, so a path can be copied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setAccessibleName("Document title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel("")
        self.meta.setWordWrap(True)
        self.meta.setAccessibleName("Document details")
        self.meta.setStyleSheet(f"color: {muted().name()}")
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.title)
        lay.addWidget(self.meta)

    def clear(self) -> None:
        self.title.setText("")
        self.meta.setText("")

    def show_hit(self, hit: SearchHit, note: str = "") -> None:
        """The hit's title and where it is, with `note` on its own line when there is one."""
        self.title.setText(hit.title)
        self.meta.setText(where_text(hit) + (f"\n{note}" if note else ""))
