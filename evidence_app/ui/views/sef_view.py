"""Self-evaluation (Ctrl+6): areas on the left, the claims of the chosen area under the three
questions in the middle with a strength chip each, and on the right what the chosen claim cites,
its warnings and (for an area for development) its improvement actions.

Evidence is cited by dragging it onto the citations list: search results (the document's
evidence, or the whole document tagged under the claim's lines of enquiry) and evidence items
from any evidence list. "Needing evidence" filters the claims to those standing on nothing or
little. Every edit is one core write returning a `Done`, put on the window's undo stack
(Ctrl+Z); reading the document and exporting run on workers."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QSplitter, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from evidence_app.core.sef import actions as sef_actions
from evidence_app.core.sef import claims as sef_claims
from evidence_app.core.sef import document as sef_document
from evidence_app.core.sef import figures as sef_figures
from evidence_app.core.sef import versions as sef_versions
from evidence_app.core.sef.model import (
    QUESTION_SHORT, QUESTION_TITLES, QUESTIONS, TYPE_LABELS, claim_ref,
)
from evidence_app.ui import drag
from evidence_app.ui.views.view_header import ViewHeader
from evidence_app.ui.views.evidence_common import (
    MessageBar, Place, button, muted_label, name, push_done, uk_date,
)
from evidence_app.core.base.changes import Done
from evidence_app.core.evidence import framework

CHIPS = {"strong": ("Strong", "#1e6b34"), "moderate": ("Moderate", "#1f3864"),
         "weak": ("Weak", "#9c5700"), "none": ("No evidence", "#9c0006")}
CLAIM_ROLE = Qt.ItemDataRole.UserRole + 1
STRENGTH_ROLE = Qt.ItemDataRole.UserRole + 2
CITE_ROLE = Qt.ItemDataRole.UserRole + 3
ALL = "__all__"
FILTERS = (("All claims", "all"), ("Needing evidence", "needing"),
           ("With warnings", "warnings"))


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


class SefView(Place):
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
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
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
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
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
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
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
        j = doc.to_json()["summary"]
        self.summary.setText(
            f"{j['claims']} claim{'s' if j['claims'] != 1 else ''} · "
            f"{j['needing_evidence']} needing evidence · {j['with_warnings']} with warnings · "
            f"{j['actions']} action{'s' if j['actions'] != 1 else ''}"
            + (f" ({j['overdue']} overdue)" if j["overdue"] else "")
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

    def _visible(self, v) -> bool:  # noqa: ANN001
        key = self.filter.currentData()
        if key == "needing":
            return v.needs_evidence
        if key == "warnings":
            return bool(v.warnings)
        return True

    def _fill_claims(self) -> None:
        if self.doc is None:
            return
        keep = self.claim_id
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        areas = [a for a in self.doc.areas if self.area_id in (ALL, a.id)]
        shown = 0
        chosen = None
        for a in areas:
            parent = None
            any_shown = any(self._visible(v) for v in self.doc.claims_in(a.id))
            if self.area_id == ALL and not any_shown and self.filter.currentData() != "all":
                continue                        # a filter lists only where it finds something
            if self.area_id == ALL:
                parent = QTreeWidgetItem([a.short_title if a.id != "OVERVIEW" else "Overview"])
                parent.setToolTip(0, a.title)
                parent.setFont(0, bold)
                parent.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(parent)
            for q in QUESTIONS:
                views = [v for v in self.doc.claims_in(a.id, q) if self._visible(v)]
                if self.area_id == ALL and not views:
                    continue
                qi = QTreeWidgetItem([QUESTION_SHORT[q]])
                qi.setToolTip(0, QUESTION_TITLES[q])
                qi.setFont(0, bold)
                qi.setForeground(0, QBrush(QColor("#1f3864")))
                qi.setFirstColumnSpanned(True)
                qi.setData(0, CLAIM_ROLE + 10, q)
                (parent.addChild(qi) if parent else self.tree.addTopLevelItem(qi))
                if not views:
                    empty = QTreeWidgetItem(["Nothing written yet." if self.filter.currentData()
                                             == "all" else "None here."])
                    empty.setForeground(0, QBrush(QColor("#6b6b6b")))
                    qi.addChild(empty)
                for v in views:
                    c = v.claim
                    ci = QTreeWidgetItem([f"{claim_ref(c.id)}  {c.text}", TYPE_LABELS[c.type], ""])
                    ci.setData(0, CLAIM_ROLE, c.id)
                    ci.setData(2, STRENGTH_ROLE, v.strength)
                    tip = f"{c.text}\n\nEvidence: {CHIPS[v.strength][0].lower()}"
                    if v.warnings:
                        tip += "\n" + "\n".join(f"⚠ {w}" for w in v.warnings)
                        ci.setText(0, f"⚠ {ci.text(0)}")
                    ci.setToolTip(0, tip)
                    ci.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                               f"{claim_ref(c.id)}, {TYPE_LABELS[c.type]}, evidence "
                               f"{CHIPS[v.strength][0].lower()}: {c.text}")
                    qi.addChild(ci)
                    shown += 1
                    if c.id == keep:
                        chosen = ci
            if parent is not None:
                if not any_shown:
                    empty = QTreeWidgetItem(["Nothing written yet."])
                    empty.setForeground(0, QBrush(QColor("#6b6b6b")))
                    parent.addChild(empty)
                parent.setExpanded(True)
        self.tree.expandAll()
        area_title = "All areas" if self.area_id == ALL else next(
            (a.title for a in self.doc.areas if a.id == self.area_id), "")
        self.heading.setText(area_title)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        else:
            self.claim_id = None
            first = self._first_claim()
            if first is not None:
                self.tree.setCurrentItem(first)
            else:
                self._show_claim()

    def _first_claim(self):  # noqa: ANN202
        it = self.tree.invisibleRootItem()
        stack = [it.child(i) for i in range(it.childCount())]
        while stack:
            node = stack.pop(0)
            if node.data(0, CLAIM_ROLE):
                return node
            stack[:0] = [node.child(i) for i in range(node.childCount())]
        return None

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

    # -- writing (each a core write with its undo on the window's stack) ------------------------
    def _do(self, write, text: str | None = None):  # noqa: ANN001, ANN202
        value, error = push_done(self.ctx, write, text)
        if error:
            self.message.show_message(error)
        return value

    def _enquiries(self) -> list:
        return [(e.id, e.area_id, e.title) for e in framework.enquiries(self.ctx.ws)]

    def new_claim(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ClaimDialog

        if self.doc is None:
            return
        area = None if self.area_id == ALL else self.area_id
        dlg = ClaimDialog(list(self.doc.areas), self._enquiries(), area=area, parent=self)
        if dlg.exec() != ClaimDialog.DialogCode.Accepted:
            return
        v = dlg.values()
        made = self._do(lambda: sef_claims.add(self.ctx.ws, v["area"], v["question"], v["text"],
                                               type=v["type"], enquiries=v["enquiries"]))
        if made is not None:
            self.claim_id = made.id
            self.message.show_message(f"Added {claim_ref(made.id)}. Drag evidence onto its "
                                      "citations to show what proves it.", 8)

    def edit_claim(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ClaimDialog

        v = self.current_view()
        if v is None:
            return
        c = v.claim
        dlg = ClaimDialog(list(self.doc.areas), self._enquiries(), claim=c, parent=self)
        if dlg.exec() != ClaimDialog.DialogCode.Accepted:
            return
        new = dlg.values()
        self._do(lambda: sef_claims.edit(
            self.ctx.ws, c.id, text=new["text"], type=new["type"], area=new["area"],
            question=new["question"],
            enquiries=[e for e in new["enquiries"] if e not in c.enquiries],
            drop_enquiries=[e for e in c.enquiries if e not in new["enquiries"]]))

    def delete_claim(self) -> None:
        v = self.current_view()
        if v is None:
            return
        ref = claim_ref(v.claim.id)
        if self._do(lambda: sef_claims.delete(self.ctx.ws, v.claim.id)) is not None:
            self.message.show_message(f"Deleted {ref}. Ctrl+Z brings it back.", 8)

    def cite_dropped(self, item_ids: list[int], document_ids: list[int]) -> bool:
        """A drop on the citations: evidence items are cited; documents through their evidence
        (or tagged whole under the claim's lines first). One undo step."""
        v = self.current_view()
        if v is None or not (item_ids or document_ids):
            return False
        cid = v.claim.id

        def write():  # noqa: ANN202
            if document_ids:
                done = sef_claims.cite_documents(self.ctx.ws, cid, document_ids)
                if item_ids:
                    more = sef_claims.edit(self.ctx.ws, cid, cites=[f"E-{i}" for i in item_ids])
                    return _pair(done, more)
                return done
            return sef_claims.edit(self.ctx.ws, cid, cites=[f"E-{i}" for i in item_ids])

        done = self._do(write, f"Cite evidence in {claim_ref(cid)}")
        return done is not None

    def uncite(self) -> None:
        v = self.current_view()
        chosen = [i.data(CITE_ROLE) for i in self.citations.selectedItems()]
        if v is None or not chosen:
            return
        typed = [f"E-{ref}" if kind == "evidence" else f"{kind}:{ref}" if kind == "search"
                 else f"figure:{ref}" for kind, ref in chosen]
        self._do(lambda: sef_claims.edit(self.ctx.ws, v.claim.id, uncite=typed))

    def cite_figure(self) -> None:
        v = self.current_view()
        if v is None:
            return
        figure = self.figure.currentData()  # read here: the write runs on the window's writer
        self._do(lambda: sef_claims.edit(self.ctx.ws, v.claim.id, figures=[figure]))

    def add_action(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ActionDialog

        v = self.current_view()
        if v is None:
            return
        dlg = ActionDialog(parent=self)
        if dlg.exec() != ActionDialog.DialogCode.Accepted:
            return
        a = dlg.values()
        self._do(lambda: sef_actions.add(self.ctx.ws, v.claim.id, a["what"], owner=a["owner"],
                                         due=a["due"] or None, status=a["status"]))

    def edit_action(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import ActionDialog

        v, item = self.current_view(), self.plan.currentItem()
        if v is None or item is None:
            return
        action = next((a for a in v.actions if a.id == item.data(CLAIM_ROLE)), None)
        if action is None:
            return
        dlg = ActionDialog(action, parent=self)
        if dlg.exec() != ActionDialog.DialogCode.Accepted:
            return
        a = dlg.values()
        self._do(lambda: sef_actions.set_action(self.ctx.ws, action.id, what=a["what"],
                                                owner=a["owner"], due=a["due"],
                                                status=a["status"]))

    def freeze(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QInputDialog

        suggested = f"v{len(self.doc.versions) + 1 if self.doc else 1}"
        text, ok = QInputDialog.getText(self, "Freeze a version", "Name of this version (e.g. "
                                        "v1 for the annual engagement meeting):", text=suggested)
        if not ok:
            return
        made = self._do(lambda: sef_versions.freeze(self.ctx.ws, text))
        if made is not None:
            self.message.show_message(f"Froze “{made.name}”: its text and figures stay as they "
                                      "are now.", 8)

    def compare(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sef_dialogs import CompareDialog

        names = [v.name for v in self.doc.versions] if self.doc else []
        if not names:
            self.message.show_message("Nothing to compare yet: freeze a version first (it keeps "
                                      "the text and figures as they are now).", 8)
            return
        self.compare_dialog = CompareDialog(self.ctx, names, self)
        self.compare_dialog.show()

    def export(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.save_location import default_folder
        from evidence_app.ui.views.sef_dialogs import ExportDialog

        dlg = ExportDialog(self)
        if dlg.exec() != ExportDialog.DialogCode.Accepted:
            return
        with_bundle, pseudo = dlg.bundle.isChecked(), dlg.pseudo.isChecked()
        start = str(default_folder() / "Self-evaluation.docx")
        path, _ = QFileDialog.getSaveFileName(self, "Export the self-evaluation", start,
                                              "Word document (*.docx)")
        if path:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.ui.save_location import remember_folder

            remember_folder(Path(path).parent)
            self.export_to(Path(path), with_bundle=with_bundle, pseudonymise=pseudo, force=True)

    def export_to(self, path: Path, *, with_bundle: bool = False, pseudonymise: bool = False,
                  force: bool = False, on_done=None) -> None:  # noqa: ANN001
        """Write the export on a worker; the result (or the reason it was refused) is shown."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.sef import export as sef_export

        self.export_button.setEnabled(False)
        self.message.show_message(f"Exporting to {path.name}…")

        def work(io):  # noqa: ANN001, ANN202
            return sef_export.export(io.ws, path, with_bundle=with_bundle,
                                     pseudonymise=pseudonymise, force=force, cancel=io.cancel)

        def finished(r) -> None:  # noqa: ANN001
            self.export_button.setEnabled(True)
            self.message.show_message(
                f"Wrote {r.path.name} ({r.claims} claims, {r.citations} citations)"
                + (f" and {r.bundle.name}" if r.bundle else "")
                + (", pseudonymised and checked" if r.pseudonymised else "") + ".")
            if on_done:
                on_done(r)

        def failed(message: str) -> None:
            self.export_button.setEnabled(True)
            self.message.show_message(message)
            if on_done:
                on_done(None)

        self.ctx.run(work, finished, failed)


def _pair(first, second):  # noqa: ANN001, ANN202
    """Two writes as one undo step (newest undone first)."""
    def undo(ws):  # noqa: ANN001, ANN202
        b = second.undo(ws)
        a = first.undo(ws)
        return Done(a.value, a.changes | b.changes, lambda w: _pair(a.undo(w), b.undo(w)),
                    "Undo citations")

    return Done(second.value, first.changes | second.changes, undo, second.label)
