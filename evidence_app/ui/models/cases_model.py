"""Models for the Cases place: the cases table (refs in order, rows read lazily by reference; never
the child's name) and the caseload tables."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from evidence_app.core.evidence.cases import STATUSES
from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.store.records import Case, Caseload
from evidence_app.ui.models.id_cached import IdCachedTableModel

REF_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_HEADERS = ("Reference", "Alias", "Worker", "Team", "Legal status", "Sampled", "Open")


def status_text(code: str | None) -> str:
    return f"{STATUSES[code]} ({code})" if code in STATUSES else ""


def matches(case: Case, words: list[str]) -> bool:
    hay = " ".join(v or "" for v in (case.ref, case.alias, case.worker, case.team, case.status))
    hay = (hay + " " + status_text(case.status)).lower()
    return all(w in hay for w in words)


class CasesModel(IdCachedTableModel):
    """Cases by reference, in a given order (id_cached.py): the rows come with the list; one
    asked for that did not is read by reference, and one deleted meanwhile shows as removed."""

    KEY = "ref"
    HEADERS = CASE_HEADERS

    def load(self, ref: str) -> Case:
        return cases_core.get_case(self.ws, ref)

    def missing(self, ref: str) -> Case:
        return Case(id=0, uuid="", ref=ref, alias="(removed)", worker=None, team=None,
                    status=None, sampled=False, open=False, redact=(), has_name=False,
                    created_at="", updated_at="")

    @property
    def refs(self) -> list[str]:
        return self.keys

    def set_cases(self, rows: list[Case]) -> None:
        self.set_rows(rows)

    def case(self, r: int) -> Case:
        return self.row_at(r)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        case = self.case(index.row())
        col = index.column()
        if role == REF_ROLE:
            return case.ref
        text = (case.ref, case.alias, case.worker, case.team, case.status)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col in (5, 6):
                return "Yes" if (case.sampled if col == 5 else case.open) else "No"
            return text[col] or ""
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return status_text(case.status)
        if role == Qt.ItemDataRole.ToolTipRole and col in (2, 3):
            return text[col] or None
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return CASE_HEADERS[section]
        return None


class CaseloadModel(QAbstractTableModel):
    """Open cases per worker (or team), split by legal status."""

    def __init__(self, key: str, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.key = key
        self.rows: Sequence[Caseload] = ()
        self.headers = (key.capitalize(), "Open", "Sampled", *STATUSES)

    def set_rows(self, rows: Sequence[Caseload]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.name
            if col in (1, 2):
                return str(row.open if col == 1 else row.sampled)
            return str(row.by_status.get(self.headers[col], 0))
        if role == Qt.ItemDataRole.TextAlignmentRole and col:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and section >= 3:
            return STATUSES[self.headers[section]]
        return None
