"""Framework & coverage (Ctrl+2): judgement areas -> lines of enquiry with evidence counts and a
coverage colour, a heat map of lines x cases / teams / workers, the gap list, and the evidence under
whatever is selected. Area titles are shown whole (wrapped); heat-map columns are labelled by the
child's alias and case reference. The framework is edited (add, rename, reorder, retire,
undoably) only in an explicit "Edit framework" mode, so nobody renames a line by accident.

This file lays the place out and fills it; what each editing button writes is in
coverage_edits.py (a mixin), the add dialog in add_enquiry_dialog.py.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView,
                               QLabel, QSplitter, QTableView, QTabWidget, QTreeView, QVBoxLayout,
                               QWidget)

from evidence_app.ui.plain_words import plural
from evidence_app.core.evidence import coverage as coverage_core
from evidence_app.core.evidence import framework, senders
from evidence_app.ui.context import UiContext
from evidence_app.ui.models.coverage_model import (ID_ROLE, LEGEND, CoverageShown,
                                                   CoverageTreeModel, GapsModel, HeatMapModel)
from evidence_app.ui.models.evidence_items_model import EvidenceItemsModel, configure_view
from evidence_app.ui.views.coverage_edits import CoverageEdits
from evidence_app.ui.views.evidence_common import MessageBar, Place, button, muted_label, name

DIMENSIONS = (("case", "Cases"), ("team", "Teams"), ("worker", "Workers"))


class CoverageView(CoverageEdits, Place):
    AREAS = {"evidence", "framework", "cases", "documents"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Framework and coverage")
        self.data: CoverageShown | None = None
        self.selection: tuple[str, str | None] | None = None  # (enquiry, heat-map group)
        self._build()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar(self)
        lay.addWidget(self.message)
        lay.addLayout(self._toolbar())
        self.tree_model = CoverageTreeModel(self)
        self.tree_model.renameRequested.connect(self.rename_enquiry)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        # long titles keep both ends ("The experiences … who need help and protection" vs
        # "… children in care"); the whole title is on hover and read by screen readers
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        name(self.tree, "Coverage by line of enquiry",
             "Judgement areas and their lines of enquiry with strong, moderate and weak counts.")
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 6):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        # the line's id and title keep at least this much room (a laptop at 150%: the counts
        # scroll sideways rather than squeeze "HP-04 Strategy meetings" to "HP…gs")
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("M") * 3)
        self._min_title = self.fontMetrics().horizontalAdvance(
            "HP-09  Risks outside the home: exploitation and")
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)

        self.tabs = QTabWidget()
        name(self.tabs, "Coverage views")
        self.tabs.addTab(self._heat_map(), "Heat map")
        self.gaps_model = GapsModel(self)
        self.gaps = QTableView()
        self.gaps.setModel(self.gaps_model)
        self.gaps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.gaps.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.gaps.verticalHeader().hide()
        name(self.gaps, "Gap list", "Lines of enquiry without strong evidence")
        self.gaps.clicked.connect(lambda i: self.show_enquiry(i.data(ID_ROLE)))
        self.gaps.activated.connect(lambda i: self.show_enquiry(i.data(ID_ROLE)))
        self.tabs.addTab(self.gaps, "Gaps")

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.tree)
        top.addWidget(self.tabs)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([620, 380])
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 4, 0, 0)
        self.items_label = QLabel("Select a line of enquiry or a heat-map cell to see its evidence.")
        name(self.items_label, "Evidence heading")
        bl.addWidget(self.items_label)
        self.items_model = EvidenceItemsModel(self.ctx.ws, self)
        self.items = QTableView()
        self.items.setModel(self.items_model)
        configure_view(self.items)
        name(self.items, "Evidence for the selection")
        bl.addWidget(self.items)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay.addWidget(split, 1)
        legend = muted_label(LEGEND)
        name(legend, "Legend", LEGEND)
        lay.addWidget(legend)
        self.set_edit_mode(False)
        self.setTabOrder(self.version, self.tree)
        self.setTabOrder(self.tree, self.tabs)
        self.setTabOrder(self.tabs, self.items)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        label = QLabel("&Framework:")
        self.version = QComboBox()
        for v in framework.available_versions():
            self.version.addItem(v, v)
        label.setBuddy(self.version)
        name(self.version, "Framework version", "The ILACS framework version this workspace uses")
        self.version.activated.connect(self._on_version_chosen)
        bar.addWidget(label)
        bar.addWidget(self.version)
        self.edit_mode = QCheckBox("&Edit framework")
        name(self.edit_mode, "Edit framework",
             "Shows the tools to add, rename, reorder and retire lines of enquiry")
        self.edit_mode.toggled.connect(self.set_edit_mode)
        bar.addWidget(self.edit_mode)
        self.add_button = self._button("&Add line…", "Add a line of enquiry", self.add_dialog)
        self.rename_button = self._button("Re&name", "Rename the selected line (F2)",
                                          self._rename_current)
        self.up_button = self._button("Move &up", "Move the selected line up", lambda: self.move(-1))
        self.down_button = self._button("Move do&wn", "Move the selected line down",
                                        lambda: self.move(1))
        self.retire_button = self._button("&Retire", "Retire or restore the selected line",
                                          self.toggle_retired)
        for b in (self.add_button, self.rename_button, self.up_button, self.down_button,
                  self.retire_button):
            bar.addWidget(b)
        self.show_retired = QCheckBox("Show re&tired")
        name(self.show_retired, "Show retired lines")
        self.show_retired.toggled.connect(lambda _: self.refresh())
        bar.addWidget(self.show_retired)
        self.edit_tools = (self.add_button, self.rename_button, self.up_button, self.down_button,
                           self.retire_button, self.show_retired)
        # From: everyone / a sender (shown once packs have been imported; see _show_senders)
        self.sender_label = QLabel("Fro&m:")
        self.sender = QComboBox()
        self.sender.addItem("everyone", None)
        self.sender_label.setBuddy(self.sender)
        name(self.sender, "Evidence from",
             "Count only the evidence from one person: a pack's sender, or your own")
        self.sender.activated.connect(lambda _: self.refresh())
        self.sender_label.setVisible(False)
        self.sender.setVisible(False)
        bar.addWidget(self.sender_label)
        bar.addWidget(self.sender)
        bar.addStretch(1)
        self.summary = QLabel()
        name(self.summary, "Coverage summary")
        bar.addWidget(self.summary)
        return bar

    _button = staticmethod(button)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802
        super().resizeEvent(event)
        self._fit_title_column()

    def _fit_title_column(self) -> None:
        """Stretch the title column, but never below a readable width (then scroll sideways)."""
        header = self.tree.header()
        others = sum(header.sectionSize(c) for c in range(1, header.count()))
        room = self.tree.viewport().width() - others
        mode = QHeaderView.ResizeMode.Stretch if room >= self._min_title else \
            QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(0) != mode:
            header.setSectionResizeMode(0, mode)
        if mode == QHeaderView.ResizeMode.Interactive:
            header.resizeSection(0, self._min_title)

    def _heat_map(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        row = QHBoxLayout()
        label = QLabel("&Split by:")
        self.dimension = QComboBox()
        for key, text in DIMENSIONS:
            self.dimension.addItem(text, key)
        label.setBuddy(self.dimension)
        name(self.dimension, "Heat map split", "Show lines of enquiry against cases, teams or workers")
        self.dimension.currentIndexChanged.connect(lambda _: self.refresh())
        row.addWidget(label)
        row.addWidget(self.dimension)
        row.addStretch(1)
        lay.addLayout(row)
        self.heat_model = HeatMapModel(self)
        self.heat = QTableView()
        self.heat.setModel(self.heat_model)
        self.heat.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.heat.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.heat.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heat.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        name(self.heat, "Heat map", "Each cell shows strong / all evidence items; select a cell to "
             "list its evidence")
        self.heat.clicked.connect(self.show_cell)
        self.heat.activated.connect(self.show_cell)
        lay.addWidget(self.heat, 1)
        return page

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        by = self.dimension.currentData()
        retired = self.show_retired.isChecked()
        chosen = self.sender.currentData()

        def fetch(ws):  # noqa: ANN001, ANN202
            names = senders.known(ws) if senders.has_imported(ws) else []
            sender = chosen if chosen in names else None  # e.g. another workspace opened
            return CoverageShown(
                coverage_core.coverage(ws, by=by, include_retired=retired, sender=sender),
                senders=tuple(names), sender=sender, version=framework.current_version(ws),
                retired=frozenset(e.id for e in framework.enquiries(ws, include_retired=True)
                                  if e.retired) if retired else frozenset(),
                labels=coverage_core.group_labels(ws, by))

        self.load(fetch, self._show)

    def _show_senders(self, names: list[str], sender: str | None) -> None:
        """The From: choices: everyone, then this workspace's person and each pack's sender."""
        self.sender.blockSignals(True)
        self.sender.clear()
        self.sender.addItem("everyone", None)
        for n in names:
            self.sender.addItem(n, n)
        self.sender.setCurrentIndex(max(0, self.sender.findData(sender)) if sender else 0)
        self.sender.blockSignals(False)
        self.sender_label.setVisible(bool(names))
        self.sender.setVisible(bool(names))

    def _show(self, data: CoverageShown) -> None:
        current = self.current_enquiry()
        self.data = data
        cov = data.coverage
        self._show_senders(list(data.senders), data.sender)
        self.tree_model.set_data(cov, data.retired)
        self.tree.expandAll()
        self.heat_model.set_data(cov, data.labels)
        self.gaps_model.set_gaps(cov.gaps)
        self.tabs.setTabText(1, f"Gaps ({len(cov.gaps)})")
        self.version.setCurrentIndex(max(0, self.version.findData(data.version)))
        self.summary.setText(f"{plural(len(cov.rows), 'line')} · {len(cov.gaps)} without strong "
                             f"evidence · {plural(cov.total, 'item')}"
                             + (f" from {data.sender}" if data.sender else ""))
        self.summary.setToolTip(self.summary.text())
        self.summary.setMinimumWidth(self.summary.sizeHint().width())  # never cut to "5"
        self._fit_title_column()
        if current:
            index = self.tree_model.find(current)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        if self.selection:
            self._list_items(*self.selection)

    # -- selection and evidence ----------------------------------------------------------------
    def current_enquiry(self) -> str | None:
        index = self.tree.currentIndex()
        if not index.isValid() or index.internalId() == 0:
            return None
        return index.siblingAtColumn(0).data(ID_ROLE)

    def _on_tree_current(self, current, _previous) -> None:  # noqa: ANN001
        enquiry = self.current_enquiry()
        retired = enquiry in self.tree_model.retired if enquiry else False
        self.retire_button.setText("&Restore" if retired else "&Retire")
        if enquiry and (self.selection or (None, None))[0] != enquiry:
            self._list_items(enquiry, None)

    def show_enquiry(self, enquiry: str) -> None:
        index = self.tree_model.find(enquiry)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        self._list_items(enquiry, None)

    def show_cell(self, index) -> None:  # noqa: ANN001
        if not index.isValid():
            return
        enquiry, group, _ = self.heat_model.cell(index)
        self._list_items(enquiry, group)

    def _list_items(self, enquiry: str, group: str | None) -> None:
        self.selection = (enquiry, group)
        by = self.heat_model.by
        sender = self.data.sender if self.data else None
        what = f"{enquiry} × {group}" if group else enquiry
        what += f" from {sender}" if sender else ""

        def done(rows: list[dict]) -> None:
            self.items_model.set_items(rows)
            self.items_label.setText(f"Evidence for {what}: {len(rows)} "
                                     f"item{'s' if len(rows) != 1 else ''}")
            self.items_label.setAccessibleDescription(self.items_label.text())

        self.load(lambda ws: coverage_core.cell_items(ws, enquiry, by, group, sender=sender), done,
                  channel="items")
