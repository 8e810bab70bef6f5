"""Exporting a bundle to Word: pseudonymise, append the source documents, the protective marking
and where to save; the export runs on a worker (the dialog is not modal, so work goes on), then
"Open file" and "Show in folder". The choices are kept as the bundle's settings. While it works, a
progress bar shows each step (body, each appended document, saving) and Cancel stops it: nothing is
written, because the export is built in memory and put in place atomically at the end."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.ui.plain_words import plural
from evidence_app.core.bundles import bundle_data
from evidence_app.core.bundles import bundles as bundles_core
from evidence_app.ui import desktop, save_location
from evidence_app.ui.views.evidence_common import MessageBar, core_call, muted_label, name
from evidence_app.core import settings as core_settings

MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL")


def default_path(folder: Path, title: str) -> Path:
    stem = re.sub(r"[^\w\- ]+", "", title).strip() or "Bundle"
    return folder / f"{stem[:80]}.docx"


class ExportDialog(QDialog):
    exported = Signal(object)  # the BundleExport

    def __init__(self, ctx, bundle_id: int, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.bundle_id = ctx, bundle_id
        self.result_info = None
        self.busy = False
        self.bundle = bundles_core.get_bundle(ctx.ws, bundle_id)
        self.setWindowTitle(f"Export “{self.bundle['title']}”")
        self.setAccessibleName(self.windowTitle())
        self.setWindowModality(Qt.WindowModality.NonModal)
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(f"{plural(self.bundle['items'], 'evidence item')} in "
                                  f"{plural(len(self.bundle['sections']), 'section')}, numbered in the "
                                  "order shown in the builder."))
        form = QFormLayout()
        self.pseudonymise = QCheckBox("Replace children's names with aliases (Child A…)")
        self.pseudonymise.setChecked(self.bundle["pseudonymise"])
        name(self.pseudonymise, "Pseudonymise", "Names and redaction terms are replaced in the "
             "text, the sources and the file's properties")
        self.append = QCheckBox("Append the source documents after the evidence")
        self.append.setChecked(self.bundle["append_sources"])
        name(self.append, "Append sources")
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setCurrentText(self.bundle["marking"])
        name(self.marking, "Protective marking", "Printed in the header and footer of every page")
        row = QHBoxLayout()
        self.path = QLineEdit(str(default_path(save_location.default_folder(),
                                               self.bundle["title"])))
        name(self.path, "Save as", "Where the Word file is written")
        browse = QPushButton("&Choose…")
        name(browse, "Choose where to save")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self._suggested = self.path.text()
        self.pseudonymise.toggled.connect(self._suggest_path)     # pseudonym_dialogs.py
        self._suggest_path(self.pseudonymise.isChecked())
        form.addRow("", self.pseudonymise)
        form.addRow("", self.append)
        form.addRow("&Marking:", self.marking)
        save_label = QLabel("&Save as:")
        save_label.setBuddy(self.path)
        form.addRow(save_label, row)
        lay.addLayout(form)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first step is reported
        self.progress.setTextVisible(False)
        name(self.progress, "Export progress")
        self.progress.hide()
        self.cancel_button = QPushButton("C&ancel export")
        name(self.cancel_button, "Cancel the export", "Stops the export; nothing is written")
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.hide()
        self.task = None
        progress_row.addWidget(self.progress, 1)
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
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        name(self.export_button, "Export")
        self.export_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        name(self.close_button, "Close")
        self.close_button.clicked.connect(self.close)
        self.details_button = QPushButton("&Details…")
        name(self.details_button, "Fingerprint details",
             "Shows the SHA-256 fingerprint that proves the file was not changed later")
        self.details_button.clicked.connect(self.show_details)
        self.details_text = ""
        for b in (self.open_button, self.folder_button, self.details_button):
            b.hide()
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        lay.addStretch(1)  # spare height goes below the form, not above it
        lay.addLayout(buttons)
        self.resize(620, 220)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the bundle as", self.path.text(),
                                              "Word document (*.docx)")
        if path:  # the save dialog has already asked about replacing an existing file
            self.path.setText(path if path.lower().endswith(".docx") else path + ".docx")
            self._confirmed = Path(self.path.text())

    def out_path(self) -> Path:
        p = Path(self.path.text().strip()).expanduser()
        return p if p.suffix.lower() == ".docx" else p.with_suffix(".docx")

    def start(self, overwrite: bool | None = None) -> None:
        """Save the options as the bundle's settings, then export on a worker. `overwrite`
        answers "replace the existing file?" (None: ask). Asks for the person's name first if
        nobody has given it: a bundle says who prepared it, never a login name."""
        if self._ask_name_first(overwrite):
            return
        out = self.out_path()
        if out.exists() and overwrite is None:
            if getattr(self, "_confirmed", None) == out:
                overwrite = True
            else:  # Replace / Keep both / Cancel
                target = save_location.resolve_target(self, out)
                if target is None:
                    return
                out, overwrite = target
                self.path.setText(str(out))
        save_location.remember_folder(out)
        pseud, append = self.pseudonymise.isChecked(), self.append.isChecked()
        if pseud and not getattr(self, "_checked", False):
            self._check_first(out, overwrite)   # register cases, review (pseudonym_dialogs.py)
            return
        self._checked = False
        _, error = core_call(bundles_core.set_settings, self.ctx.ws, self.bundle_id,
                             marking=self.marking.currentText(), pseudonymise=pseud,
                             append_sources=append)
        if error:
            self.message.show_message(error)
            return
        bundle_id, force = self.bundle_id, bool(overwrite)
        self.busy = True
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.status.setText(f"Exporting to {out}… You can go on working; this window tells "
                            "you when it is done.")

        def work(io):  # noqa: ANN001, ANN202
            out.parent.mkdir(parents=True, exist_ok=True)
            return bundle_data.export_bundle(io.ws, bundle_id, out, pseudonymise=pseud,
                                             append_sources=append, force=force,
                                             on_progress=io.progress, cancel=io.cancel)

        self.task = self.ctx.run(work, self._done, self._failed, self._progress)

    def _check_first(self, out: Path, overwrite: bool | None) -> None:
        """A pseudonymised export first registers the children it would name and has the
        review answered; then the export starts as usual."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pseudonym_dialogs import PreExportCheck

        _, error = core_call(bundles_core.set_settings, self.ctx.ws, self.bundle_id,
                             pseudonymise=True, append_sources=self.append.isChecked())
        if error:
            self.message.show_message(error)
            return
        self.busy = True                 # the check renders the bundle: on a worker
        self.export_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Checking what the pseudonymised export would contain…")

        def alive() -> bool:
            import shiboken6  # start-up: loaded when first used, not when the window opens

            return shiboken6.isValid(self) and shiboken6.isValid(self.path)

        def proceed() -> None:
            if not alive():
                return
            self._idle()
            self._checked = True
            if self.path.text() == self._suggested:     # names registered since: suggest again
                self._suggest_path(True)
            self.start(overwrite)

        def failed(message: str) -> None:
            if not alive():
                return
            self._idle()
            self.status.setText("")
            self.message.show_message(message)

        self.pre_check = PreExportCheck(self, self.bundle_id, self.append.isChecked(),
                                        proceed, failed)
        self.pre_check.run()

    def _suggest_path(self, pseudonymised: bool) -> None:
        """The suggested file name never names a child: from the pseudonymised title."""
        if self.path.text() != self._suggested:
            return                      # the person chose a name: keep it
        title = self.bundle["title"]
        if pseudonymised:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.ui.views.pseudonym_dialogs import pseudonymised_title

            title = pseudonymised_title(self.ctx.ws, title)
        self._suggested = str(default_path(save_location.default_folder(), title))
        self.path.setText(self._suggested)

    def _ask_name_first(self, overwrite: bool | None) -> bool:
        """Open "Who is preparing this evidence?" when needed; the export starts once it is
        saved. True when the export must wait for that answer."""
        ws = self.ctx.ws
        if self.bundle.get("prepared_by") or core_settings.has_person(ws):
            return False
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.identity_dialog import IdentityDialog

        ask = IdentityDialog(self.ctx, self)
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.accepted.connect(lambda: self.start(overwrite))
        ask.rejected.connect(lambda: self.message.show_message(
            "A bundle says who prepared it: give your name to export it."))
        self.identity_dialog = ask
        ask.open()
        return True

    def _progress(self, p) -> None:  # noqa: ANN001
        if not self.busy or p.total <= 0:
            return
        self.progress.setRange(0, p.total)
        self.progress.setValue(min(p.done, p.total))
        self.progress.setTextVisible(True)
        self.progress.setFormat(f"{p.done} of {p.total} steps")
        if p.label:
            self.status.setText(f"Exporting: {p.label}…")

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

    def _done(self, result) -> None:  # noqa: ANN001
        self._idle()
        self.result_info = result
        size = f"{result.size / 1024:,.0f} KB"
        notes = "".join(f"\n{n}" for n in result.notes)
        redacted = sum(e.count for e in result.redactions)
        plain, details = save_location.done_words(Path(result.path), result.sha256,
                                                  f"Bundle of {plural(result.items, 'item')}")
        self.status.setText(
            plain + (f" {redacted} names or terms were replaced." if result.pseudonymised else "")
            + notes)
        self.status.setToolTip(f"{details}\nSize {size}; {result.seconds:.1f} s; the manifest "
                               "beside it lists every source's fingerprint.")
        self.status.setAccessibleDescription(self.status.text())
        self.details_text = details
        self.details_button.show()
        self.open_button.show()
        self.folder_button.show()
        if not self.isVisible():  # closed while it worked: say it is done
            self.show()
        self.open_button.setFocus()
        self.ctx.changed({"bundles"})
        self.exported.emit(result)

    def _failed(self, message: str) -> None:
        self._idle()
        self.status.setText("")
        self.message.show_message(message)

    def show_details(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Fingerprint",
                          save_location.FINGERPRINT_WORDS, parent=self)
        box.setInformativeText(self.details_text + "\n\nThe same fingerprint is in the "
                               "manifest file beside the export and in the audit log.")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_file(self) -> None:
        if self.result_info is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_info.path)))

    def show_in_folder(self) -> None:
        if self.result_info is not None:
            desktop.show_in_folder(self.result_info.path)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802
        if self.busy:  # the worker finishes on its own; results go to the bundle's records
            self.hide()
            event.ignore()
            return
        super().closeEvent(event)
