"""The window's size and place: fitted inside the screen's available area (a 1366×768 laptop,
150% scaling, a monitor unplugged), remembered per screen, with the search splitter.

A mixin of `MainWindow` (ui/main_window.py), which calls `_fit_to_screen` when shown or moved
to another screen; kept apart because it is the one part of the window about the desktop rather
than the work."""
from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication

from evidence_app.ui import app_settings


class WindowGeometry:
    """Fitting, remembering and restoring the window's geometry."""

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

