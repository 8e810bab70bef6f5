"""The PDF page view: the real page, as the inspector will see it, opened at the hit's page.

Pages are drawn by pdfium in an isolated worker process (core/page_render.py), off the UI thread;
the view shows one page at a time with previous/next and a zoom that follows the pane's width.
"""
from __future__ import annotations

import atexit
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout,
                               QWidget)

from ..style import icon, muted
from ..workers import run_task

_renderer = None


def renderer():  # noqa: ANN201
    """One page-drawing worker for the whole app, started on first use."""
    global _renderer
    if _renderer is None:
        from ...core.page_render import PageRenderer

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
        lay.addLayout(bar)
        self.image = QLabel("")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setAccessibleName("PDF page")
        self.image.setStyleSheet(f"color: {muted().name()}")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.image)
        lay.addWidget(self.scroll, 1)

    def open(self, path: str, page: int | None) -> None:
        self.path = path
        self.pages = 0
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
        path = self.path
        width = max(400, self.scroll.viewport().width() - 24)

        def work(_io):  # noqa: ANN001, ANN202 - runs on a pool thread
            return renderer().render(path, page, scale=width / 595.0)

        handle = run_task(Path("."), work, lambda r, n=number: self._shown(n, r),
                          lambda msg, n=number: self._failed(n, msg))
        self._handles.append(handle)
        handle.done.connect(lambda h=handle: self._handles.remove(h) if h in self._handles else None)

    def _shown(self, number: int, rendered) -> None:  # noqa: ANN001
        if number != self._request:
            return  # a later request superseded this one
        pix = QPixmap()
        pix.loadFromData(rendered.png, "PNG")
        self.image.setPixmap(pix)
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
