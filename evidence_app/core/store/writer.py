"""One serial writer: every write of a window's session on one thread, through one connection.

Without it, the window's writes (a tag, a tick, an edit), the indexer's batches and its full-text
merges came from different threads and met only at SQLite's lock (30 s busy timeout): a tag
made while the indexer merged could freeze the window. With it, writes are jobs on one queue,
run in turn by one thread that owns the write connection; readers keep their own connections
(WAL: they never wait for the writer). A person's write is served before the indexer's next
batch, and the indexer writes in short jobs (a batch of files, one step of merging), so a tag
waits at most for one short job, never for a whole pass.

`submit(fn)` returns a `concurrent.futures.Future`; `call(fn)` waits for it (for threads that
may wait, such as the indexer's: never the window's, which waits in its event loop, see
ui/context.py). `fn(ws)` gets the writer's workspace, whose connection on this thread is the
write connection. Jobs marked `bulk` (derived data: the index) run with `synchronous=NORMAL`;
a person's work is written with FULL (as store/db.py explains).

No commit of the writer copies the WAL into the database (SQLite's automatic checkpoint, which
the commit that crosses 1,000 pages pays for: about 250 ms here, so one tag in about seventy
took 270-290 ms instead of ~20, or waited as long behind the indexer's batch that paid for it;
bench_ui_stall.py --scenario tagging). A checkpointer thread does it on its own connection
instead, after every CHECKPOINT_EVERY jobs and when the writer goes idle: a PASSIVE checkpoint
needs no write lock, so writes go on while it copies, and SQLite's C code runs it without the
GIL.

No Qt here: the core stays usable without a window; the CLI, a single writer by nature, calls
the core directly.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Callable

from evidence_app.core.base.frozen import frozen
from evidence_app.core.store.db import checkpoint, set_autocheckpoint, set_synchronous

if TYPE_CHECKING:
    from evidence_app.core.workspace import Workspace

log = logging.getLogger(__name__)

PERSON, BULK = 0, 1  # a person's writes are served first
IDLE_S = 20.0  # an idle writer closes its connection and ends its thread (restarted on demand)
CHECKPOINT_EVERY = 8  # jobs between checkpoints (an indexer's batch is a few hundred pages)


class WriterClosed(RuntimeError):
    """The writer has stopped (the window is closing): nothing more can be written through it."""


@frozen
class JobRecord:
    """When one job waited and ran (for the benchmark and the tests: are writes serialised, how
    long did a tag wait). Times are `time.perf_counter()` seconds."""

    bulk: bool
    queued: float
    started: float
    finished: float
    thread: int
    label: str = ""  # the job's function name (which write took long)

    @property
    def waited_ms(self) -> float:
        return (self.started - self.queued) * 1000

    @property
    def total_ms(self) -> float:
        return (self.finished - self.queued) * 1000


class Writer:
    """A single thread that runs write jobs one at a time, people's before the indexer's."""

    def __init__(self, ws: Workspace, name: str = "evidence-writer", keep: int = 2000) -> None:
        self.ws = ws
        self._cond = threading.Condition()
        self._jobs: list[tuple[int, int, float, Callable[[Any], Any], Future]] = []
        self._seq = itertools.count()
        self._stopping = False
        self.history: deque[JobRecord] = deque(maxlen=keep)
        self.name = name
        self._thread: threading.Thread | None = None
        self._checkpoints = Checkpointer(ws, name + "-checkpoint")

    def on_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[[Any], Any], *, bulk: bool = False) -> Future:
        """Queue `fn(ws)`; the future holds its value or its exception."""
        fut: Future = Future()
        if self.on_writer_thread():  # a job asking for more writing: it is already in turn
            try:
                fut.set_result(fn(self.ws))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                fut.set_exception(exc)
            return fut
        with self._cond:
            if self._stopping:
                raise WriterClosed("The workspace is closing: the change was not made.")
            heapq.heappush(self._jobs, (BULK if bulk else PERSON, next(self._seq),
                                        time.perf_counter(), fn, fut))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify()
        return fut

    def call(self, fn: Callable[[Any], Any], *, bulk: bool = False) -> Any:
        """Run `fn(ws)` on the writer and return its value (raising what it raised)."""
        return self.submit(fn, bulk=bulk).result()

    def person_waiting(self) -> bool:
        """Is a person's write queued? (A long job checks this to finish early; the heap keeps
        people's jobs first, so a look at its top is enough and takes no lock.)"""
        jobs = self._jobs
        return bool(jobs) and jobs[0][0] == PERSON

    def stop(self, timeout: float = 30.0) -> None:
        """Finish every job already queued (a person's change is never dropped), then close the
        write connection. Idempotent."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("The writer did not finish within %s s", timeout)
        self._checkpoints.stop(timeout)

    # -- the thread ----------------------------------------------------------------------------
    def _loop(self) -> None:
        synchronous = "FULL"
        since_checkpoint = 0
        try:
            set_autocheckpoint(self.ws.conn, 0)  # the checkpointer's work, off this thread
        except Exception:  # noqa: BLE001 - then SQLite checkpoints as usual; jobs still run
            log.debug("could not leave checkpoints to the checkpointer", exc_info=True)
        try:
            while True:
                with self._cond:
                    if not self._jobs and not self._stopping:
                        self._cond.wait(IDLE_S)
                    if not self._jobs:  # idle for IDLE_S, or stopping: a new job starts anew
                        self._thread = None
                        if since_checkpoint:
                            self._checkpoints.request()
                        return
                    kind, _, queued, fn, fut = heapq.heappop(self._jobs)
                if not fut.set_running_or_notify_cancel():
                    continue
                started = time.perf_counter()
                try:
                    wanted = "NORMAL" if kind == BULK else "FULL"
                    if wanted != synchronous:
                        set_synchronous(self.ws.conn, wanted)
                        synchronous = wanted
                    value = fn(self.ws)
                except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                    fut.set_exception(exc)
                else:
                    fut.set_result(value)
                self.history.append(JobRecord(kind == BULK, queued, started,
                                              time.perf_counter(), threading.get_ident(),
                                              getattr(fn, "__qualname__", "")))
                since_checkpoint += 1
                if since_checkpoint >= CHECKPOINT_EVERY:
                    self._checkpoints.request()
                    since_checkpoint = 0
        finally:
            try:
                self.ws.close_connection()
            except Exception:  # noqa: BLE001 - closing must not fail
                log.debug("closing the write connection failed", exc_info=True)


class Checkpointer:
    """One thread with its own connection that copies the WAL into the database when asked
    (PASSIVE: alongside the writer and the readers, never waiting for them). Requests made while
    it works are folded into one more pass. It ends after IDLE_S without requests."""

    def __init__(self, ws: Workspace, name: str) -> None:
        self.ws = ws
        self.name = name
        self._cond = threading.Condition()
        self._wanted = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.done = 0  # checkpoints made (for the tests and the benchmark)

    def request(self) -> None:
        with self._cond:
            if self._stopping:
                return
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish a requested checkpoint, then close the connection. Idempotent."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _loop(self) -> None:
        try:
            while True:
                with self._cond:
                    if not self._wanted and not self._stopping:
                        self._cond.wait(IDLE_S)
                    if not self._wanted:
                        self._thread = None
                        return
                    self._wanted = False
                try:
                    checkpoint(self.ws.conn)
                    self.done += 1
                except Exception:  # noqa: BLE001 - the next request (or closing) will do it
                    log.debug("checkpoint failed", exc_info=True)
        finally:
            try:
                self.ws.close_connection()
            except Exception:  # noqa: BLE001 - closing must not fail
                log.debug("closing the checkpoint connection failed", exc_info=True)
