"""File ▸ Export: the week-one request tracker, the coverage matrix or the evidence list as an
Excel spreadsheet (`core.bundle_data.export_sheet`, the same as `evidence-app export …`), written
on a worker, saved by default in Documents/Evidence Organiser, with Replace / Keep both / Cancel.
The dialog itself is the export dialogs' shared base (export_base.py) with the sheet's choice."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from evidence_app.core.bundles import bundle_data
from evidence_app.ui import save_location
from evidence_app.ui.views.export_base import ExportDialogBase

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


class SheetExportDialog(ExportDialogBase):
    SUFFIX = ".xlsx"
    FILE_FILTER = "Excel workbook (*.xlsx)"
    SAVE_TITLE = "Save the spreadsheet as"
    SAVE_WHERE = "Where the spreadsheet is written"

    def __init__(self, ctx, which: str, parent: QWidget | None = None) -> None:  # noqa: ANN001
        title, _stem, what = SHEETS[which]
        super().__init__(ctx, f"Export the {title.lower()} (spreadsheet)", what,
                         "Names become aliases and identifiers are redacted; the file is checked "
                         "after it is written",
                         save_location.default_folder() / default_name(which), parent=parent)
        self.which = which
        self.resize(600, 200)

    @property
    def details(self) -> str:
        return self.details_text

    def start(self) -> None:
        target = save_location.resolve_target(self, self.out_path())
        if target is None:
            return
        out, force = target
        self.path.setText(str(out))
        save_location.remember_folder(out)
        which, pseud = self.which, self.pseudonymise.isChecked()
        self.begin(f"Writing {out.name}…")

        def work(io):  # noqa: ANN001, ANN202
            out.parent.mkdir(parents=True, exist_ok=True)
            return bundle_data.export_sheet(io.ws, which, out, force=force, pseudonymise=pseud,
                                           write=io.write)

        self.task = self.ctx.run(work, self._done, self._failed)

    def _done(self, written) -> None:  # noqa: ANN001
        plain, details = save_location.done_words(Path(written.path), written.sha256,
                                                  SHEETS[self.which][0])
        self.show_written(written, plain, details, details)


def open_sheet_export(ctx, which: str, parent: QWidget | None = None) -> SheetExportDialog:  # noqa: ANN001
    dialog = SheetExportDialog(ctx, which, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
