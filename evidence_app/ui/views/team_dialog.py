"""File ▸ Team contributions: who sent evidence packs and what they brought. Per sender: the
last pack's date, the items their packs added, the conflicts still open; choosing a sender
filters the evidence list and the coverage below to what came from them. The kept merge reports
are listed too (each opens as text)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPlainTextEdit, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from evidence_app.ui.views.evidence_common import muted_label, name

SENDER_COLUMNS = ("Sender", "Last pack", "Packs", "Items added", "Items now", "Conflicts open")


def _cell(text) -> QTableWidgetItem:  # noqa: ANN001
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(item.text())
    return item


def _table(columns, accessible: str) -> QTableWidget:  # noqa: ANN001
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels(columns)
    t.verticalHeader().hide()
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    name(t, accessible)
    return t


class TeamDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Team contributions (evidence packs)")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label("Everyone whose evidence packs were merged here. Choose a "
                                  "person to see only the evidence and coverage from them."))
        split = QSplitter(Qt.Orientation.Vertical)
        self.senders = _table(SENDER_COLUMNS, "Senders")
        self.senders.itemSelectionChanged.connect(self.show_sender)
        split.addWidget(self.senders)
        self.tabs = QTabWidget()
        self.items = _table(("Id", "Document", "Lines of enquiry", "Strength", "Note"),
                            "Evidence from the chosen sender")
        self.coverage = _table(("Line of enquiry", "Title", "Items from them"),
                               "Coverage from the chosen sender")
        self.reports = _table(("Id", "Imported", "Pack", "From", "Added", "Updated",
                               "Conflicts", "SHA-256"), "Merge reports kept here")
        self.reports.itemDoubleClicked.connect(lambda *_: self.show_report())
        self.tabs.addTab(self.items, "&Evidence")
        self.tabs.addTab(self.coverage, "C&overage")
        reports_page = QWidget()
        rl = QVBoxLayout(reports_page)
        rl.addWidget(self.reports, 1)
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        name(self.report_text, "The chosen merge report")
        rl.addWidget(self.report_text, 1)
        self.tabs.addTab(reports_page, "Merge &reports")
        self.reports.itemSelectionChanged.connect(self.show_report)
        split.addWidget(self.tabs)
        lay.addWidget(split, 1)
        self.summary = QLabel("")
        name(self.summary, "Summary")
        lay.addWidget(self.summary)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Close")
        name(close, "Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.resize(900, 560)
        self.reload()

    def reload(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.packs import importer, team

        ws = self.ctx.ws
        found = team.senders(ws)
        self.senders.setRowCount(len(found))
        for r, s in enumerate(found):
            for c, v in enumerate((s.sender, (s.last_pack_at or "")[:16].replace("T", " "),
                                   s.packs, s.items_added, s.items_now, s.conflicts_open)):
                self.senders.setItem(r, c, _cell(v))
        reports = importer.reports(ws)
        self.reports.setRowCount(len(reports))
        for r, rep in enumerate(reversed(reports)):
            for c, v in enumerate((rep.id, rep.imported_at[:16].replace("T", " "), rep.file_name,
                                   rep.sender, rep.added, rep.updated, rep.conflicts,
                                   rep.pack_sha256[:16] + "…")):
                self.reports.setItem(r, c, _cell(v))
        self.summary.setText(f"{len(found)} sender{'s' if len(found) != 1 else ''}, "
                             f"{len(reports)} pack{'s' if len(reports) != 1 else ''} merged.")
        if found:
            self.senders.selectRow(0)
        else:
            self.items.setRowCount(0)
            self.coverage.setRowCount(0)

    def chosen_sender(self) -> str | None:
        rows = {i.row() for i in self.senders.selectedItems()}
        return self.senders.item(min(rows), 0).text() if rows else None

    def show_sender(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.evidence import evidence, framework
        from evidence_app.core.packs import team

        sender = self.chosen_sender()
        if sender is None:
            return
        ws = self.ctx.ws
        ids = set(team.item_ids_from(ws, sender))
        items = [i for i in evidence.list_items(ws) if i.id in ids]
        self.items.setRowCount(len(items))
        for r, i in enumerate(items):
            for c, v in enumerate((i.id, i.title, " ".join(i.enquiries), i.strength, i.note)):
                self.items.setItem(r, c, _cell(v))
        counts = team.coverage_from(ws, sender)
        titles = {e.id: e.title for e in framework.enquiries(ws, include_retired=True)}
        self.coverage.setRowCount(len(counts))
        for r, (eid, n) in enumerate(sorted(counts.items())):
            for c, v in enumerate((eid, titles.get(eid, ""), n)):
                self.coverage.setItem(r, c, _cell(v))

    def show_report(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.packs.importer import get_report
        from evidence_app.core.packs.merge.report import MergeReport

        rows = {i.row() for i in self.reports.selectedItems()}
        if not rows:
            return
        rep = get_report(self.ctx.ws, self.reports.item(min(rows), 0).text())
        data = {k: v for k, v in rep.report.items() if k != "counts"}
        self.report_text.setPlainText(
            f"Imported {rep.imported_at} by {rep.imported_by}\nPack SHA-256 {rep.pack_sha256}\n"
            + "\n".join(MergeReport(**data).lines()))
