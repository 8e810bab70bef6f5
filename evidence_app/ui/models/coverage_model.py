"""Item models for the framework place: the coverage tree (areas -> lines), the heat map (lines x
cases / teams / workers) and the gap list. They hold the records `core.coverage.coverage`
returns (computed on a worker thread, see `CoverageShown`) and the ids the view needs; colour
always comes with a count.
The rules (a line's or cell's coverage level, which items are behind a cell) are the core's
(`coverage.level`, `coverage.cell_items`); these models only turn them into words and colours.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from types import MappingProxyType

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from evidence_app.core.base.frozen import frozen
from evidence_app.ui.plain_words import plural
from evidence_app.core.evidence.coverage import level
from evidence_app.core.store.records import (
    AreaCoverage, Coverage, CoverageCounts, CoverageGap, CoverageRow,
)
from evidence_app.ui.models.two_level_tree import TwoLevelTreeModel
from evidence_app.ui.style import COVERAGE

ID_ROLE = Qt.ItemDataRole.UserRole + 1
LEVEL_TEXT = {"none": "No evidence", "thin": "Gap: no strong evidence", "some": "1 strong item",
              "good": "Well evidenced"}
LEGEND = ("Counts are evidence items; a heat-map cell shows strong / all items. Coverage colour: "
          "red = no evidence, orange = a gap (nothing strong), yellow = one strong item, "
          "green = two or more strong items.")
_DOTS: dict[str, QIcon] = {}


@frozen
class CoverageShown:
    """What the framework place shows at once: the core's coverage, and what the view reads
    beside it on the same worker (the From: choices, the framework version, the retired lines
    when shown, and the heat map's column labels)."""

    coverage: Coverage
    senders: tuple[str, ...] = ()
    sender: str | None = None
    version: str | None = None
    retired: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def dot(name: str) -> QIcon:
    """A small round swatch of a coverage colour (beside its words, never instead of them)."""
    if name not in _DOTS:
        pm = QPixmap(24, 24)
        pm.setDevicePixelRatio(2)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(COVERAGE[name]))
        p.drawEllipse(1, 1, 10, 10)
        p.end()
        _DOTS[name] = QIcon(pm)
    return _DOTS[name]


def tint(name: str, amount: float = 0.45) -> QColor:
    """The coverage colour mixed into the base colour, so text stays readable on it."""
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    c = QColor(COVERAGE[name])
    mix = lambda a, b: int(a * amount + b * (1 - amount))  # noqa: E731
    return QColor(mix(c.red(), base.red()), mix(c.green(), base.green()),
                  mix(c.blue(), base.blue()))


class CoverageTreeModel(TwoLevelTreeModel):
    """Judgement areas (the groups) with their lines of enquiry (two_level_tree.py)."""

    HEADERS = ("Line of enquiry", "Strong", "Moderate", "Weak", "Total", "Coverage")
    renameRequested = Signal(str, str)  # enquiry id, new title

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.areas: Sequence[AreaCoverage] = ()
        self.lines: list[list[CoverageRow]] = []
        self.retired: set[str] = set()

    def set_data(self, data: Coverage, retired: set[str] | frozenset[str] | None = None) -> None:
        self.beginResetModel()
        self.areas = data.areas
        by_area: dict[str, list[CoverageRow]] = {a.area: [] for a in self.areas}
        for row in data.rows:
            by_area.setdefault(row.area, []).append(row)
        self.lines = [by_area.get(a.area, []) for a in self.areas]
        self.retired = set(retired or ())
        self.endResetModel()

    # -- structure (the arithmetic is in TwoLevelTreeModel) ---------------------------------------
    def group_count(self) -> int:
        return len(self.areas)

    def child_count(self, group: int) -> int:
        return len(self.lines[group])

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def row_data(self, index: QModelIndex) -> tuple[str, AreaCoverage | CoverageRow]:
        if self.is_group(index):
            return "area", self.areas[index.row()]
        return "line", self.lines[self.group_of(index)][index.row()]

    def find(self, enquiry: str) -> QModelIndex:
        for a, lines in enumerate(self.lines):
            for r, row in enumerate(lines):
                if row.enquiry == enquiry:
                    return self.index(r, 0, self.index(a, 0))
        return QModelIndex()

    # -- data ----------------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        kind, row = self.row_data(index)
        col = index.column()
        if role == ID_ROLE:
            return row.area if kind == "area" else row.enquiry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(kind, row, col)
        if role == Qt.ItemDataRole.EditRole and kind == "line" and col == 0:
            return row.title
        if role == Qt.ItemDataRole.DecorationRole and col == 5:
            return dot(level(row)) if kind == "line" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(kind, row)
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= col <= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and kind == "area":
            # start-up: loaded when first used, not when the window opens
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and kind == "line" \
                and row.enquiry in self.retired:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def _text(self, kind: str, row: AreaCoverage | CoverageRow, col: int) -> str:
        if col == 0:
            if kind == "area":
                return f"{row.area} — {row.title}"
            retired = " (retired)" if row.enquiry in self.retired else ""
            return f"{row.enquiry}  {row.title}{retired}"
        if 1 <= col <= 4:
            return str((row.strong, row.moderate, row.weak, row.total)[col - 1])
        if kind == "area":
            return f"{row.gaps} gap{'s' if row.gaps != 1 else ''} of {row.enquiries}"
        return LEVEL_TEXT[level(row)]

    def _tip(self, kind: str, row: AreaCoverage | CoverageRow) -> str:
        if kind == "area":
            return (f"{row.area} — {row.title}\n{plural(row.total, 'item')}, "
                    f"{plural(row.gaps, 'line')} without strong evidence")
        return (f"{row.enquiry} {row.title}\n{row.strong} strong, {row.moderate} "
                f"moderate, {row.weak} weak — {LEVEL_TEXT[level(row)]}")

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and not self.is_group(index) and index.column() == 0:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: ANN001, N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.is_group(index):
            return False
        _, row = self.row_data(index)
        title = " ".join(str(value).split())
        if title and title != row.title:
            self.renameRequested.emit(row.enquiry, title)  # the view saves it, undoably
        return False


class HeatMapModel(QAbstractTableModel):
    """Rows: lines of enquiry; columns: the groups (cases, teams or workers). A cell shows
    'strong / all' items with the coverage tint behind it."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.rows: Sequence[CoverageRow] = ()
        self.groups: Sequence[str] = ()
        self.by = "case"
        self.labels: Mapping[str, str] = {}

    def set_data(self, data: Coverage, labels: Mapping[str, str] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.groups, self.by = data.rows, data.groups, data.by
        self.labels = labels or {}  # case ref -> alias
        self.endResetModel()

    def group_label(self, group: str) -> str:
        """'Child A\nCH-004512' for a case with an alias; the group itself otherwise."""
        alias = self.labels.get(group)
        return f"{alias}\n{group}" if alias else group

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.groups)

    def cell(self, index: QModelIndex) -> tuple[str, str, CoverageCounts | None]:
        row = self.rows[index.row()]
        group = self.groups[index.column()]
        return row.enquiry, group, row.cells.get(group)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        enquiry, group, cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{cell.strong} / {cell.total}" if cell else "–"
        if role == Qt.ItemDataRole.BackgroundRole:
            return tint(level(cell), 0.5) if cell else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            group = self.group_label(group).replace("\n", " ")
            if not cell:
                return f"{enquiry} × {group}: no evidence"
            return (f"{enquiry} × {group}: {cell.strong} strong, {cell.moderate} moderate, "
                    f"{cell.weak} weak")
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.group_label(self.groups[section])
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.group_label(self.groups[section]).replace("\n", " — ")
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.enquiry
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title
        return None


class GapsModel(QAbstractTableModel):
    HEADERS = ("Line of enquiry", "Title", "Moderate", "Weak")

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.gaps: Sequence[CoverageGap] = ()

    def set_gaps(self, gaps: Sequence[CoverageGap]) -> None:
        self.beginResetModel()
        self.gaps = gaps
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.gaps)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid():
            return None
        g = self.gaps[index.row()]
        if role == ID_ROLE:
            return g.enquiry
        if role == Qt.ItemDataRole.DisplayRole:
            return (g.enquiry, g.title, str(g.moderate), str(g.weak))[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return dot(level(g))
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
