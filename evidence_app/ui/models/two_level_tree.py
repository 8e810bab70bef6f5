"""The base of the trees with two levels: groups, each with its rows (judgement areas with their
lines of enquiry; bundle sections with their items).

Qt asks a tree model for `index`, `parent` and `rowCount`; for two levels the answer is always
the same arithmetic, kept here once: a group row's internal id is 0, a child row's is its group's
row + 1. A subclass says how many groups there are (`group_count`) and how many rows a group has
(`child_count`); `group_of(index)` and `is_group(index)` read an index back.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex


class TwoLevelTreeModel(QAbstractItemModel):
    def group_count(self) -> int:
        raise NotImplementedError

    def child_count(self, group: int) -> int:
        raise NotImplementedError

    # -- reading an index back -------------------------------------------------------------------
    @staticmethod
    def is_group(index: QModelIndex) -> bool:
        return index.internalId() == 0

    @staticmethod
    def group_of(index: QModelIndex) -> int:
        """The group row of an index: its own row for a group, its parent's for a child."""
        return index.row() if index.internalId() == 0 else index.internalId() - 1

    # -- what Qt asks ------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1 if parent.isValid() else 0)

    def parent(self, index: QModelIndex) -> QModelIndex:  # noqa: A003
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return self.group_count()
        if parent.internalId() == 0 and parent.column() == 0:
            return self.child_count(parent.row())
        return 0
