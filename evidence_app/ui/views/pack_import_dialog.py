"""File ▸ Import evidence packs…: choose one or several `.evpack` files, see what each would
add, update, leave alone and put in conflict (the core's preview, run on a worker), map
framework ids this workspace does not know, then merge them on a worker with a progress bar
(backup first, one transaction) and settle the conflicts in the list that follows. The import
and each choice go on the window's undo stack: Ctrl+Z here or in the window takes them back."""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QProgressBar, QPushButton,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from evidence_app.ui.views.evidence_common import (MessageBar, muted_label, name, push_done,
                                                   undo_keys)

PREVIEW_COLUMNS = ("Pack", "From", "Made", "To add", "To update", "Deleted there", "Left alone",
                   "In conflict", "Duplicates?", "Cases", "Files not here")
PREVIEW_TIPS = {8: "Likely duplicates: the same passage tagged by someone here too",
                10: "Documents not on this machine: the evidence points at a reference until the "
                    "file is indexed here"}
CONFLICT_COLUMNS = ("Id", "Item", "From", "Yours", "Theirs")
ADD_AS_IS = "Add it as a custom line"


def _cell(text) -> QTableWidgetItem:  # noqa: ANN001
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(item.text())
    return item


def _version(v: dict | None) -> str:
    """One side of a conflict in a few words. `v` is the item as the pack's JSON carried it
    (a revision's content, kept as sent), so it is read as JSON, by key."""
    if not v:
        return "(gone)"
    if v.get("deleted_at"):
        return f"deleted by {v.get('deleted_by') or 'someone'}"
    links = " ".join(v.get("enquiries") or [])
    return f"{v.get('strength')}, {links}: {v.get('note') or '(no note)'}"


class PackImportDialog(QDialog):
    imported = Signal(object)  # the ImportResult

    def __init__(self, ctx, paths: list[str] | None = None,  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.reports: list = []
        self.result_info = None
        self._task = None
        self.setWindowTitle("Import evidence packs")
        self.setAccessibleName(self.windowTitle())
        ctx.hub.changed.connect(self._on_changed)
        lay = QVBoxLayout(self)
        lay.addWidget(muted_label(
            "Merge evidence that colleagues sent you. Nothing changes until you press Import: "
            "a backup is taken first and everything is merged at once. Items changed on both "
            "sides are kept and listed for you to choose."))
        top = QHBoxLayout()
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        name(self.files, "Packs to import", "The evidence pack files chosen")
        side = QVBoxLayout()
        self.add_button = QPushButton("&Add packs…")
        name(self.add_button, "Add packs", "Choose .evpack files to import")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("&Remove")
        name(self.remove_button, "Remove the selected packs from the list")
        self.remove_button.clicked.connect(self._remove_selected)
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        top.addWidget(self.files, 1)
        top.addLayout(side)
        lay.addLayout(top)

        self.tabs = QTabWidget()
        name(self.tabs, "Preview and conflicts")
        self.preview = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.preview.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        for col, tip in PREVIEW_TIPS.items():
            self.preview.horizontalHeaderItem(col).setToolTip(tip)
        self.preview.verticalHeader().hide()
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setWordWrap(False)
        self.preview.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        hdr = self.preview.horizontalHeader()
        hdr.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hdr.setStretchLastSection(True)
        name(self.preview, "What each pack would change")
        self.tabs.addTab(self.preview, "&Preview")
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(("Id in the pack", "Title", "File it here under"))
        self.mapping.verticalHeader().hide()
        mh = self.mapping.horizontalHeader()
        mh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        mh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        mh.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        mh.setMinimumSectionSize(60)
        name(self.mapping, "Framework ids this workspace does not know",
             "Choose a line of enquiry here for each, or add it as a custom line")
        self.tabs.addTab(self.mapping, "&Framework ids")
        self.conflicts = QTableWidget(0, len(CONFLICT_COLUMNS))
        self.conflicts.setHorizontalHeaderLabels(CONFLICT_COLUMNS)
        self.conflicts.verticalHeader().hide()
        self.conflicts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflicts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        ch = self.conflicts.horizontalHeader()
        ch.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        ch.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        name(self.conflicts, "Conflicts to settle", "Items changed here and in a pack")
        conflict_page = QWidget()
        cl = QVBoxLayout(conflict_page)
        cl.addWidget(self.conflicts, 1)
        row = QHBoxLayout()
        self.choice_buttons = {}
        for choice, text, what in (
                ("mine", "Keep &mine", "Keep the version that was in this workspace"),
                ("theirs", "Keep &theirs", "Keep the version from the pack"),
                ("both", "Keep &both", "Keep yours, and theirs as a second item marked as a "
                                        "copy from the sender")):
            b = QPushButton(text)
            name(b, text.replace("&", ""), what, what)
            b.clicked.connect(lambda _=False, c=choice: self.resolve_selected(c))
            row.addWidget(b)
            self.choice_buttons[choice] = b
        row.addStretch(1)
        cl.addLayout(row)
        self.tabs.addTab(conflict_page, "&Conflicts")
        lay.addWidget(self.tabs, 1)

        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        name(self.progress, "Import progress")
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name(self.status, "Import status")
        lay.addWidget(self.status)
        self.message = MessageBar(self, listen=False)
        undo_keys(self, ctx, self.message)  # Ctrl+Z here takes back what was done here
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton("&Import")
        name(self.import_button, "Import the packs", "Back up, then merge every pack listed")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton("Close")
        name(self.close_button, "Close")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.resize(1100, 580)
        self._update_buttons()
        self.load_conflicts()
        if paths:
            self.add_files(paths)

    # -- choosing packs ------------------------------------------------------------------------
    def choose_files(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui import save_location

        chosen, _ = QFileDialog.getOpenFileNames(
            self, "Choose evidence packs", str(save_location.default_folder()),
            "Evidence packs (*.evpack);;All files (*)")
        if chosen:
            self.add_files(chosen)

    def paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.files.count())]

    def add_files(self, paths: list[str]) -> None:
        have = set(self.paths())
        for p in paths:
            p = str(Path(p))
            if p not in have:
                self.files.addItem(Path(p).name)
                item = self.files.item(self.files.count() - 1)
                item.setData(Qt.ItemDataRole.UserRole, p)
                item.setToolTip(p)
                have.add(p)
        self.refresh_preview()

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self.refresh_preview()

    def maps(self) -> list[str]:
        out = []
        for r in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(r, 2)
            target = combo.currentData() if combo is not None else None
            if target:
                out.append(f"{self.mapping.item(r, 0).text()}={target}")
        return out

    # -- preview -------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        paths = self.paths()
        self.preview.setRowCount(0)
        self.message.hide()
        if not paths:
            self.status.setText("Add the packs colleagues sent you.")
            self._update_buttons()
            return
        self.status.setText("Checking the packs…")
        self.busy = True
        self._update_buttons()
        maps = self.maps()

        def work(io):  # noqa: ANN001, ANN202
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.packs.importer import preview

            return preview(io.ws, paths, maps), _known_enquiries(io.ws)

        self._task = self.ctx.run(work, self._show_preview, self._failed)

    def _show_preview(self, result) -> None:  # noqa: ANN001
        reports, known = result
        self.busy = False
        self.reports = reports
        self.preview.setRowCount(len(reports))
        for r, rep in enumerate(reports):
            c = rep.tally()
            values = (rep.file, rep.sender, (rep.created_at or "")[:16].replace("T", " "),
                      c.added, c.updated, c.deleted, c.unchanged, c.conflicts, c.duplicates,
                      c.cases, rep.not_found)
            for col, v in enumerate(values):
                self.preview.setItem(r, col, _cell(v))
        self._fill_mapping(reports, known)
        notes = []
        for rep in reports:
            if rep.already_imported:
                notes.append(f"{rep.file} was merged here before: importing it again changes "
                             "nothing it already brought.")
            if rep.framework_differs:
                notes.append(f"{rep.file} was made with framework {rep.framework_version}.")
        total = sum(len(r.added) for r in reports)
        self.status.setText(" ".join(notes) or
                            f"{len(reports)} pack{'s' if len(reports) != 1 else ''} checked: "
                            f"{total} items to add. Nothing has been changed yet.")
        self._update_buttons()

    def _fill_mapping(self, reports, known: list[tuple[str, str]]) -> None:  # noqa: ANN001
        previous = {self.mapping.item(r, 0).text(): self.mapping.cellWidget(r, 2).currentData()
                    for r in range(self.mapping.rowCount()) if self.mapping.cellWidget(r, 2)}
        unknown = {}
        for rep in reports:
            for u in rep.unknown():
                unknown.setdefault(u.id, u)
        self.mapping.setRowCount(len(unknown))
        for r, (ident, u) in enumerate(sorted(unknown.items())):
            self.mapping.setItem(r, 0, _cell(ident))
            self.mapping.setItem(r, 1, _cell(u.title or ""))
            combo = QComboBox()
            name(combo, f"File {ident} under", "A line of enquiry in this workspace, or add "
                                               "the pack's own line as a custom one")
            combo.addItem(ADD_AS_IS, None)
            for eid, title in known:
                combo.addItem(f"{eid} — {title}", eid)
            want = previous.get(ident) or u.mapped_to
            if want:
                combo.setCurrentIndex(max(0, combo.findData(want)))
            self.mapping.setCellWidget(r, 2, combo)
        if unknown:
            self.mapping.setColumnWidth(2, 380)
        self.tabs.setTabText(1, f"&Framework ids ({len(unknown)})" if unknown else
                             "&Framework ids")

    def _failed(self, message: str) -> None:
        self.busy = False
        self.progress.hide()
        self.message.show_message(message)
        self.status.setText("Nothing was changed.")
        self._update_buttons()

    # -- import --------------------------------------------------------------------------------
    def start_import(self) -> None:
        paths = self.paths()
        if not paths or self.busy:
            return
        self.busy = True
        self.message.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Backing up, then merging…")
        self._update_buttons()
        maps = self.maps()

        def work(io):  # noqa: ANN001, ANN202
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.packs.importer import import_packs

            return io.write(lambda w: import_packs(w, paths, maps, on_progress=io.progress))

        self._task = self.ctx.run(work, self._imported, self._failed, self._progressed)

    def _progressed(self, p) -> None:  # noqa: ANN001
        if p.total:
            self.progress.setRange(0, p.total)
            self.progress.setValue(p.done)
        self.progress.setFormat(p.label or "%p%")

    def _imported(self, done) -> None:  # noqa: ANN001
        """The import is made (on a worker): its `Done` goes on the window's undo stack, so
        Ctrl+Z takes the whole import back (or says why it cannot)."""
        self.busy = False
        result, _ = push_done(self.ctx, lambda: done)  # made already: this puts it on the stack
        self.result_info = result
        self.progress.hide()
        c = result.to_json()["counts"]
        self.status.setText(
            f"Imported: {c.get('added', 0)} items added, {c.get('updated', 0)} updated, "
            f"{c.get('deleted', 0)} deleted, {c.get('conflicts', 0)} in conflict, "
            f"{c.get('duplicates', 0)} likely duplicates. A backup was taken first "
            f"({result.backup}); the merge reports are kept (File ▸ Team contributions). "
            "Ctrl+Z takes the import back.")
        self.files.clear()
        self.preview.setRowCount(0)
        self.imported.emit(result)
        self.load_conflicts()
        if self.conflicts.rowCount():
            self.tabs.setCurrentIndex(2)
        self._update_buttons()

    # -- conflicts -----------------------------------------------------------------------------
    def load_conflicts(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.packs.conflicts import list_conflicts

        found = list_conflicts(self.ctx.ws)
        self.conflicts.setRowCount(len(found))
        for r, c in enumerate(found):
            for col, v in enumerate((c.id, c.item_id, c.sender, _version(c.mine),
                                     _version(c.theirs))):
                self.conflicts.setItem(r, col, _cell(v))
        self.tabs.setTabText(2, f"&Conflicts ({len(found)})" if found else "&Conflicts")
        if found and not self.conflicts.selectedItems():
            self.conflicts.selectRow(0)
        self._update_buttons()

    def _on_changed(self, areas: set) -> None:
        """An undo or redo (here or in the window) may reopen or settle conflicts."""
        if "packs" in areas and not self.busy and shiboken6.isValid(self):
            self.load_conflicts()

    def resolve_selected(self, choice: str) -> None:
        rows = {i.row() for i in self.conflicts.selectedItems()}
        if not rows or self.busy:
            return
        ident = self.conflicts.item(min(rows), 0).text()
        self.busy = True
        self._update_buttons()

        def work(io):  # noqa: ANN001, ANN202
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.packs.conflicts import resolve

            return io.write(lambda w: resolve(w, ident, choice))

        def done(made) -> None:  # noqa: ANN001
            self.busy = False
            res, _ = push_done(self.ctx, lambda: made)  # made on a worker: Ctrl+Z reopens it
            self.status.setText(res.line() + " Ctrl+Z takes it back.")
            self.load_conflicts()

        self._task = self.ctx.run(work, done, self._failed)

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(bool(self.paths()) and not self.busy)
        self.add_button.setEnabled(not self.busy)
        self.remove_button.setEnabled(not self.busy and self.files.count() > 0)
        has = self.conflicts.rowCount() > 0 and not self.busy
        for b in self.choice_buttons.values():
            b.setEnabled(has)


def _known_enquiries(ws) -> list[tuple[str, str]]:  # noqa: ANN001
    # start-up: loaded when first used, not when the window opens
    from evidence_app.core.evidence import framework

    return [(e.id, e.title) for e in framework.enquiries(ws)]


def open_pack_import(ctx, parent: QWidget | None = None,  # noqa: ANN001
                     paths: list[str] | None = None) -> PackImportDialog:
    dialog = PackImportDialog(ctx, paths, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog
