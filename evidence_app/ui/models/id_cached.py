"""The base of the lists whose rows are read by primary key when first shown.

A list view shows rows in an order the view was given (evidence under a line of enquiry, the
cases, the week-one requests...). A worker usually fetches the rows with the order; any row not
fetched is read by its key when it is first drawn (`load`), and a row that no longer exists (it
was deleted meanwhile) shows as `missing` until the next refresh instead of failing. One cache
(`RowCache`) does this for every such model, table or tree; `IdCachedTableModel` is the table
model on top of it.
"""
from __future__ import annotations

from typing import Any, Callable, Generic, Hashable, Iterable, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex

from evidence_app.core.base.errors import EvidenceError

K = TypeVar("K", bound=Hashable)


def key_of(row: Any, field: str) -> Any:
    """A row's key: a record's attribute or a dict's item (both kinds reach the window)."""
    return row[field] if isinstance(row, dict) else getattr(row, field)


class RowCache(Generic[K]):
    """Rows by key: those handed in are kept; any other is read with `load(key)` on first use;
    a key `load` cannot find (EvidenceError) gets `missing(key)`, until the next `reset`."""

    def __init__(self, load: Callable[[K], Any], missing: Callable[[K], Any]) -> None:
        self._load, self._missing = load, missing
        self._rows: dict[K, Any] = {}

    def reset(self, rows: dict[K, Any] | None = None) -> None:
        self._rows = dict(rows or {})

    def get(self, key: K) -> Any:
        if key not in self._rows:
            try:
                self._rows[key] = self._load(key)
            except EvidenceError:  # deleted meanwhile: shown as such until the next refresh
                self._rows[key] = self._missing(key)
        return self._rows[key]


class IdCachedTableModel(QAbstractTableModel):
    """A table of rows in a given order of keys (`keys`), each row read through a `RowCache`.

    Subclasses name the key field (`KEY`), their columns (`HEADERS`), how one row is read by its
    key (`load`) and what a vanished one shows (`missing`), and draw a row in `data`."""

    KEY = "id"
    HEADERS: tuple[str, ...] = ()

    def __init__(self, ws, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ws = ws
        self.keys: list = []
        self.cache = RowCache(self.load, self.missing)

    # -- what a subclass says ----------------------------------------------------------------
    def load(self, key):  # noqa: ANN001, ANN201
        raise NotImplementedError

    def missing(self, key) -> dict:  # noqa: ANN001
        return {self.KEY: key, "title": "(removed)"}

    # -- the rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable) -> None:
        """The rows in order, as fetched (by a worker)."""
        rows = list(rows)
        self.beginResetModel()
        self.keys = [key_of(r, self.KEY) for r in rows]
        self.cache.reset({key_of(r, self.KEY): r for r in rows})
        self.endResetModel()

    def set_keys(self, keys: Iterable) -> None:
        """Only the order: each row is read when first shown."""
        self.beginResetModel()
        self.keys = list(keys)
        self.cache.reset()
        self.endResetModel()

    def row_at(self, r: int):  # noqa: ANN201
        return self.cache.get(self.keys[r])

    def row_of(self, key) -> int:  # noqa: ANN001
        try:
            return self.keys.index(key)
        except ValueError:
            return -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)
