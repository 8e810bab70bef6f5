"""The status bar's right side: indexing progress with Cancel, and the Problems (N) button."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from evidence_app.core.base.progress import Progress
from evidence_app.ui.indexing import describe
from evidence_app.ui.plain_words import DOCUMENTS_VS_FILES
from evidence_app.ui.style import icon
from evidence_app.ui.views.elided_label import ElidedLabel


class IndexStatus(QWidget):
    cancelRequested = Signal()
    problemsRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.setSpacing(8)
        self.label = ElidedLabel("")
        self.label.setAccessibleName("Indexing status")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.overview = ""  # what the files are, in plain words, shown while nothing runs
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

    busy = False
    note = ""

    def set_busy(self, label: str) -> None:
        self.busy = True
        self.label.setText(f"{label}…")
        self.bar.setRange(0, 0)  # busy indicator until the first progress arrives
        self.bar.show()
        self.cancel.show()
        self.cancel.setEnabled(True)

    def set_progress(self, p: Progress) -> None:
        text = describe(p)
        self.label.setText(text)
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(p.done)
        self.bar.setAccessibleDescription(text)

    def set_idle(self, message: str = "") -> None:
        """Nothing runs: show `message` (e.g. why indexing stopped), else the files overview."""
        self.busy = False
        self.note = message  # stays until the next pass starts (the overview does not hide it)
        self.label.setText(message or self.overview)
        self.label.setToolTip((message or self.overview) + "\n\n" + DOCUMENTS_VS_FILES)
        self.bar.hide()
        self.cancel.hide()

    def set_overview(self, text: str) -> None:
        """'150 files in 3 folders: 147 searchable, 2 damaged — see Problems'."""
        self.overview = text
        if not self.busy:
            self.set_idle(self.note)

    def set_cancelling(self) -> None:
        self.label.setText("Stopping after the current files…")
        self.cancel.setEnabled(False)

    def set_problems(self, n: int) -> None:
        self.problems.setText(f"Problems ({n:,})")
        self.problems.setAccessibleName("Problems")
        self.problems.setAccessibleDescription(
            f"{n:,} {'file' if n == 1 else 'files'} could not be read fully; opens the list")
        self.problems.setVisible(True)
