"""What every view shares: the open workspace, the change hub, and how to run background work.

Views never hold SQL or business rules: they call the core through `ctx.run(...)` (background) or,
for tiny reads that cannot block noticeably (a few rows by primary key), through `ctx.ws` on the
UI thread. After a core write, a view calls `ctx.changed({"evidence", ...})` and every place that
cares refreshes itself (Anki's "changes" pattern).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from evidence_app.core.base.progress import Progress
from evidence_app.core.workspace import Workspace
from evidence_app.ui.workers import TaskHandle, TaskIO, run_task

# Names used in change sets (a view refreshes when its names are in the set).
AREAS = ("documents", "sources", "evidence", "cases", "framework", "requests", "bundles",
         "settings")


class ChangeHub(QObject):
    changed = Signal(set)


class UiContext:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws  # the UI thread's own connection
        self.hub = ChangeHub()
        self.undo = QUndoStack()
        self._tasks: list[TaskHandle] = []

    @property
    def root(self) -> Path:
        return self.ws.root

    def changed(self, areas: set[str] | str) -> None:
        self.hub.changed.emit({areas} if isinstance(areas, str) else set(areas))

    def run(self, fn: Callable[[TaskIO], Any], on_finished: Callable[[Any], None] | None = None,
            on_failed: Callable[[str], None] | None = None,
            on_progress: Callable[[Progress], None] | None = None) -> TaskHandle:
        handle = run_task(self.root, fn, on_finished, on_failed, on_progress)
        self._tasks.append(handle)
        handle.done.connect(lambda: self._tasks.remove(handle) if handle in self._tasks else None)
        return handle
