"""Workspace settings: your name and team (Prepared by), default protective marking, extraction
limits. It only shows and edits `core.settings.Settings`: the keys, their types, defaults and
limits belong to the core, and Save hands every value to `core.settings.save` at once."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from evidence_app.core import settings as core_settings
from evidence_app.core.base.errors import EvidenceError
from evidence_app.ui.context import UiContext

MARKINGS = list(core_settings.MARKINGS)


class SettingsDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ws = ctx.ws
        current = core_settings.load(ws)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        lay = QVBoxLayout(self)

        work = QGroupBox("Your work")
        form = QFormLayout(work)
        self.author = QLineEdit(current.author or "")
        self.author.setAccessibleName("Your name")
        self.author.setToolTip("Printed as “Prepared by” on exports, and recorded on "
                               "the evidence you tag and in the audit log")
        form.addRow("Your &name:", self.author)
        self.team = QLineEdit(current.team or "")
        self.team.setAccessibleName("Your team")
        self.team.setToolTip("Optional: printed after your name (“Prepared by Priya Shah, "
                             "Quality Assurance”)")
        form.addRow("Your t&eam:", self.team)
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setCurrentText(current.default_marking)
        self.marking.setAccessibleName("Default protective marking")
        self.marking.setToolTip("Printed at the top and bottom of every exported page")
        form.addRow("Default &marking:", self.marking)
        lay.addWidget(work)

        limits = QGroupBox("Reading files")
        lf = QFormLayout(limits)
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setRange(1, 3600)
        self.time_limit.setDecimals(0)
        self.time_limit.setSuffix(" s")
        self.time_limit.setValue(float(current.time_limit_s))
        self.time_limit.setAccessibleName("Time limit per file, in seconds")
        lf.addRow("&Time limit per file:", self.time_limit)
        self.memory_limit = QSpinBox()
        self.memory_limit.setRange(128, 16384)
        self.memory_limit.setSingleStep(128)
        self.memory_limit.setSuffix(" MB")
        self.memory_limit.setValue(int(current.memory_limit_mb))
        self.memory_limit.setAccessibleName("Memory limit per file, in megabytes")
        lf.addRow("&Memory limit per file:", self.memory_limit)
        self.ocr = QCheckBox("Read scanned pages and pictures with OCR")
        self.ocr.setChecked(bool(current.ocr))
        self.ocr.setAccessibleName("Read scanned pages and pictures with OCR")
        self.ocr.setToolTip("After every file is findable by name and text, the pages that are "
                            "pictures (scans, photos of letters, faxes) are read by OCR in the "
                            "background and become searchable too")
        lf.addRow(self.ocr)
        self.ocr_cap = QSpinBox()
        self.ocr_cap.setRange(1, 5000)
        self.ocr_cap.setValue(int(current.ocr_page_cap))
        self.ocr_cap.setSuffix(" pages")
        self.ocr_cap.setAccessibleName("Scanned pages read by OCR per document at most")
        lf.addRow("Scanned pages read per &document:", self.ocr_cap)
        note = QLabel("Files over a limit are skipped with a reason (see Problems). After raising "
                      "a limit, use Try again there. New limits apply from the next start.")
        note.setWordWrap(True)
        lf.addRow(note)
        lay.addWidget(limits)

        where = QGroupBox("Workspace")
        wf = QFormLayout(where)
        folder = QLabel(str(ws.root))
        folder.setWordWrap(True)
        folder.setAccessibleName("Workspace folder")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        wf.addRow("Folder:", folder)
        lay.addWidget(where)

        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Error")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def save(self) -> None:
        ws = self.ctx.ws
        try:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.ui.views.identity_dialog import remember_person

            saved = self.ctx.write_call(
                core_settings.save, ws, author=self.author.text(), team=self.team.text(),
                default_marking=self.marking.currentText() or core_settings.DEFAULT_MARKING,
                time_limit_s=self.time_limit.value(), memory_limit_mb=self.memory_limit.value(),
                ocr=self.ocr.isChecked(), ocr_page_cap=self.ocr_cap.value(),
            ).value
            remember_person(saved.author or "", saved.team or "")
        except EvidenceError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.ctx.changed({"settings"})
        self.accept()
