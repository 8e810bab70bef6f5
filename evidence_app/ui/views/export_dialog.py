"""Exporting a bundle to Word: pseudonymise, append the source documents, the protective marking
and where to save; the export runs on a worker (the dialog is not modal, so work goes on), then
"Open file" and "Show in folder". The choices are kept as the bundle's settings. While it works, a
progress bar shows each step (body, each appended document, saving) and Cancel stops it: nothing is
written, because the export is built in memory and put in place atomically at the end. The
dialog's frame (where to save, progress, the result's buttons) is the export dialogs' shared base,
export_base.py."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from evidence_app.ui.plain_words import plural
from evidence_app.core.bundles import bundle_data
from evidence_app.core.bundles import bundles as bundles_core
from evidence_app.ui import save_location
from evidence_app.ui.views.evidence_common import core_call, name
from evidence_app.ui.views.export_base import ExportDialogBase
from evidence_app.core import settings as core_settings

MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL")


def default_path(folder: Path, title: str) -> Path:
    stem = re.sub(r"[^\w\- ]+", "", title).strip() or "Bundle"
    return folder / f"{stem[:80]}.docx"


class ExportDialog(ExportDialogBase):
    SAVE_TITLE = "Save the bundle as"
    SAVE_WHERE = "Where the Word file is written"
    DETAILS_WHERE = "in the manifest file beside the export and in the audit log"

    def __init__(self, ctx, bundle_id: int, parent: QWidget | None = None) -> None:  # noqa: ANN001
        bundle = bundles_core.get_bundle(ctx.ws, bundle_id)
        super().__init__(
            ctx, f"Export “{bundle.title}”",
            f"{plural(bundle.item_count, 'evidence item')} in "
            f"{plural(len(bundle.sections), 'section')}, numbered in the order shown in the "
            "builder.",
            "Names and redaction terms are replaced in the text, the sources and the file's "
            "properties",
            default_path(save_location.default_folder(), bundle.title), cancellable=True,
            parent=parent)
        self.bundle_id, self.bundle = bundle_id, bundle
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.pseudonymise.setChecked(self.bundle.pseudonymise)
        self.append = QCheckBox("Append the source documents after the evidence")
        self.append.setChecked(self.bundle.append_sources)
        name(self.append, "Append sources")
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.marking.setCurrentText(self.bundle.marking)
        name(self.marking, "Protective marking", "Printed in the header and footer of every page")
        self.form.insertRow(1, "", self.append)
        self.form.insertRow(2, "&Marking:", self.marking)
        self._suggested = self.path.text()
        self.pseudonymise.toggled.connect(self._suggest_path)     # pseudonym_dialogs.py
        self._suggest_path(self.pseudonymise.isChecked())
        self.resize(620, 220)

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
        _, error = core_call(self.ctx.write_call, bundles_core.set_settings, self.ctx.ws, self.bundle_id,
                             marking=self.marking.currentText(), pseudonymise=pseud,
                             append_sources=append)
        if error:
            self.message.show_message(error)
            return
        bundle_id, force = self.bundle_id, bool(overwrite)
        self.begin(f"Exporting to {out}… You can go on working; this window tells you when it "
                   "is done.")
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()

        def work(io):  # noqa: ANN001, ANN202
            out.parent.mkdir(parents=True, exist_ok=True)
            return bundle_data.export_bundle(io.ws, bundle_id, out, pseudonymise=pseud,
                                             append_sources=append, force=force,
                                             on_progress=io.progress, cancel=io.cancel,
                                             write=io.write)

        self.task = self.ctx.run(work, self._done, self._failed, self._progress)

    def _check_first(self, out: Path, overwrite: bool | None) -> None:
        """A pseudonymised export first registers the children it would name and has the
        review answered; then the export starts as usual."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pseudonym_dialogs import PreExportCheck

        _, error = core_call(self.ctx.write_call, bundles_core.set_settings, self.ctx.ws, self.bundle_id,
                             pseudonymise=True, append_sources=self.append.isChecked())
        if error:
            self.message.show_message(error)
            return
        self.begin("Checking what the pseudonymised export would contain…")  # on a worker

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
        title = self.bundle.title
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
        if self.bundle.prepared_by or core_settings.has_person(ws):
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

    def _done(self, result) -> None:  # noqa: ANN001
        size = f"{result.size / 1024:,.0f} KB"
        notes = "".join(f"\n{n}" for n in result.notes)
        redacted = sum(e.count for e in result.redactions)
        plain, details = save_location.done_words(Path(result.path), result.sha256,
                                                  f"Bundle of {plural(result.items, 'item')}")
        plain += (f" {redacted} names or terms were replaced." if result.pseudonymised else "")
        self.ctx.changed({"bundles"})
        self.show_written(result, plain + notes, details,
                          f"{details}\nSize {size}; {result.seconds:.1f} s; the manifest beside it "
                          "lists every source's fingerprint.")
