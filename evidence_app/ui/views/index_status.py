"""The status bar's right side: indexing progress with Cancel, and the Problems (N) button."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ...core.progress import Progress
from ..indexing import describe
from ..style import icon


class IndexStatus(QWidget):
    cancelRequested = Signal()
    problemsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.setSpacing(8)
        self.label = QLabel("")
        self.label.setAccessibleName("Indexing status")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.label.setMinimumWidth(120)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Indexing progress")
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.cancel = QPushButton(icon("cancel"), "Cancel")
        self.cancel.setAccessibleName("Cancel indexing")
        self.cancel.setToolTip("Stop indexing; run again (F5) to finish later")
        self.cancel.clicked.connect(self.cancelRequested)
        self.problems = QPushButton(icon("problems"), "Problems (0)")
        self.problems.setFlat(True)
        self.problems.setAccessibleName("Problems")
        self.problems.setAccessibleDescription("Files that could not be read, with the reason")
        self.problems.setToolTip("Files that could not be read, and why")
        self.problems.clicked.connect(self.problemsRequested)
        lay.addWidget(self.label, 1)
        for w in (self.bar, self.cancel, self.problems):
            lay.addWidget(w)
        self.set_idle("")

    def set_busy(self, label: str) -> None:
        self.label.setText(f"{label}…")
        self.bar.setRange(0, 0)  # busy indicator until the first progress arrives
        self.bar.show()
        self.cancel.show()
        self.cancel.setEnabled(True)

    def set_progress(self, p: Progress) -> None:
        text = describe(p)
        self.label.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideMiddle, 420))
        self.label.setToolTip(text)
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
        self.bar.setAccessibleDescription(text)

    def set_idle(self, message: str) -> None:
        self.label.setText(message)
        self.label.setToolTip(message)
        self.bar.hide()
        self.cancel.hide()

    def set_cancelling(self) -> None:
        self.label.setText("Stopping after the current files…")
        self.cancel.setEnabled(False)

    def set_problems(self, n: int) -> None:
        self.problems.setText(f"Problems ({n:,})")
        self.problems.setAccessibleName(f"Problems: {n} files could not be read")
        self.problems.setVisible(True)
