"""The quick picker for tagging a passage (or a whole document) as evidence.

Type to narrow the lines of enquiry and week-one requests (by id or words), Enter ticks the first
match and clears the box, Enter again on an empty box files the evidence. "Strength of evidence"
(strong / moderate / weak) remembers the last choice; "What it shows" (a strength, an area for
development, impact for the child) has no default: the person says it each time, because a silent
"strength" on a worrying passage would mislead the coverage counts. Filing goes through
`core.evidence.tag`, whose `Done` goes on the undo stack (undo deletes the item; redo brings the
same item back).
"""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QDialog,
                               QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QRadioButton, QTreeView, QVBoxLayout, QWidget)

from evidence_app.core.evidence import evidence, framework
from evidence_app.core.evidence.evidence import KIND_LABELS
from evidence_app.core.store import document_reads as docstore
from evidence_app.core.store.records import Document
from evidence_app.ui.context import UiContext
from evidence_app.ui.views.evidence_common import MessageBar, muted_label, name, push_done

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "enquiry" | "request"
TEXT_ROLE = Qt.ItemDataRole.UserRole + 3  # lower-case id + title, for the filter
_LAST = {"strength": "moderate"}
SHOWS = (("strength", "a st&rength"), ("development", "an area for &development"),
         ("impact", "&impact for the child"))


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.words: list[str] = []
        self.setRecursiveFilteringEnabled(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.words = text.lower().split()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: ANN001, N802
        index = self.sourceModel().index(row, 0, parent)
        haystack = index.data(TEXT_ROLE)
        if haystack is None:  # a group: shown when one of its children is
            return not self.words
        return all(w in haystack for w in self.words)


def picker_model(ws) -> QStandardItemModel:  # noqa: ANN001
    """Judgement areas -> lines of enquiry, then the week-one requests; retired ones left out."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Line of enquiry or request"])
    groups: dict[str, QStandardItem] = {}
    for area in framework.areas(ws):
        g = QStandardItem(f"{area.id} — {area.short_title or area.title}")
        g.setFlags(Qt.ItemFlag.ItemIsEnabled)
        groups[area.id] = g
        model.appendRow(g)
    for e in framework.enquiries(ws):
        groups[e.area_id].appendRow(_leaf(e.id, e.title, "enquiry", e.prompt))
    req = QStandardItem("Week-one requests")
    req.setFlags(Qt.ItemFlag.ItemIsEnabled)
    for r in framework.requests(ws):
        req.appendRow(_leaf(r.id, r.title, "request", r.description or ""))
    model.appendRow(req)
    return model


def _leaf(ident: str, title: str, kind: str, tip: str) -> QStandardItem:
    item = QStandardItem(f"{ident}  {title}")
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                  | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    item.setData(ident, ID_ROLE)
    item.setData(kind, KIND_ROLE)
    item.setData(f"{ident} {title}".lower(), TEXT_ROLE)
    if tip:
        item.setToolTip(tip)
    return item


class TagDialog(QDialog):
    tagged = Signal(object)  # the new EvidenceItem, once filed

    def __init__(self, ctx: UiContext, document_id: int, quote: str | None = None,
                 start: int | None = None, page: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.document_id, self.quote, self.page = ctx, document_id, quote, page
        self.start = start
        self.item = None  # the EvidenceItem filed, once it is
        doc = docstore.get_document(ctx.ws.db, document_id)
        self.doc_title = doc.label if doc is not None else f"document {document_id}"
        self.setWindowTitle("Tag passage as evidence" if quote else "Tag document as evidence")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumSize(560, 560)
        self._build(doc)
        self.filter.setFocus()

    # -- layout --------------------------------------------------------------------------------
    def _build(self, doc: Document | None) -> None:
        lay = QVBoxLayout(self)
        case_ref = doc.case_ref if doc is not None else None
        where = f"{self.doc_title}" + (f" — {case_ref}" if case_ref else "") \
            + (f" — p. {self.page}" if self.page else "")
        head = QLabel(("Passage from " if self.quote else "Whole document: ") + where)
        head.setWordWrap(True)
        name(head, "Source", where)
        lay.addWidget(head)
        if self.quote:
            q = QPlainTextEdit(self.quote)
            q.setReadOnly(True)
            q.setMaximumHeight(84)
            q.setTabChangesFocus(True)
            name(q, "Quoted passage", "The exact text that will be filed as evidence")
            lay.addWidget(q)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type an id or words, e.g. HP-04 or strategy, then Enter")
        self.filter.setClearButtonEnabled(True)
        name(self.filter, "Find a line of enquiry or request",
             "Narrows the list. Enter ticks the first match; Enter on an empty box files the "
             "evidence. Down arrow moves into the list.")
        lay.addWidget(self.filter)
        self.model = picker_model(self.ctx.ws)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        name(self.tree, "Lines of enquiry and week-one requests",
             "Space ticks or unticks the current line. Retired lines are not shown.")
        self.tree.expandAll()
        lay.addWidget(self.tree, 1)
        self.chosen = muted_label("Nothing ticked yet.")
        name(self.chosen, "Ticked lines")
        lay.addWidget(self.chosen)
        lay.addLayout(self._options())
        self.message = MessageBar(self, listen=False)
        lay.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("&Tag as evidence", QDialogButtonBox.ButtonRole.AcceptRole)
        name(self.ok, "Tag as evidence", "Files the evidence under the ticked lines")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        name(cancel, "Cancel")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.filter.textChanged.connect(self._on_filter)
        self.filter.installEventFilter(self)
        self.model.itemChanged.connect(self._update_chosen)
        self.setTabOrder(self.filter, self.tree)

    def _options(self) -> QFormLayout:
        form = QFormLayout()
        row = QHBoxLayout()
        self.strength_group = QButtonGroup(self)
        for key, label in (("strong", "&Strong"), ("moderate", "&Moderate"), ("weak", "&Weak")):
            b = QRadioButton(label)
            name(b, f"Strength of evidence: {key}",
                 "How convincing this evidence is to an inspector")
            b.setProperty("key", key)
            b.setChecked(key == _LAST["strength"])
            self.strength_group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        form.addRow("Strength of evidence:", row)
        shows = QHBoxLayout()
        self.shows_group = QButtonGroup(self)
        for key, label in SHOWS:
            b = QRadioButton(label)
            name(b, f"What it shows: {KIND_LABELS[key].lower()}",
                 "Choose one: what this evidence shows about practice")
            b.setProperty("key", key)
            self.shows_group.addButton(b)
            shows.addWidget(b)
        shows.addStretch(1)
        self.shows_label = QLabel("What it shows:")
        form.addRow(self.shows_label, shows)
        self.shows_group.buttonToggled.connect(lambda *_: self._update_chosen())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("Why this is evidence (optional)")
        self.note.setMaximumHeight(70)
        name(self.note, "Note", "Optional: why this passage is evidence")
        form.addRow("&Note:", self.note)
        return form

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        """The keyboard lands in the filter box as the picker opens (type, Enter, Enter)."""
        super().showEvent(event)
        self.activateWindow()
        self.filter.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # -- picking -------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if event.type() == event.Type.KeyPress and obj is self.filter:
            if event.key() == Qt.Key.Key_Down:
                self.tree.setFocus()
                first = self._first_leaf()
                if first is not None:
                    self.tree.setCurrentIndex(first)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._on_enter()  # consumed: the dialog's default button must not fire too
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802
        if self.tree.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._toggle(self.tree.currentIndex())
            return
        if event.matches(QKeySequence.StandardKey.Find):
            self.filter.setFocus()
            return
        super().keyPressEvent(event)

    def _on_filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self.tree.expandAll()
        first = self._first_leaf()
        if first is not None:
            self.tree.setCurrentIndex(first)

    def _first_leaf(self):  # noqa: ANN202
        for r in range(self.proxy.rowCount()):
            group = self.proxy.index(r, 0)
            if self.proxy.rowCount(group):
                return self.proxy.index(0, 0, group)
        return None

    def _on_enter(self) -> None:
        text = self.filter.text().strip()
        if not text:
            if self.ok.isEnabled():
                self.accept()
            return
        exact = self._find(text.upper())
        target = exact if exact is not None else self._first_leaf()
        if target is None:
            self.message.show_message(f"Nothing matches '{text}'.")
            return
        self._toggle(target, tick_only=True)
        self.filter.clear()

    def _find(self, ident: str):  # noqa: ANN202
        for r in range(self.proxy.rowCount()):
            group = self.proxy.index(r, 0)
            for c in range(self.proxy.rowCount(group)):
                idx = self.proxy.index(c, 0, group)
                if idx.data(ID_ROLE) == ident:
                    return idx
        return None

    def _toggle(self, proxy_index, tick_only: bool = False) -> None:  # noqa: ANN001
        item = self.model.itemFromIndex(self.proxy.mapToSource(proxy_index))
        if item is None or item.data(ID_ROLE) is None:
            return
        on = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Checked if tick_only or not on
                           else Qt.CheckState.Unchecked)

    def tick(self, ident: str, on: bool = True) -> None:
        for item in self._leaves():
            if item.data(ID_ROLE) == ident.upper():
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _leaves(self):  # noqa: ANN202
        for r in range(self.model.rowCount()):
            group = self.model.item(r)
            for c in range(group.rowCount()):
                yield group.child(c)

    def selected(self) -> tuple[list[str], list[str]]:
        enq, req = [], []
        for item in self._leaves():
            if item.checkState() == Qt.CheckState.Checked:
                (enq if item.data(KIND_ROLE) == "enquiry" else req).append(item.data(ID_ROLE))
        return enq, req

    def _update_chosen(self) -> None:
        enq, req = self.selected()
        ids = enq + req
        text = "Ticked: " + ", ".join(ids) if ids else "Nothing ticked yet."
        if ids and self.kind_key() is None:
            text += " Now say what it shows (a strength, an area for development or impact)."
        self.chosen.setText(text)
        self.chosen.setAccessibleDescription(self.chosen.text())
        self.ok.setEnabled(bool(ids))

    def kind_key(self) -> str | None:
        """What the evidence shows, or None while the person has not said."""
        b = self.shows_group.checkedButton()
        return b.property("key") if b else None

    def set_kind(self, key: str) -> None:
        for b in self.shows_group.buttons():
            if b.property("key") == key:
                b.setChecked(True)

    def strength(self) -> str:
        b = self.strength_group.checkedButton()
        return b.property("key") if b else "moderate"

    def set_strength(self, key: str) -> None:
        for b in self.strength_group.buttons():
            b.setChecked(b.property("key") == key)

    # -- filing --------------------------------------------------------------------------------
    def accept(self) -> None:
        enq, req = self.selected()
        if not enq and not req:
            self.message.show_message("Tick at least one line of enquiry or request.")
            return
        strength, kind = self.strength(), self.kind_key()
        if kind is None:
            self.message.show_message("Say what it shows first: a strength (Alt+R), an area for "
                                      "development (Alt+D) or impact for the child (Alt+I).")
            self.shows_group.buttons()[0].setFocus()
            return
        note = self.note.toPlainText()
        ws, doc, quote = self.ctx.ws, self.document_id, self.quote

        ids = ", ".join(enq + req)
        item, error = push_done(self.ctx, lambda: evidence.tag(
            ws, doc, enquiries=enq, requests=req, quote=quote, note=note, strength=strength,
            kind=kind), f"Tag evidence for {ids}")
        if error:
            self.message.show_message(error)
            return
        self.item = item
        _LAST.update(strength=strength)
        super().accept()
        self.tagged.emit(item)


def open_tag_dialog(ctx: UiContext, document_id: int, quote: str | None = None,
                    start: int | None = None, page: int | None = None,
                    parent: QWidget | None = None) -> TagDialog:
    """What the window calls for Ctrl+T / Ctrl+Shift+T: opens the picker (window-modal)."""
    dialog = TagDialog(ctx, document_id, quote=quote, start=start, page=page, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog

