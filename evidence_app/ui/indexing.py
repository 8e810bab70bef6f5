"""Indexing in one long-lived background thread: a first full pass, then live watching.

The thread owns its own workspace connection (for reading), one `Indexer` (whose worker
processes are reused) and a `SourceWatcher`; the indexer's writes go to the window's one serial
writer (`writer`, shared with the person's writes; see core/store/writer.py) when it has one. The window posts commands (re-index, retry, sources changed, cancel, stop);
progress and results come back as signals, so the window stays usable while files are read.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.base.progress import CancelToken, Progress

log = logging.getLogger(__name__)

POLL_S = 0.1  # how often the thread looks at its command queue while watching


class IndexingService(QObject):
    started = Signal(str)  # what is starting, e.g. "Indexing"
    progress = Signal(object)  # Progress
    finished = Signal(object)  # IndexSummary of a pass (full, retry or watcher batch)
    failed = Signal(str)  # a message a person can read
    busyChanged = Signal(bool)
    scansFinished = Signal(object)  # OcrRun: the pages waiting for OCR are all read (or stopped)

    def __init__(self, workspace_root: Path, jobs: int = 2, watch: bool = True,
                 parent: QObject | None = None, writer=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.root = Path(workspace_root)
        self._writer = writer  # a function giving the window's Writer (started on first use)
        self.jobs = jobs
        self.watch = watch
        self.busy = False
        self._commands: deque[tuple[str, object]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._shutdown = threading.Event()
        self._token: CancelToken | None = None
        self._thread: threading.Thread | None = None
        # Scanned pages are read in slices between passes (core/index/ocr): new and changed files
        # never wait long behind a big scan. One running count over the slices for the progress.
        self._scans_more = True
        self._scans_done = 0
        self._scans_total = 0

    # -- commands (UI thread) ------------------------------------------------------------------
    def start(self, first_pass: bool = True) -> None:
        if self._thread is not None:
            return
        if first_pass:
            self._post("index", None)
        self._thread = threading.Thread(target=self._loop, name="evidence-indexing", daemon=True)
        self._thread.start()

    def reindex(self) -> None:
        """Bring the index up to date with every source folder (F5)."""
        self._post("index", None)

    def sources_changed(self) -> None:
        """A folder was added or removed: watch the new set and index it."""
        self._post("sources", None)

    def retry(self, doc_ids: list[int] | None = None) -> None:
        """Try again the files that could not be read (all, or these)."""
        self._post("retry", doc_ids)

    def read_again_with_ocr(self, doc_ids: list[int]) -> None:
        """Read every scanned page of these documents again (even with OCR off in Settings)."""
        self._post("ocr", list(doc_ids))

    def cancel(self) -> None:
        with self._lock:
            self._commands = deque(c for c in self._commands if c[0] == "sources")
            token = self._token
            self._scans_more = False  # until the next pass or "Read again with OCR"
        if token is not None:
            token.cancel()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop cleanly: cancel the current pass, stop watching, close the worker processes."""
        self._shutdown.set()
        self.cancel()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("The indexing thread did not stop within %s s", timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _post(self, kind: str, arg: object) -> None:
        with self._lock:
            if kind == "index" and ("index", None) in self._commands:
                return
            self._commands.append((kind, arg))
        self._wake.set()

    # -- the thread ----------------------------------------------------------------------------
    def _emit(self, signal, *args) -> None:  # noqa: ANN001
        if self._shutdown.is_set() and signal is not self.busyChanged:
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # the window is gone
            pass

    def _loop(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.index.indexer import Indexer
        from evidence_app.core.index.watcher import DirtyPaths
        from evidence_app.core.workspace import Workspace

        ws = indexer = watcher = None
        dirty = DirtyPaths()
        try:
            ws = Workspace.open(self.root)
            writer = self._writer() if self._writer is not None else None
            indexer = Indexer(ws, self.jobs, writer=writer)
            watcher = self._new_watcher(ws, dirty)
            while not self._shutdown.is_set():
                with self._lock:
                    command = self._commands.popleft() if self._commands else None
                if command is not None:
                    kind, arg = command
                    if kind == "sources":
                        watcher = self._restart_watcher(watcher, ws, dirty)
                        kind = "index"
                    if kind == "ocr":
                        self._ask_again(indexer, arg)
                    else:
                        self._pass(ws, indexer, kind, arg)
                    with self._lock:
                        self._scans_more = True
                    continue
                paths = dirty.take_if_ready()
                if paths:
                    self._pass(ws, indexer, "paths", paths)
                    with self._lock:
                        self._scans_more = True
                    continue
                if self._scans_more and not dirty.pending():
                    more = self._scan_slice(ws, indexer)
                    with self._lock:
                        self._scans_more = self._scans_more and more
                    continue
                self._wake.wait(min(POLL_S, dirty.seconds_until_ready()))
                self._wake.clear()
        except Exception as exc:  # noqa: BLE001 - the window must survive anything here
            log.exception("The indexing thread stopped")
            self._emit(self.failed, f"Indexing stopped because of an unexpected error ({exc}). "
                       "Details are in the error log; re-index (F5) to try again.")
        finally:
            if watcher is not None:
                watcher.stop()
            if indexer is not None:
                indexer.close()
            if ws is not None:
                ws.close()

    def _new_watcher(self, ws, dirty):  # noqa: ANN001, ANN202
        if not self.watch:
            return None
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.index.watcher import SourceWatcher

        try:
            watcher = SourceWatcher(ws, dirty)
            watcher.start()
            return watcher
        except Exception:  # noqa: BLE001 - e.g. too many watches: indexing still works by F5
            log.exception("Watching the source folders failed")
            return None

    def _restart_watcher(self, watcher, ws, dirty):  # noqa: ANN001, ANN202
        if watcher is not None:
            watcher.stop()
        return self._new_watcher(ws, dirty)

    def _pass(self, ws, indexer, kind: str, arg: object) -> None:  # noqa: ANN001
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.index.indexer import retry

        token = CancelToken()
        with self._lock:
            self._token = token
        self.busy = True
        self._emit(self.busyChanged, True)
        self._emit(self.started, "Checking for changes" if kind == "paths" else "Indexing")
        try:
            if kind == "retry":
                if indexer.writer is not None:
                    indexer.writer.call(lambda w: retry(w, arg), bulk=True)  # type: ignore[arg-type]
                else:
                    retry(ws, arg)  # type: ignore[arg-type]
            summary = indexer.run(arg if kind == "paths" else None,
                                  lambda p: self._emit(self.progress, p), token)
            self._emit(self.finished, summary)
        except EvidenceError as exc:
            self._emit(self.failed, str(exc))
        except Exception as exc:  # noqa: BLE001
            log.exception("An index pass failed")
            self._emit(self.failed, f"Indexing stopped because of an unexpected error ({exc}). "
                       "Details are in the error log.")
        finally:
            with self._lock:
                self._token = None
            self.busy = False
            self._emit(self.busyChanged, False)


    # -- the second pass: scanned pages (OCR) ---------------------------------------------------
    SLICE_S = 20.0  # seconds of OCR before the thread looks for new work again

    def _ask_again(self, indexer, doc_ids) -> None:  # noqa: ANN001
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core.index.ocr import requests

        try:
            found = indexer._in_turn(lambda w: requests.request_again(w, doc_ids))
        except EvidenceError as exc:
            self._emit(self.failed, str(exc))
            return
        if not found:
            self._emit(self.failed, "Nothing to read with OCR: every page of that file has a "
                       "text layer, or it is not a PDF or a picture.")

    def _scan_slice(self, ws, indexer) -> bool:  # noqa: ANN001
        """Read scanned pages for up to SLICE_S seconds; True while pages still wait."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.core import settings
        from evidence_app.core.index.ocr import engine, requests
        from evidence_app.core.store import ocr_pages as store

        on = settings.ocr_enabled(ws)
        waiting = store.count_pending(ws.db.conn, requested_only=not on)
        if not waiting or engine.available() is not None:
            self._scans_done = self._scans_total = 0
            return False
        if not self._scans_total:
            self._scans_total = waiting
        token = CancelToken()
        with self._lock:
            self._token = token
        self.busy = True
        self._emit(self.busyChanged, True)
        self._emit(self.started, "Reading scanned pages")
        run = None
        try:
            run = indexer.read_scans(lambda p: self._emit(self.progress, p), token,
                                     requested_only=not on, budget_s=self.SLICE_S,
                                     done_before=self._scans_done,
                                     total_hint=self._scans_done + waiting)
            self._scans_done += run.pages_read + run.pages_failed
        except EvidenceError as exc:
            self._emit(self.failed, str(exc))
        except Exception as exc:  # noqa: BLE001
            log.exception("Reading scanned pages failed")
            self._emit(self.failed, f"Reading scanned pages stopped because of an unexpected "
                       f"error ({exc}). Details are in the error log.")
        finally:
            with self._lock:
                self._token = None
            self.busy = False
            self._emit(self.busyChanged, False)
        if run is None:
            return False
        left = requests.waiting(ws) if on else store.count_pending(ws.db.conn,
                                                                  requested_only=True)
        if not left or token.cancelled:  # all read, or Cancel (the time budget is not a cancel)
            run.pages_total = self._scans_total
            run.pages_read, run.pages_left = self._scans_done, left
            run.cancelled = token.cancelled
            self._scans_done = self._scans_total = 0
            self._emit(self.scansFinished, run)
            return False
        return True


def describe(p: Progress) -> str:
    """'Indexing 3,210 of 5,000 · Strategy meeting.docx · 42 files/s', or for the OCR pass
    'reading scanned pages: 12 of 340 · court bundle.pdf'."""
    if p.stage == "ocr":
        parts = [f"reading scanned pages: {p.done:,} of {p.total:,}"]
        if p.label:
            parts.append(p.label)
        return " · ".join(parts)
    parts = [f"Indexing {p.done:,} of {p.total:,}"]
    if p.label:
        parts.append(p.label)
    if p.rate:
        parts.append(f"{p.rate:,.0f} files/s" if p.rate >= 10 else f"{p.rate:,.1f} files/s")
    return " · ".join(parts)
