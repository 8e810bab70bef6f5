"""Before a pseudonymised export leaves the window: register the children it would name, and
review what may still identify someone.

`PreExportCheck` runs the core check (`core/bundles/pseudonym_check.py`) on a worker, then:
- cases not registered with a child's name -> `UnregisteredDialog`: each case with its evidence
  numbers, a name field already filled from a folder called "CH-123456 Firstname Surname", and
  "Register" (the case is added or given the name) or "Remove its items" (from this bundle);
- things the verifier would refuse -> said plainly (which part, never the text);
- review items -> `ReviewDialog`: each item with where it is; tick to accept it (it stays, and is
  remembered for this bundle) or add it as a term of a case (it is redacted);
and only when nothing is left calls back to start the export.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_app.core.bundles import bundles as bundles_core
from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.bundles import pseudonymise as ps
from evidence_app.ui.views.evidence_common import (MessageBar, core_call, muted_label, name,
                                                   push_done)
from evidence_app.core.settings import author


class UnregisteredDialog(QDialog):
    """Cases the export would name: register each with the child's name, or remove its items."""

    def __init__(self, ctx, bundle_id: int, missing: list, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.bundle_id, self.missing = ctx, bundle_id, list(missing)
        self.setWindowTitle("Register the children before a pseudonymised export")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(
            "A pseudonymised export replaces every registered child's name. These cases are "
            "not registered with a name, so their children would be named in the export. "
            "Register each (the name is kept in this workspace only) or remove its items."))
        self.table = QTableWidget(len(self.missing), 4)
        self.table.setHorizontalHeaderLabels(["Case", "Evidence", "Child's name", ""])
        name(self.table, "Unregistered cases")
        self.names: list[QLineEdit] = []
        for r, u in enumerate(self.missing):
            self.table.setItem(r, 0, QTableWidgetItem(f"{u.ref} ({u.reason})"))
            self.table.setItem(r, 1, QTableWidgetItem(", ".join(u.items)))
            edit = QLineEdit(u.suggested_name)
            edit.setPlaceholderText("Firstname Surname")
            name(edit, f"Name of the child in {u.ref}",
                 "Offered from the case folder's name; check it")
            self.names.append(edit)
            self.table.setCellWidget(r, 2, edit)
            remove = QPushButton("Remove its items")
            name(remove, f"Remove the items of {u.ref} from this bundle")
            remove.clicked.connect(lambda _=False, row=r: self.remove_items(row))
            self.table.setCellWidget(r, 3, remove)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        lay.addWidget(self.table, 1)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.register = QPushButton("&Register and continue")
        self.register.setDefault(True)
        name(self.register, "Register the cases with these names and continue the export")
        self.register.clicked.connect(self.register_all)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row.addStretch(1)
        row.addWidget(self.register)
        row.addWidget(cancel)
        lay.addLayout(row)
        self.resize(720, 320)

    def remove_items(self, row: int) -> None:
        u = self.missing[row]
        for number in reversed([i for i in u.items if i.startswith("E-")]):
            _, error = push_done(self.ctx, lambda n=number: bundles_core.remove_item(
                self.ctx.ws, self.bundle_id, n), f"Take {number} out of the bundle")
            if error:
                self.message.show_message(error)
                return
        self.ctx.changed({"bundles"})
        self.table.hideRow(row)
        u.items = []
        if all(self.table.isRowHidden(r) for r in range(self.table.rowCount())):
            self.accept()

    def register_all(self) -> None:
        for r, u in enumerate(self.missing):
            if self.table.isRowHidden(r):
                continue
            child = " ".join(self.names[r].text().split())
            if not child:
                self.message.show_message(f"Give the name of the child in {u.ref}, or remove "
                                          "its items.")
                self.names[r].setFocus()
                return
            if u.reason == "not registered":
                _, error = push_done(self.ctx, lambda: cases_core.add_case(
                    self.ctx.ws, u.ref, name=child))
            else:
                _, error = push_done(self.ctx, lambda: cases_core.update_case(
                    self.ctx.ws, u.ref, name=child))
            if error:
                self.message.show_message(error)
                return
        self.ctx.changed({"cases"})
        self.accept()


class ReviewDialog(QDialog):
    """What may still identify someone: accept it (it stays) or add it as a case's term."""

    def __init__(self, ctx, bundle_id: int, items: list, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx, self.bundle_id, self.items = ctx, bundle_id, list(items)
        self.setWindowTitle("Review before the pseudonymised export")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(
            f"After pseudonymisation {len(self.items)} thing(s) still look as if they could "
            "identify someone. Tick what may stay (it is remembered for this bundle), or add "
            "it as a term of a case so it is replaced by [REDACTED]."))
        self.table = QTableWidget(len(self.items), 3)
        self.table.setHorizontalHeaderLabels(["Text", "What", "Where"])
        name(self.table, "Review items")
        for r, item in enumerate(self.items):
            cell = QTableWidgetItem(item.text)
            cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                          | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, cell)
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.bundles.export.review import KIND_LABELS

            self.table.setItem(r, 1, QTableWidgetItem(KIND_LABELS.get(item.kind, item.kind)))
            place = item.where if item.where == item.part else f"{item.where} ({item.part})"
            self.table.setItem(r, 2, QTableWidgetItem(place))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        lay.addWidget(self.table, 1)
        terms = QHBoxLayout()
        self.case = QComboBox()
        for c in cases_core.list_cases(ctx.ws):
            self.case.addItem(f"{c.ref} ({c.alias})", c.ref)
        name(self.case, "Case to add the term to")
        self.add_terms = QPushButton("Add ticked as &terms of")
        name(self.add_terms, "Add the ticked items as redaction terms of the chosen case")
        self.add_terms.clicked.connect(self.add_as_terms)
        terms.addWidget(self.add_terms)
        terms.addWidget(self.case, 1)
        lay.addLayout(terms)
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        row = QHBoxLayout()
        tick_all = QPushButton("Tick &all")
        tick_all.clicked.connect(lambda: self.tick_all(True))
        self.accept_button = QPushButton("&Accept ticked and export")
        self.accept_button.setDefault(True)
        name(self.accept_button, "Accept the ticked items and export")
        self.accept_button.clicked.connect(self.accept_ticked)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        row.addWidget(tick_all)
        row.addStretch(1)
        row.addWidget(self.accept_button)
        row.addWidget(cancel)
        lay.addLayout(row)
        self.resize(760, 420)

    def tick_all(self, on: bool) -> None:
        for r in range(self.table.rowCount()):
            if not self.table.isRowHidden(r):
                self.table.item(r, 0).setCheckState(
                    Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def ticked(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)
                and self.table.item(r, 0).checkState() == Qt.CheckState.Checked]

    def add_as_terms(self) -> None:
        rows = self.ticked()
        ref = self.case.currentData()
        if not rows or not ref:
            self.message.show_message("Tick the items to add, and choose the case.")
            return
        # "Mrs Kowalski" -> the surname is the term (the title is not identifying)
        terms = [self.items[r].text.split(maxsplit=1)[-1] if self.items[r].kind == "after-title"
                 else self.items[r].text for r in rows]
        _, error = push_done(self.ctx, lambda: cases_core.update_case(self.ctx.ws, ref,
                                                                       add_redact=terms))
        if error:
            self.message.show_message(error)
            return
        for r in rows:
            self.table.hideRow(r)
        self.ctx.changed({"cases"})
        if all(self.table.isRowHidden(r) for r in range(self.table.rowCount())):
            self.accept()

    def accept_ticked(self) -> None:
        rows = self.ticked()
        remaining = [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]
        if len(rows) < len(remaining):
            self.message.show_message("Tick every remaining item to accept it, or add it as a "
                                      "term; the export goes ahead only when none is left.")
            return

        _, error = core_call(self.ctx.write_call, ps.accept, self.ctx.ws, self.bundle_id,
                             [self.items[r] for r in rows], author(self.ctx.ws))
        if error:
            self.message.show_message(error)
            return
        self.accept()


class PreExportCheck:
    """Runs the check on a worker and walks the person through its answers; `proceed()` is
    called once nothing stands in the way."""

    def __init__(self, owner, bundle_id: int, append: bool, proceed, failed) -> None:  # noqa: ANN001
        self.owner, self.bundle_id, self.append = owner, bundle_id, append
        self.proceed, self.failed = proceed, failed
        self.dialog = None

    def run(self) -> None:
        # start-up: the check builds the bundle (the exporters); loaded when first asked for
        from evidence_app.core.bundles.pseudonym_check import check_bundle

        bundle_id, append = self.bundle_id, self.append
        self.owner.ctx.run(lambda io: check_bundle(io.ws, bundle_id, append_sources=append),
                           self._checked, self.failed)

    def _checked(self, check) -> None:  # noqa: ANN001
        if check.unregistered:
            self._open(UnregisteredDialog(self.owner.ctx, self.bundle_id, check.unregistered,
                                          self.owner))
        elif check.problems:
            self.failed("The pseudonymised export would be refused: found "
                        + "; ".join(p.line() for p in check.problems[:5])
                        + ". Add the missing names or terms to the case and try again.")
        elif check.items:
            self._open(ReviewDialog(self.owner.ctx, self.bundle_id, check.items, self.owner))
        else:
            self.proceed()

    def _open(self, dialog: QDialog) -> None:
        import shiboken6  # start-up: loaded when first used, not when the window opens

        if not shiboken6.isValid(self.owner):
            return
        if hasattr(self.owner, "_idle"):
            self.owner._idle()                      # the person answers; nothing runs
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.run)           # check again: the answers may leave more
        dialog.rejected.connect(lambda: self.failed(
            "Not exported: the pseudonymised export waits for the cases to be registered and "
            "the review to be answered."))
        dialog.open()


def pseudonymised_title(ws, title: str) -> str:  # noqa: ANN001
    """The bundle's title as the pseudonymised export will show it (for the file name)."""
    # start-up: loaded when first used, not when the window opens
    from evidence_app.core.bundles.export.redact import Pseudonymiser

    return Pseudonymiser(ps.redaction_rules(ws)).redact(title, "file name")
