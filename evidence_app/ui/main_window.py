"""The main window: a navigation rail of the places, the top bar, menus and the status bar.

Thin on purpose: places are widgets registered in `places.py`, indexing lives in `indexing.py`
(shown by `window_indexing.py`), the dialogs the window opens in `window_dialogs.py` and `views/`,
its size and place on the screen in `window_geometry.py`. Workspace switching is the launcher's
(`Shell`) job.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
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

from evidence_app.ui import menus
from evidence_app.ui.context import UiContext
from evidence_app.ui.indexing import IndexingService
from evidence_app.ui.places import PLACES, Place, PlaceUnavailable, load_factory
from evidence_app.ui.style import ACCENT, ICON_SIZE, app_icon, icon, muted
from evidence_app.ui.views.action_notice import ActionNotice
from evidence_app.ui.views.index_status import IndexStatus
from evidence_app.ui.views.placeholder import ComingSoon
from evidence_app.ui.views.search_view import SearchView
from evidence_app.ui.views.workspace_banner import WorkspaceBanner
from evidence_app.ui.window_dialogs import WindowDialogs
from evidence_app.ui.window_geometry import WindowGeometry
from evidence_app.ui.window_indexing import WindowIndexing


class MainWindow(QMainWindow, WindowIndexing, WindowDialogs, WindowGeometry):
    """The window itself: its layout, its places, folders dropped on it and closing; what it
    does while indexing, the dialogs it opens and its geometry are in the three mixins."""

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
        self.help_button = _icon_button("help", "How to search", self.show_search_help)
        lay.addWidget(self.help_button)
        self.settings_button = _icon_button("settings", "Settings", self.open_settings)
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

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not getattr(self, "_screen_hooked", False):
            self._screen_hooked = True
            handle.screenChanged.connect(lambda _s: QTimer.singleShot(0, self._fit_to_screen))
        QTimer.singleShot(0, self._fit_to_screen)

    # -- closing -------------------------------------------------------------------------------
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


def _icon_button(icon_name: str, name: str, slot) -> QToolButton:  # noqa: ANN001
    """A top-bar button shown as an icon alone: its name is its tooltip and what a screen
    reader says."""
    b = QToolButton()
    b.setIcon(icon(icon_name))
    b.setToolTip(name)
    b.setAccessibleName(name)
    b.clicked.connect(slot)
    return b
