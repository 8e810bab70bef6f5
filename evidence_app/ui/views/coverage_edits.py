"""What a person changes in Framework & coverage: the edit mode (off unless turned on, so nobody
renames a line by accident), adding, renaming, reordering and retiring lines of enquiry, and
switching the framework version.

A mixin of `CoverageView` (ui/views/coverage_view.py), which supplies `ctx`, the tree and its
model, the message bar, the edit tools and `current_enquiry()`; kept in its own file so the
view's file holds how the place is laid out and filled, and this one what each button does.
Every edit is one core write returning a `Done`, put on the window's undo stack (Ctrl+Z)."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QDialog, QMessageBox

from evidence_app.core.evidence import framework
from evidence_app.ui.models.coverage_model import ID_ROLE
from evidence_app.ui.views.add_enquiry_dialog import AddEnquiryDialog
from evidence_app.ui.views.evidence_common import push_done


class CoverageEdits:
    """Framework & coverage's writes (each a core write with its undo on the window's stack)."""

    def set_edit_mode(self, on: bool) -> None:
        """Framework editing is a mode a person turns on; otherwise the place only reads."""
        if self.edit_mode.isChecked() != on:
            self.edit_mode.setChecked(on)
            return
        for w in self.edit_tools:
            w.setVisible(on)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed if on
                                  else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleDescription(
            "Judgement areas and their lines of enquiry with strong, moderate and weak counts."
            + (" F2 renames a line." if on else ""))
        if not on and self.show_retired.isChecked():
            self.show_retired.setChecked(False)

    def add_enquiry(self, area: str, title: str, prompt: str = "") -> str | None:
        ws = self.ctx.ws
        ident, error = push_done(self.ctx, lambda: framework.add_enquiry(ws, area, title, prompt),
                                 f"Add line of enquiry to {area}")
        if error:
            self.message.show_message(error)
        return ident

    def rename_enquiry(self, enquiry: str, title: str) -> None:
        ws = self.ctx.ws
        _, error = push_done(self.ctx, lambda: framework.rename(ws, enquiry, title=title),
                             f"Rename {enquiry}")
        if error:
            self.message.show_message(error)

    def move(self, delta: int) -> None:
        enquiry = self.current_enquiry()
        if not enquiry:
            self.message.show_message("Select a line of enquiry to move.", 6)
            return
        index = self.tree.currentIndex()
        old = index.row() + 1
        new = old + delta
        if new < 1 or new > self.tree_model.rowCount(index.parent()):
            return
        ws = self.ctx.ws
        # positions count every line of the area, shown or retired: move by the stored position
        _, line = framework.get(ws, enquiry)
        target = self._neighbour_position(index, delta, line.area_id)
        _, error = push_done(self.ctx, lambda: framework.move(ws, enquiry, target),
                             f"Move {enquiry}")
        if error:
            self.message.show_message(error)

    def _stored_position(self, enquiry: str, area: str) -> int:
        order = [e.id for e in framework.enquiries(self.ctx.ws, include_retired=True, area=area)]
        return order.index(enquiry) + 1

    def _neighbour_position(self, index, delta: int, area: str) -> int:  # noqa: ANN001
        neighbour = index.sibling(index.row() + delta, 0).data(ID_ROLE)
        return self._stored_position(neighbour, area)

    def toggle_retired(self) -> None:
        enquiry = self.current_enquiry()
        if not enquiry:
            self.message.show_message("Select a line of enquiry to retire or restore.", 6)
            return
        ws = self.ctx.ws
        retired = enquiry in self.tree_model.retired
        verb = "Restore" if retired else "Retire"
        _, error = push_done(self.ctx, lambda: framework.retire(ws, enquiry, not retired),
                             f"{verb} {enquiry}")
        if error:
            self.message.show_message(error)
        elif not retired and not self.show_retired.isChecked():
            self.message.show_message(f"{enquiry} is retired and hidden; tick “Show retired” to "
                                      "see it, or undo (Ctrl+Z).", 10)

    def _rename_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid() and index.internalId() != 0:
            self.tree.edit(index.siblingAtColumn(0))
        else:
            self.message.show_message("Select a line of enquiry to rename.", 6)

    def add_dialog(self) -> None:
        dialog = AddEnquiryDialog(self.ctx.ws, self)
        area = self.tree.currentIndex()
        if area.isValid():
            top = area if area.internalId() == 0 else area.parent()
            dialog.area.setCurrentIndex(max(0, dialog.area.findData(top.data(ID_ROLE))))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            ident = self.add_enquiry(dialog.area.currentData(), dialog.title.text(),
                                     dialog.prompt.toPlainText())
            if ident:
                self.selection = (ident, None)

    def _on_version_chosen(self, _index: int) -> None:
        version = self.version.currentData()
        current = self.data.version if self.data else None
        if not version or version == current:
            return
        answer = QMessageBox.question(
            self, "Change framework version",
            f"Use the {version} framework? Areas it does not have are retired (kept for the "
            "evidence filed under them). You can undo this.")
        if answer == QMessageBox.StandardButton.Yes:
            self.switch_version(version)
        else:
            self.version.setCurrentIndex(max(0, self.version.findData(current)))

    def switch_version(self, version: str) -> None:
        ws = self.ctx.ws
        _, error = push_done(self.ctx, lambda: framework.use_version(ws, version),
                             f"Switch framework to {version}")
        if error:
            self.message.show_message(error)
