"""Extraction of untrusted files in worker processes, with a time and a memory limit per file.

A parser that loops, explodes or crashes only costs its worker: the pool kills it (time limit),
lets the OS stop it (memory limit: RLIMIT_AS on POSIX, an RSS watch elsewhere), records a status
and a reason for the file, starts a fresh worker and goes on. The parent never parses a file.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import stat
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator

from evidence_app.core.index.extractors.base import (
    DAMAGED, SKIPPED, TIMEOUT, TOO_LARGE, Extracted, Limits,
)
from evidence_app.core.base.progress import CancelToken
from evidence_app.core.index import task_kinds
from evidence_app.core.index.storable import clean_extracted
from evidence_app.core.index.chunking import make_chunks
from evidence_app.core.index.extractors import extract_bytes, extract_file

# A worker is replaced after this many files, or sooner if it has grown past RECYCLE_RSS_MB
# (bounds slow leaks in parsers). Each fresh worker costs ~0.3 s of imports, so not too often.
RECYCLE_AFTER = 3000
RECYCLE_RSS_MB = 400
RSS_CHECK_EVERY = 100


@dataclass
class Task:
    path: str
    known_sha: str | None = None
    render: tuple[int, float] | None = None  # (1-based page, scale): render a PDF page instead
    # (each field other than path and known_sha names a kind of task: see task_kinds.py)
    ocr_page: int | None = None  # 1-based page to read by OCR instead (core/index/ocr)


@dataclass
class Outcome:
    path: str
    sha256: str | None
    unchanged: bool
    result: Extracted | None
    seconds: float = 0.0
    image: bytes | None = None  # a rendered page (PNG), for render tasks
    pages: int | None = None
    ocr_page: int | None = None  # the page an OCR task read
    size: int | None = None  # the file's size and mtime as the worker found them before reading
    mtime: float | None = None


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _limit_memory(limits: Limits) -> None:
    if sys.platform.startswith("win"):
        return
    try:
        import resource  # start-up: resource is loaded only when this runs

        import psutil  # start-up: psutil is loaded only when this runs

        base = psutil.Process().memory_info().vms
        cap = base + limits.memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except Exception:  # noqa: BLE001 - a platform without limits still extracts
        pass


def process_one(task: Task, limits: Limits) -> Outcome:
    """Hash and extract one file, or render one PDF page (runs inside a worker).

    The file is read once: the same bytes are hashed (an unchanged file costs no parsing) and
    parsed. Its text is made storable and cut into chunks here, so the parent, the one process
    that writes, only writes."""
    kind = task_kinds.kind_of(task)
    if kind is not None:  # another kind of work in the same isolation (task_kinds.py)
        return task_kinds.handler(kind)(task, limits)

    start = time.perf_counter()
    sha: str | None = None
    facts: tuple[int | None, float | None] = (None, None)
    try:
        st = os.lstat(task.path)
        if not stat.S_ISREG(st.st_mode):  # replaced by a pipe or a link since the scan
            return Outcome(task.path, None, False, Extracted(
                status=SKIPPED, reason="Skipped: not a regular file; it was never opened.",
                format="unknown"))
        size = st.st_size
        facts = (size, st.st_mtime)
        if size > limits.max_file_bytes:
            result = extract_file(task.path, limits)  # says too_large without reading it
        else:
            with open(task.path, "rb") as f:
                data = f.read(limits.max_file_bytes + 1)
            sha = hashlib.sha256(data).hexdigest()
            if task.known_sha and sha == task.known_sha:
                return Outcome(task.path, sha, True, None, time.perf_counter() - start,
                               size=size, mtime=st.st_mtime)
            result = extract_bytes(data, os.path.basename(task.path), limits, 0)
            del data
    except MemoryError:
        result = Extracted(status=TOO_LARGE, reason="Reading the file needed more than "
                           f"{limits.memory_limit_mb} MB of memory, so it was skipped.")
    except FileNotFoundError:
        result = None  # deleted while queued: the indexer marks it missing
    except OSError as exc:
        result = Extracted(status=DAMAGED, reason=f"The file could not be read: {exc.strerror}.")
    # Text that SQLite would refuse (lone surrogates, NULs) is fixed here, not in the parent.
    return Outcome(task.path, sha, False, prechunk(clean_extracted(result)),
                   time.perf_counter() - start, size=facts[0], mtime=facts[1])


def prechunk(result: Extracted | None, depth: int = 0) -> Extracted | None:
    """Cut the sections into stored chunks (in the worker; see `store.documents`)."""
    if result is None or depth > 16:
        return result

    result.chunks = make_chunks(result.sections)
    result.sections = []
    for _name, child in result.children:
        prechunk(child, depth + 1)
    return result


# The parsers of the common formats, imported once in the fork server (Linux) so every worker
# forked from it starts with them (each worker importing them cost ~0.1 s of CPU, and its first
# results came that much later); under spawn each worker imports them as it starts (_warm_up).
PRELOAD = (
    "evidence_app.core.index.extractors.pdf", "evidence_app.core.index.extractors.word",
    "evidence_app.core.index.extractors.mail", "evidence_app.core.index.extractors.html_text",
    "evidence_app.core.index.ocr.pages", "pypdfium2", "lxml.etree", "lxml.html", "email.policy",
    "email.headerregistry", "striprtf.striprtf", "olefile", "xlrd", "psutil",
)


def _warm_up() -> None:
    """Import the common parsers now, while the parent is still scanning folders."""
    import importlib  # start-up: loaded only when this runs

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing parser shows up per file, with a reason
            pass


PARENT_CHECK_S = 0.5


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when the process that started it ends, however it ends (even SIGKILL).

    A worker must never outlive the app: each holds ~50 MB, and an orphan keeps files open.
    Three guards, because each alone has a gap: PR_SET_PDEATHSIG (Linux, immediate); a thread
    that watches the parent (its pid on POSIX, where an orphan is re-parented; its process handle
    on Windows); and end-of-file on the task pipe (the main loop returns). The pipe alone is not
    enough: a worker forked after another inherits the parent's end of the other's pipe.
    """
    if sys.platform.startswith("linux"):
        try:
            # start-up: ctypes is loaded only when this runs
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001 - the watch thread still covers it
            pass
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(0)

    def watch() -> None:
        if os.name == "nt":
            parent = mp.parent_process()
            if parent is not None:
                parent.join()  # waits on the parent's process handle
                os._exit(0)
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


WORKER_NICENESS = 5  # how much lower than the app a worker's priority is (POSIX nice steps)


def _lower_priority() -> None:
    """Run below the app that feeds and writes for us. The app's one thread walks the folders,
    hands out files and writes every result: when the workers take CPU from it, they soon wait
    for it. On two cores, three equal processes gave the app two thirds of a core; a 1%-changed
    rescan of 100,000 files then took ~1.5 s longer than its CPU needed. (In the window, the
    person's clicks come first too.)"""
    try:
        if hasattr(os, "nice"):
            os.nice(WORKER_NICENESS)
        else:  # Windows
            import psutil  # start-up: psutil is loaded only when this runs

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
    except Exception:  # noqa: BLE001 - a worker at normal priority still works
        pass


def _worker_main(conn: Connection, limits: Limits, parent_pid: int | None = None) -> None:
    import signal  # start-up: signal is loaded only when this runs

    # Ctrl+C reaches the whole process group: the parent decides what stops, not each worker
    # (a worker interrupted mid-file would report it as damaged).
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
    _die_with_parent(parent_pid if parent_pid is not None else os.getppid())
    _lower_priority()
    _limit_memory(limits)
    _warm_up()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = process_one(task, limits)
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            outcome = Outcome(task.path, None, False, Extracted(
                status=DAMAGED, reason=f"The file could not be read ({type(exc).__name__})."),
                ocr_page=task.ocr_page)
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send(Outcome(task.path, outcome.sha256, False, Extracted(
                status=DAMAGED, reason="The file's text could not be passed back to the app."),
                ocr_page=task.ocr_page))


def _context() -> mp.context.BaseContext:
    """Linux: workers are forked from a small server process started once (forkserver), not
    from the app. A worker forked from the app carries the app's resident memory (its SQLite
    cache, everything imported): replacement workers forked half-way through a large index
    started at ~80 MB each instead of ~40. Elsewhere: a clean start (spawn)."""
    if sys.platform.startswith("linux"):
        ctx = mp.get_context("forkserver")
        # not the app's __main__: only this module and the parsers
        ctx.set_forkserver_preload([__name__, *PRELOAD])
        return ctx
    return mp.get_context("spawn")


def start_server() -> None:
    """Start the fork server now (Linux; elsewhere nothing to do), without any worker: it loads
    the parsers on the other core while this process is still loading and walking, so the first
    workers are forked from a ready server. A whole `index` calls it before its own imports (a
    1%-changed rescan of 100,000 files got its first result ~0.1 s sooner); a pass that finds
    nothing changed still starts no worker."""
    ctx = _context()
    if ctx.get_start_method() != "forkserver":
        return
    try:
        from multiprocessing import forkserver  # start-up: loaded only when this runs

        forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - the first worker starts it as before
        pass


def _parent_pid(ctx: mp.context.BaseContext) -> int | None:
    """The pid a worker will see as its parent: ours, except under forkserver (the server's;
    the server itself ends when we do, and the worker follows it). None: ask at start."""
    if ctx.get_start_method() == "forkserver":
        return None
    return os.getpid()


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
