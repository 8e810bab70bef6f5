"""Running core calls off the UI thread, with progress, cancel and results as signals.

Every long or disk-bound core call goes through `run_task`: the widget reads its own state first,
then hands a plain function to a QRunnable on the global QThreadPool. The function receives a
`TaskIO` with `progress(Progress)` and a `CancelToken`; it opens its own workspace connection
(`TaskIO.ws`), because a SQLite connection belongs to the thread that opened it.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.base.progress import CancelToken, Progress

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    progress = Signal(object)  # Progress
    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a message a person can read
    done = Signal()  # always last, after finished or failed


@dataclass
class TaskIO:
    """What a background function gets: where the workspace is, how to report, when to stop."""

    workspace_root: Path
    cancel: CancelToken
    _signals: TaskSignals
    _ws: Any = None
    _writer: Callable[[], Any] | None = None  # gives the window's one writer, when there is one

    def progress(self, p: Progress) -> None:
        self._signals.progress.emit(p)

    @property
    def ws(self):
        if self._ws is None:
            # start-up: loaded when first used, not when the window opens
            from evidence_app.core.workspace import Workspace

            self._ws = Workspace.open(self.workspace_root)
        return self._ws

    def write(self, fn: Callable[[Any], Any]) -> Any:
        """Run the write `fn(ws)` on the window's one serial writer and wait for its value (this
        is a pool thread: waiting blocks nobody). Reads stay on `io.ws`. Without a window (no
        writer), on this thread's own workspace."""
        if self._writer is None:
            return fn(self.ws)
        return self._writer().submit(fn).result()

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


class Task(QRunnable):
    def __init__(self, fn: Callable[[TaskIO], Any], io: TaskIO) -> None:
        super().__init__()
        self.fn = fn
        self.io = io
        self.signals = io._signals
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread
        try:
            result = self.fn(self.io)
        except EvidenceError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - shown as a message, logged with traceback
            log.error("Background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(f"Something went wrong: {exc}. Details are in the log.")
        else:
            self.signals.finished.emit(result)
        finally:
            self.io.close()
            self.signals.done.emit()


class TaskHandle:
    """What `run_task` returns: connect to its signals; call cancel() to stop it."""

    def __init__(self, task: Task) -> None:
        self._task_signals = task.signals
        self.cancel_token = task.io.cancel
        self.progress = task.signals.progress
        self.finished = task.signals.finished
        self.failed = task.signals.failed
        self.done = task.signals.done

    def cancel(self) -> None:
        self.cancel_token.cancel()


def run_task(workspace_root: Path, fn: Callable[[TaskIO], Any],
             on_finished: Callable[[Any], None] | None = None,
             on_failed: Callable[[str], None] | None = None,
             on_progress: Callable[[Progress], None] | None = None,
             pool: QThreadPool | None = None,
             writer: Callable[[], Any] | None = None) -> TaskHandle:
    """Start `fn(io)` on a pool thread; callbacks run on the UI thread (queued signals).
    `writer` gives the window's one writer, for `io.write`."""
    signals = TaskSignals()
    io = TaskIO(Path(workspace_root), CancelToken(), signals, _writer=writer)
    task = Task(fn, io)
    handle = TaskHandle(task)
    handle._keepalive = signals  # type: ignore[attr-defined]
    if on_finished:
        signals.finished.connect(on_finished)
    if on_failed:
        signals.failed.connect(on_failed)
    if on_progress:
        signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(task)
    return handle


class SerialRunner(QObject):
    """One long-lived background thread with its own connection that runs the newest request.

    For work that is asked for again and again as a person types or clicks (search, preview):
    a request waiting to start is replaced by a newer one, and results carry the request number so
    the caller can drop stale ones (`number == runner.latest`). `fn(ws)` gets the thread's own
    `Workspace`, opened once, so a request costs no connection set-up.
    """

    finished = Signal(int, object)  # request number, the function's return value
    failed = Signal(int, str)  # request number, a message a person can read

    def __init__(self, workspace_root: Path, name: str = "serial", parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        import threading  # start-up: loaded when first used, not when the window opens

        self.workspace_root = Path(workspace_root)
        self._cond = threading.Condition()
        self._pending: tuple[int, Callable[[Any], Any]] | None = None
        self._stopping = False
        self.latest = 0
        self._thread = threading.Thread(target=self._loop, name=f"evidence-{name}", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[Any], Any]) -> int:
        with self._cond:
            self.latest += 1
            self._pending = (self.latest, fn)
            self._cond.notify()
            return self.latest

    def forget(self) -> None:
        """Make every request so far stale (results will still arrive, and be dropped)."""
        with self._cond:
            self.latest += 1
            self._pending = None

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._pending = None
            self._cond.notify()
        self._thread.join(timeout)

    def _loop(self) -> None:
        ws = None
        try:
            while True:
                with self._cond:
                    while self._pending is None and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    number, fn = self._pending  # type: ignore[misc]
                    self._pending = None
                try:
                    if ws is None:
                        # start-up: loaded when first used, not when the window opens
                        from evidence_app.core.workspace import Workspace

                        ws = Workspace.open(self.workspace_root)
                    result = fn(ws)
                except EvidenceError as exc:
                    self._emit(self.failed, number, str(exc))
                except Exception as exc:  # noqa: BLE001 - logged, shown as a message
                    log.error("Background request failed:\n%s", traceback.format_exc())
                    self._emit(self.failed, number,
                               f"Something went wrong: {exc}. Details are in the log.")
                else:
                    self._emit(self.finished, number, result)
        finally:
            if ws is not None:
                ws.close()

    def _emit(self, signal, *args) -> None:  # noqa: ANN001
        if self._stopping:
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # the owner was deleted while we worked
            pass
