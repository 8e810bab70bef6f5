"""Search results as a list model: hits in rank order, more fetched as the list scrolls."""
from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from evidence_app.core.search.search import MARK_END, MARK_START, SearchHit

HitRole = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 100

STATUS_LABELS = {"missing": "Missing", "stale": "Old text", "damaged": "Damaged",
                 "encrypted": "Password", "timeout": "Not read", "too_large": "Too large",
                 "unsupported": "Not read", "empty": "No text", "skipped": "Not read"}


def badge_for(hit: SearchHit) -> str | None:
    """The status word shown beside a hit whose text is not current."""
    if hit.status == "ok":
        return None
    return STATUS_LABELS.get(hit.status, hit.status)


def snippet_html(snippet: str) -> str:
    """«marked» passages in bold, everything else escaped."""
    text = html.escape(snippet)
    return text.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def snippet_plain(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


class ResultsModel(QAbstractListModel):
    """Holds the hits fetched so far and the total; asks for more through `fetchRequested`."""

    fetchRequested = Signal(int)  # offset of the next page

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.total = 0
        self.exact = True
        self.query = ""
        self.terms: list[str] = []
        self._fetching = False
        self.frozen = False  # a new search is on its way: do not fetch more of the old one

    # -- filling -------------------------------------------------------------------------------
    def set_result(self, query: str, hits: list[SearchHit], total: int, exact: bool,
                   terms: list[str]) -> None:
        self.beginResetModel()
        self.query, self.hits, self.total, self.exact, self.terms = query, list(hits), total, \
            exact, list(terms)
        self._fetching = False
        self.frozen = False
        self.endResetModel()

    def clear(self) -> None:
        self.set_result("", [], 0, True, [])

    def append(self, query: str, offset: int, hits: list[SearchHit]) -> None:
        self._fetching = False
        if query != self.query or offset != len(self.hits):
            return  # an answer for an older list
        known = {h.document_id for h in self.hits}
        fresh = [h for h in hits if h.document_id not in known]
        if not fresh:
            self.total = len(self.hits)  # the index changed under us: stop asking
            return
        self.beginInsertRows(QModelIndex(), len(self.hits), len(self.hits) + len(fresh) - 1)
        self.hits.extend(fresh)
        self.endInsertRows()

    def fetch_failed(self) -> None:
        self._fetching = False
        self.total = len(self.hits)

    # -- Qt ------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == HitRole:
            return hit
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            # the whole path (the list shows it cut in the middle, keeping the file name)
            return hit.path + (f" › {hit.member}" if hit.member else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [hit.title]
            if hit.page:
                parts.append(f"page {hit.page}")
            badge = badge_for(hit)
            if badge:
                parts.append(badge)
            parts.append(snippet_plain(hit.snippet))
            return ". ".join(parts)
        return None

    # -- dragging results onto a self-evaluation claim (ui/drag.py) -------------------------------
    def flags(self, index: QModelIndex | QPersistentModelIndex):  # noqa: ANN201
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.drag import DOCUMENTS_MIME

        return [DOCUMENTS_MIME]

    def mimeData(self, indexes):  # noqa: ANN001, ANN201, N802
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.drag import documents_data

        rows = sorted({i.row() for i in indexes if i.isValid()})
        return documents_data([self.hits[r].document_id for r in rows if r < len(self.hits)])

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        if parent.isValid() or self.frozen or self._fetching:
            return False
        return len(self.hits) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        self.fetchRequested.emit(len(self.hits))

    def count_text(self) -> str:
        if not self.query:
            return "Results"
        more = "+" if not self.exact else ""
        return f"Results ({self.total:,}{more})"
