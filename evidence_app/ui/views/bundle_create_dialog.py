"""Creating a bundle: a title, how to group it (by line of enquiry, judgement area, week-one
request, case, or one section), and which of those to take (none ticked = all with evidence)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout,
                               QWidget)

from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.evidence import framework
from evidence_app.ui.views.evidence_common import muted_label, name

GROUPS = (("enquiry", "Line of enquiry"), ("area", "Judgement area"),
          ("request", "Week-one request"), ("case", "Child's case"),
          ("custom", "One section (arrange it yourself)"))
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class BundleCreateDialog(QDialog):
    def __init__(self, ws, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("New bundle")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Help and protection: strategy meetings")
        name(self.title, "Bundle title")
        self.by = QComboBox()
        for key, label in GROUPS:
            self.by.addItem(label, key)
        name(self.by, "Group the evidence by")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText("Optional: what the bundle shows")
        name(self.purpose, "Purpose")
        self.external = QCheckBox("For people outside the council (pseudonymise names)")
        name(self.external, "External bundle", "Exports of it replace children's names with "
             "aliases by default")
        form.addRow("&Title:", self.title)
        form.addRow("&Group by:", self.by)
        form.addRow("&Purpose:", self.purpose)
        form.addRow("", self.external)
        lay.addLayout(form)
        self.pick_label = QLabel()
        lay.addWidget(self.pick_label)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to narrow the list")
        self.filter.setClearButtonEnabled(True)
        name(self.filter, "Filter the list")
        self.filter.textChanged.connect(self._filter)
        lay.addWidget(self.filter)
        self.choices = QListWidget()
        name(self.choices, "What to include", "Tick the ones to include; none ticked takes all "
             "with evidence")
        self.pick_label.setBuddy(self.choices)
        lay.addWidget(self.choices, 1)
        lay.addWidget(muted_label("Nothing ticked takes everything that has evidence."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Create bundle")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.by.currentIndexChanged.connect(lambda _: self._fill())
        self._fill()
        self.resize(520, 560)

    def _fill(self) -> None:
        by = self.by.currentData()
        self.choices.clear()
        rows: list[tuple[str, str]] = []
        if by in ("enquiry",):
            rows = [(e.id, f"{e.id}  {e.title}") for e in framework.enquiries(self.ws)]
        elif by == "area":
            rows = [(a.id, f"{a.id}  {a.title}") for a in framework.areas(self.ws)]
        elif by == "request":
            rows = [(r.id, f"{r.id}  {r.title}") for r in framework.requests(self.ws)]
        elif by == "case":
            rows = [(c.ref, f"{c.ref}  {c.alias or ''}")
                    for c in cases_core.list_cases(self.ws)]
        for ident, text in rows:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, ident)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.choices.addItem(item)
        labels = {"enquiry": "&Lines of enquiry:", "area": "&Judgement areas:",
                  "request": "&Week-one requests:", "case": "&Cases:"}
        self.pick_label.setText(labels.get(by, "Every evidence item goes in one section."))
        for w in (self.choices, self.filter):
            w.setVisible(by != "custom")
        self._filter(self.filter.text())

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for r in range(self.choices.count()):
            item = self.choices.item(r)
            item.setHidden(not all(w in item.text().lower() for w in words))

    def tick(self, ident: str) -> None:
        for r in range(self.choices.count()):
            if self.choices.item(r).data(ID_ROLE) == ident:
                self.choices.item(r).setCheckState(Qt.CheckState.Checked)

    def params(self) -> dict:
        """Keyword arguments for `core.bundles.create_bundle`."""
        by = self.by.currentData()
        ticked = [self.choices.item(r).data(ID_ROLE) for r in range(self.choices.count())
                  if self.choices.item(r).checkState() == Qt.CheckState.Checked]
        out = {"title": self.title.text(), "by": by, "purpose": self.purpose.text(),
               "external": self.external.isChecked()}
        if by == "area" and ticked:
            out["enquiries"] = [e.id for e in framework.enquiries(self.ws) if e.area_id in ticked]
        elif by in ("enquiry", "request", "case") and ticked:
            out[{"enquiry": "enquiries", "request": "requests", "case": "cases"}[by]] = ticked
        return out

    def accept(self) -> None:
        if not self.title.text().strip():
            self.title.setFocus()
            self.title.setPlaceholderText("A bundle needs a title")
            return
        super().accept()
