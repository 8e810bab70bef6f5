"""Live watching: file-system events become debounced batches of paths for the indexer.

Word and LibreOffice save through temporary files and renames, and a copy of a big folder fires
thousands of events; so events only mark paths dirty, and a batch is indexed once the folder has
been quiet for `DEBOUNCE_S` (or `MAX_DELAY_S` has passed). A saved file is searchable well within
a second.

Built to be left running for a week: paths are compared by whole components (a source at
/x/ws_src is not part of a workspace at /x/ws); links follow the scanner's policy (never
followed; see `scan.py`); and any single event or batch that fails is logged and skipped, never
the end of the watch.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Callable

from evidence_app.core.base.fsnames import display
from evidence_app.core.index.indexer import Indexer, IndexSummary
from evidence_app.core.index.scan import inside
from evidence_app.core.index.sources import list_sources

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

log = logging.getLogger(__name__)

DEBOUNCE_S = 0.15
MAX_DELAY_S = 1.0
RECHECK_S = 0.5


class DirtyPaths:
    """Thread-safe set of changed paths with the time of the first and latest change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: dict[str, None] = {}
        self._first = 0.0
        self._last = 0.0
        self.wake = threading.Event()

    def add(self, *paths: str) -> None:
        now = time.monotonic()
        with self._lock:
            if not self._paths:
                self._first = now
            for p in paths:
                if p:
                    self._paths[p] = None
            self._last = now
        self.wake.set()

    def take_if_ready(self) -> list[str]:
        now = time.monotonic()
        with self._lock:
            if not self._paths:
                return []
            if now - self._last < DEBOUNCE_S and now - self._first < MAX_DELAY_S:
                return []
            paths = list(self._paths)
            self._paths.clear()
            self.wake.clear()
            return paths

    def pending(self) -> bool:
        """True while changed paths wait for their quiet moment."""
        with self._lock:
            return bool(self._paths)

    def seconds_until_ready(self) -> float:
        with self._lock:
            if not self._paths:
                return 1.0
            now = time.monotonic()
            return max(0.01, min(DEBOUNCE_S - (now - self._last), MAX_DELAY_S - (now - self._first)))


class SourceWatcher:
    """Watches every source folder with watchdog and feeds a DirtyPaths."""

    def __init__(self, ws: Workspace, dirty: DirtyPaths) -> None:
        # start-up: watchdog is loaded only when this runs
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self.dirty = dirty
        skip = str(ws.root)

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:  # noqa: ANN001 - watchdog's type
                try:
                    if event.event_type in ("opened", "closed_no_write"):
                        return
                    paths = [os.fsdecode(p) for p in (event.src_path,
                                                      getattr(event, "dest_path", "")) if p]
                    paths = [p for p in paths if not inside(p, skip)]
                    if paths:
                        dirty.add(*paths)
                except Exception:  # noqa: BLE001 - one odd event never stops the watch
                    log.warning("a file-system event could not be handled; skipped")
                    log.debug("details", exc_info=True)

        self.observer = Observer()
        for source in list_sources(ws):
            if source.path.is_dir():
                self.observer.schedule(Handler(), str(source.path), recursive=True)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


def watch_forever(ws: Workspace, indexer: Indexer, report: Callable[[IndexSummary], None],
                  stop: threading.Event | None = None,
                  between: Callable[[], bool] | None = None) -> None:
    """Index changes as they happen until `stop` is set (or Ctrl+C). `between` runs when no
    change is waiting (a slice of OCR); it returns True while it has more to do."""
    stop = stop or threading.Event()
    dirty = DirtyPaths()
    watcher = SourceWatcher(ws, dirty)
    watcher.start()
    rechecks: set[str] = set()
    more = between is not None
    try:
        while not stop.is_set():
            dirty.wake.wait(0 if more else dirty.seconds_until_ready())
            paths = dirty.take_if_ready()
            if not paths and more and not dirty.pending():
                try:
                    more = bool(between and between())
                except Exception:  # noqa: BLE001 - OCR never stops the watch
                    log.warning("reading scanned pages failed", exc_info=True)
                    more = False
                continue
            if paths:
                more = between is not None
                for summary in _index_batch(indexer, paths):
                    if summary.indexed or summary.missing:
                        report(summary)
                try:
                    _recheck_new_folders(paths, rechecks, dirty)
                except Exception:  # noqa: BLE001
                    log.debug("recheck failed", exc_info=True)
    finally:
        watcher.stop()


def _index_batch(indexer: Indexer, paths: list[str]) -> list[IndexSummary]:
    """Index a batch of changed paths. If the batch fails, each path is tried alone, so one
    path that cannot be indexed costs only itself; its failure is logged, and the watch goes on.
    (A failure that stops the machine, such as a full disk, also just waits for the next event.)
    """
    try:
        return [indexer.run(paths)]
    except Exception as exc:  # noqa: BLE001
        log.warning("indexing %d changed paths failed (%s); trying them one by one",
                    len(paths), exc)
        log.debug("details", exc_info=True)
    done = []
    for path in paths:
        try:
            done.append(indexer.run([path]))
        except Exception as exc:  # noqa: BLE001
            log.warning("skipped a change to %s: %s", display(path), exc)
            log.debug("details", exc_info=True)
    return done


def _recheck_new_folders(paths: list[str], rechecks: set[str], dirty: DirtyPaths) -> None:
    """A folder created with files in it at once can beat the OS watch on the new folder, so its
    files send no events: look at each new folder once more a moment later."""
    due = []
    for p in paths:
        if p in rechecks:
            rechecks.discard(p)  # this was the second look
        elif os.path.isdir(p):
            rechecks.add(p)
            due.append(p)
    if due:
        timer = threading.Timer(RECHECK_S, dirty.add, due)
        timer.daemon = True
        timer.start()
