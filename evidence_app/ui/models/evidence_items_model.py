"""A list of evidence items (under a line of enquiry, a heat-map cell, a case, a request).

Holds item ids in order; rows come with the list when a worker fetched them, and any row not yet
known is read by primary key (`core.evidence.get_item`) when it is first shown.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from evidence_app.core.evidence import evidence
from evidence_app.core.evidence.evidence import KIND_LABELS
from evidence_app.core.store.records import EvidenceItem
from evidence_app.ui.models.id_cached import IdCachedTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Item", "Passage or document", "Strength", "Kind", "Case", "Filed under", "Note",
           "By")


def describe(item: EvidenceItem | None) -> str:
    if item is None:
        return "(deleted)"
    quote = item.shown_quote
    page = f" (p. {item.page})" if item.page else ""
    where = item.title or "document"
    if quote:
        short = " ".join(quote.split())
        short = short if len(short) <= 140 else short[:139] + "…"
        return f"“{short}” — {where}{page}"
    return f"Whole document: {where}"


class EvidenceItemsModel(IdCachedTableModel):
    """Evidence items in a given order, each read by id when first shown (id_cached.py); an
    item deleted meanwhile is None and shows as "(deleted)" until the next refresh."""

    HEADERS = HEADERS

    def load(self, item_id: int) -> EvidenceItem:
        return evidence.get_item(self.ws, item_id)

    def missing(self, item_id: int) -> None:
        return None

    @property
    def ids(self) -> list[int]:
        return self.keys

    def set_items(self, rows: list[EvidenceItem]) -> None:
        self.set_rows(rows)

    def set_ids(self, ids: list[int]) -> None:
        self.set_keys(ids)

    def row(self, r: int) -> EvidenceItem | None:
        return self.row_at(r)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        item = self.row(index.row())
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(self.ids[index.row()], item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and item is not None:
            state = f"\nPassage {item.anchor}" if item.anchor not in ("anchored", "document") \
                else ""
            return f"{item.shown_quote or ''}\n\n{item.path or ''}{state}".strip()
        return None

    @staticmethod
    def _text(item_id: int, item: EvidenceItem | None, col: int) -> str:
        if col == 0:
            return str(item_id)
        if col == 1 or item is None:
            return describe(item) if col == 1 else ""
        return (item.strength.capitalize(), KIND_LABELS.get(item.kind, ""), item.case_ref or "",
                ", ".join(item.links), " ".join(item.note.split()),
                item.author or "")[col - 2]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    # -- dragging items onto a self-evaluation claim (ui/drag.py) ---------------------------------
    def flags(self, index: QModelIndex):  # noqa: ANN201
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.drag import EVIDENCE_MIME

        return [EVIDENCE_MIME]

    def mimeData(self, indexes):  # noqa: ANN001, ANN201, N802
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.drag import evidence_data

        rows = sorted({i.row() for i in indexes if i.isValid()})
        return evidence_data([self.ids[r] for r in rows if r < len(self.ids)])


def configure_view(view, hide: tuple[int, ...] = ()) -> None:  # noqa: ANN001
    """Column sizes for a table of evidence items: the passage takes the room, the rest fit."""
    # start-up: loaded when first used, not when the window opens
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setDragEnabled(True)      # onto a self-evaluation claim's citations
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setMinimumSectionSize(40)
    for col in range(len(HEADERS)):
        mode = (QHeaderView.ResizeMode.Stretch if col == 1 else
                QHeaderView.ResizeMode.Interactive if col == 6 else
                QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(col, mode)
        view.setColumnHidden(col, col in hide)
    header.resizeSection(6, 160)
