"""Add or edit one child's case: reference, name (kept private), alias, worker, team, legal status,
sampled, open and the extra words to redact in exports. Saving goes through `core.cases`."""
from __future__ import annotations

import re

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLineEdit, QVBoxLayout, QWidget)

from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.evidence.cases import STATUSES
from evidence_app.core.store.records import Case
from evidence_app.ui.views.evidence_common import MessageBar, name, push_done


class CaseEditDialog(QDialog):
    def __init__(self, ctx, ref: str | None = None, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.ref = ctx, ref
        self.saved: dict | None = None
        self.setWindowTitle(f"Edit case {ref}" if ref else "Add a case")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.ref_edit = QLineEdit(ref or "")
        self.ref_edit.setReadOnly(bool(ref))
        self.ref_edit.setPlaceholderText("e.g. CH-004512")
        name(self.ref_edit, "Case reference")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Kept private: never exported or logged")
        name(self.name_edit, "Child's name", "Kept private: shown only on the case page")
        self.alias = QLineEdit()
        self.alias.setPlaceholderText("Given automatically, e.g. Child A")
        name(self.alias, "Alias", "The pseudonym used in exports")
        self.worker = QLineEdit()
        name(self.worker, "Allocated worker")
        self.team = QLineEdit()
        name(self.team, "Team")
        self.status = QComboBox()
        self.status.addItem("(not set)", None)
        for code, label in STATUSES.items():
            self.status.addItem(f"{label} ({code})", code)
        name(self.status, "Legal status")
        self.sampled = QCheckBox("In the inspection sample")
        name(self.sampled, "Sampled")
        self.open_box = QCheckBox("Case is open")
        self.open_box.setChecked(True)
        name(self.open_box, "Open")
        self.redact = QLineEdit()
        self.redact.setPlaceholderText("Other names or places to hide, separated by ;")
        name(self.redact, "Words to redact", "Extra words hidden in pseudonymised exports")
        form.addRow("&Reference:", self.ref_edit)
        form.addRow("&Name:", self.name_edit)
        form.addRow("A&lias:", self.alias)
        form.addRow("&Worker:", self.worker)
        form.addRow("&Team:", self.team)
        form.addRow("Legal &status:", self.status)
        form.addRow("", self.sampled)
        form.addRow("", self.open_box)
        form.addRow("Re&dact:", self.redact)
        lay.addLayout(form)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if ref:
            self._fill(cases_core.get_case(ctx.ws, ref, include_name=True))
        self.resize(460, 380)

    def _fill(self, case: Case) -> None:
        self.name_edit.setText(case.name or "")
        self.alias.setText(case.alias or "")
        self.worker.setText(case.worker or "")
        self.team.setText(case.team or "")
        self.status.setCurrentIndex(max(0, self.status.findData(case.status)))
        self.sampled.setChecked(case.sampled)
        self.open_box.setChecked(case.open)
        self.redact.setText("; ".join(case.redact))

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "alias": self.alias.text(),
                "worker": self.worker.text(), "team": self.team.text(),
                "status": self.status.currentData() or "", "sampled": self.sampled.isChecked(),
                "open": self.open_box.isChecked(),
                "redact": [t for t in re.split(r"[;|]", self.redact.text()) if t.strip()]}

    def accept(self) -> None:
        v = self.values()
        ws = self.ctx.ws
        if self.ref:
            case, error = push_done(self.ctx, lambda: cases_core.update_case(ws, self.ref, **v))
        else:
            v["status"] = v["status"] or None
            case, error = push_done(self.ctx, lambda: cases_core.add_case(
                ws, self.ref_edit.text(), **v))
        if error:
            self.message.show_message(error)
            return
        self.saved = case
        super().accept()
