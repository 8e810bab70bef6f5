"""Self-evaluation (Ctrl+6): areas on the left, the claims of the chosen area under the three
questions in the middle with a strength chip each, and on the right what the chosen claim cites,
its warnings and (for an area for development) its improvement actions.

Evidence is cited by dragging it onto the citations list: search results (the document's
evidence, or the whole document tagged under the claim's lines of enquiry) and evidence items
from any evidence list. "Needing evidence" filters the claims to those standing on nothing or
little. Every edit is one core write returning a `Done`, put on the window's undo stack
(Ctrl+Z); reading the document and exporting run on workers."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QSplitter, QTreeWidget,
                               QVBoxLayout, QWidget)

from evidence_app.core.sef import document as sef_document
from evidence_app.core.sef import figures as sef_figures
from evidence_app.core.sef.model import TYPE_LABELS, claim_ref
from evidence_app.ui.views import sef_claim_tree
from evidence_app.ui.views.evidence_common import (
    MessageBar, Place, button, muted_label, name, uk_date,
)
from evidence_app.ui.views.sef_edits import SefEdits
from evidence_app.ui.views.sef_widgets import (
    ALL, CHIPS, CITE_ROLE, CLAIM_ROLE, ChipDelegate, CitationList, UnusedList, WrapDelegate,
)
from evidence_app.ui.views.view_header import ViewHeader

FILTERS = (("All claims", "all"), ("Needing evidence", "needing"),
           ("With warnings", "warnings"))


class SefView(Place, SefEdits):
    """The place itself: its three panes, and filling them from the self-evaluation document
    (`core/sef/document.py`); what its buttons do is in `SefEdits`."""

    AREAS = {"sef", "evidence", "framework", "documents", "cases", "requests"}

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(ctx, parent)
        self.setAccessibleName("Self-evaluation")
        self.doc: sef_document.SefDocument | None = None
        self.area_id: str = ALL
        self.claim_id: int | None = None
        self._build()

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar(self)
        lay.addWidget(self.message)
        bar = QHBoxLayout()
        self.new_button = button("&New claim…", "Write a new claim under the chosen area",
                                 self.new_claim)
        self.edit_button = button("&Edit…", "Change the chosen claim's words, type or lines of "
                                  "enquiry (F2)", self.edit_claim)
        self.delete_button = button("&Delete", "Take the chosen claim out (Ctrl+Z brings it "
                                    "back)", self.delete_claim)
        self.filter = QComboBox()
        for text, key in FILTERS:
            self.filter.addItem(text, key)
        name(self.filter, "Show claims", "All claims, only those needing evidence, or only "
             "those with a warning about their evidence")
        self.filter.currentIndexChanged.connect(lambda _: self._on_filter())
        self.freeze_button = button("&Freeze version…", "Keep the self-evaluation as it stands "
                                    "(e.g. v1 for the annual engagement meeting)", self.freeze)
        self.compare_button = button("&Compare…", "Compare two versions claim by claim",
                                     self.compare)
        self.export_button = button("E&xport to Word…", "Write the self-evaluation as a Word "
                                    "document, optionally with its evidence bundle",
                                    self.export)
        self.summary = muted_label("")
        self.summary.setAccessibleName("Self-evaluation summary")
        for w in (self.new_button, self.edit_button, self.delete_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.filter)
        bar.addStretch(1)
        bar.addWidget(self.freeze_button)
        bar.addWidget(self.compare_button)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)
        lay.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self._left())
        split.addWidget(self._middle())
        split.addWidget(self._right())
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setStretchFactor(2, 3)
        split.setSizes([230, 620, 380])
        lay.addWidget(split, 1)
        QShortcut(QKeySequence("F2"), self.tree, self.edit_claim)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree, self.delete_claim)
        self._enable()

    def _left(self) -> QWidget:
        box, v = _column()
        v.addWidget(QLabel("<b>Areas</b>"))
        self.areas = QListWidget()
        self.areas.setWordWrap(True)
        self.areas.setSpacing(3)
        name(self.areas, "Areas", "The overview and each judgement area; choose one to see its "
             "claims")
        self.areas.currentItemChanged.connect(self._on_area)
        v.addWidget(self.areas, 3)
        self.unused_label = QLabel("<b>Strong evidence not used</b>")
        v.addWidget(self.unused_label)
        self.unused = UnusedList()
        name(self.unused, "Strong evidence not used", "Strong items on lines of enquiry the "
             "self-evaluation never mentions; drag one onto a claim's citations")
        v.addWidget(self.unused, 2)
        return box

    def _middle(self) -> QWidget:
        box, v = _column()
        self.header = ViewHeader("", "Area", scale=1.0, wrap=True)
        self.heading = self.header.title
        v.addWidget(self.header)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Claim", "Type", "Evidence"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegateForColumn(0, WrapDelegate(self.tree))
        self.tree.setItemDelegateForColumn(2, ChipDelegate(self.tree))
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        head.sectionResized.connect(lambda i, _o, _n: self.tree.doItemsLayout() if i == 0
                                    else None)
        name(self.tree, "Claims", "The claims under each of the three questions, with how well "
             "each is evidenced")
        self.tree.currentItemChanged.connect(self._on_claim)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.edit_claim()
                                            if item.data(0, CLAIM_ROLE) else None)
        v.addWidget(self.tree, 1)
        return box

    def _right(self) -> QWidget:
        box, v = _column()
        self.claim_title = QLabel("<b>Citations</b>")
        self.claim_title.setWordWrap(True)
        v.addWidget(self.claim_title)
        self.claim_text = QLabel()
        self.claim_text.setWordWrap(True)
        self.claim_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.claim_text.setAccessibleName("The chosen claim")
        v.addWidget(self.claim_text)
        self.citations = CitationList(self)
        name(self.citations, "Citations", "What the chosen claim cites; drop search results or "
             "evidence items here")
        v.addWidget(self.citations, 3)
        self.drop_hint = muted_label("Drag search results or evidence items here to cite them.")
        self.drop_hint.setWordWrap(True)
        v.addWidget(self.drop_hint)
        row = QHBoxLayout()
        self.uncite_button = button("&Remove", "Stop citing the chosen citations",
                                    self.uncite)
        self.figure = QComboBox()
        for d in sef_figures.DEFINITIONS:
            self.figure.addItem(d.title, d.name)
            self.figure.setItemData(self.figure.count() - 1, d.definition,
                                    Qt.ItemDataRole.ToolTipRole)
        name(self.figure, "Figure to cite", "A figure taken from the workspace")
        self.figure_button = button("Cite &figure", "Cite the chosen figure (it updates until "
                                    "the self-evaluation is frozen)", self.cite_figure)
        row.addWidget(self.uncite_button)
        row.addStretch(1)
        row.addWidget(self.figure, 1)
        row.addWidget(self.figure_button)
        v.addLayout(row)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #9c0006;")
        self.warnings.setAccessibleName("Warnings about the evidence")
        v.addWidget(self.warnings)
        self.plan_box = QGroupBox("Improvement actions")
        pv = QVBoxLayout(self.plan_box)
        self.plan = QListWidget()
        self.plan.setWordWrap(True)
        self.plan.setSpacing(2)
        name(self.plan, "Improvement actions", "The actions under this area for development")
        self.plan.itemDoubleClicked.connect(lambda _item: self.edit_action())
        pv.addWidget(self.plan)
        prow = QHBoxLayout()
        self.add_action_button = button("Add &action…", "A new improvement action under this "
                                        "area for development", self.add_action)
        self.edit_action_button = button("Edit a&ction…", "Change the chosen action",
                                         self.edit_action)
        prow.addWidget(self.add_action_button)
        prow.addWidget(self.edit_action_button)
        prow.addStretch(1)
        pv.addLayout(prow)
        v.addWidget(self.plan_box, 2)
        return box

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(lambda ws: sef_document.read(ws.db), self._show)

    def _show(self, doc: sef_document.SefDocument) -> None:
        self.doc = doc
        s = doc.summary()
        self.summary.setText(
            f"{s.claims} claim{'s' if s.claims != 1 else ''} · "
            f"{s.needing_evidence} needing evidence · {s.with_warnings} with warnings · "
            f"{s.actions} action{'s' if s.actions != 1 else ''}"
            + (f" ({s.overdue} overdue)" if s.overdue else "")
            + (f" · last frozen: {doc.versions[-1].name}" if doc.versions else "")
            + f" · figures as of {uk_date(doc.as_of)}")
        self._fill_areas()
        self._fill_unused()
        self._fill_claims()

    def _fill_areas(self) -> None:
        keep = self.area_id
        self.areas.blockSignals(True)
        self.areas.clear()
        entries = [(ALL, "All areas", self.doc.claims)]
        entries += [(a.id, a.short_title if a.id != "OVERVIEW" else "Overview",
                     self.doc.claims_in(a.id)) for a in self.doc.areas]
        for key, title, views in entries:
            needing = sum(1 for v in views if v.needs_evidence)
            item = QListWidgetItem(f"{title}\n{len(views)} claim{'s' if len(views) != 1 else ''}"
                                   + (f", {needing} needing evidence" if needing else ""))
            item.setData(CLAIM_ROLE, key)
            full = next((a.title for a in self.doc.areas if a.id == key), title)
            item.setToolTip(full)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{full}: {item.text()}")
            self.areas.addItem(item)
            if key == keep:
                self.areas.setCurrentItem(item)
        if self.areas.currentItem() is None:
            self.areas.setCurrentRow(0)
            self.area_id = ALL
        self.areas.blockSignals(False)

    def _fill_unused(self) -> None:
        self.unused.clear()
        for u in self.doc.unused:
            item = QListWidgetItem(f"E-{u.item.id:03d}  {u.item.title}  ({', '.join(u.enquiries)})")
            item.setData(CITE_ROLE, u.item.id)
            item.setToolTip("Drag onto a claim's citations to cite it")
            self.unused.addItem(item)
        self.unused_label.setText(f"<b>Strong evidence not used</b> ({len(self.doc.unused)})")

    def _fill_claims(self) -> None:
        if self.doc is None:
            return
        self.tree.blockSignals(True)
        chosen = sef_claim_tree.fill(self.tree, self.doc, self.area_id,
                                     self.filter.currentData(), self.claim_id)
        area_title = "All areas" if self.area_id == ALL else next(
            (a.title for a in self.doc.areas if a.id == self.area_id), "")
        self.heading.setText(area_title)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        else:
            self.claim_id = None
            first = sef_claim_tree.first_claim(self.tree)
            if first is not None:
                self.tree.setCurrentItem(first)
            else:
                self._show_claim()

    def _on_filter(self) -> None:
        """A filter is a list across the whole self-evaluation ("which claims need evidence?"),
        so it shows every area."""
        if self.filter.currentData() != "all" and self.area_id != ALL and self.areas.count():
            self.areas.setCurrentRow(0)         # All areas (refills the claims)
        else:
            self._fill_claims()

    def _on_area(self, current, _previous) -> None:  # noqa: ANN001
        if current is not None:
            self.area_id = current.data(CLAIM_ROLE)
            self._fill_claims()

    def _on_claim(self, current, _previous) -> None:  # noqa: ANN001
        cid = current.data(0, CLAIM_ROLE) if current is not None else None
        if cid:
            self.claim_id = int(cid)
        self._show_claim()

    def current_view(self):  # noqa: ANN201
        if self.doc is None or self.claim_id is None:
            return None
        return next((v for v in self.doc.claims if v.claim.id == self.claim_id), None)

    def _show_claim(self) -> None:
        v = self.current_view()
        self.citations.clear()
        self.plan.clear()
        if v is None:
            self.claim_title.setText("<b>Citations</b> — choose a claim")
            self.claim_text.setText("")
            self.warnings.setText("")
            self.plan_box.setVisible(False)
            self._enable()
            return
        c = v.claim
        self.claim_title.setText(f"<b>{claim_ref(c.id)} cites</b> · evidence: "
                                 f"<span style='color:{CHIPS[v.strength][1]}'>"
                                 f"{CHIPS[v.strength][0].lower()}</span>"
                                 + (f" · lines: {', '.join(c.enquiries)}" if c.enquiries else ""))
        self.claim_text.setText(f"“{c.text}” — {TYPE_LABELS[c.type].lower()}")
        items = iter(v.items)
        for x in c.citations:
            if x.kind == "evidence":
                item = next(items)
                if item is None or item.deleted:
                    text = f"E-{int(x.ref):03d}  (deleted)"
                else:
                    state = "" if item.anchor not in ("orphaned", "missing") else \
                        f" — {item.anchor}"
                    text = f"E-{int(x.ref):03d}  {item.title}  · {item.strength}{state}"
            elif x.kind == "figure":
                f = self.doc.figures.get(x.ref)
                text = (f"Figure: {f.title}: {f.value} (as of {uk_date(f.as_of)})" if f
                        else f"Figure: {x.ref}")
            else:
                text = f"Saved search: {x.ref}"
            li = QListWidgetItem(text)
            li.setData(CITE_ROLE, (x.kind, x.ref))
            self.citations.addItem(li)
        self.warnings.setText("\n".join(f"⚠ {w}" for w in v.warnings))
        self.plan_box.setVisible(c.type == "development")
        for a in v.actions:
            overdue = self.doc.overdue(a)
            row = QListWidgetItem(
                f"{a.what}\n{a.owner or 'No owner'} · due "
                f"{uk_date(a.due) if a.due else '—'} · {a.status}"
                + (" · OVERDUE" if overdue else ""))
            row.setData(CLAIM_ROLE, a.id)
            row.setToolTip(a.what)
            if overdue:
                row.setForeground(QBrush(QColor("#9c0006")))
            self.plan.addItem(row)
        self._enable()

    def _enable(self) -> None:
        has = self.current_view() is not None
        for w in (self.edit_button, self.delete_button, self.uncite_button,
                  self.figure_button, self.figure):
            w.setEnabled(has)


def _column() -> tuple[QWidget, QVBoxLayout]:
    """One of the three panes: a widget whose column of parts runs to its edges."""
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    return box, v
