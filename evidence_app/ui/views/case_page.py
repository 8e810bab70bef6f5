"""One child's case: details, the real name behind a "Show name" toggle, the readiness checklist
(ticks save through `core.cases.check`, undoably), the case's documents and its evidence."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.evidence import case_file
from evidence_app.ui.models.cases_model import status_text
from evidence_app.ui.models.evidence_items_model import EvidenceItemsModel, configure_view
from evidence_app.ui.views.view_header import ViewHeader
from evidence_app.ui.views.evidence_common import (
    core_call, muted_label, name, push_done, uk_datetime,
)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def case_page_data(ws, ref: str) -> case_file.CaseFile:  # noqa: ANN001
    """Everything the page shows but the name (runs on a worker): the core's `case_file`."""
    return case_file.case_file(ws, ref)


class CasePage(QWidget):
    editRequested = Signal(str)
    messageRequested = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.ref: str | None = None
        self.setAccessibleName("Case page")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 0, 0, 0)
        self.header = ViewHeader("Choose a case", "Case", facts="Case details", scale=1.25)
        self.title, self.details = self.header.title, self.header.facts
        self.edit_button = self.header.add_button(QPushButton("&Edit case…"))
        name(self.edit_button, "Edit case")
        self.edit_button.clicked.connect(lambda: self.ref and self.editRequested.emit(self.ref))
        lay.addWidget(self.header)
        row = QHBoxLayout()
        self.show_name = QCheckBox("Show &name")
        name(self.show_name, "Show the child's name", "The name is private: it is shown only here "
             "and never exported")
        self.show_name.toggled.connect(self._toggle_name)
        self.name_label = QLabel()
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name(self.name_label, "Child's name")
        row.addWidget(self.show_name)
        row.addWidget(self.name_label, 1)
        lay.addLayout(row)
        self.ready_box = QGroupBox("Readiness checklist")
        name(self.ready_box, "Readiness checklist")
        self.ready_grid = QGridLayout(self.ready_box)
        self.checks: dict[str, QCheckBox] = {}
        self.check_notes: dict[str, QLabel] = {}
        for r, (key, label) in enumerate(cases_core.READINESS):
            box = QCheckBox(label)
            name(box, label)
            box.toggled.connect(lambda on, k=key: self.set_ready(k, on))
            note = muted_label("")
            self.checks[key], self.check_notes[key] = box, note
            self.ready_grid.addWidget(box, r // 2, (r % 2) * 2)
            self.ready_grid.addWidget(note, r // 2, (r % 2) * 2 + 1)
        lay.addWidget(self.ready_box)
        split = QSplitter(Qt.Orientation.Vertical)
        docs = QWidget()
        dl = QVBoxLayout(docs)
        dl.setContentsMargins(0, 0, 0, 0)
        self.docs_label = QLabel("Documents")
        dl.addWidget(self.docs_label)
        self.documents = QListWidget()
        name(self.documents, "Documents of the case", "Enter opens the file")
        self.documents.itemActivated.connect(self._open_document)
        dl.addWidget(self.documents)
        split.addWidget(docs)
        ev = QWidget()
        el = QVBoxLayout(ev)
        el.setContentsMargins(0, 0, 0, 0)
        self.items_label = QLabel("Evidence")
        el.addWidget(self.items_label)
        self.items_model = EvidenceItemsModel(ctx.ws, self)
        self.items = QTableView()
        self.items.setModel(self.items_model)
        configure_view(self.items, hide=(4,))
        name(self.items, "Evidence of the case")
        el.addWidget(self.items)
        split.addWidget(ev)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        self.setEnabled(False)

    # -- showing -------------------------------------------------------------------------------
    def show_data(self, data: case_file.CaseFile) -> None:
        case = data.case
        if case.ref != self.ref:
            self.show_name.setChecked(False)
        self.ref = case.ref
        self.setEnabled(True)
        self.title.setText(f"{case.ref} — {case.alias or ''}")
        bits = [f"Worker: {case.worker or 'not allocated'}", f"Team: {case.team or '—'}",
                status_text(case.status) or "Legal status not set",
                "Sampled" if case.sampled else "Not sampled",
                "Open" if case.open else "Closed"]
        self.details.setText(" · ".join(bits))
        self.details.setAccessibleDescription(self.details.text())
        self.show_name.setEnabled(case.has_name)
        self._toggle_name(self.show_name.isChecked())
        done = 0
        for r in data.readiness:
            box = self.checks[r.item]
            box.blockSignals(True)
            box.setChecked(r.done)
            box.blockSignals(False)
            done += r.done
            note = f"{r.by}, {uk_datetime(r.at)}" if r.done and r.by else ""
            self.check_notes[r.item].setText(note)
            box.setAccessibleDescription(note or "Not done")
        self.ready_box.setTitle(f"Readiness checklist ({done} of {len(data.readiness)} done)")
        self.documents.clear()
        for doc in data.documents:
            item = QListWidgetItem(doc.title + (f" (in {Path(doc.path).name})" if doc.member
                                                else ""))
            item.setToolTip(doc.path)
            item.setData(PATH_ROLE, doc.path)
            self.documents.addItem(item)
        self.docs_label.setText(f"Documents ({len(data.documents)})")
        self.items_model.set_items(data.items)
        self.items_label.setText(f"Evidence ({len(data.items)})")

    def clear(self) -> None:
        self.ref = None
        self.title.setText("Choose a case")
        self.details.setText("")
        self.show_name.setChecked(False)
        self.documents.clear()
        self.items_model.set_items([])
        self.setEnabled(False)

    def _toggle_name(self, on: bool) -> None:
        if not on or not self.ref:
            self.name_label.setText("")
            return
        case, error = core_call(cases_core.get_case, self.ctx.ws, self.ref, include_name=True)
        self.name_label.setText(error or case.name or "(no name recorded)")

    def _open_document(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(PATH_ROLE)))

    # -- readiness -----------------------------------------------------------------------------
    def set_ready(self, key: str, done: bool) -> None:
        if not self.ref:
            return
        ws, ref = self.ctx.ws, self.ref
        _, error = push_done(self.ctx, lambda: cases_core.check(ws, ref, key, done))
        if error:
            self.messageRequested.emit(error)
