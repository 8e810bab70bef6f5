"""The PDF page view: the real page, as the inspector will see it, opened at the hit's page.

Pages are drawn by pdfium in an isolated worker process (core/index/page_render.py), off the UI thread;
the search's words are shaded on the page where pdfium finds them; the view shows one page at a
time with previous/next, and zooms (Zoom in / Zoom out / Fit width, Ctrl+plus, Ctrl+minus,
Ctrl+wheel) from a fit-to-width start.
"""
from __future__ import annotations

import atexit
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout,
                               QWidget)

from evidence_app.ui.style import icon, muted
from evidence_app.ui.workers import run_task

_renderer = None


def renderer():  # noqa: ANN201
    """One page-drawing worker for the whole app, started on first use."""
    global _renderer
    if _renderer is None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.index.page_render import PageRenderer

        _renderer = PageRenderer()
        atexit.register(_renderer.close)
    return _renderer


class PdfPageView(QWidget):
    pageShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: str | None = None
        self.page = 1
        self.pages = 0
        self.terms: tuple[str, ...] = ()
        self.zoom = 1.0  # times the pane's width
        self._request = 0
        self._handles: list = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.prev = QToolButton()
        self.prev.setIcon(icon("previous"))
        self.prev.setAccessibleName("Previous page")
        self.prev.setToolTip("Previous page")
        self.prev.clicked.connect(lambda: self.show_page(self.page - 1))
        self.label = QLabel("")
        self.label.setAccessibleName("Page number")
        self.next = QToolButton()
        self.next.setIcon(icon("next"))
        self.next.setAccessibleName("Next page")
        self.next.setToolTip("Next page")
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        for w in (self.prev, self.label, self.next):
            bar.addWidget(w)
        bar.addStretch(1)
        self.zoom_out = self._zoom_button("−", "Zoom out (Ctrl+minus)", 1 / 1.25)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_in = self._zoom_button("+", "Zoom in (Ctrl+plus)", 1.25)
        self.fit = QToolButton()
        self.fit.setText("Fit width")
        self.fit.setAccessibleName("Fit the page to the width")
        self.fit.setToolTip("Fit the page to the width")
        self.fit.clicked.connect(lambda: self.set_zoom(1.0))
        for w in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit):
            bar.addWidget(w)
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtGui import QKeySequence, QShortcut

        for keys, factor in (("Ctrl++", 1.25), ("Ctrl+=", 1.25), ("Ctrl+-", 1 / 1.25)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda f=factor: self.set_zoom(self.zoom * f))
        lay.addLayout(bar)
        self.image = QLabel("")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setAccessibleName("PDF page")
        self.image.setStyleSheet(f"color: {muted().name()}")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.image)
        lay.addWidget(self.scroll, 1)

    def _zoom_button(self, text: str, tip: str, factor: float) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        b.clicked.connect(lambda: self.set_zoom(self.zoom * factor))
        return b

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.5, min(4.0, zoom))
        self.zoom_label.setText(f"{self.zoom * 100:.0f}%")
        self.zoom_label.setAccessibleDescription(self.zoom_label.text())
        self.zoom_out.setEnabled(self.zoom > 0.5)
        self.zoom_in.setEnabled(self.zoom < 4.0)
        if self.path:
            self.show_page(self.page)

    def wheelEvent(self, event) -> None:  # noqa: ANN001, N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom * (1.25 if event.angleDelta().y() > 0 else 1 / 1.25))
            event.accept()
            return
        super().wheelEvent(event)

    def open(self, path: str, page: int | None, terms: list[str] | tuple = ()) -> None:
        """Show `page` of the PDF with the search's `terms` shaded on it."""
        self.path = path
        self.pages = 0
        self.terms = tuple(terms)
        self.show_page(page or 1)

    def show_page(self, page: int) -> None:
        if not self.path:
            return
        if self.pages:
            page = max(1, min(page, self.pages))
        self.page = page
        self._request += 1
        number = self._request
        self.label.setText(f"Page {page}" + (f" of {self.pages}" if self.pages else "") + " …")
        path, terms = self.path, self.terms
        width = max(300, self.scroll.viewport().width() - 24) * self.zoom
        ratio = self.devicePixelRatioF()

        def work(_io):  # noqa: ANN001, ANN202 - runs on a pool thread
            return renderer().render(path, page, scale=width * ratio / 595.0, terms=terms)

        handle = run_task(Path("."), work, lambda r, n=number: self._shown(n, r),
                          lambda msg, n=number: self._failed(n, msg))
        self._handles.append(handle)
        handle.done.connect(lambda h=handle: self._handles.remove(h) if h in self._handles else None)

    def _shown(self, number: int, rendered) -> None:  # noqa: ANN001
        if number != self._request:
            return  # a later request superseded this one
        pix = QPixmap()
        pix.loadFromData(rendered.png, "PNG")
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pix)
        self.image.setAccessibleDescription(
            f"Page {rendered.page} of {rendered.pages}"
            + (f"; the search words are shaded: {', '.join(self.terms)}" if self.terms else ""))
        self.page, self.pages = rendered.page, rendered.pages
        self.label.setText(f"Page {self.page} of {self.pages}")
        self.prev.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < self.pages)
        self.pageShown.emit(self.page)

    def _failed(self, number: int, message: str) -> None:
        if number == self._request:
            self.image.setPixmap(QPixmap())
            self.image.setText(message)
            self.label.setText(f"Page {self.page}")
