"""The preview: a document's text with every query term highlighted, hit navigation, page
markers, opening the file, and the hooks for tagging a selected passage as evidence.

The pane loads the text off the UI thread and keeps the reading position; its parts each have
one purpose: the header (preview_header.py), the highlights (preview_highlights.py) and the
bar of buttons (preview_toolbar.py). The text itself is built in ui/preview_text.py."""
from __future__ import annotations

import bisect

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import (QLabel, QMenu, QPlainTextEdit, QStackedWidget, QToolTip,
                               QVBoxLayout, QWidget)

from evidence_app.core.base.fsnames import to_disk
from evidence_app.core.search.search import SearchHit
from evidence_app.core.store.records import EvidenceItem
from evidence_app.ui import desktop
from evidence_app.ui.preview_text import PreviewText, document_evidence, load_preview
from evidence_app.ui.style import icon, muted
from evidence_app.ui.views.preview_header import PreviewHeader, evidence_note, unread_note
from evidence_app.ui.views.preview_highlights import (Highlights, Tagged, tagged_at, tagged_spans,
                                                      tagged_tip)
from evidence_app.ui.views.preview_toolbar import PreviewToolbar

OCR_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")  # files OCR can read


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
        self.tagged: list[Tagged] = []  # this document's evidence passages, in preview units
        self.terms: list[str] = []  # the search's words, also shaded on a PDF's page
        self._request = 0
        self._tag_request = 0
        self._pdf = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 8, 4)
        lay.setSpacing(6)
        self.header = PreviewHeader()
        self.title, self.meta = self.header.title, self.header.meta
        lay.addWidget(self.header)

        self.stack = QStackedWidget()
        self.text = self._make_text()
        self.highlights = Highlights(self.text)
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

        self.toolbar = PreviewToolbar()
        self._connect_toolbar(self.toolbar)
        lay.addWidget(self.toolbar)
        self.clear()

    def _make_text(self) -> QPlainTextEdit:
        text = QPlainTextEdit()
        text.setReadOnly(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        text.setAccessibleName("Document text")
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        text.customContextMenuRequested.connect(self._context_menu)
        text.document().setDocumentMargin(10)
        text.selectionChanged.connect(self._on_selection)
        text.viewport().installEventFilter(self)
        return text

    def _connect_toolbar(self, bar: PreviewToolbar) -> None:
        # the buttons by their old names too: the window, its tests and screenshots use them
        self.prev_button, self.next_button = bar.prev_button, bar.next_button
        self.hit_label, self.tag_button = bar.hit_label, bar.tag_button
        self.tag_doc_button, self.page_button = bar.tag_doc_button, bar.page_button
        self.open_button, self.folder_button = bar.open_button, bar.folder_button
        bar.prev_button.clicked.connect(self.previous_hit)
        bar.next_button.clicked.connect(self.next_hit)
        bar.tag_button.clicked.connect(self.request_tag)
        bar.tag_doc_button.clicked.connect(self.request_document_tag)
        bar.page_button.clicked.connect(self.toggle_page_view)
        bar.open_button.clicked.connect(self.open_file)
        bar.folder_button.clicked.connect(self.show_in_folder)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._rehighlight.start()
        self.toolbar.fit(self.width())

    # -- loading -------------------------------------------------------------------------------
    def clear(self) -> None:
        self.hit = None
        self.preview = None
        self.current = -1
        self.runner.forget()
        self.header.clear()
        self.text.setPlainText("")
        self.stack.setCurrentWidget(self.empty)
        self._update_controls()

    def show_hit(self, hit: SearchHit, terms: list[str]) -> None:
        """Load the hit's document in the background; then scroll to the hit's passage."""
        self.terms = list(terms)
        same_doc = self.hit is not None and self.preview is not None and \
            self.hit.document_id == hit.document_id
        self.hit = hit
        if same_doc:
            self._show_header()
            self._go_to_chunk(hit.chunk_id)
            return
        self.header.show_hit(hit)
        self.open_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        self.toolbar.set_position("Loading…")
        doc_id = hit.document_id
        terms = list(terms)
        self._request = self.runner.submit(lambda ws: load_preview(ws, doc_id, terms))

    def _show_header(self) -> None:
        """The hit's title and place, with why the text may be incomplete and how many of its
        passages are already evidence."""
        if self.hit is None:
            return
        document = self.preview.document if self.preview is not None else None
        passages = len({item.id for *_, item in self.tagged})
        notes = (unread_note(document), evidence_note(passages))
        self.header.show_hit(self.hit, "\n".join(n for n in notes if n))

    def _on_loaded(self, number: int, preview: PreviewText) -> None:
        if number != self.runner.latest or self.hit is None:
            return
        self.preview = preview
        self.tagged = []
        self.text.setPlainText(preview.text)
        self.stack.setCurrentWidget(self.text)
        if not preview.text:
            self.text.setPlainText("(This document has no text to show.)")
        doc = preview.document
        self.page_button.setVisible(doc is not None and doc.format == "pdf")
        self.page_button.setChecked(False)
        self.set_tagged(preview.evidence)
        self._go_to_chunk(self.hit.chunk_id)
        self.loaded.emit()

    def _on_failed(self, number: int, message: str) -> None:
        if number != self.runner.latest:
            return
        self.text.setPlainText(message)
        self.stack.setCurrentWidget(self.text)
        self.toolbar.set_position("")

    # -- evidence already filed ----------------------------------------------------------------
    def set_tagged(self, items: list[EvidenceItem]) -> None:
        """Mark the passages of this document that are evidence (anchored ones only)."""
        if self.preview is None:
            self.tagged = []
            return
        self.tagged = tagged_spans(self.preview, items)
        self._show_header()
        self._highlight()

    def reload_tagged(self) -> None:
        """After tagging or undo: fetch this document's evidence again (off the UI thread)."""
        if self.hit is None or self.preview is None:
            return
        doc_id = self.hit.document_id
        self._tag_request += 1
        number = self._tag_request

        def done(items) -> None:  # noqa: ANN001
            if number == self._tag_request and self.hit is not None and \
                    self.hit.document_id == doc_id:
                self.set_tagged(items)

        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.workers import run_task

        self._tag_handle = run_task(self.runner.workspace_root,
                                    lambda io: document_evidence(io.ws, doc_id), done,
                                    lambda _m: None)

    def tagged_at(self, pos: int) -> list[EvidenceItem]:
        return tagged_at(self.tagged, pos)

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
                self._scroll_to(span.display_start)
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
        start, _length = self.preview.matches[self.current]  # type: ignore[union-attr]
        self._scroll_to(start)
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

    def _scroll_to(self, start: int) -> None:
        """Put the cursor at the hit without selecting it: the hit is shown by its highlight,
        and a selection only ever means the person chose a passage (Tag selection)."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()
        self._update_controls()

    def _highlight(self) -> None:
        shown = self.preview if self.stack.currentWidget() is self.text else None
        self.highlights.paint(shown, self.tagged, self.current)

    def _update_controls(self) -> None:
        n = self.match_count
        has_doc = self.hit is not None
        if not has_doc:
            self.toolbar.set_position("")
        elif n:
            page = self.preview.page_at(self.preview.matches[self.current][0]) \
                if self.preview and self.current >= 0 else None
            more = "+" if self.preview and self.preview.truncated_matches else ""
            text = f"hit {self.current + 1:,} of {n:,}{more}"
            self.toolbar.set_position(text + (f" · p. {page}" if page else ""))
        else:
            self.toolbar.set_position("no matches in the text")
        self.toolbar.set_state(n, has_doc, self.has_selection())
        self.selectionAvailable.emit(self.has_selection())
        self.toolbar.setVisible(has_doc)

    def has_selection(self) -> bool:
        return self.hit is not None and self.preview is not None and \
            self.text.textCursor().hasSelection() and self.stack.currentWidget() is self.text

    def _on_selection(self) -> None:
        on = self.has_selection()
        self.toolbar.set_selection(on)
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
            self.toolbar.set_position("Select a passage first, then Tag selection (Ctrl+T).")
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
        if self.hit is not None and not self.hit.member and str(
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
    # the hit's path is the stored form: a name that is not valid Unicode opens by its disk form
    def open_file(self) -> None:
        if self.hit is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(to_disk(self.hit.path)))

    def show_in_folder(self) -> None:
        if self.hit is not None:
            desktop.show_in_folder(to_disk(self.hit.path))

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
        self._pdf.open(to_disk(self.hit.path), page, self.terms)
