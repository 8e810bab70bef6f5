"""The Problems list: files whose text could not be read, with the reason in plain words."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..context import UiContext

STATUS_WORDS = {"empty": "No text", "encrypted": "Password protected", "damaged": "Damaged",
                "unsupported": "Not supported", "too_large": "Too large", "timeout": "Took too long",
                "missing": "Missing", "pending": "Waiting"}
RETRYABLE = {"empty", "encrypted", "damaged", "unsupported", "too_large", "timeout"}


def load_problems(ws) -> list[dict]:  # noqa: ANN001 - runs on a worker thread
    from ..lookups import problem_documents

    return problem_documents(ws)


class ProblemsDialog(QDialog):
    retryRequested = Signal(list)  # document ids ([] = every file that can be retried)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Problems")
        self.resize(860, 440)
        lay = QVBoxLayout(self)
        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems summary")
        lay.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Files that could not be read")
        self.tree.setHeaderLabels(["File", "Status", "Reason"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 320)
        header.resizeSection(1, 130)
        lay.addWidget(self.tree, 1)
        buttons = QDialogButtonBox()
        self.retry_selected = QPushButton("Try again")
        self.retry_selected.setAccessibleName("Try again with the selected files")
        self.retry_selected.setToolTip("Read the selected files again (after fixing them or "
                                       "changing the limits in Settings)")
        self.retry_all = QPushButton("Try all again")
        self.retry_all.setAccessibleName("Try again with every file that could not be read")
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.addButton(self.retry_selected, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        close.clicked.connect(self.reject)
        self.retry_selected.clicked.connect(self._retry_selected)
        self.retry_all.clicked.connect(lambda: self._retry([]))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(buttons)
        self.rows: list[dict] = []
        self.reload()

    def reload(self) -> None:
        self.ctx.run(lambda io: load_problems(io.ws), self._show_rows,
                     lambda msg: self.summary.setText(msg))

    def _show_rows(self, rows: list[dict]) -> None:
        self.rows = rows
        self.tree.clear()
        for r in rows:
            name = r["path"] + (f" › {r['member']}" if r["member"] else "")
            item = QTreeWidgetItem([name, STATUS_WORDS.get(r["status"], r["status"]),
                                    r["reason"] or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, r["id"])
            item.setData(1, Qt.ItemDataRole.UserRole, r["status"])
            item.setToolTip(0, name)
            item.setToolTip(2, r["reason"] or "")
            self.tree.addTopLevelItem(item)
        if rows:
            self.summary.setText(f"{len(rows):,} files could not be read fully. Their names are "
                                 "still searchable. Fix a file (or raise the limits in Settings) "
                                 "and choose Try again.")
        else:
            self.summary.setText("Every file was read. Nothing needs attention.")
        self._update_buttons()

    def _retryable_selected(self) -> list[int]:
        return [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()
                if i.data(1, Qt.ItemDataRole.UserRole) in RETRYABLE]

    def _update_buttons(self) -> None:
        self.retry_selected.setEnabled(bool(self._retryable_selected()))
        self.retry_all.setEnabled(any(r["status"] in RETRYABLE for r in self.rows))

    def _retry_selected(self) -> None:
        ids = self._retryable_selected()
        if ids:
            self._retry(ids)

    def _retry(self, ids: list[int]) -> None:
        self.retryRequested.emit(ids)
        self.summary.setText("Trying again… the list updates when the files have been read.")
