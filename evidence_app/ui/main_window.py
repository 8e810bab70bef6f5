"""The main window: a navigation rail of five places, the top bar, menus and the status bar.

Thin on purpose: places are widgets registered in `places.py`, indexing lives in `indexing.py`,
dialogs in `views/`. Workspace switching is the launcher's (`Shell`) job.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_app.ui import app_settings, menus
from evidence_app.ui.context import UiContext
from evidence_app.ui.indexing import IndexingService
from evidence_app.ui.lookups import problem_counts, status_overview
from evidence_app.ui.plain_words import files_overview
from evidence_app.ui.places import PLACES, Place, PlaceUnavailable, load_factory
from evidence_app.ui.style import ACCENT, ICON_SIZE, app_icon, icon, muted
from evidence_app.ui.tagging import open_tag_picker
from evidence_app.ui.views.action_notice import ActionNotice
from evidence_app.ui.views.index_status import IndexStatus
from evidence_app.ui.views.placeholder import ComingSoon
from evidence_app.ui.views.search_view import SearchView
from evidence_app.ui.views.workspace_banner import WorkspaceBanner
from evidence_app.ui.views.query_edit import SearchHelp

CHANGE_EVERY_MS = 4000  # while indexing, let views refresh at most this often


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, ctx: UiContext, shell=None, index_jobs: int = 2, watch: bool = True) -> None:  # noqa: ANN001
        super().__init__()
        self.ctx = ctx
        self.shell = shell
        self.setWindowTitle(f"{ctx.ws.name} — Evidence Organiser")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._fit_to_screen(first=True)
        self.indexing = IndexingService(ctx.root, jobs=index_jobs, watch=watch, parent=self,
                                        writer=lambda: ctx.writer)
        self.pages: dict[str, QWidget] = {}
        self.rail_buttons: dict[str, QToolButton] = {}
        self._problems_dialog = None
        self._last_change = 0
        self._build()
        self._build_menus()
        self._wire_indexing()
        self.show_place("search")
        self._restore_state()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._rail())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet(f"color: {muted().name()}")
        outer.addWidget(line)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.stack = QStackedWidget()
        self.search_view = SearchView(self.ctx)
        self.search_view.addSourceRequested.connect(self.open_sources)
        self.search_view.preview.tagRequested.connect(self.tag_passage)
        self.search_view.preview.documentTagRequested.connect(self.tag_document)
        self.search_view.preview.ocrRequested.connect(self.read_again_with_ocr)
        self.search_view.preview.selectionAvailable.connect(self._update_tag_action)
        self.pages["search"] = self.search_view
        self.stack.addWidget(self.search_view)
        right.addWidget(self._top_bar())
        self.banner = WorkspaceBanner(self.ctx.ws)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        outer.addLayout(right, 1)
        self.setCentralWidget(central)
        self.notice = ActionNotice()
        self.statusBar().addWidget(self.notice)
        self.status = IndexStatus()
        self.status.cancelRequested.connect(self.cancel_indexing)
        self.status.problemsRequested.connect(self.open_problems)
        self.statusBar().addPermanentWidget(self.status, 1)
        self.statusBar().setSizeGripEnabled(True)

    def _rail(self) -> QWidget:
        rail = QWidget()
        rail.setObjectName("rail")
        rail.setAccessibleName("Places")
        lay = QVBoxLayout(rail)
        lay.setContentsMargins(6, 10, 6, 10)
        lay.setSpacing(4)
        self.place_group = QActionGroup(self)
        self.place_group.setExclusive(True)
        for place in PLACES:
            b = QToolButton()
            b.setIcon(icon(place.icon))
            b.setIconSize(ICON_SIZE)
            b.setText(place.title.replace(" & ", "\n&& ").replace("Week-one ", "Week-one\n")
                      .replace("Self-evaluation", "Self-\nevaluation"))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            b.setCheckable(True)
            b.setAutoRaise(True)
            b.setFixedWidth(96)
            b.setMinimumHeight(58)
            b.setToolTip(f"{place.title} ({place.shortcut})\n{place.description}")
            b.setAccessibleName(place.title)
            b.setAccessibleDescription(place.description)
            b.clicked.connect(lambda _=False, key=place.key: self.show_place(key))
            self.rail_buttons[place.key] = b
            lay.addWidget(b)
        lay.addStretch(1)
        rail.setStyleSheet(
            "QToolButton { border-radius: 6px; padding: 4px; }"
            f"QToolButton:checked {{ background: {ACCENT}; color: white; }}")
        return rail

    def _top_bar(self) -> QWidget:
        bar = QWidget()
        lay = QHBoxLayout(bar)
        lay.setContentsMargins(10, 8, 10, 6)
        lay.setSpacing(8)
        self.workspace_button = QToolButton()
        self.workspace_button.setIcon(icon("workspace"))
        # a long service name is cut in the middle (both ends stay); whole on hover and for
        # screen readers
        self.workspace_button.setText(self.fontMetrics().elidedText(
            self.ctx.ws.name, Qt.TextElideMode.ElideMiddle, 320) + " ")
        self.workspace_button.setAccessibleDescription(f"{self.ctx.ws.name} — {self.ctx.root}")
        self.workspace_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.workspace_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.workspace_button.setAccessibleName(f"Workspace: {self.ctx.ws.name}")
        self.workspace_button.setToolTip(f"{self.ctx.ws.name}\n{self.ctx.root}")
        self.workspace_button.setMaximumWidth(380)
        self.workspace_menu = QMenu(self)
        self.workspace_button.setMenu(self.workspace_menu)
        lay.addWidget(self.workspace_button)
        lay.addWidget(self.search_view.query_box, 1)
        self.help_button = QToolButton()
        self.help_button.setIcon(icon("help"))
        self.help_button.setToolTip("How to search")
        self.help_button.setAccessibleName("How to search")
        self.help_button.clicked.connect(self.show_search_help)
        lay.addWidget(self.help_button)
        self.settings_button = QToolButton()
        self.settings_button.setIcon(icon("settings"))
        self.settings_button.setToolTip("Settings")
        self.settings_button.setAccessibleName("Settings")
        self.settings_button.clicked.connect(self.open_settings)
        lay.addWidget(self.settings_button)
        self.search_view.query_box.textEdited.connect(lambda _: self.show_place("search"))
        return bar

    def _action(self, text: str, slot, shortcut: str | QKeySequence | None = None,  # noqa: ANN001
                icon_name: str | None = None) -> QAction:
        return menus.action(self, text, slot, shortcut, icon_name)

    def _build_menus(self) -> None:
        menus.build(self)

    def _shell(self, name: str):  # noqa: ANN202
        return lambda: getattr(self.shell, name)(self) if self.shell is not None else None

    # -- places --------------------------------------------------------------------------------
    def show_place(self, key: str) -> QWidget:
        page = self.pages.get(key)
        if page is None:
            place = next(p for p in PLACES if p.key == key)
            page = self._make_place(place)
            self.pages[key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        for k, b in self.rail_buttons.items():
            b.setChecked(k == key)
        if key in getattr(self, "place_actions", {}):
            self.place_actions[key].setChecked(True)
        for a in ("next_hit_action", "prev_hit_action", "tag_doc_action"):
            if hasattr(self, a):
                getattr(self, a).setEnabled(key == "search")
        self._update_tag_action()
        return page

    def _make_place(self, place: Place) -> QWidget:
        try:
            cls = load_factory(place)
            return cls(self.ctx, self)
        except PlaceUnavailable:
            return ComingSoon(place)
        except Exception:  # noqa: BLE001 - a broken place must not take the window down
            import logging  # start-up: loaded when first used, not when the window opens

            logging.getLogger(__name__).exception("Could not open %s", place.title)
            return ComingSoon(place, broken=True)

    def _update_tag_action(self, _selected: bool = False) -> None:
        """Tag selection works only with a passage selected in the preview."""
        if hasattr(self, "tag_action"):
            self.tag_action.setEnabled(self.current_place() == "search"
                                       and self.search_view.preview.has_selection())

    def current_place(self) -> str:
        page = self.stack.currentWidget()
        return next((k for k, p in self.pages.items() if p is page), "")

    def focus_search(self) -> None:
        self.show_place("search")
        box = self.search_view.query_box
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    # -- indexing ------------------------------------------------------------------------------
    def _wire_indexing(self) -> None:
        ix = self.indexing
        ix.started.connect(self.status.set_busy)
        ix.busyChanged.connect(self.search_view.set_indexing)
        ix.progress.connect(self._on_progress)
        ix.finished.connect(self._on_index_finished)
        ix.scansFinished.connect(self._on_scans_finished)
        ix.failed.connect(lambda msg: self.status.set_idle(msg))
        self.refresh_problems()

    def start_indexing(self) -> None:
        if self.ctx.ws.readonly:
            return  # nothing may be written; search works on the index as it is
        self.indexing.start()

    def _on_progress(self, p) -> None:  # noqa: ANN001
        self.status.set_progress(p)
        self._last_change += 1
        if not hasattr(self, "_change_timer"):
            self._change_timer = QTimer(self)
            self._change_timer.setSingleShot(True)
            self._change_timer.timeout.connect(lambda: self.ctx.changed({"documents"}))
        if not self._change_timer.isActive():
            self._change_timer.start(CHANGE_EVERY_MS)

    def _on_index_finished(self, summary) -> None:  # noqa: ANN001
        if getattr(self, "_change_timer", None) is not None:
            self._change_timer.stop()
        if summary.cancelled:
            left = max(0, summary.queued - summary.indexed)
            self.status.set_idle("Indexing stopped (cancelled)" + (
                f": {left:,} {'file' if left == 1 else 'files'} still to read" if left else "")
                + " — Re-index now (F5) finishes it.")
        else:
            self.status.set_idle("")
        if summary.indexed or summary.missing or summary.unchanged:
            self.ctx.changed({"documents"})
        self.refresh_problems()
        if self.shell is not None and hasattr(self.shell, "after_first_pass"):
            self.shell.after_first_pass(self, summary)

    def _on_scans_finished(self, run) -> None:  # noqa: ANN001 - an OcrRun
        """The OCR pass is over (or was cancelled): say so, show the new text and Problems."""
        if getattr(self, "_change_timer", None) is not None:
            self._change_timer.stop()
        if run.cancelled:
            self.status.set_idle(f"Reading scanned pages stopped: {run.pages_left:,} "
                                 f"{'page' if run.pages_left == 1 else 'pages'} still to read — "
                                 "Re-index now (F5) finishes them.")
        else:
            self.status.set_idle(f"Scanned pages read by OCR: {run.pages_read:,}.")
        self.ctx.changed({"documents"})
        self.refresh_problems()

    def read_again_with_ocr(self, doc_ids: list[int]) -> None:
        """The per-file action: every scanned page of these files is read again by OCR."""
        if doc_ids and not self.ctx.ws.readonly:
            self.indexing.read_again_with_ocr(doc_ids)
            self.status.set_busy("Reading scanned pages")

    def refresh_problems(self) -> None:
        """The Problems count and the status bar's plain-words overview of the files."""
        def counts(io):  # noqa: ANN001, ANN202
            return problem_counts(io.ws), status_overview(io.ws)

        def show(values) -> None:  # noqa: ANN001
            import shiboken6  # start-up: loaded when first used, not when the window opens

            if not shiboken6.isValid(self.status) or not shiboken6.isValid(self.search_view):
                return  # the window closed while the counts were read
            n, overview = values
            self.status.set_problems(n)
            self.status.set_overview(files_overview(overview))
            self.search_view.set_overview(overview)

        self.ctx.run(counts, show)
        if self._problems_dialog is not None and self._problems_dialog.isVisible():
            self._problems_dialog.reload()

    def reindex(self) -> None:
        self.indexing.reindex()
        self.status.set_busy("Indexing")

    def cancel_indexing(self) -> None:
        self.indexing.cancel()
        self.status.set_cancelling()

    def add_source_folder(self, path: str | Path, kind: str) -> str | None:
        """Add a folder and index it (the slot behind the dialog and drag and drop)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import add_source_folder

        error = add_source_folder(self.ctx, self.indexing, path, kind)
        if error:
            self.statusBar().showMessage(error, 10000)
        else:
            self.status.set_busy("Indexing")
        return error

    # -- dialogs -------------------------------------------------------------------------------
    def open_sources(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import SourcesDialog

        SourcesDialog(self.ctx, self.indexing, self).exec()

    def add_source_dialog(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of case files or policies")
        if folder:
            self._ask_kind_and_add([Path(folder)])

    def _ask_kind_and_add(self, folders: list[Path]) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import KindDialog

        dialog = KindDialog(folders, self)
        if dialog.exec():
            for folder in folders:
                self.add_source_folder(folder, dialog.chosen_kind())

    def open_problems(self):  # noqa: ANN201
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.problems_dialog import ProblemsDialog

        if self._problems_dialog is None:
            self._problems_dialog = ProblemsDialog(self.ctx, self)
            self._problems_dialog.retryRequested.connect(
                lambda ids: self.indexing.retry(ids or None))
            self._problems_dialog.ocrRequested.connect(self.read_again_with_ocr)
        else:
            self._problems_dialog.reload()
        self._problems_dialog.show()
        self._problems_dialog.raise_()
        return self._problems_dialog

    def open_settings(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def ask_identity(self):  # noqa: ANN201
        """First run in this workspace: ask the person's name and team (for Prepared by)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.identity_dialog import ask_identity_if_needed

        if self.isVisible():
            return ask_identity_if_needed(self)
        return None

    def show_search_help(self) -> None:
        popup = SearchHelp(self)
        pos = self.help_button.mapToGlobal(self.help_button.rect().bottomRight())
        popup.adjustSize()
        popup.move(pos.x() - popup.width(), pos.y() + 4)
        popup.show()

    def show_shortcuts(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.help_dialogs import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.help_dialogs import show_about

        show_about(self)

    # -- tagging (the picker is the evidence places' tag_dialog, when present) -----------------
    def tag_passage(self, document_id: int, quote: str, start: int, page) -> None:  # noqa: ANN001
        open_tag_picker(self, document_id, quote, start, page)

    def paragraph_tagging(self) -> None:
        """Alt+P: tag the previewed document a paragraph at a time (keyboard, screen readers)."""
        hit = self.search_view.preview.hit
        if hit is None:
            self.statusBar().showMessage("Open a document from the results first (Ctrl+F).", 6000)
            return
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.paragraph_tagger import open_paragraph_tagger

        open_paragraph_tagger(self.ctx, hit.document_id, self,
                              self.search_view.preview.current_doc_offset())

    def export_bundle(self) -> None:
        """Ctrl+E: export the bundle chosen in the Bundles place."""
        page = self.show_place("bundles")
        if hasattr(page, "export_dialog"):
            page.export_dialog()

    def export_sheet(self, which: str):  # noqa: ANN201
        """File ▸ Export spreadsheet ▸ tracker / coverage / evidence list."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sheet_export_dialog import open_sheet_export

        return open_sheet_export(self.ctx, which, self)

    def send_pack(self):  # noqa: ANN201
        """File ▸ Send evidence pack…"""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pack_send_dialog import PackSendDialog

        dialog = PackSendDialog(self.ctx, self)
        dialog.show()
        return dialog

    def import_packs(self, paths: list[str] | None = None):  # noqa: ANN201
        """File ▸ Import evidence packs… (also a double-clicked .evpack file)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pack_import_dialog import open_pack_import

        return open_pack_import(self.ctx, self, paths)

    def open_team(self):  # noqa: ANN201
        """File ▸ Team contributions…: per sender, and the kept merge reports."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.team_dialog import TeamDialog

        dialog = TeamDialog(self.ctx, self)
        dialog.show()
        return dialog

    def tag_document(self, document_id: int) -> None:
        open_tag_picker(self, document_id, None, None, None)

    def confirm_tagged(self, item) -> None:  # noqa: ANN001 (an EvidenceItem)
        """Say in the status area what was filed, with Undo (the tag is the last undo step)."""
        lines = ", ".join(item.links)
        what = "Passage" if item.quote else "Document"
        shows = {"strength": "a strength", "development": "an area for development",
                 "impact": "impact for the child"}.get(item.kind, item.kind)
        text = f"{what} tagged as evidence for {lines} ({item.strength}; shows {shows})."
        stack, index = self.ctx.undo, self.ctx.undo.index()

        def undo() -> str | None:
            if stack.index() != index:
                return "That tag was already changed; use Edit ▸ Undo."
            stack.undo()
            return f"Tag for {lines} undone."

        self.notice.show_notice(text, undo)

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: ANN001
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.isLocalFile() and Path(u.toLocalFile()).is_dir() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: ANN001
        folders = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                   if u.isLocalFile() and Path(u.toLocalFile()).is_dir()]
        if folders:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self._ask_kind_and_add(folders))

    # -- state ---------------------------------------------------------------------------------
    def _screen(self):  # noqa: ANN202
        handle = self.windowHandle()
        screen = handle.screen() if handle is not None else None
        return screen or self.screen() or QGuiApplication.primaryScreen()

    def _geometry_key(self) -> str:
        """Sizes are remembered per screen (a laptop alone, or docked to a big monitor)."""
        screen = self._screen()
        if screen is None:
            return "window/geometry"
        area = screen.availableGeometry()
        return f"window/geometry/{screen.name() or 'screen'}-{area.width()}x{area.height()}"

    def _fit_to_screen(self, first: bool = False) -> None:
        """Keep the whole window, status bar included, inside the screen's available area (a
        1366×768 laptop with a taskbar, or 150% scaling, leaves much less than 1280×800)."""
        screen = self._screen()
        if screen is None:
            if first:
                self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        self.setMinimumSize(min(760, area.width()), min(480, area.height()))
        frame_w = max(0, self.frameGeometry().width() - self.geometry().width())
        frame_h = max(0, self.frameGeometry().height() - self.geometry().height())
        if not frame_h and first:
            frame_h, frame_w = 32, 2  # a typical title bar before the window is shown
        max_w, max_h = area.width() - frame_w, area.height() - frame_h
        if first:
            self.resize(min(1280, max_w), min(800, max_h))
            self.move(area.left() + (area.width() - self.width() - frame_w) // 2,
                      area.top() + (area.height() - self.height() - frame_h) // 2)
            return
        if self.isMaximized() or self.isFullScreen():
            return
        w, h = min(self.width(), max_w), min(self.height(), max_h)
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
        frame = self.frameGeometry()
        x = min(max(frame.left(), area.left()), area.right() + 1 - frame.width())
        y = min(max(frame.top(), area.top()), area.bottom() + 1 - frame.height())
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not getattr(self, "_screen_hooked", False):
            self._screen_hooked = True
            handle.screenChanged.connect(lambda _s: QTimer.singleShot(0, self._fit_to_screen))
        QTimer.singleShot(0, self._fit_to_screen)

    def _restore_state(self) -> None:
        s = app_settings.settings()
        geometry = s.value(self._geometry_key())
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            self._fit_to_screen()
        splitter = s.value("window/search_splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.search_view.splitter.restoreState(splitter)

    def save_state(self) -> None:
        s = app_settings.settings()
        s.setValue(self._geometry_key(), self.saveGeometry())
        s.setValue("window/search_splitter", self.search_view.splitter.saveState())
        s.sync()

    def shutdown(self) -> None:
        """Stop background work and close the workspace connection (idempotent)."""
        if getattr(self, "_shut", False):
            return
        self._shut = True
        self.save_state()
        self.indexing.stop()
        self.search_view.shutdown()
        for page in self.pages.values():
            stop = getattr(page, "shutdown", None)
            if stop is not None and page is not self.search_view:
                stop()
        self.ctx.stop_writer()  # last: the indexer and the places may still have queued writes

    def closeEvent(self, event) -> None:  # noqa: ANN001
        self.shutdown()
        super().closeEvent(event)
        self.closed.emit()
