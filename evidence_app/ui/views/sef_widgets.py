"""The self-evaluation view's own widgets: the strength chip, claims wrapped in full, the
citations list that takes drops and the list of strong evidence not yet used that drags from.

They live apart from `sef_view.py` so the view file holds only how the place is laid out and
filled; the item-data roles and chip colours are here because the widgets and the view both read
them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QStyledItemDelegate, QTreeWidget

from evidence_app.ui import drag

if TYPE_CHECKING:  # type names only: the view imports this module
    from evidence_app.ui.views.sef_view import SefView

CHIPS = {"strong": ("Strong", "#1e6b34"), "moderate": ("Moderate", "#1f3864"),
         "weak": ("Weak", "#9c5700"), "none": ("No evidence", "#9c0006")}
CLAIM_ROLE = Qt.ItemDataRole.UserRole + 1
STRENGTH_ROLE = Qt.ItemDataRole.UserRole + 2
CITE_ROLE = Qt.ItemDataRole.UserRole + 3
ALL = "__all__"


class ChipDelegate(QStyledItemDelegate):
    """The strength of a claim's evidence as a small coloured chip."""

    def paint(self, painter: QPainter, option, index) -> None:  # noqa: ANN001
        strength = index.data(STRENGTH_ROLE)
        if not strength:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        if style is not None:   # selection background, then the chip over it
            option.text = ""
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        label, colour = CHIPS[strength]
        fm = option.fontMetrics
        w = fm.horizontalAdvance(label) + 16
        h = fm.height() + 4
        r = QRectF(option.rect.left() + 4, option.rect.center().y() - h / 2, w, h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(r, h / 2, h / 2)
        painter.setPen(QColor("white"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: ANN001, N802
        s = super().sizeHint(option, index)
        return QSize(max(s.width(), option.fontMetrics.horizontalAdvance("No evidence") + 28),
                     s.height())


class WrapDelegate(QStyledItemDelegate):
    """Claims in full, wrapped to the column's width (a claim cut short is a claim misread)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def _width(self, index) -> int:  # noqa: ANN001
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        return max(80, self.tree.columnWidth(0) - self.tree.indentation() * (depth + 1) - 12)

    def sizeHint(self, option, index) -> QSize:  # noqa: ANN001, N802
        base = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        rect = option.fontMetrics.boundingRect(0, 0, self._width(index), 100_000,
                                               int(Qt.TextFlag.TextWordWrap), text)
        return QSize(base.width(), max(base.height(), rect.height() + 8))

    def initStyleOption(self, option, index) -> None:  # noqa: ANN001, N802
        super().initStyleOption(option, index)
        option.features |= option.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideNone


class CitationList(QListWidget):
    """What a claim cites; evidence items and search results can be dropped on it."""

    def __init__(self, view: "SefView") -> None:
        super().__init__()
        self.view = view
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(True)

    def dragEnterEvent(self, event) -> None:  # noqa: ANN001, N802
        if drag.accepts(event.mimeData()) and self.view.claim_id is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001, N802
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: ANN001, N802
        items, documents = drag.dropped(event.mimeData())
        if self.view.cite_dropped(items, documents):
            event.acceptProposedAction()
        else:
            event.ignore()


class UnusedList(QListWidget):
    """Strong evidence the self-evaluation never mentions; its items drag onto a claim."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [drag.EVIDENCE_MIME]

    def mimeData(self, items):  # noqa: ANN001, ANN201, N802
        return drag.evidence_data([i.data(CITE_ROLE) for i in items
                                   if i.data(CITE_ROLE) is not None])
