"""Cases (Ctrl+3): the children's cases (reference, alias, worker, team, legal status, sampled;
never the real name in the table), a case page beside it, and caseloads per worker and team.
Adding, editing and importing cases go through `core.cases` / `core.case_import`."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from evidence_app.ui.plain_words import plural
from evidence_app.core.evidence import cases as cases_core
from evidence_app.core.evidence import coverage as coverage_core
from evidence_app.ui.context import UiContext
from evidence_app.ui.models.cases_model import REF_ROLE, CaseloadModel, CasesModel, matches
from evidence_app.ui.views.case_page import CasePage, case_page_data
from evidence_app.ui.views.evidence_common import MessageBar, Place, muted_label, name


class CasesView(Place):
    AREAS = {"cases", "evidence", "documents"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Cases")
        self.all_cases: list[dict] = []
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar(self)
        lay.addWidget(self.message)
        self.tabs = QTabWidget()
        name(self.tabs, "Cases and caseloads")
        self.tabs.addTab(self._cases_tab(), "Cases")
        self.tabs.addTab(self._caseloads_tab(), "Caseloads")
        lay.addWidget(self.tabs, 1)

    def _cases_tab(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by reference, alias, worker, team or status")
        self.filter.setClearButtonEnabled(True)
        name(self.filter, "Filter cases")
        self.filter.textChanged.connect(lambda _: self._apply_filter())
        self.sampled_only = QCheckBox("&Sampled only")
        name(self.sampled_only, "Show sampled cases only")
        self.sampled_only.toggled.connect(lambda _: self._apply_filter())
        self.add_button = QPushButton("&Add case…")
        name(self.add_button, "Add a case")
        self.add_button.clicked.connect(lambda: self.edit_case(None))
        self.import_button = QPushButton("&Import list…")
        name(self.import_button, "Import a case list", "From a CSV or Excel file")
        self.import_button.clicked.connect(self.import_cases)
        for w in (self.filter, self.sampled_only, self.add_button, self.import_button):
            bar.addWidget(w, 1 if w is self.filter else 0)
        lay.addLayout(bar)
        self.model = CasesModel(self.ctx.ws, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # worker and team share what is left, so every column (Sampled, Open) stays in view on a
        # 1366-pixel screen; a cut name is whole on hover
        for col in (2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setSortingEnabled(False)
        name(self.table, "Children's cases", "Select a case to see its page")
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda i: self.edit_case(i.data(REF_ROLE)))
        self.count = muted_label("")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count)
        self.page = CasePage(self.ctx)
        self.page.editRequested.connect(self.edit_case)
        self.page.messageRequested.connect(self.message.show_message)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QFrame, QScrollArea

        # the case page scrolls rather than squeezing its checklist and lists on a small screen
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setWidget(self.page)
        self.page.setMinimumHeight(self.fontMetrics().height() * 30)
        split.addWidget(self.page_scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 640])
        split.setChildrenCollapsible(False)
        self.split = split
        lay.addWidget(split, 1)
        self.setTabOrder(self.filter, self.sampled_only)
        self.setTabOrder(self.sampled_only, self.add_button)
        self.setTabOrder(self.add_button, self.import_button)
        self.setTabOrder(self.import_button, self.table)
        return page

    def _caseloads_tab(self) -> QWidget:
        page = QWidget()
        lay = QHBoxLayout(page)
        self.by_worker = CaseloadModel("worker", self)
        self.by_team = CaseloadModel("team", self)
        for model, title in ((self.by_worker, "Open cases per worker"),
                             (self.by_team, "Open cases per team")):
            box = QVBoxLayout()
            label = QLabel(title)
            box.addWidget(label)
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            name(view, title, "Open cases split by legal status")
            box.addWidget(view)
            lay.addLayout(box)
        return page

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        """Side by side on a wide window; the table above the case page on a narrow one (a
        1366-pixel laptop at 150%), so neither is squeezed to unreadable columns."""
        super().resizeEvent(event)
        want = Qt.Orientation.Horizontal if self.width() >= 1100 else Qt.Orientation.Vertical
        if self.split.orientation() != want:
            self.split.setOrientation(want)
            total = self.width() if want == Qt.Orientation.Horizontal else self.height()
            self.split.setSizes([total * 2 // 5, total * 3 // 5] if want ==
                                Qt.Orientation.Vertical else [total // 2, total // 2])

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        def fetch(ws):  # noqa: ANN001, ANN202
            return cases_core.list_cases(ws), coverage_core.caseloads(ws)

        self.load(fetch, self._show)

    def _show(self, result) -> None:  # noqa: ANN001
        self.all_cases, loads = result
        self.by_worker.set_rows(loads.by_worker)
        self.by_team.set_rows(loads.by_team)
        self._apply_filter()

    def _apply_filter(self) -> None:
        current = self.page.ref
        words = self.filter.text().lower().split()
        rows = [c for c in self.all_cases if matches(c, words)
                and (c.sampled or not self.sampled_only.isChecked())]
        self.model.set_cases(rows)
        self.count.setText(f"{len(rows)} of {plural(len(self.all_cases), 'case')}"
                           if len(rows) != len(self.all_cases) else plural(len(rows), "case"))
        row = self.model.row_of(current) if current else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.show_case(self.model.refs[row])
        else:
            self.page.clear()

    def _on_current(self, current, _previous) -> None:  # noqa: ANN001
        if current.isValid():
            ref = self.model.refs[current.row()]
            if ref != self.page.ref:
                self.show_case(ref)

    def show_case(self, ref: str) -> None:
        self.load(lambda ws: case_page_data(ws, ref), self.page.show_data, channel="page")

    def select_case(self, ref: str) -> None:
        row = self.model.row_of(ref)
        if row >= 0:
            self.table.selectRow(row)

    # -- editing -------------------------------------------------------------------------------
    def edit_case(self, ref: str | None) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.case_edit_dialog import CaseEditDialog

        dialog = CaseEditDialog(self.ctx, ref, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_cases(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.case_import_dialog import choose_and_import

        choose_and_import(self.ctx, self)
