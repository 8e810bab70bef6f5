"""Extraction of untrusted files in worker processes, with a time and a memory limit per file.

A parser that loops, explodes or crashes only costs its worker: the pool kills it (time limit),
lets the OS stop it (memory limit: RLIMIT_AS on POSIX, an RSS watch elsewhere), records a status
and a reason for the file, starts a fresh worker and goes on. The parent never parses a file.
This module is the parent's side (the pool and its handle on each worker); what runs inside a
worker, and how workers are started, is `extract_worker.py`.
"""
from __future__ import annotations

import multiprocessing as mp
import sys
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from evidence_app.core.index.extractors.base import (
    DAMAGED, TIMEOUT, TOO_LARGE, Extracted, Limits,
)
from evidence_app.core.base.progress import CancelToken
from evidence_app.core.index.extract_worker import (
    Outcome, Task, _context, _parent_pid, _worker_main,
)

# A worker is replaced after this many files, or sooner if it has grown past RECYCLE_RSS_MB
# (bounds slow leaks in parsers). Each fresh worker costs ~0.3 s of imports, so not too often.
RECYCLE_AFTER = 3000
RECYCLE_RSS_MB = 400
RSS_CHECK_EVERY = 100


class _Worker:
    """One extraction process with up to PREFETCH tasks in flight (so it never waits for the
    parent to finish writing to the database). The time limit applies to the task at the head."""

    def __init__(self, ctx: mp.context.BaseContext, limits: Limits) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, limits, _parent_pid(ctx)),
                                daemon=True, name="evidence-extract")
        self.proc.start()
        child.close()
        self.tasks: deque[Task] = deque()
        self.started = 0.0  # when the head task began
        self.done = 0
        self.checked = 0  # `done` when the RSS was last checked
        self.retiring = False  # to be replaced as soon as its tasks are back

    def give(self, task: Task) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append(task)
        self.conn.send(task)

    def finished_head(self) -> Task:
        task = self.tasks.popleft()
        self.started = time.monotonic()
        self.done += 1
        return task

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(2)
        except Exception:  # noqa: BLE001
            pass
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.join(1)
        except Exception:  # noqa: BLE001
            pass
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


PREFETCH = 3


class ExtractPool:
    """A small pool of extraction workers. Use as a context manager; `run` yields outcomes."""

    def __init__(self, jobs: int = 2, limits: Limits | None = None) -> None:
        self.jobs = max(1, int(jobs))
        self.limits = limits or Limits()
        self._ctx = _context()
        self._workers: list[_Worker] = []

    def __enter__(self) -> "ExtractPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, n: int | None = None) -> None:
        """Start workers ahead of the work (they warm up while the caller plans)."""
        while len(self._workers) < min(self.jobs, n if n is not None else self.jobs):
            self._workers.append(_Worker(self._ctx, self.limits))

    def close(self) -> None:
        for w in self._workers:
            if w.done == 0 and not w.tasks:
                w.kill()  # never used: no need to wait for its warm-up to finish
            else:
                w.stop()
        self._workers = []

    def _replace(self, slot: int, queue: deque[Task]) -> Task:
        """Kill a worker; its head task is returned, the rest go back to the front of the queue."""
        w = self._workers[slot]
        w.kill()
        head = w.tasks.popleft()
        queue.extendleft(reversed(w.tasks))
        self._workers[slot] = _Worker(self._ctx, self.limits)
        return head

    def run(self, tasks: Iterable[Task], cancel: CancelToken | None = None,
            count: int | None = None, prefetch: int | None = None,
            read_ahead: int = 0) -> Iterator[Outcome]:
        """Yield one Outcome per task, in completion order. Cancelling drops the tasks not started.
        `prefetch` tasks wait in each worker (OCR pages take seconds each: 1, so Cancel is quick).

        `tasks` is read as workers take them (an iterator need not fit in memory); `count`, if
        known, saves starting more workers than there are tasks. No worker starts before the
        first task exists (a rescan whose walk finds nothing changed starts none: ~0.6 s of
        CPU); a slow `tasks` (a walk that finds changed files as it goes) is read while the
        workers work, so `prefetch` should then be deep enough to keep them supplied.

        `read_ahead` (for such a slow `tasks`): while every worker has its `prefetch` and no
        result is back, take up to this many more tasks into the pool's own queue instead of
        waiting. The caller's thread then never sits idle while the workers work: a walk goes
        on finding files (at 100,000 files and 1% changed, waiting cost a rescan about a
        second of walking it could have done meanwhile)."""
        if count is None and hasattr(tasks, "__len__"):
            count = len(tasks)  # type: ignore[arg-type]
        prefetch = prefetch or PREFETCH
        source = iter(tasks)
        queue: deque[Task] = deque()  # tasks taken back from a replaced worker come first

        def take() -> Task | None:
            if queue:
                return queue.popleft()
            return next(source, None)

        first = take()
        if first is None:
            return
        queue.append(first)
        more = read_ahead > 0  # `source` may still have tasks to read ahead
        self.start(max(1, count) if count is not None else None)
        while True:
            if cancel is not None and cancel.cancelled:
                queue.clear()
                source = iter(())
                more = False
            for slot, w in enumerate(self._workers):
                if not w.retiring and (w.done >= RECYCLE_AFTER or self._grown(w)):
                    # A worker due for replacement gets no more tasks and is replaced once its
                    # last ones are back. (Replacement used to wait for an idle worker, but with
                    # tasks always in flight none ever was: workers grew by ~6 KB a file,
                    # to 100 MB each by 15,000 files.)
                    w.retiring = True
                if w.retiring or not w.proc.is_alive():
                    if w.tasks:
                        continue  # its tasks come back (or fail) first
                    task = take()
                    if task is None:
                        continue  # no more work: no fresh worker (it is stopped at close)
                    w.stop()
                    w = self._workers[slot] = _Worker(self._ctx, self.limits)
                    w.give(task)
                while len(w.tasks) < prefetch:
                    task = take()
                    if task is None:
                        break
                    w.give(task)
            busy = [(slot, w) for slot, w in enumerate(self._workers) if w.tasks]
            if not busy:
                return
            ahead = more and len(queue) < read_ahead
            ready = wait([w.conn for _, w in busy], timeout=0 if ahead else 0.05)
            if ahead and not ready:  # nothing back yet: take the next task meanwhile
                task = next(source, None)
                if task is None:
                    more = False
                else:
                    queue.append(task)
            for slot, w in busy:
                if w.conn in ready:
                    yield self._collect(slot, w, queue)
                elif time.monotonic() - w.started > self.limits.time_limit_s:
                    yield self._failed(slot, queue, TIMEOUT, self._timeout_reason())
                elif self._over_memory(w):
                    yield self._failed(slot, queue, TOO_LARGE, "Reading the file needed more "
                                       f"than {self.limits.memory_limit_mb} MB of memory, so it "
                                       "was skipped.")

    def _collect(self, slot: int, w: _Worker, queue: deque[Task]) -> Outcome:
        try:
            outcome = w.conn.recv()
        except (EOFError, OSError):
            return self._failed(slot, queue, DAMAGED, "The file made the reader stop "
                                "unexpectedly; it may be damaged or deliberately malformed.")
        w.finished_head()
        return outcome

    def _failed(self, slot: int, queue: deque[Task], status: str, reason: str) -> Outcome:
        task = self._replace(slot, queue)
        return Outcome(task.path, None, False, Extracted(status=status, reason=reason),
                       ocr_page=task.ocr_page)

    def _timeout_reason(self) -> str:
        secs = self.limits.time_limit_s
        shown = f"{secs:g}"
        return (f"Reading the file took longer than {shown} seconds, so it was skipped; its name "
                "is still searchable.")

    def _grown(self, w: _Worker) -> bool:
        """Every RSS_CHECK_EVERY files: has this worker grown past RECYCLE_RSS_MB?"""
        if not w.done or w.done % RSS_CHECK_EVERY or w.checked == w.done:
            return False
        w.checked = w.done
        try:
            import psutil  # start-up: psutil is loaded only when this runs

            return psutil.Process(w.proc.pid).memory_info().rss > RECYCLE_RSS_MB * 1024 * 1024
        except Exception:  # noqa: BLE001
            return False

    def _over_memory(self, w: _Worker) -> bool:
        """RSS watch for platforms without RLIMIT_AS (Windows); cheap enough at 20 Hz."""
        if not sys.platform.startswith("win"):
            return False
        try:
            import psutil  # start-up: psutil is loaded only when this runs

            rss = psutil.Process(w.proc.pid).memory_info().rss
        except Exception:  # noqa: BLE001
            return False
        return rss > self.limits.memory_limit_mb * 1024 * 1024
