"""Bundles (Ctrl+5): the bundle list, the builder (sections -> items; drag, or Alt+Up/Down, to
reorder and to move between sections; each move saved through `core.bundles` and undoable), a
preview of the selected item, and Export… (Ctrl+E) to Word. Every change is a core write whose
`Done` goes on the window's undo stack; the rows come from `core.bundles.bundle_rows`."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QMessageBox, QPushButton, QSplitter, QTextBrowser,
                               QTreeView, QVBoxLayout, QWidget)

from evidence_app.ui.plain_words import plural
from evidence_app.core.bundles import bundles as bundles_core
from evidence_app.core.base.changes import Done
from evidence_app.core.evidence.evidence import KIND_LABELS
from evidence_app.core.store.records import BundleSummary
from evidence_app.ui.context import UiContext
from evidence_app.ui.models.bundle_model import ITEM_ROLE, BundleTreeModel
from evidence_app.ui.views.view_header import ViewHeader
from evidence_app.ui.views.evidence_common import (
    MessageBar, Place, button, name, push_done, uk_datetime,
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class BundlesView(Place):
    AREAS = {"bundles", "evidence", "framework", "cases"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Bundles")
        self.bundle_id: int | None = None
        self._select_after: int | None = None
        self._build()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.message = MessageBar(self)
        lay.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._list_side())
        split.addWidget(self._builder())
        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(False)
        name(self.preview, "Item preview", "The selected evidence item: quote, note and source")
        self.preview.setHtml("<p>Select an evidence item to preview its quote, note and "
                             "source.</p>")
        split.addWidget(self.preview)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        split.setSizes([260, 640, 400])
        lay.addWidget(split, 1)
        # Ctrl+E is the window's "Export bundle…" action (File menu), which opens this place.
        for key, delta in (("Alt+Up", -1), ("Alt+Down", 1)):
            QShortcut(QKeySequence(key), self.tree, lambda d=delta: self.nudge(d),
                      context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.tree, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.setTabOrder(self.bundles, self.new_button)
        self.setTabOrder(self.new_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.tree)
        self.setTabOrder(self.tree, self.preview)

    def _list_side(self) -> QWidget:
        side = QWidget()
        lay = QVBoxLayout(side)
        lay.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Bundles")
        lay.addWidget(label)
        self.bundles = QListWidget()
        name(self.bundles, "Bundles", "Choose a bundle to build or export")
        label.setBuddy(self.bundles)
        self.bundles.setWordWrap(True)
        self.bundles.setSpacing(3)
        self.bundles.setAlternatingRowColors(True)
        self.bundles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bundles.currentItemChanged.connect(self._on_bundle)
        lay.addWidget(self.bundles, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("&New bundle…")
        name(self.new_button, "New bundle")
        self.new_button.clicked.connect(self.create_dialog)
        self.delete_button = QPushButton("Delete")
        name(self.delete_button, "Delete bundle", "Deletes the bundle, not its evidence")
        self.delete_button.clicked.connect(self.delete_current)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        lay.addLayout(row)
        return side

    def _builder(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.header = ViewHeader("No bundle chosen", "Bundle", facts="Bundle settings")
        self.heading, self.facts = self.header.title, self.header.facts
        lay.addWidget(self.header)
        bar = QHBoxLayout()
        self.section_button = self._button("Add &section…", "Add an empty section at the end",
                                           self.add_section_dialog)
        self.up_button = self._button("Move &up", "Move the selected item up (Alt+Up)",
                                      lambda: self.nudge(-1))
        self.down_button = self._button("Move do&wn", "Move the selected item down (Alt+Down)",
                                        lambda: self.nudge(1))
        self.remove_button = self._button("&Remove", "Take the selected item out of the bundle "
                                          "(Delete)", self.remove_selected)
        self.export_button = self._button("&Export…", "Export the bundle to Word (Ctrl+E)",
                                          self.export_dialog)
        for b in (self.section_button, self.up_button, self.down_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        lay.addLayout(bar)
        self.model = BundleTreeModel(self.ctx.ws, self)
        self.model.moveRequested.connect(self.move_item)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        name(self.tree, "Bundle sections and evidence", "Drag items to reorder them or move them "
             "to another section; Alt+Up and Alt+Down do the same from the keyboard")
        self.tree.selectionModel().currentChanged.connect(self._on_item)
        lay.addWidget(self.tree, 1)
        return page

    _button = staticmethod(button)

    # -- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load(bundles_core.list_bundles, self._show_list)

    def _show_list(self, rows: list[BundleSummary]) -> None:
        keep = self._select_after or self.bundle_id
        self._select_after = None
        self.bundles.blockSignals(True)
        self.bundles.clear()
        for r in rows:
            exported = f", exported {uk_datetime(r.exported_at)}" if r.exported_at else ""
            item = QListWidgetItem(f"{r.title}\n{plural(r.items, 'item')} in "
                                   f"{plural(r.sections, 'section')}{exported}")
            item.setData(ID_ROLE, r.id)
            item.setToolTip(r.title)
            self.bundles.addItem(item)
        self.bundles.blockSignals(False)
        ids = [r.id for r in rows]
        target = keep if keep in ids else (ids[0] if ids else None)
        if target is None:
            self.show_bundle(None)
            return
        self.bundles.setCurrentRow(ids.index(target))
        self.show_bundle(target)

    def _on_bundle(self, current, _previous) -> None:  # noqa: ANN001
        if current is not None:
            self.show_bundle(current.data(ID_ROLE))

    def show_bundle(self, bundle_id: int | None) -> None:
        self.bundle_id = bundle_id
        enabled = bundle_id is not None
        for b in (self.section_button, self.up_button, self.down_button, self.remove_button,
                  self.export_button, self.delete_button):
            b.setEnabled(enabled)
        if bundle_id is None:
            self.model.set_bundle(None)
            self.heading.setText("No bundle yet: create one with New bundle…")
            self.facts.setText("")
            return
        self.load(lambda ws: bundles_core.bundle_rows(ws, bundle_id), self._show_bundle,
                  channel="bundle")

    def _show_bundle(self, result: bundles_core.BundleRows) -> None:
        bundle = result.bundle
        if bundle.id != self.bundle_id:
            return
        current = self.current_item()
        self.model.set_bundle(bundle, result.rows)
        self.tree.expandAll()
        self.heading.setText(bundle.title)
        bits = [bundle.marking, "pseudonymised" if bundle.pseudonymise else "real names",
                "sources appended" if bundle.append_sources else "no sources appended",
                plural(len(bundle.sections), 'section'), plural(bundle.item_count, 'item')]
        self.facts.setText(" · ".join(bits))
        self.facts.setAccessibleDescription(self.facts.text())
        if current is not None:
            index = self.model.find_item(current)
            if index.isValid():
                self.tree.setCurrentIndex(index)

    # -- items ---------------------------------------------------------------------------------
    def current_item(self) -> int | None:
        index = self.tree.currentIndex()
        return index.data(ITEM_ROLE) if index.isValid() else None

    def _on_item(self, current, _previous) -> None:  # noqa: ANN001
        item_id = current.data(ITEM_ROLE) if current.isValid() else None
        if item_id is None:
            self.preview.setHtml("<p>Select an evidence item to preview it.</p>")
            return
        row = self.model.item_row(item_id)
        if row is None:
            self.preview.setHtml("<p>This item was deleted.</p>")
            return
        quote = row.shown_quote
        parts = [f"<h3>{self.model.number(item_id)} — {html.escape(row.title or '')}</h3>"]
        if quote:
            parts.append(f"<blockquote>“{html.escape(quote)}”</blockquote>")
        else:
            parts.append("<p><i>The whole document.</i></p>")
        if row.note:
            parts.append(f"<p><b>Note:</b> {html.escape(row.note)}</p>")
        facts = [("Strength", row.strength.capitalize()),
                 ("Kind", KIND_LABELS.get(row.kind, "")),
                 ("Filed under", ", ".join(row.links)),
                 ("Case", row.case_ref or ""),
                 ("Page", str(row.page) if row.page else ""),
                 ("Source", row.path or ""), ("Tagged by", row.author or ""),
                 ("Passage", row.anchor if row.anchor not in ("anchored", "document") else "")]
        parts.append("<p>" + "<br>".join(f"<b>{k}:</b> {html.escape(v)}" for k, v in facts if v)
                     + "</p>")
        self.preview.setHtml("".join(parts))

    def move_item(self, item_id: int, section_id: int, position: int) -> None:
        """What a drop (or Alt+Up/Down) asks for: saved through the core, undoable."""
        if self.bundle_id is None or self.model.position_of(item_id) is None:
            return
        ws, bundle = self.ctx.ws, self.bundle_id
        _, error = push_done(
            self.ctx, lambda: bundles_core.move_item(ws, bundle, item_id, f"{section_id}:{position}"),
            f"Move {self.model.number(item_id)} in the bundle")
        if error:
            self.message.show_message(error)

    def nudge(self, delta: int) -> None:
        index = self.tree.currentIndex()
        item_id = index.data(ITEM_ROLE) if index.isValid() else None
        if item_id is None:
            self.message.show_message("Select an evidence item to move.", 6)
            return
        s, section = self.model.section_of(index)
        row = index.row() + delta
        if 0 <= row < len(section.items):
            self.model.request_move(item_id, s, row + (1 if delta > 0 else 0))
        elif 0 <= s + delta < len(self.model.sections):  # across into the next/previous section
            other = self.model.sections[s + delta]
            self.model.request_move(item_id, s + delta, len(other.items) if delta < 0 else 0)

    def remove_selected(self) -> None:
        item_id = self.current_item()
        if item_id is None or self.bundle_id is None:
            self.message.show_message("Select an evidence item to take out of the bundle.", 6)
            return
        ws, bundle = self.ctx.ws, self.bundle_id
        _, error = push_done(self.ctx, lambda: bundles_core.remove_item(ws, bundle, item_id),
                             f"Take {self.model.number(item_id)} out of the bundle")
        if error:
            self.message.show_message(error)

    def add_section_dialog(self) -> None:
        if self.bundle_id is None:
            return
        title, ok = QInputDialog.getText(self, "Add a section", "Section title:")
        if ok and title.strip():
            ws, bundle = self.ctx.ws, self.bundle_id
            _, error = push_done(self.ctx, lambda: bundles_core.add_section(ws, bundle, title))
            if error:
                self.message.show_message(error)

    # -- bundles -------------------------------------------------------------------------------
    def create_dialog(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.bundle_create_dialog import BundleCreateDialog

        dialog = BundleCreateDialog(self.ctx.ws, self)
        accepted = dialog.exec() == BundleCreateDialog.DialogCode.Accepted
        self.window().activateWindow()  # the keyboard goes back to the window's shortcuts
        if accepted:
            self.create(**dialog.params())

    def create(self, **params) -> None:
        """Build the bundle on a worker (it reads every evidence item), then show it; undoable
        (Ctrl+Z deletes it again)."""
        self.new_button.setEnabled(False)

        def done(made: Done) -> None:
            self.new_button.setEnabled(True)
            bundle = made.value
            self._select_after = bundle.id
            self.message.show_message(f"Created “{bundle.title}” with "
                                      f"{plural(bundle.item_count, 'item')}.", 8)
            push_done(self.ctx, lambda: made)  # made already: this puts it on the undo stack

        def failed(message: str) -> None:
            self.new_button.setEnabled(True)
            self.message.show_message(message)

        self.ctx.run(lambda io: io.write(lambda w: bundles_core.create_bundle(w, **params)), done,
                     failed)

    def delete_current(self) -> None:
        if self.bundle_id is None:
            return
        answer = QMessageBox.question(self, "Delete bundle",
                                      f"Delete the bundle “{self.heading.text()}”? Its evidence "
                                      "items stay; files already exported stay on disk.")
        if answer == QMessageBox.StandardButton.Yes:
            ws, bundle = self.ctx.ws, self.bundle_id
            _, error = push_done(self.ctx, lambda: bundles_core.delete_bundle(ws, bundle))
            if error:
                self.message.show_message(error)
            else:
                self.bundle_id = None

    def export_dialog(self):  # noqa: ANN201
        if self.bundle_id is None:
            self.message.show_message("Choose a bundle to export.", 6)
            return None
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.export_dialog import ExportDialog

        dialog = ExportDialog(self.ctx, self.bundle_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: work on while it exports
        return dialog
