"""The bundle builder's tree: sections -> evidence items, in the bundle's order, with drag and
drop. The model holds the bundle (a `Bundle` record: section ids, item ids) and its rows
(`core.bundles.bundle_rows`: each item with its number), reading an item by primary key only if
it was not among them. It never changes the order itself: a drop (or `moveRows`)
emits `moveRequested(item, section, position)` and the view saves it through `core.bundles`,
undoably, then reloads."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt, Signal

from evidence_app.core.evidence import evidence
from evidence_app.core.bundles.export.model import evidence_number
from evidence_app.core.store.records import Bundle, BundleRow, BundleSection, EvidenceItem
from evidence_app.ui.models.evidence_items_model import describe
from evidence_app.ui.models.id_cached import RowCache
from evidence_app.ui.models.two_level_tree import TwoLevelTreeModel

MIME = "application/x-evidence-organiser-bundle-item"
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # evidence item id (items) or None (sections)
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # section id (both)


class BundleTreeModel(TwoLevelTreeModel):
    """Sections (the groups, two_level_tree.py) with their evidence items (read through a
    RowCache, id_cached.py)."""

    moveRequested = Signal(int, int, int)  # item id, target section id, 1-based position

    def __init__(self, ws, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ws = ws
        self.bundle: Bundle | None = None
        self.sections: tuple[BundleSection, ...] = ()
        # an item deleted meanwhile is None until the next refresh
        self.cache = RowCache(lambda item_id: evidence.get_item(self.ws, item_id), lambda _: None)
        self._numbers: dict[int, str] = {}

    def set_bundle(self, bundle: Bundle | None, rows: dict[int, BundleRow] | None = None) -> None:
        self.beginResetModel()
        self.bundle = bundle
        self.sections = bundle.sections if bundle else ()
        rows = rows or {}
        self.cache.reset({item_id: row.item for item_id, row in rows.items()})
        order = bundle.item_ids if bundle else []
        self._numbers = {item: rows[item].number if item in rows else evidence_number(n)
                         for n, item in enumerate(order, 1)}
        self.endResetModel()

    def item_row(self, item_id: int) -> EvidenceItem | None:
        return self.cache.get(item_id)

    def number(self, item_id: int) -> str:
        return self._numbers.get(item_id, "")

    # -- structure (the arithmetic is in TwoLevelTreeModel) ---------------------------------------
    def group_count(self) -> int:
        return len(self.sections)

    def child_count(self, group: int) -> int:
        return len(self.sections[group].items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def section_of(self, index: QModelIndex) -> tuple[int, BundleSection]:
        s = self.group_of(index)
        return s, self.sections[s]

    def find_item(self, item_id: int) -> QModelIndex:
        for s, section in enumerate(self.sections):
            if item_id in section.items:
                return self.index(section.items.index(item_id), 0, self.index(s, 0))
        return QModelIndex()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        s, section = self.section_of(index)
        if role == SECTION_ROLE:
            return section.id
        if self.is_group(index):
            if role == ITEM_ROLE:
                return None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                n = len(section.items)
                return f"S{s + 1}  {section.title}  ({n} item{'s' if n != 1 else ''})"
            if role == Qt.ItemDataRole.FontRole:
                # start-up: loaded when first used, not when the window opens
                from PySide6.QtGui import QFont

                f = QFont()
                f.setBold(True)
                return f
            return None
        item_id = section.items[index.row()]
        if role == ITEM_ROLE:
            return item_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            row = self.item_row(item_id)
            strength = f"  [{row.strength.capitalize()}]" if row else ""
            return f"{self.number(item_id)}  {describe(row)}{strength}"
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self.item_row(item_id)
            return (row.path if row else None) or ""
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "Sections and evidence (drag to reorder; Alt+↑/↓ moves the selected item)"
        return None

    # -- drag and drop -------------------------------------------------------------------------
    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if self.is_group(index):
            return f | Qt.ItemFlag.ItemIsDropEnabled
        return f | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:  # noqa: ANN001, N802
        ids = [str(i.data(ITEM_ROLE)) for i in indexes if i.isValid() and i.data(ITEM_ROLE)]
        data = QMimeData()
        data.setData(MIME, QByteArray(",".join(ids[:1]).encode()))
        return data

    def target(self, row: int, parent: QModelIndex) -> tuple[int, int] | None:
        """(section index, row to insert before) for a drop at `row` under `parent`."""
        if not self.sections:
            return None
        if not parent.isValid():  # between sections: the end of the one above
            s = max(0, min(len(self.sections), row if row >= 0 else len(self.sections)) - 1)
            return s, len(self.sections[s].items)
        if not self.is_group(parent):  # onto an item: just before it
            return self.group_of(parent), parent.row()
        n = len(self.sections[parent.row()].items)
        return parent.row(), n if row < 0 else min(row, n)

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: ANN001, N802
        return data.hasFormat(MIME) and self.target(row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: ANN001, N802
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not data.hasFormat(MIME):
            return False
        raw = bytes(data.data(MIME)).decode()
        if not raw.strip().isdigit():
            return False
        where = self.target(row, parent)
        if where is None:
            return False
        return self.request_move(int(raw), *where)

    def moveRows(self, source_parent, source_row, count, dest_parent, dest_child) -> bool:  # noqa: ANN001, N802
        """Move one item (count 1) to `dest_child` under `dest_parent` (a section)."""
        if count != 1 or not source_parent.isValid() or not self.is_group(source_parent):
            return False
        item_id = self.sections[source_parent.row()].items[source_row]
        where = self.target(dest_child, dest_parent)
        return where is not None and self.request_move(item_id, *where)

    def request_move(self, item_id: int, section_index: int, before_row: int) -> bool:
        section = self.sections[section_index]
        order = list(section.items)
        if item_id in order:
            old = order.index(item_id)
            if before_row > old:
                before_row -= 1  # the item leaves its place first
            if before_row == old:
                return False
        self.moveRequested.emit(item_id, section.id, before_row + 1)
        return True

    def position_of(self, item_id: int) -> tuple[int, int] | None:
        """(section id, 1-based position) of an item now."""
        for section in self.sections:
            if item_id in section.items:
                return section.id, section.items.index(item_id) + 1
        return None
