"""Week-one requests (Ctrl+4): owner, due time with a live countdown, status, linked evidence, and
"Mark as sent…" (the SHA-256 of the file sent, or of the linked documents), through
`core.requests`. Owner, due and status are edited in the table (F2 or double-click), undoably."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QComboBox, QDialog,
                               QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QRadioButton, QSplitter, QTableView,
                               QVBoxLayout, QWidget)

from evidence_app.ui.plain_words import plural
from evidence_app.core.base.changes import Done
from evidence_app.core.evidence import evidence
from evidence_app.core.evidence import requests as requests_core
from evidence_app.core.evidence.requests import REQUEST_STATUSES
from evidence_app.core.store.records import EvidenceItem, Request
from evidence_app.ui.context import UiContext
from evidence_app.ui.models.evidence_items_model import EvidenceItemsModel, configure_view
from evidence_app.ui.models.requests_model import ID_ROLE, STATUS, RequestsModel, StatusDelegate
from evidence_app.ui.views.evidence_common import (
    MessageBar, Place, muted_label, name, push_done, uk_datetime,
)
from evidence_app.ui.models.requests_model import EDITABLE, OWNER

TICK_MS = 30_000


class RequestsView(Place):
    AREAS = {"requests", "evidence", "framework", "documents"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Week-one requests")
        self.all_rows: list[Request] = []
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.model.tick)
        self.timer.start()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar(self)
        lay.addWidget(self.message)
        bar = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by id, title or owner")
        self.filter.setClearButtonEnabled(True)
        name(self.filter, "Filter requests")
        self.filter.textChanged.connect(lambda _: self._apply_filter())
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for s in REQUEST_STATUSES:
            self.status_filter.addItem(s.capitalize(), s)
        self.status_filter.addItem("Not sent yet", "open")
        self.status_filter.addItem("Overdue", "overdue")
        name(self.status_filter, "Show requests with status")
        self.status_filter.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.send_button = QPushButton("&Mark as sent…")
        name(self.send_button, "Mark as sent", "Record that the selected request was sent, with "
             "a fingerprint (SHA-256) of what was sent")
        self.send_button.clicked.connect(self.send_dialog)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.send_button)
        lay.addLayout(bar)
        self.hint = muted_label("To change an owner, due time or status, select the cell and press "
                                "F2 or Enter (or double-click it). Ctrl+Z undoes a change.")
        name(self.hint, "How to edit")
        lay.addWidget(self.hint)
        self.model = RequestsModel(self.ctx.ws, parent=self)
        self.model.editRequested.connect(self.edit)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fm = self.table.fontMetrics()
        bold = self.table.font()
        bold.setBold(True)
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtGui import QFontMetrics

        pad = 3 * fm.horizontalAdvance("M")  # cell margins and the sort/edit room
        widths = {0: fm.horizontalAdvance("DOC-AUDIT") + pad,
                  2: fm.horizontalAdvance("Children in Care team") + pad,
                  3: fm.horizontalAdvance("24/11/2026 17:00") + pad,  # Due: date and time whole
                  4: QFontMetrics(bold).horizontalAdvance("overdue by 10 d 23 h") + pad,
                  8: fm.horizontalAdvance("24/11/2026 17:00") + pad}
        for col, width in widths.items():  # room to see the whole value and that it is editable
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setMinimumSectionSize(fm.horizontalAdvance("Id") + pad)
        name(self.table, "Week-one requests",
             "Owner, due and status: select the cell and press F2 or Enter to change it")
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 4, 0, 0)
        self.detail = QLabel("Select a request to see what it asks for and its evidence.")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name(self.detail, "Request details")
        dl.addWidget(self.detail)
        self.items_model = EvidenceItemsModel(self.ctx.ws, self)
        self.items = QTableView()
        self.items.setModel(self.items_model)
        configure_view(self.items)
        name(self.items, "Evidence linked to the request")
        dl.addWidget(self.items, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([420, 240])
        lay.addWidget(split, 1)
        self.count = muted_label("")
        lay.addWidget(self.count)
        self.setTabOrder(self.filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.send_button)
        self.setTabOrder(self.send_button, self.table)
        self.setTabOrder(self.table, self.items)

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        """F2 or Enter edits the current cell; on a cell that cannot change (id, title), the
        row's owner (rows are selected whole, so the current cell is often the id)."""
        if obj is self.table and event.type() == event.Type.KeyPress and \
                event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.table.state() != QAbstractItemView.State.EditingState:
            index = self.table.currentIndex()
            if index.isValid():
                if index.column() not in EDITABLE:
                    index = index.sibling(index.row(), OWNER)
                    self.table.setCurrentIndex(index)
                self.table.edit(index)
                return True
        return super().eventFilter(obj, event)

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(requests_core.list_requests, self._show)

    def _show(self, rows: list[Request]) -> None:
        self.all_rows = rows
        self._apply_filter()

    def _apply_filter(self) -> None:
        current = self.current_id()
        words = self.filter.text().lower().split()
        wanted = self.status_filter.currentData()
        rows = []
        for r in self.all_rows:
            hay = f"{r.id} {r.title} {r.owner or ''} {r.ofsted_ref or ''}"
            if not all(w in hay.lower() for w in words):
                continue
            if wanted == "overdue" and not self.model.countdown(r).startswith("overdue"):
                continue
            if wanted == "open" and r.is_sent:
                continue
            if wanted in REQUEST_STATUSES and r.status != wanted:
                continue
            rows.append(r)
        self.model.set_requests(rows)
        sent = sum(1 for r in self.all_rows if r.is_sent)
        overdue = sum(1 for r in self.all_rows if self.model.countdown(r).startswith("overdue"))
        self.count.setText(f"{plural(len(self.all_rows), 'request')} · {sent} sent · {overdue} overdue")
        row = self.model.row_of(current) if current else -1
        if row < 0 and self.model.ids:
            row, current = 0, self.model.ids[0]
        if row >= 0:
            self.table.selectRow(row)
            self._show_detail(current)

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, ident: str) -> None:
        row = self.model.row_of(ident)
        if row >= 0:
            self.table.selectRow(row)

    def _on_current(self, current, _previous) -> None:  # noqa: ANN001
        if current.isValid():
            self._show_detail(current.data(ID_ROLE))

    def _show_detail(self, ident: str) -> None:
        def fetch(ws):  # noqa: ANN001, ANN202
            return requests_core.get_request(ws, ident), evidence.list_items(ws, request=ident)

        self.load(fetch, self._detail_loaded, channel="detail")

    def _detail_loaded(self, result: tuple[Request, list[EvidenceItem]]) -> None:
        row, items = result
        lines = [f"<b>{row.id} — {row.title}</b>"
                 + (f" ({row.ofsted_ref})" if row.ofsted_ref else "")]
        if row.description:
            lines.append(row.description)
        if row.period:
            lines.append(f"Period: {row.period}")
        if row.sent_at:
            lines.append(f"Sent {uk_datetime(row.sent_at)} by {row.sent_by or '?'}; "
                         f"SHA-256 {row.sent_sha256}")
        lines.append(f"Linked evidence: {len(items)} item{'s' if len(items) != 1 else ''}")
        self.detail.setText("<br>".join(lines))
        self.detail.setAccessibleDescription(self.detail.text())
        self.items_model.set_items(items)

    # -- editing -------------------------------------------------------------------------------
    def edit(self, ident: str, field: str, value: str) -> None:
        """Save an owner, due time or status typed in the table; Ctrl+Z puts the old one back
        (the core's undo)."""
        ws = self.ctx.ws
        label = {"owner": "owner", "due": "due time", "status": "status"}[field]
        _, error = push_done(self.ctx, lambda: requests_core.update(ws, ident, **{field: value}),
                             f"Set {label} of {ident}")
        if error:
            self.message.show_message(error)

    def send_dialog(self) -> None:
        ident = self.current_id()
        if not ident:
            self.message.show_message("Select the request you sent first.", 6)
            return
        dialog = SendDialog(ident, self)
        dialog.accepted.connect(lambda: self.send(ident, dialog.file()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def send(self, ident: str, file: str | None) -> None:
        """Stamp as sent on a worker (hashing a large file takes a moment); Ctrl+Z takes the
        stamp back if it was a mistake (both are in the audit log)."""
        self.send_button.setEnabled(False)

        def done(made: Done) -> None:
            self.send_button.setEnabled(True)
            row = made.value
            self.message.show_message(f"{ident} marked as sent {uk_datetime(row.sent_at)}; "
                                      f"fingerprint {row.sent_sha256[:16]}…", 12)
            push_done(self.ctx, lambda: made)  # made already: this puts it on the undo stack

        def failed(message: str) -> None:
            self.send_button.setEnabled(True)
            self.message.show_message(message)

        self.ctx.run(lambda io: io.write(lambda w: requests_core.send(w, ident, file)), done, failed)


class SendDialog(QDialog):
    def __init__(self, ident: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Mark {ident} as sent")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label("The app records when and by whom, with a SHA-256 fingerprint "
                                  "so anyone can check later exactly what was sent."))
        self.group = QButtonGroup(self)
        self.by_file = QRadioButton("The &file I sent (uploaded or emailed)")
        self.by_links = QRadioButton("The &linked evidence and documents")
        name(self.by_file, "Fingerprint the file I sent")
        name(self.by_links, "Fingerprint the linked documents")
        self.by_file.setChecked(True)
        for b in (self.by_file, self.by_links):
            self.group.addButton(b)
            lay.addWidget(b)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Choose the file…")
        name(self.path, "File sent")
        browse = QPushButton("&Browse…")
        name(browse, "Choose the file sent")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.by_file.toggled.connect(lambda on: (self.path.setEnabled(on), browse.setEnabled(on)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark as &sent")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(480, 200)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "The file you sent")
        if path:
            self.path.setText(path)

    def file(self) -> str | None:
        return self.path.text().strip() or None if self.by_file.isChecked() else None

    def accept(self) -> None:
        if self.by_file.isChecked() and not self.path.text().strip():
            self.path.setFocus()
            self.path.setPlaceholderText("Choose the file you sent, or use the linked documents")
            return
        super().accept()
