"""Paragraph tagging mode (Alt+P): the document's paragraphs one per row, for people who work by
keyboard or with a screen reader. Up/Down move, Enter opens the tag picker for that paragraph."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from evidence_app.core.evidence import evidence
from evidence_app.core.store import document_reads as docstore
from evidence_app.ui.views.evidence_common import MessageBar, muted_label, name

QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_ROLE = Qt.ItemDataRole.UserRole + 2


def paragraphs(ws, doc_id: int) -> list[tuple[str, int | None, int]]:  # noqa: ANN001
    """(paragraph text, page, start offset in the document's text) for each non-empty line."""
    dt = evidence.document_text(ws, doc_id)
    out, pos = [], 0
    for line in dt.text.split("\n"):
        text = " ".join(line.split())
        if text:
            out.append((text, dt.page_at(pos), pos))
        pos += len(line) + 1
    return out


def row_at(rows: list[tuple[str, int | None, int]], offset: int | None) -> int:
    """The paragraph holding `offset` (the search hit the person was reading), else the first."""
    if offset is None:
        return 0
    best = 0
    for i, (_text, _page, start) in enumerate(rows):
        if start <= offset:
            best = i
        else:
            break
    return best


class ParagraphTagger(QDialog):
    def __init__(self, ctx, document_id: int, parent: QWidget | None = None,  # noqa: ANN001
                 at_offset: int | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.document_id = ctx, document_id
        self.at_offset = at_offset  # open at the paragraph of the current hit
        self.tag_dialog = None
        self.ready = False
        doc = docstore.get_document(ctx.ws.db, document_id)
        title = doc.label if doc is not None else f"document {document_id}"
        self.setWindowTitle(f"Paragraph tagging — {title}")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label("Up and Down move between paragraphs; Enter tags the current "
                                  "paragraph as evidence; Escape closes."))
        self.where = QLabel("Reading the document…")
        name(self.where, "Position")
        lay.addWidget(self.where)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        name(self.list, "Paragraphs", "Enter tags the current paragraph")
        self.list.currentRowChanged.connect(self._on_row)
        self.list.itemActivated.connect(lambda _item: self.tag_current())
        lay.addWidget(self.list, 1)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        tag = buttons.addButton("&Tag paragraph…", QDialogButtonBox.ButtonRole.ActionRole)
        name(tag, "Tag the current paragraph")
        tag.setAutoDefault(False)
        tag.clicked.connect(self.tag_current)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        lay.addWidget(buttons)
        self.resize(720, 600)
        ctx.run(lambda io: paragraphs(io.ws, document_id), self._show, self._failed)

    def _show(self, rows: list[tuple[str, int | None, int]]) -> None:
        for text, page, _start in rows:
            item = QListWidgetItem(text)
            item.setData(QUOTE_ROLE, text)
            item.setData(PAGE_ROLE, page)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         text + (f" (page {page})" if page else ""))
            self.list.addItem(item)
        self.ready = True
        if rows:
            row = row_at(rows, self.at_offset)
            self.list.setCurrentRow(row)
            self.list.scrollToItem(self.list.item(row), QListWidget.ScrollHint.PositionAtCenter)
            self.list.setFocus()
        else:
            self.where.setText("This document has no text in the index to tag by paragraph.")

    def _failed(self, message: str) -> None:
        self.ready = True
        self.message.show_message(message)

    def _on_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.list.item(row).data(PAGE_ROLE)
        self.where.setText(f"Paragraph {row + 1} of {self.list.count()}"
                           + (f", page {page}" if page else ""))
        self.where.setAccessibleDescription(self.where.text())

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.list.hasFocus():
            self.tag_current()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:  # noqa: N802
        """Closing hands the keyboard back to the window (its shortcuts work at once)."""
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            parent.window().activateWindow()

    def _back_to_list(self) -> None:
        """After tagging, the keyboard is back on the paragraph list (Down, Enter, …)."""
        self.activateWindow()
        self.list.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def tag_current(self):  # noqa: ANN201
        item = self.list.currentItem()
        if item is None:
            return None
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.tag_dialog import TagDialog

        self.tag_dialog = TagDialog(self.ctx, self.document_id, quote=item.data(QUOTE_ROLE),
                                    page=item.data(PAGE_ROLE), parent=self)
        confirm = getattr(self.parent(), "confirm_tagged", None)
        if confirm is not None:
            self.tag_dialog.tagged.connect(confirm)
        self.tag_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tag_dialog.finished.connect(lambda _r: self._back_to_list())
        self.tag_dialog.open()
        return self.tag_dialog


def open_paragraph_tagger(ctx, document_id: int, parent: QWidget | None = None,  # noqa: ANN001
                          at_offset: int | None = None) -> ParagraphTagger:
    """What the window calls for Alt+P with a document in the preview (opens at the hit)."""
    dialog = ParagraphTagger(ctx, document_id, parent, at_offset)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
