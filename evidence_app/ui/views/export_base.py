"""What the export dialogs share: a line saying what is exported, "replace names with aliases",
where to save (with Choose…), a progress bar (with Cancel when the export can stop), the status
line and message bar, and, once written, Open file / Show in folder / Details… (the SHA-256
fingerprint), then Close. Closing while it works only hides the dialog: the worker finishes and
the dialog comes back to say so.

A subclass (export_dialog.py for a bundle in Word, sheet_export_dialog.py for a spreadsheet)
adds its own options to `form`, says what the file is (`SUFFIX`, `FILE_FILTER`, `SAVE_TITLE`,
`DETAILS_WHERE`) and starts the work in `start`, calling `begin` before and `show_written` or
`_failed` after.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QMessageBox, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)

from evidence_app.ui import desktop, save_location
from evidence_app.ui.views.evidence_common import MessageBar, muted_label, name


class ExportDialogBase(QDialog):
    exported = Signal(object)  # what the export wrote

    SUFFIX = ".docx"
    FILE_FILTER = "Word document (*.docx)"
    SAVE_TITLE = "Save as"
    SAVE_WHERE = "Where the file is written"
    DETAILS_WHERE = "in the audit log"

    def __init__(self, ctx, title: str, description: str, pseudonymise_help: str,  # noqa: ANN001
                 path: Path, *, cancellable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.result_info = None
        self.task = None
        self.details_text = ""
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(description))
        self.form = QFormLayout()
        self.pseudonymise = QCheckBox("Replace children's names with aliases (Child A…)")
        name(self.pseudonymise, "Pseudonymise", pseudonymise_help)
        self.form.addRow("", self.pseudonymise)
        row = QHBoxLayout()
        self.path = QLineEdit(str(path))
        name(self.path, "Save as", self.SAVE_WHERE)
        browse = QPushButton("&Choose…")
        name(browse, "Choose where to save")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        save_label = QLabel("&Save as:")
        save_label.setBuddy(self.path)
        self.form.addRow(save_label, row)
        lay.addLayout(self.form)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first step is reported
        self.progress.setTextVisible(False)
        name(self.progress, "Export progress")
        self.progress.hide()
        progress_row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton("C&ancel export")
        name(self.cancel_button, "Cancel the export", "Stops the export; nothing is written")
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.hide()
        if cancellable:
            progress_row.addWidget(self.cancel_button)
        lay.addLayout(progress_row)
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
        self.open_button.clicked.connect(self.open_file)
        self.folder_button = QPushButton("Show in &folder")
        name(self.folder_button, "Show the exported file in its folder")
        self.folder_button.clicked.connect(self.show_in_folder)
        self.details_button = QPushButton("&Details…")
        name(self.details_button, "Fingerprint details",
             "Shows the SHA-256 fingerprint that proves the file was not changed later")
        self.details_button.clicked.connect(self.show_details)
        for b in (self.open_button, self.folder_button, self.details_button):
            b.hide()
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        name(self.export_button, "Export")
        self.export_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        name(self.close_button, "Close")
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        lay.addStretch(1)  # spare height goes below the form, not above it
        lay.addLayout(buttons)

    # -- where -------------------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.SAVE_TITLE, self.path.text(),
                                              self.FILE_FILTER)
        if path:  # the save dialog has already asked about replacing an existing file
            self.path.setText(path if path.lower().endswith(self.SUFFIX) else path + self.SUFFIX)
            self._confirmed = Path(self.path.text())

    def out_path(self) -> Path:
        p = Path(self.path.text().strip()).expanduser()
        return p if p.suffix.lower() == self.SUFFIX else p.with_suffix(self.SUFFIX)

    # -- the work ------------------------------------------------------------------------------------
    def start(self) -> None:
        raise NotImplementedError

    def begin(self, status: str) -> None:
        """The work starts: busy, progress shown (and Cancel, when it can stop)."""
        self.busy = True
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(status)

    def cancel_export(self) -> None:
        """Ask the worker to stop at its next step; it reports back through _failed."""
        if self.task is not None and self.busy:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    def _idle(self) -> None:
        self.busy = False
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.export_button.setEnabled(True)

    def show_written(self, written, plain: str, details: str, tooltip: str) -> None:  # noqa: ANN001
        """The file is written: say so, offer Open / Show in folder / Details, and tell others."""
        self._idle()
        self.result_info = written
        self.status.setText(plain)
        self.status.setToolTip(tooltip)
        self.status.setAccessibleDescription(plain)
        self.details_text = details
        for b in (self.open_button, self.folder_button, self.details_button):
            b.show()
        if not self.isVisible():  # closed while it worked: say it is done
            self.show()
        self.open_button.setFocus()
        self.exported.emit(written)

    def _failed(self, message: str) -> None:
        self._idle()
        self.status.setText("")
        self.message.show_message(message)

    # -- after -------------------------------------------------------------------------------------
    def show_details(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Fingerprint",
                          save_location.FINGERPRINT_WORDS, parent=self)
        box.setInformativeText(f"{self.details_text}\n\nThe same fingerprint is "
                               f"{self.DETAILS_WHERE}.")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_file(self) -> None:
        if self.result_info is not None:
            desktop.open_file(self.result_info.path)

    def show_in_folder(self) -> None:
        if self.result_info is not None:
            desktop.show_in_folder(self.result_info.path)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        if self.busy:  # the worker finishes on its own; the dialog comes back to say so
            self.hide()
            event.ignore()
            return
        super().closeEvent(event)
