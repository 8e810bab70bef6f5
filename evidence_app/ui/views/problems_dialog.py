"""The Problems list: files whose text could not be read, with the reason in plain words.

Each row shows the file's name first (the part that tells files apart), then its folder, then the
whole reason, wrapped; Open folder and Try again act on the selected files."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from evidence_app.core.store.records import Problem
from evidence_app.ui import desktop
from evidence_app.ui.context import UiContext

STATUS_WORDS = {"empty": "No text", "encrypted": "Password protected", "damaged": "Damaged",
                "unsupported": "Not supported", "too_large": "Too large", "timeout": "Took too long",
                "skipped": "Skipped", "missing": "Missing", "pending": "Waiting",
                "scan_hard_to_read": "Scan hard to read"}
RETRYABLE = {"empty", "encrypted", "damaged", "unsupported", "too_large", "timeout"}
OCR_READABLE = {"empty", "scan_hard_to_read"}  # rows whose scanned pages OCR can read again


def load_problems(ws) -> list[Problem]:  # noqa: ANN001 - runs on a worker thread
    # start-up: loaded when first used, not when the window opens
    from evidence_app.ui.lookups import problem_documents

    return problem_documents(ws)


class ProblemsDialog(QDialog):
    retryRequested = Signal(list)  # document ids ([] = every file that can be retried)
    ocrRequested = Signal(list)  # document ids to read again with OCR

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Problems")
        self.setAccessibleName("Problems: files that could not be read")
        self._fit_size()
        lay = QVBoxLayout(self)
        self.summary = QLabel("Loading…")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Problems summary")
        lay.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Files that could not be read")
        self.tree.setHeaderLabels(["File", "Status", "Reason", "Folder"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        em = self.fontMetrics().horizontalAdvance("M")
        header.resizeSection(0, 18 * em)
        header.resizeSection(3, 16 * em)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._open_folder([item]))
        lay.addWidget(self.tree, 1)
        buttons = QDialogButtonBox()
        self.retry_selected = QPushButton("Try again")
        self.retry_selected.setAccessibleName("Try again with the selected files")
        self.retry_selected.setToolTip("Read the selected files again (after fixing them or "
                                       "changing the limits in Settings)")
        self.read_ocr = QPushButton("Read again with &OCR")
        self.read_ocr.setAccessibleName("Read the selected scans again with OCR")
        self.read_ocr.setToolTip("Read every scanned page of the selected files again (after "
                                 "replacing a poor scan, or with OCR off in Settings)")
        self.read_ocr.clicked.connect(self._read_ocr)
        self.retry_all = QPushButton("Try all again")
        self.retry_all.setAccessibleName("Try again with every file that could not be read")
        self.open_folder = QPushButton("&Open folder")
        self.open_folder.setAccessibleName("Open the selected file's folder")
        self.open_folder.setToolTip("Show the file in its folder, to fix, replace or remove it")
        self.open_folder.clicked.connect(lambda: self._open_folder(self.tree.selectedItems()))
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.addButton(self.open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.read_ocr, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry_selected, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        close.clicked.connect(self.reject)
        self.retry_selected.clicked.connect(self._retry_selected)
        self.retry_all.clicked.connect(lambda: self._retry([]))
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(buttons)
        self.rows: list[Problem] = []
        self.reload()

    def reload(self) -> None:
        self.ctx.run(lambda io: load_problems(io.ws), self._show_rows,
                     lambda msg: self.summary.setText(msg))

    def _show_rows(self, rows: list[Problem]) -> None:
        self.rows = rows
        self.tree.clear()
        for r in rows:
            name, folder = r.shown_name, r.shown_folder
            reason = r.reason or ""
            status = STATUS_WORDS.get(r.status, r.status)
            item = QTreeWidgetItem([name, status, reason, folder])
            item.setData(0, Qt.ItemDataRole.UserRole, r.id)
            item.setData(1, Qt.ItemDataRole.UserRole, r.status)
            item.setData(3, Qt.ItemDataRole.UserRole, r.disk_path)
            item.setToolTip(0, r.shown_path + (f" › {r.member}" if r.member else ""))
            item.setToolTip(2, reason)
            item.setToolTip(3, folder)
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                         f"{name}, {status}: {reason}. In {folder}")
            self.tree.addTopLevelItem(item)
        if rows:
            n = len(rows)
            self.summary.setText(f"{n:,} {'file' if n == 1 else 'files'} could not be read "
                                 "fully. Their names are still searchable. Open the folder to fix "
                                 "or replace a file (or raise the limits in Settings), then "
                                 "choose Try again.")
        else:
            self.summary.setText("Every file was read. Nothing needs attention.")
        self._update_buttons()

    def _retryable_selected(self) -> list[int]:
        return [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()
                if i.data(1, Qt.ItemDataRole.UserRole) in RETRYABLE]

    def _ocr_selected(self) -> list[int]:
        return [int(i.data(0, Qt.ItemDataRole.UserRole)) for i in self.tree.selectedItems()
                if i.data(1, Qt.ItemDataRole.UserRole) in OCR_READABLE]

    def _read_ocr(self) -> None:
        ids = self._ocr_selected()
        if ids:
            self.ocrRequested.emit(ids)
            self.summary.setText("Reading the scanned pages again… the list updates when they "
                                 "have been read.")

    def _update_buttons(self) -> None:
        self.read_ocr.setEnabled(bool(self._ocr_selected()))
        self.open_folder.setEnabled(bool(self.tree.selectedItems()))
        self.retry_selected.setEnabled(bool(self._retryable_selected()))
        self.retry_all.setEnabled(any(r.status in RETRYABLE for r in self.rows))

    def _open_folder(self, items: list) -> None:  # noqa: ANN001
        if items:
            desktop.show_in_folder(items[0].data(3, Qt.ItemDataRole.UserRole))

    def _fit_size(self) -> None:
        """Wide enough for name, reason and folder, but never larger than the screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = 980, 480
        if screen is not None:
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 60)
        self.resize(w, h)

    def _retry_selected(self) -> None:
        ids = self._retryable_selected()
        if ids:
            self._retry(ids)

    def _retry(self, ids: list[int]) -> None:
        self.retryRequested.emit(ids)
        self.summary.setText("Trying again… the list updates when the files have been read.")
