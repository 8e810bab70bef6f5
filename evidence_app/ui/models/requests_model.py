"""The week-one requests table: ids in framework order, rows from `core.requests.list_requests`
(read on a worker), owner / due / status editable in place (the view saves them, undoably), and a
live countdown to each due time."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from evidence_app.core.evidence import requests as requests_core
from evidence_app.core.evidence.requests import REQUEST_STATUSES
from evidence_app.core.store.records import Request
from evidence_app.ui.models.id_cached import IdCachedTableModel
from evidence_app.ui.views.evidence_common import countdown, uk_datetime

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Id", "Request", "Owner", "Due", "Countdown", "Status", "Evidence", "Documents",
           "Sent")
OWNER, DUE, COUNTDOWN, STATUS = 2, 3, 4, 5
EDITABLE = {OWNER: "owner", DUE: "due", STATUS: "status"}


class RequestsModel(IdCachedTableModel):
    """Week-one requests by id, in framework order, each read when first shown (id_cached.py)."""

    editRequested = Signal(str, str, str)  # request id, field (owner | due | status), new value
    HEADERS = HEADERS

    def __init__(self, ws, now: Callable[[], dt.datetime] = dt.datetime.now, parent=None) -> None:  # noqa: ANN001
        super().__init__(ws, parent)
        self.now = now

    def load(self, ident: str) -> Request:
        return requests_core.get_request(self.ws, ident)

    def missing(self, ident: str) -> None:
        return None  # removed meanwhile: shown as such until the next refresh

    @property
    def ids(self) -> list[str]:
        return self.keys

    def set_requests(self, rows: list[Request]) -> None:
        self.set_rows(rows)

    def request(self, r: int) -> Request | None:
        return self.row_at(r)

    def tick(self) -> None:
        """Time passed: the countdown column changes."""
        if self.ids:
            self.dataChanged.emit(self.index(0, COUNTDOWN), self.index(len(self.ids) - 1, COUNTDOWN))

    def countdown(self, row: Request) -> str:
        return countdown(row.due_at, self.now(), sent=row.is_sent)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row, col = self.request(index.row()), index.column()
        if role == ID_ROLE:
            return self.ids[index.row()]
        if row is None:
            shown = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
            return {0: self.ids[index.row()], 1: "(removed)"}.get(col) if role in shown else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, col)
        if role == Qt.ItemDataRole.EditRole:
            return {OWNER: row.owner or "", DUE: uk_datetime(row.due_at),
                    STATUS: row.status}.get(col)
        if role == Qt.ItemDataRole.FontRole and col == COUNTDOWN \
                and self.countdown(row).startswith("overdue"):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return f"{row.ofsted_ref or ''}\n{row.period or ''}".strip()
            if col == 8 and row.sent_sha256:
                return f"SHA-256 {row.sent_sha256}\n{row.sent_file or 'linked items'}"
            if col == DUE:
                return "dd/mm/yyyy HH:MM (a date alone means 17:00)"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: Request, col: int) -> str:
        if col == 0:
            return row.id
        if col == 1:
            return row.title
        if col == OWNER:
            return row.owner or ""
        if col == DUE:
            return uk_datetime(row.due_at)
        if col == COUNTDOWN:
            return self.countdown(row)
        if col == STATUS:
            return row.status.capitalize()
        if col in (6, 7):
            return str(row.evidence if col == 6 else row.documents)
        if row.sent_at:
            return f"{uk_datetime(row.sent_at)} by {row.sent_by or '?'}"
        return ""

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: ANN001, N802
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        if str(value) != str(self.data(index, Qt.ItemDataRole.EditRole) or ""):
            self.editRequested.emit(self.ids[index.row()], EDITABLE[index.column()], str(value))
        return False  # the view saves it and the model reloads

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class StatusDelegate(QStyledItemDelegate):
    """A list of the four statuses to pick from."""

    def createEditor(self, parent, option, index):  # noqa: ANN001, ANN201, N802
        combo = QComboBox(parent)
        for s in REQUEST_STATUSES:
            combo.addItem(s.capitalize(), s)
        combo.setAccessibleName("Status")
        return combo

    def setEditorData(self, editor, index) -> None:  # noqa: ANN001, N802
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor, model, index) -> None:  # noqa: ANN001, N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
