"""What every view shares: the open workspace, the change hub, and how to run background work.

Views never hold SQL or business rules: they call the core through `ctx.run(...)` (background) or,
for tiny reads that cannot block noticeably (a few rows by primary key), through `ctx.ws` on the
UI thread. After a core write, a view calls `ctx.changed({"evidence", ...})` and every place that
cares refreshes itself (Anki's "changes" pattern).

Writes go through `ctx.write(fn)`: the window's one serial writer (core/store/writer.py) runs
`fn(ws)` on its own thread and connection, shared with the indexer, so the UI thread never waits
on SQLite's lock; meanwhile the UI thread keeps painting and running timers in a local event
loop that takes no input (the person cannot click twice), and gets the value (or the error) back
as if it had made the call itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import threading

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal
from PySide6.QtGui import QUndoStack

from evidence_app.core.base.changes import AREAS
from evidence_app.core.base.progress import Progress
from evidence_app.core.workspace import Workspace
from evidence_app.ui.workers import TaskHandle, TaskIO, run_task



class ChangeHub(QObject):
    changed = Signal(set)


class _Relay(QObject):
    """Tells the UI thread (queued) that a write it waits for has finished on the writer."""

    done = Signal()


class UiContext:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws  # the UI thread's own connection
        self.hub = ChangeHub()
        self.undo = QUndoStack()
        self._tasks: list[TaskHandle] = []
        self._writer = None
        self._writer_lock = threading.Lock()
        self._seed_framework()

    @property
    def writer(self):  # noqa: ANN201 - core.store.writer.Writer, imported on first use
        """The window's one serial writer, started on first use (not before the first paint)."""
        with self._writer_lock:
            if self._writer is None:
                # start-up: loaded when first used, not when the window opens
                from evidence_app.core.store.writer import Writer

                self._writer = Writer(self.ws)
            return self._writer

    def _seed_framework(self) -> None:
        """A new workspace's default framework is written on the writer before any place reads
        it, so no read on the window's thread ever writes (core framework reads seed it on first
        use otherwise). An existing workspace costs one small read here."""
        # start-up: the framework's reads are needed by the first place shown anyway
        from evidence_app.core.evidence import framework

        if not self.ws.readonly and not self.ws.get_meta(framework.VERSION_KEY):
            self.write(framework.ensure)

    def write(self, fn: Callable[[Workspace], Any]) -> Any:
        """Run the write `fn(ws)` on the writer and return its value (raising what it raised).
        From an event handler the UI thread waits in a local event loop that excludes input:
        painting, timers and progress go on, clicks and keys wait until the write is done."""
        fut = self.writer.submit(fn)
        if not fut.done() and QThread.currentThread().loopLevel() > 0:
            # only inside a running event loop (a click, a key): outside one (start-up, a
            # script) there is nothing to keep painting, and a local loop would run deletions
            # queued for the outer level
            loop = QEventLoop()
            relay = _Relay()
            relay.done.connect(loop.quit)
            fut.add_done_callback(lambda _f: relay.done.emit())
            if not fut.done():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return fut.result()

    def write_call(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """`fn(*args, **kwargs)` as a write on the writer (for core calls given `ctx.ws`: on the
        writer's thread that workspace's connection is the write connection)."""
        return self.write(lambda _ws: fn(*args, **kwargs))

    def stop_writer(self) -> None:
        """Finish the queued writes and close the write connection (the window is closing)."""
        with self._writer_lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.stop()

    @property
    def root(self) -> Path:
        return self.ws.root

    def changed(self, areas: set[str] | str) -> None:
        """Tell every place that shows one of `areas` to refresh. The names are the core's
        (core/base/changes.AREAS): a misspelt one would refresh nothing, silently, so it fails."""
        areas = {areas} if isinstance(areas, str) else set(areas)
        unknown = areas.difference(AREAS)
        if unknown:
            raise ValueError(f"not a change area: {', '.join(sorted(unknown))}")
        self.hub.changed.emit(areas)

    def run(self, fn: Callable[[TaskIO], Any], on_finished: Callable[[Any], None] | None = None,
            on_failed: Callable[[str], None] | None = None,
            on_progress: Callable[[Progress], None] | None = None) -> TaskHandle:
        handle = run_task(self.root, fn, on_finished, on_failed, on_progress,
                          writer=lambda: self.writer)
        self._tasks.append(handle)
        handle.done.connect(lambda: self._tasks.remove(handle) if handle in self._tasks else None)
        return handle
