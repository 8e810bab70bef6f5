"""What runs inside an extraction worker process, and how those processes are started.

`extract_pool.py` (the parent's side) starts the workers and hands them `Task`s; each worker
runs `_worker_main` here, which lowers its priority, caps its memory, dies with its parent and
answers every task with an `Outcome` (`process_one`: one read of the file, hashed, parsed, its
text made storable and cut into chunks, so the parent only writes). Separate from the pool so
what a child process needs is one module: the fork server preloads this module and the parsers
(`_context`, PRELOAD), never the parent's pool, and every function a child is sent stays
importable here by its module path. Other kinds of task for the same workers: task_kinds.py.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from evidence_app.core.index.extractors.base import (
    DAMAGED, SKIPPED, TOO_LARGE, Extracted, Limits,
)
from evidence_app.core.index import task_kinds
from evidence_app.core.index.storable import clean_extracted
from evidence_app.core.index.chunking import make_chunks
from evidence_app.core.index.extractors import extract_bytes, extract_file


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
