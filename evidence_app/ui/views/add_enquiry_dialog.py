"""The "Add a line of enquiry" dialog of Framework & coverage's edit mode: area, title, prompt."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
                               QPlainTextEdit, QWidget)

from evidence_app.core.evidence import framework
from evidence_app.ui.views.evidence_common import name


class AddEnquiryDialog(QDialog):
    def __init__(self, ws, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Add a line of enquiry")
        self.setAccessibleName(self.windowTitle())
        form = QFormLayout(self)
        self.area = QComboBox()
        for a in framework.areas(ws):
            self.area.addItem(f"{a.id} — {a.short_title or a.title}", a.id)
        name(self.area, "Judgement area")
        self.title = QLineEdit()
        name(self.title, "Title of the line of enquiry")
        self.prompt = QPlainTextEdit()
        self.prompt.setTabChangesFocus(True)
        self.prompt.setMaximumHeight(90)
        name(self.prompt, "Prompt", "Optional: what inspectors look for")
        form.addRow("&Area:", self.area)
        form.addRow("&Title:", self.title)
        form.addRow("&Prompt:", self.prompt)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(480, 240)
