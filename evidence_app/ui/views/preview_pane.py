"""The preview: a document's text with every query term highlighted, hit navigation, page
markers, opening the file, and the hooks for tagging a selected passage as evidence."""
from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QToolTip,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.search.search import SearchHit
from evidence_app.core.store.records import EvidenceItem
from evidence_app.ui import desktop
from evidence_app.ui.preview_text import PreviewText, load_preview
from evidence_app.ui.style import ACCENT, icon, muted
from evidence_app.ui.preview_text import document_evidence

TAGGED_COLOUR = "#d9ccf2"  # passages filed as evidence (lavender: not a coverage colour)
MAX_HIGHLIGHTS = 400  # on screen at once
HIGHLIGHT_MARGIN = 4000  # characters above and below the visible part
OCR_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")  # files OCR can read


def tagged_tip(items: list[EvidenceItem]) -> str:
    """'Evidence: HP-04, HP-15 — strong, a strength — "note"' for each item under the pointer."""
    lines = []
    for item in items:
        line = f"Evidence for {', '.join(item.links)} — {item.strength}, {item.kind}"
        if item.note:
            line += f": {item.note}"
        lines.append(line)
    return "\n".join(lines)


class PreviewPane(QWidget):
    tagRequested = Signal(int, str, int, object)  # document id, quote, start offset, page (or None)
    documentTagRequested = Signal(int)  # tag the whole document
    ocrRequested = Signal(list)  # document ids to read again with OCR
    loaded = Signal()
    selectionAvailable = Signal(bool)  # a passage is selected (Tag selection can work)

    def __init__(self, runner, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.runner = runner  # SerialRunner for loading text off the UI thread
        self.runner.finished.connect(self._on_loaded)
        self.runner.failed.connect(self._on_failed)
        self.hit: SearchHit | None = None
        self.preview: PreviewText | None = None
        self.current = -1
        self._request = 0
        self._pdf = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 8, 4)
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

        self.stack = QStackedWidget()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.setAccessibleName("Document text")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text.customContextMenuRequested.connect(self._context_menu)
        self.text.document().setDocumentMargin(10)
        self.text.selectionChanged.connect(self._on_selection)
        self.text.viewport().installEventFilter(self)
        self.tagged: list[tuple[int, int, EvidenceItem]] = []  # (start, length, item) in preview units
        self.terms: list[str] = []  # the search's words, also shaded on a PDF's page
        self._formats = self._make_formats()
        self._rehighlight = QTimer(self)
        self._rehighlight.setSingleShot(True)
        self._rehighlight.setInterval(30)
        self._rehighlight.timeout.connect(self._highlight)
        self.text.verticalScrollBar().valueChanged.connect(lambda _: self._rehighlight.start())
        self.empty = QLabel("Choose a result to read it here.\n\nMatches are highlighted; "
                            "F3 and Shift+F3 move between them.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("Preview")
        self.empty.setStyleSheet(f"color: {muted().name()}")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.text)
        lay.addWidget(self.stack, 1)

        self.toolbar = QWidget()
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        self.prev_button = self._tool("previous", "Previous hit (Shift+F3)", self.previous_hit)
        self.hit_label = QLabel("")
        self.hit_label.setAccessibleName("Hit position")
        self.next_button = self._tool("next", "Next hit (F3)", self.next_hit)
        self.tag_button = self._tool("tag", "Tag selection… (Ctrl+T)", self.request_tag, text=True)
        self.tag_doc_button = self._tool("tag", "Tag whole document… (Ctrl+Shift+T)",
                                         self.request_document_tag, text=True,
                                         label="Tag document…")
        self.page_button = self._tool("page-view", "Show the PDF's pages", self.toggle_page_view)
        self.page_button.setCheckable(True)
        self.page_button.setVisible(False)
        self.open_button = self._tool("open-file", "Open file", self.open_file, text=True)
        self.folder_button = self._tool("folder", "Show in folder", self.show_in_folder, text=True)
        for w in (self.prev_button, self.hit_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.tag_button, self.tag_doc_button, self.page_button, self.open_button,
                  self.folder_button):
            bar.addWidget(w)
        lay.addWidget(self.toolbar)
        self.clear()

    @staticmethod
    def _make_formats() -> dict[str, QTextCharFormat]:
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
        return {"match": match, "current": current, "marker": marker, "tagged": tagged}

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._rehighlight.start()
        self._fit_toolbar()

    def _fit_toolbar(self) -> None:
        """On a narrow pane (a laptop at 150%) the buttons show their icons only, rather than
        cut words; their names stay in the tooltip and for screen readers."""
        buttons = (self.tag_button, self.tag_doc_button, self.open_button, self.folder_button)
        for b in buttons:
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        need = self.toolbar.sizeHint().width()
        room = self.width() - 24
        if need > room:
            for b in buttons[2:]:
                b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            if self.toolbar.sizeHint().width() > room:
                for b in buttons[:2]:
                    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def _tool(self, icon_name: str, tip: str, slot, text: bool = False,  # noqa: ANN001
              label: str | None = None) -> QToolButton:
        b = QToolButton()
        b.setIcon(icon(icon_name))
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        if text:
            b.setText(label or tip.split(" (")[0])
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    # -- loading -------------------------------------------------------------------------------
    def clear(self) -> None:
        self.hit = None
        self.preview = None
        self.current = -1
        self.runner.forget()
        self.title.setText("")
        self.meta.setText("")
        self.text.setPlainText("")
        self.stack.setCurrentWidget(self.empty)
        self._update_controls()

    def show_hit(self, hit: SearchHit, terms: list[str]) -> None:
        """Load the hit's document in the background; then scroll to the hit's passage."""
        self.terms = list(terms)
        same_doc = self.hit is not None and self.preview is not None and \
            self.hit.document_id == hit.document_id
        self.hit = hit
        self.title.setText(hit.title)
        self.meta.setText(self._meta_text(hit))
        self.open_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        if same_doc:
            self._go_to_chunk(hit.chunk_id)
            return
        self.hit_label.setText("Loading…")
        doc_id = hit.document_id
        terms = list(terms)
        self._request = self.runner.submit(lambda ws: load_preview(ws, doc_id, terms))

    def _meta_text(self, hit: SearchHit) -> str:
        parts = []
        if hit.case_ref:
            parts.append(hit.case_ref)
        if hit.page:
            parts.append(f"p. {hit.page}")
        parts.append(hit.path + (f" › {hit.member}" if hit.member else ""))
        return " · ".join(parts)

    def _on_loaded(self, number: int, preview: PreviewText) -> None:
        if number != self.runner.latest or self.hit is None:
            return
        self.preview = preview
        self.text.setPlainText(preview.text)
        self.stack.setCurrentWidget(self.text)
        doc = preview.document or {}
        reason = doc.get("reason") if doc.get("status") not in (None, "ok") else ""
        if reason:
            self.meta.setText(self._meta_text(self.hit) + f"\n{reason}")
        if not preview.text:
            self.text.setPlainText("(This document has no text to show.)")
        self.page_button.setVisible(doc.get("format") == "pdf")
        self.page_button.setChecked(False)
        self.set_tagged(preview.evidence)
        self._go_to_chunk(self.hit.chunk_id)
        self.loaded.emit()

    def _on_failed(self, number: int, message: str) -> None:
        if number != self.runner.latest:
            return
        self.text.setPlainText(message)
        self.stack.setCurrentWidget(self.text)
        self.hit_label.setText("")

    # -- evidence already filed ----------------------------------------------------------------
    def set_tagged(self, items: list[EvidenceItem]) -> None:
        """Mark the passages of this document that are evidence (anchored ones only)."""
        self.tagged = []
        p = self.preview
        if p is None:
            return
        for item in items:
            if not item.quote or item.start is None or item.anchor not in ("anchored", "moved"):
                continue
            start = p.display_pos(int(item.start))
            end = p.display_pos(int(item.end)) if item.end is not None else None
            if start is None or end is None or end <= start:
                continue
            self.tagged.append((start, end - start, item))
        n = len({i.id for *_, i in self.tagged})
        if n and self.hit is not None:
            self.meta.setText(self._meta_text(self.hit) + "\n" + (
                f"{n} passage{'s' if n != 1 else ''} here {'is' if n == 1 else 'are'} already "
                "evidence (shaded; hover to see the lines of enquiry)."))
        self._highlight()

    def reload_tagged(self) -> None:
        """After tagging or undo: fetch this document's evidence again (off the UI thread)."""
        if self.hit is None or self.preview is None:
            return
        doc_id = self.hit.document_id
        self._tag_request = getattr(self, "_tag_request", 0) + 1
        number = self._tag_request

        def done(items) -> None:  # noqa: ANN001
            if number == self._tag_request and self.hit is not None and \
                    self.hit.document_id == doc_id:
                self.set_tagged(items)

        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.workers import run_task

        self._tag_handle = run_task(self.runner.workspace_root, lambda io: document_evidence(io.ws, doc_id),
                                    done, lambda _m: None)

    def tagged_at(self, pos: int) -> list[dict]:
        return [item for start, length, item in self.tagged if start <= pos < start + length]

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if obj is self.text.viewport() and event.type() == event.Type.ToolTip:
            items = self.tagged_at(self.text.cursorForPosition(event.pos()).position())
            if items:
                QToolTip.showText(event.globalPos(), tagged_tip(items), self.text)
                return True
            QToolTip.hideText()
        return super().eventFilter(obj, event)

    # -- hits ----------------------------------------------------------------------------------
    @property
    def match_count(self) -> int:
        return len(self.preview.matches) if self.preview else 0

    def _go_to_chunk(self, chunk_id: int | None) -> None:
        p = self.preview
        if p is None:
            return
        span = p.span_for_chunk(chunk_id) if chunk_id is not None else None
        if not p.matches:
            self.current = -1
            if span is not None:
                self._scroll_to(span.display_start, 0)
            self._highlight()
            return
        index = 0
        if span is not None:
            index = bisect.bisect_left(p.matches, (span.display_start, 0))
            if index >= len(p.matches):
                index = len(p.matches) - 1
        self.go_to_hit(index)

    def go_to_hit(self, index: int) -> None:
        if not self.match_count:
            return
        self.current = index % self.match_count
        start, length = self.preview.matches[self.current]  # type: ignore[union-attr]
        self._scroll_to(start, length)
        self._highlight()

    def current_doc_offset(self) -> int | None:
        """Where the person is reading, in the document's text: the current hit, else the
        cursor (for paragraph tagging, which opens there)."""
        p = self.preview
        if p is None:
            return None
        if 0 <= self.current < len(p.matches):
            return p.doc_offset(p.matches[self.current][0])
        return p.doc_offset(self.text.textCursor().position())

    def next_hit(self) -> None:
        if self.match_count:
            self.go_to_hit(self.current + 1)

    def previous_hit(self) -> None:
        if self.match_count:
            self.go_to_hit(self.current - 1)

    def _scroll_to(self, start: int, length: int) -> None:
        """Put the cursor at the hit without selecting it: the hit is shown by its highlight,
        and a selection only ever means the person chose a passage (Tag selection)."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()
        self._update_controls()

    def _visible_range(self) -> tuple[int, int]:
        """Preview positions on screen, widened by a margin so a short scroll needs no redraw."""
        view = self.text.viewport()
        first = self.text.cursorForPosition(view.rect().topLeft()).position()
        last = self.text.cursorForPosition(view.rect().bottomRight()).position()
        return max(0, first - HIGHLIGHT_MARGIN), last + HIGHLIGHT_MARGIN

    def _highlight(self) -> None:
        """Highlight the matches on screen (a long document may have thousands: painting all of
        them would stall the window), the current hit strongly, and the page markers."""
        p = self.preview
        selections = []
        if p is not None and self.stack.currentWidget() is self.text:
            lo, hi = self._visible_range()
            doc = self.text.document()

            def add(start: int, length: int, fmt: QTextCharFormat) -> None:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(doc)
                sel.cursor.setPosition(start)
                sel.cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
                sel.format = fmt
                selections.append(sel)

            for start, length, _item in self.tagged:
                if start + length >= lo and start <= hi:
                    add(start, length, self._formats["tagged"])
            for start, length in p.markers[bisect.bisect_left(p.markers, (lo, 0)):]:
                if start > hi:
                    break
                add(start, length, self._formats["marker"])
            first = bisect.bisect_left(p.matches, (lo, 0))
            for i in range(first, min(len(p.matches), first + MAX_HIGHLIGHTS)):
                start, length = p.matches[i]
                if start > hi:
                    break
                add(start, length, self._formats["current" if i == self.current else "match"])
            if 0 <= self.current < len(p.matches) and not lo <= p.matches[self.current][0] <= hi:
                add(*p.matches[self.current], self._formats["current"])
        self.text.setExtraSelections(selections)

    def _update_controls(self) -> None:
        n = self.match_count
        has_doc = self.hit is not None
        if not has_doc:
            self.hit_label.setText("")
        elif n:
            page = self.preview.page_at(self.preview.matches[self.current][0]) \
                if self.preview and self.current >= 0 else None
            more = "+" if self.preview and self.preview.truncated_matches else ""
            text = f"hit {self.current + 1:,} of {n:,}{more}"
            self.hit_label.setText(text + (f" · p. {page}" if page else ""))
        else:
            self.hit_label.setText("no matches in the text")
        self.hit_label.setAccessibleDescription(self.hit_label.text())
        self.prev_button.setEnabled(n > 1)
        self.next_button.setEnabled(n > 1)
        for b in (self.tag_doc_button, self.open_button, self.folder_button):
            b.setEnabled(has_doc)
        self._on_selection()
        self.toolbar.setVisible(has_doc)

    def has_selection(self) -> bool:
        return self.hit is not None and self.preview is not None and \
            self.text.textCursor().hasSelection() and self.stack.currentWidget() is self.text

    def _on_selection(self) -> None:
        on = self.has_selection()
        self.tag_button.setEnabled(on)
        self.tag_button.setToolTip("Tag selection… (Ctrl+T)" if on else
                                   "Select a passage first (mouse, or Shift+arrows), or use "
                                   "paragraph tagging (Alt+P)")
        self.selectionAvailable.emit(on)

    # -- passages and tagging ------------------------------------------------------------------
    def selected_passage(self) -> tuple[str, int, int | None] | None:
        """(quote, start offset in the document's text, page) of the selection, or None."""
        cursor = self.text.textCursor()
        if self.preview is None or not cursor.hasSelection():
            return None
        start = cursor.selectionStart()
        quote = cursor.selectedText().replace("\u2029", "\n").strip()
        if not quote:
            return None
        offset = self.preview.doc_offset(start)
        if offset is None:
            return None
        return quote, offset, self.preview.page_at(start)

    def request_tag(self) -> bool:
        passage = self.selected_passage()
        if self.hit is None:
            return False
        if passage is None:
            self.hit_label.setText("Select a passage first, then Tag selection (Ctrl+T).")
            return False
        quote, start, page = passage
        self.tagRequested.emit(self.hit.document_id, quote, start, page)
        return True

    def request_document_tag(self) -> bool:
        if self.hit is None:
            return False
        self.documentTagRequested.emit(self.hit.document_id)
        return True

    def _context_menu(self, pos) -> None:  # noqa: ANN001
        menu = QMenu(self)
        tag = menu.addAction(icon("tag"), "Tag selection…", self.request_tag)
        tag.setShortcut("Ctrl+T")
        tag.setEnabled(self.text.textCursor().hasSelection())
        whole = menu.addAction("Tag whole document…", self.request_document_tag)
        whole.setShortcut("Ctrl+Shift+T")
        menu.addSeparator()
        menu.addAction("Copy", self.text.copy).setEnabled(self.text.textCursor().hasSelection())
        menu.addAction("Open file", self.open_file)
        menu.addAction("Show in folder", self.show_in_folder)
        if self.hit is not None and not getattr(self.hit, "member", "") and str(
                self.hit.path).lower().endswith(OCR_SUFFIXES):
            menu.addSeparator()
            menu.addAction("Read again with OCR", self.request_ocr)
        menu.exec(self.text.mapToGlobal(pos))

    def request_ocr(self) -> bool:
        """'Read again with OCR' for the file shown (its scanned pages only)."""
        if self.hit is None:
            return False
        self.ocrRequested.emit([self.hit.document_id])
        return True

    # -- files ---------------------------------------------------------------------------------
    def open_file(self) -> None:
        if self.hit is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.hit.path))

    def show_in_folder(self) -> None:
        if self.hit is not None:
            desktop.show_in_folder(self.hit.path)

    # -- PDF pages (only where QtPdf is installed) ---------------------------------------------
    def toggle_page_view(self, checked: bool) -> None:
        """Show the PDF's real pages (drawn in a worker process), opened at the current hit."""
        if not checked or self.hit is None:
            self.stack.setCurrentWidget(self.text)
            return
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pdf_page_view import PdfPageView

        if self._pdf is None:
            self._pdf = PdfPageView()
            self.stack.addWidget(self._pdf)
        self.stack.setCurrentWidget(self._pdf)
        page = self.preview.page_at(self.preview.matches[self.current][0]) \
            if self.preview and self.preview.matches and self.current >= 0 else self.hit.page
        self._pdf.open(self.hit.path, page, self.terms)
