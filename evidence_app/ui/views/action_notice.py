"""The status area's answer to an action: "Tagged as evidence for HP-04 (strong)" with Undo.

Shown in the window's status bar for a while (and announced to screen readers through its
accessible description); Undo takes back exactly that action while it is still the last one.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

SHOW_MS = 15000


class ActionNotice(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.setSpacing(6)
        self.label = QLabel("")
        self.label.setAccessibleName("What just happened")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.setToolTip("Take back what was just done (Ctrl+Z)")
        self.undo_button.clicked.connect(self._undo)
        lay.addWidget(self.label)
        lay.addWidget(self.undo_button)
        self._undo_fn: Callable[[], str | None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_notice(self, text: str, undo: Callable[[], str | None] | None = None,
                    ms: int = SHOW_MS) -> None:
        """`undo()` returns None when it worked, else a message to show instead."""
        self._undo_fn = undo
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.setAccessibleDescription(text)
        self.undo_button.setVisible(undo is not None)
        self.undo_button.setEnabled(True)
        self.show()
        self._timer.start(ms)

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def _undo(self) -> None:
        if self._undo_fn is None:
            return
        problem = self._undo_fn()
        self._undo_fn = None
        self.show_notice(problem or "Undone.", None, 6000)
