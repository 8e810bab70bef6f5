"""Importing a case list (CSV or XLSX): the proposed column mapping from `core.case_import`, a
field chooser per column, a check without writing, then the import in the background and its
report (added, updated, unchanged, and each rejected row with its reason)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from evidence_app.core.evidence import case_import, case_import_report
from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.evidence.case_import import FIELDS, IGNORE
from evidence_app.ui.plain_words import plural
from evidence_app.ui.views.evidence_common import (MessageBar, muted_label, name, push_done,
                                                   undo_keys)

FIELD_LABELS = {"reference": "Case reference", "name": "Child's name (kept private)",
                "alias": "Alias", "worker": "Allocated worker", "team": "Team",
                "status": "Legal status", "sampled": "Sampled (yes/no)",
                "redact": "Words to redact", "open": "Open (yes/no)",
                "other_names": "Other names (known as; kept private)",
                "dob": "Date of birth (kept private)", IGNORE: "(ignore)"}


class CaseImportDialog(QDialog):
    finishedImport = Signal(object)  # the CaseImportReport

    def __init__(self, ctx, path: str | Path, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.path = ctx, Path(path)
        self.headers: list[str] = []
        self.proposed: dict[str, str] = {}
        self.report = None
        self.busy = False
        self.setWindowTitle(f"Import cases from {self.path.name}")
        self.setAccessibleName(self.windowTitle())
        self.resize(760, 520)
        lay = QVBoxLayout(self)
        self.message = MessageBar(self, listen=False)
        undo_keys(self, ctx, self.message)  # Ctrl+Z here takes back what was done here
        lay.addWidget(self.message)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._report_page())
        lay.addWidget(self.pages, 1)
        self.status = QLabel("Reading the file…")
        name(self.status, "Import status")
        lay.addWidget(self.status)
        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton("&Check", QDialogButtonBox.ButtonRole.ActionRole)
        name(self.check_button, "Check", "Shows what would be imported without saving anything")
        self.import_button = self.buttons.addButton("&Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        name(self.import_button, "Import")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        name(self.close_button, "Close")
        self.check_button.clicked.connect(lambda: self.run_import(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run_import(dry_run=False))
        self.close_button.clicked.connect(self.reject)
        self._enable(False)
        lay.addWidget(self.buttons)
        self._read()

    # -- pages ---------------------------------------------------------------------------------
    def _mapping_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(muted_label("Each column of the file is matched to a case field. Change any "
                                  "that are wrong; one column must be the case reference. Blank "
                                  "cells never erase what a case already has."))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column in the file", "Example values", "Case field"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        name(self.table, "Column mapping", "Choose the case field for each column of the file")
        lay.addWidget(self.table, 1)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        name(self.summary, "Import summary")
        lay.addWidget(self.summary)
        self.rejected = QTableWidget(0, 3)
        self.rejected.setHorizontalHeaderLabels(["Rows", "Why they were not imported",
                                                 "First rows in the file"])
        self.rejected.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rejected.verticalHeader().hide()
        self.rejected.setWordWrap(True)
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        name(self.rejected, "Rejected rows by reason",
             "One line per reason: how many rows, why, and the first spreadsheet rows")
        lay.addWidget(self.rejected, 1)
        self.save_rejected = QPushButton("&Save rejected rows…")
        name(self.save_rejected, "Save the rejected rows",
             "A CSV file of the rejected rows with the reason for each, to fix and import again")
        self.save_rejected.clicked.connect(self.save_rejected_rows)
        self.save_rejected.hide()
        row = QHBoxLayout()
        row.addWidget(self.save_rejected)
        row.addStretch(1)
        lay.addLayout(row)
        return page

    def save_rejected_rows(self, path: str | None = None) -> Path | None:
        """Write the rejected rows (as they were, with the reason) where the person chooses."""
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QFileDialog

        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui import save_location

        if self.report is None or not self.report.rejected:
            return None
        if not path:
            suggested = save_location.default_folder() / f"{Path(self.path).stem} - rejected rows.csv"
            path, _ = QFileDialog.getSaveFileName(self, "Save the rejected rows", str(suggested),
                                                  "CSV file (*.csv)")
            if not path:
                return None
        try:
            out = case_import_report.write_rejected_csv(self.report, Path(path), self.path)
        except (OSError, EvidenceError) as exc:
            self.message.show_message(f"The rejected rows could not be saved: {exc}")
            return None
        save_location.remember_folder(out)
        self.status.setText(f"The rejected rows, with the reasons, are in {out}.")
        return out

    def _enable(self, on: bool) -> None:
        self.check_button.setEnabled(on)
        self.import_button.setEnabled(on)

    # -- reading -------------------------------------------------------------------------------
    def _read(self) -> None:
        path = self.path

        def read(io):  # noqa: ANN001, ANN202
            headers, body = case_import.read_table(path)
            return headers, body[:3], len(body), case_import.propose_mapping(headers)

        self.busy = True
        self.ctx.run(read, self._show_mapping, self._failed)

    def _show_mapping(self, result) -> None:  # noqa: ANN001
        self.busy = False
        headers, sample, rows, proposed = result
        self.headers, self.proposed = headers, proposed
        self.table.setRowCount(len(headers))
        for r, header in enumerate(headers):
            self.table.setItem(r, 0, QTableWidgetItem(header or f"(column {r + 1})"))
            examples = ", ".join(cells[r] for _, cells in sample if r < len(cells) and cells[r])
            self.table.setItem(r, 1, QTableWidgetItem(examples))
            combo = QComboBox()
            for key in (IGNORE, *FIELDS):
                combo.addItem(FIELD_LABELS.get(key, key.replace("_", " ").capitalize()), key)
            combo.setCurrentIndex(combo.findData(proposed.get(header, IGNORE)))
            name(combo, f"Field for column {header}")
            self.table.setCellWidget(r, 2, combo)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(2, 220)
        self.status.setText(f"{plural(rows, 'row')} to import. Check first to see what would change.")
        self._enable(True)

    def set_field(self, header: str, field: str) -> None:
        combo = self.table.cellWidget(self.headers.index(header), 2)
        combo.setCurrentIndex(combo.findData(field))

    def overrides(self) -> dict[str, str]:
        out = {}
        for r, header in enumerate(self.headers):
            chosen = self.table.cellWidget(r, 2).currentData()
            if chosen != self.proposed.get(header, IGNORE) and header:
                out[header] = chosen
        return out

    # -- importing -----------------------------------------------------------------------------
    def run_import(self, dry_run: bool) -> None:
        path, overrides = self.path, self.overrides()
        chosen = [self.table.cellWidget(r, 2).currentData() for r in range(len(self.headers))]
        if "reference" not in chosen:
            self.message.show_message("Choose which column holds the case reference.")
            return
        self._enable(False)
        self.busy = True
        self.status.setText("Checking…" if dry_run else "Importing…")
        # on the one writer, a check too: it makes the import in a transaction it rolls back
        self.ctx.run(lambda io: io.write(lambda w: case_import.import_cases(
            w, path, overrides, dry_run=dry_run)), self._show_report, self._failed)

    def _show_report(self, done) -> None:  # noqa: ANN001
        """A check's or an import's report; an import's `Done` goes on the window's undo stack
        (Ctrl+Z removes the cases it added and puts back the fields it changed)."""
        self.busy = False
        report = done.value
        if not report.dry_run:
            push_done(self.ctx, lambda: done)  # made on a worker: this puts it on the stack
        self.report = report
        verb = "would be" if report.dry_run else "were"
        self.summary.setText(
            f"{plural(report.rows, 'row')}: {len(report.added)} {verb} added, {len(report.updated)} "
            f"{verb} updated, {len(report.unchanged)} unchanged, {len(report.rejected)} rejected."
            + (" Nothing has been saved yet." if report.dry_run else ""))
        self.summary.setAccessibleDescription(self.summary.text())
        groups = report.groups()
        self.rejected.setRowCount(len(groups))
        for r, g in enumerate(groups):
            first = ", ".join(str(n) for n in g.rows[:case_import_report.FIRST_ROWS])
            self.rejected.setItem(r, 0, QTableWidgetItem(f"{g.count:,}"))
            self.rejected.setItem(r, 1, QTableWidgetItem(g.reason))
            self.rejected.setItem(r, 2, QTableWidgetItem(
                first + ("…" if g.count > case_import_report.FIRST_ROWS else "")))
        self.rejected.resizeRowsToContents()
        self.save_rejected.setVisible(bool(report.rejected))
        notes = [line.strip() for line in report.summary_lines() if "more than one row" in line]
        if notes or report.header_row > 1:
            extra = (f" The column headings were found on row {report.header_row}."
                     if report.header_row > 1 else "")
            self.summary.setText(self.summary.text() + extra + (" " + notes[0] if notes else ""))
            self.summary.setAccessibleDescription(self.summary.text())
        self.pages.setCurrentIndex(1)
        if report.dry_run:
            self.status.setText("Import to save these cases, or go back to change the mapping.")
            self.check_button.setText("&Back to mapping")
            self.check_button.clicked.disconnect()
            self.check_button.clicked.connect(self._back)
            self._enable(True)
        else:
            self.status.setText("Import finished. Ctrl+Z takes it back.")
            self.import_button.hide()
            self.check_button.hide()
            self.finishedImport.emit(report)

    def _back(self) -> None:
        self.pages.setCurrentIndex(0)
        self.check_button.setText("&Check")
        self.check_button.clicked.disconnect()
        self.check_button.clicked.connect(lambda: self.run_import(dry_run=True))

    def _failed(self, message: str) -> None:
        self.busy = False
        self.message.show_message(message)
        self.status.setText("")
        self._enable(bool(self.headers))


def choose_and_import(ctx, parent: QWidget) -> CaseImportDialog | None:  # noqa: ANN001
    # start-up: loaded when first used, not when the window opens
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, "Import a case list", str(Path.home()),
                                          "Case lists (*.csv *.xlsx *.xlsm);;All files (*)")
    if not path:
        return None
    dialog = CaseImportDialog(ctx, path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
