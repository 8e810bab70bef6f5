"""Paints one search hit: title with page and status badge, the highlighted snippet, the path."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout, QColor, QFont, QPainter, QPalette, QTextDocument,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from evidence_app.ui.models.results_model import HitRole, badge_for, snippet_html
from evidence_app.ui.style import ACCENT, STATUS_BADGE, muted

PAD = 8
SNIPPET_LINES = 2


class ResultDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._doc = QTextDocument()
        self._doc.setDocumentMargin(0)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = option.fontMetrics
        h = PAD * 2 + fm.height() * (2 + SNIPPET_LINES) + 6
        return QSize(200, h)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is None:
            return
        painter.save()
        style = option.widget.style() if option.widget else QApplication.style()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_col = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        soft = text_col if selected else muted()
        fm = option.fontMetrics
        r = option.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        line_h = fm.height()

        # line 1: title ........ [badge] p. 3
        right = r.right()
        page_text = f"p. {hit.page}" if hit.page else ""
        if page_text:
            w = fm.horizontalAdvance(page_text)
            painter.setPen(soft)
            painter.drawText(QRect(right - w, r.top(), w, line_h), Qt.AlignmentFlag.AlignRight, page_text)
            right -= w + 10
        badge = badge_for(hit)
        if badge:
            bf = QFont(option.font)
            bf.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
            painter.setFont(bf)
            bw = painter.fontMetrics().horizontalAdvance(badge) + 12
            box = QRect(right - bw, r.top() + 1, bw, line_h - 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(STATUS_BADGE.get(hit.status, "#8a8a8a")))
            painter.drawRoundedRect(box, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
            painter.setFont(option.font)
            right -= bw + 10
        tf = QFont(option.font)
        tf.setBold(True)
        painter.setFont(tf)
        painter.setPen(text_col)
        title = painter.fontMetrics().elidedText(hit.title, Qt.TextElideMode.ElideRight, right - r.left())
        painter.drawText(QRect(r.left(), r.top(), right - r.left(), line_h), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)

        # lines 2-3: the snippet, matches in bold
        top = r.top() + line_h + 2
        self._doc.setDefaultFont(option.font)
        self._doc.setTextWidth(r.width())
        self._doc.setHtml(snippet_html(hit.snippet) or "<i>(no text)</i>")
        clip = QRect(0, 0, r.width(), line_h * SNIPPET_LINES)
        painter.translate(r.left(), top)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.clip = clip
        ctx.palette.setColor(QPalette.ColorRole.Text, text_col)
        painter.setClipRect(clip)
        self._doc.documentLayout().draw(painter, ctx)
        painter.setClipping(False)
        painter.translate(-r.left(), -top)

        # line 4: where the file is
        top += line_h * SNIPPET_LINES + 2
        where = hit.path + (f" › {hit.member}" if hit.member else "")
        if hit.case_ref:
            where = f"{hit.case_ref} · {where}"
        painter.setPen(soft)
        painter.drawText(QRect(r.left(), top, r.width(), line_h), Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(where, Qt.TextElideMode.ElideMiddle, r.width()))
        if selected:
            painter.fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()),
                             QColor(ACCENT))
        painter.restore()
