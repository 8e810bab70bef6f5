"""The top of a view: a bold title saying what is shown, a muted line of facts under it, and the
view's buttons for it on the right (the bundle builder, the case page, the self-evaluation area).

One widget, so the three views look and read alike (a screen reader hears the title's name and
the facts as its description) and a change of style is made once.
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_app.ui.views.evidence_common import muted_label, name


class ViewHeader(QWidget):
    def __init__(self, title: str, accessible: str, *, facts: str | None = None,
                 scale: float = 1.15, wrap: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._top = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setWordWrap(wrap)
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * scale)
        self.title.setFont(f)
        name(self.title, accessible)
        self._top.addWidget(self.title, 1)
        lay.addLayout(self._top)
        self.facts: QLabel | None = None
        if facts is not None:
            self.facts = muted_label("")
            name(self.facts, facts)
            lay.addWidget(self.facts)

    def add_button(self, button: QPushButton) -> QPushButton:
        self._top.addWidget(button)
        return button

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_facts(self, text: str) -> None:
        if self.facts is not None:
            self.facts.setText(text)
            self.facts.setAccessibleDescription(text)
