"""File ▸ Export: the week-one request tracker, the coverage matrix or the evidence list as an
Excel spreadsheet (`core.bundle_data.export_sheet`, the same as `evidence-app export …`), written
on a worker, saved by default in Documents/Evidence Organiser, with Replace / Keep both / Cancel."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from evidence_app.core.bundles import bundle_data
from evidence_app.ui import desktop, save_location
from evidence_app.ui.views.evidence_common import MessageBar, muted_label, name

SHEETS = {
    "tracker": ("Week-one request tracker", "Week-one requests",
                "Every week-one request with its owner, due time, status and what was sent."),
    "coverage": ("Coverage", "Coverage",
                 "Lines of enquiry with evidence counts by strength, and the gaps."),
    "evidence": ("Evidence list", "Evidence list",
                 "Every evidence item: line of enquiry, strength, what it shows, case, source."),
}


def default_name(which: str) -> str:
    return f"{SHEETS[which][1]} {dt.date.today():%Y-%m-%d}.xlsx"


class SheetExportDialog(QDialog):
    exported = Signal(object)  # the Written result

    def __init__(self, ctx, which: str, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.which = ctx, which
        self.busy = False
        self.result_info = None
        title, _stem, what = SHEETS[which]
        self.setWindowTitle(f"Export the {title.lower()} (spreadsheet)")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(what))
        form = QFormLayout()
        self.pseudonymise = QCheckBox("Replace children's names with aliases (Child A…)")
        name(self.pseudonymise, "Pseudonymise",
             "Names become aliases and identifiers are redacted; the file is checked after "
             "it is written")
        form.addRow("", self.pseudonymise)
        row = QHBoxLayout()
        self.path = QLineEdit(str(save_location.default_folder() / default_name(which)))
        name(self.path, "Save as", "Where the spreadsheet is written")
        browse = QPushButton("&Choose…")
        name(browse, "Choose where to save")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QLabel("&Save as:")
        label.setBuddy(self.path)
        form.addRow(label, row)
        lay.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        name(self.progress, "Export progress")
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name(self.status, "Export status")
        lay.addWidget(self.status)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open file")
        name(self.open_button, "Open the exported file")
        self.open_button.clicked.connect(
            lambda: desktop.open_file(self.result_info.path) if self.result_info else None)
        self.folder_button = QPushButton("Show in &folder")
        name(self.folder_button, "Show the exported file in its folder")
        self.folder_button.clicked.connect(
            lambda: desktop.show_in_folder(self.result_info.path) if self.result_info else None)
        self.details_button = QPushButton("&Details…")
        name(self.details_button, "Fingerprint details")
        self.details_button.clicked.connect(self.show_details)
        for b in (self.open_button, self.folder_button, self.details_button):
            b.hide()
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        name(self.export_button, "Export")
        self.export_button.clicked.connect(self.start)
        close = QPushButton("Close")
        name(close, "Close")
        close.clicked.connect(self.close)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        lay.addStretch(1)
        lay.addLayout(buttons)
        self.details = ""
        self.resize(600, 200)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the spreadsheet as", self.path.text(),
                                              "Excel workbook (*.xlsx)")
        if path:
            self.path.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def out_path(self) -> Path:
        p = Path(self.path.text().strip()).expanduser()
        return p if p.suffix.lower() == ".xlsx" else p.with_suffix(".xlsx")

    def start(self) -> None:
        target = save_location.resolve_target(self, self.out_path())
        if target is None:
            return
        out, force = target
        self.path.setText(str(out))
        save_location.remember_folder(out)
        which, pseud = self.which, self.pseudonymise.isChecked()
        self.busy = True
        self.export_button.setEnabled(False)
        self.progress.show()
        self.status.setText(f"Writing {out.name}…")

        def work(io):  # noqa: ANN001, ANN202
            out.parent.mkdir(parents=True, exist_ok=True)
            return bundle_data.export_sheet(io.ws, which, out, force=force, pseudonymise=pseud)

        self.ctx.run(work, self._done, self._failed)

    def _done(self, written) -> None:  # noqa: ANN001
        self.busy = False
        self.result_info = written
        self.progress.hide()
        self.export_button.setEnabled(True)
        plain, self.details = save_location.done_words(Path(written.path), written.sha256,
                                                       SHEETS[self.which][0])
        self.status.setText(plain)
        self.status.setAccessibleDescription(plain)
        self.status.setToolTip(self.details)
        for b in (self.open_button, self.folder_button, self.details_button):
            b.show()
        self.open_button.setFocus()
        self.exported.emit(written)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.status.setText("")
        self.message.show_message(message)

    def show_details(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Fingerprint",
                          save_location.FINGERPRINT_WORDS, parent=self)
        box.setInformativeText(self.details + "\n\nThe same fingerprint is in the audit log.")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        if self.busy:
            self.hide()
            event.ignore()
            return
        super().closeEvent(event)


def open_sheet_export(ctx, which: str, parent: QWidget | None = None) -> SheetExportDialog:  # noqa: ANN001
    dialog = SheetExportDialog(ctx, which, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
