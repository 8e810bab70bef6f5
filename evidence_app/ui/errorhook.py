"""The last line of defence: unexpected errors are logged in full and shown calmly.

A person never sees a traceback. Errors go to `WORKSPACE/logs/errors.log` (or the app folder's
`logs/` before a workspace is open); the dialog says what happened in plain words and where the
details are. Errors the user can act on (`EvidenceError`) are shown as their message only.
"""
from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Callable

from evidence_app.core.base.errors import EvidenceError
from evidence_app.paths import app_home

log = logging.getLogger("evidence_app")
LOG_NAME = "errors.log"


class ErrorReporter:
    """Owns the log file handler and the exception hook; `set_log_dir` follows the workspace."""

    def __init__(self, show_dialogs: bool = True) -> None:
        self.show_dialogs = show_dialogs
        self.handler: logging.Handler | None = None
        self.log_dir = app_home() / "logs"
        self._dialog = None
        self._previous_hook: Callable | None = None
        self.set_log_dir(self.log_dir)

    @property
    def log_path(self) -> Path:
        return self.log_dir / LOG_NAME

    def set_log_dir(self, folder: Path) -> None:
        folder = Path(folder)
        root = logging.getLogger()
        if self.handler is not None:
            root.removeHandler(self.handler)
            self.handler.close()
            self.handler = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=1_000_000, backupCount=3,
                                          encoding="utf-8", delay=True)
        except OSError:
            return
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        if root.level > logging.WARNING or root.level == logging.NOTSET:
            root.setLevel(logging.WARNING)
        self.handler = handler
        self.log_dir = folder

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.hook

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            self._previous_hook = None
        if self.handler is not None:
            logging.getLogger().removeHandler(self.handler)
            self.handler.close()
            self.handler = None

    def hook(self, exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            if self._previous_hook:
                self._previous_hook(exc_type, exc, tb)
            return
        if isinstance(exc, EvidenceError):
            log.warning("%s", exc)
            self._show(str(exc), details=False)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("Unexpected error:\n%s", text)
        if self.handler is not None:
            self.handler.flush()
        self._show("Something went wrong, but your work is safe: every change is saved as you "
                   "make it.\n\nIf it happens again, please send the error log to your IT "
                   "support.", details=True)

    def _show(self, message: str, details: bool) -> None:
        if not self.show_dialogs:
            return
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        try:
            if self._dialog is not None and self._dialog.isVisible():
                return  # one calm dialog at a time, never a cascade
        except RuntimeError:  # the last dialog was closed and deleted
            pass
        box = QMessageBox(QMessageBox.Icon.Warning, "Evidence Organiser", message,
                          QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        box.setAccessibleName("Error message")
        if details:
            box.setInformativeText(f"The error log is at:\n{self.log_path}")
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = box
        box.show()
