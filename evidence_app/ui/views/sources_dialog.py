"""Source folders: add (by dialog or drag and drop), choose their kind, remove."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from evidence_app.core.index.sources import KINDS, add_source, list_sources, remove_source
from evidence_app.ui.context import UiContext
from evidence_app.ui.style import icon
from evidence_app.ui.views.evidence_common import push_done

KIND_LABELS = {"case-files": "Case files", "policies": "Policies and procedures",
               "other": "Other (data, performance, minutes)"}


def add_source_folder(ctx: UiContext, indexing, path: str | Path, kind: str) -> str | None:  # noqa: ANN001
    """Add a folder to the workspace (undoable: Ctrl+Z removes it again). The window's indexing
    hears the "sources" change and reads the folder. Returns an error message, or None."""
    _, error = push_done(ctx, lambda: add_source(ctx.ws, path, kind))
    return error


def guess_kind(path: Path) -> str:
    name = path.name.lower()
    if "polic" in name or "procedure" in name or "guidance" in name:
        return "policies"
    if "case" in name or "child" in name or "ch-" in name:
        return "case-files"
    return "case-files"


class KindDialog(QDialog):
    """Asks what kind of folder was dropped on the window."""

    def __init__(self, folders: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add source folder")
        lay = QVBoxLayout(self)
        names = "\n".join(str(f) for f in folders[:5]) + ("\n…" if len(folders) > 5 else "")
        text = QLabel(f"Add to the workspace and index:\n{names}")
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of folder")
        for k in KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.kind.setCurrentIndex(KINDS.index(guess_kind(folders[0])))
        form.addRow("&Kind:", self.kind)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add and index")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())


class SourcesDialog(QDialog):
    def __init__(self, ctx: UiContext, indexing, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.indexing = indexing
        self.setWindowTitle("Source folders")
        self.resize(760, 380)
        lay = QVBoxLayout(self)
        intro = QLabel("The folders this workspace reads. The app only reads them: it never "
                       "changes, moves or deletes a file. You can also drop folders onto the "
                       "window.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Source folders")
        self.tree.setHeaderLabels(["Folder", "Kind"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of folder to add")
        for k in KINDS:
            self.kind.addItem(KIND_LABELS[k], k)
        self.add_button = QPushButton(icon("add-folder"), "Add folder…")
        self.add_button.setAccessibleName("Add a source folder")
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected source folder")
        self.remove_button.setToolTip("Stop reading this folder. Its documents stay, marked "
                                      "missing, because evidence may point at them.")
        self.remove_button.clicked.connect(self.remove_selected)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        row.addWidget(kind_label)
        row.addWidget(self.kind)
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        lay.addLayout(row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.tree.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.tree.selectedItems())))
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        for s in list_sources(self.ctx.ws):
            item = QTreeWidgetItem([str(s.path), KIND_LABELS.get(s.kind, s.kind)])
            item.setData(0, Qt.ItemDataRole.UserRole, str(s.path))
            item.setToolTip(0, str(s.path))
            self.tree.addTopLevelItem(item)
        self.remove_button.setEnabled(False)
        if not self.tree.topLevelItemCount():
            self.message.setText("No folders yet. Choose the kind, then Add folder…")

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of case files or policies")
        if folder:
            self.add_folder(folder, str(self.kind.currentData()))

    def add_folder(self, path: str | Path, kind: str) -> bool:
        """The slot behind Add folder… (and drag and drop)."""
        error = add_source_folder(self.ctx, self.indexing, path, kind)
        if error:
            self.message.setText(error)
            return False
        self.message.setText(f"Added {path}. Indexing has started; you can keep working.")
        self.refresh()
        return True

    def remove_selected(self) -> None:
        items = self.tree.selectedItems()
        if not items:
            return
        path = items[0].data(0, Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(
            self, "Remove source folder",
            f"Stop reading {path}?\n\nIts documents stay in the workspace, marked missing, "
            "because evidence may point at them. No file is deleted.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        _, error = push_done(self.ctx, lambda: remove_source(self.ctx.ws, path))
        if error:
            self.message.setText(error)
            return
        self.refresh()
