"""Keeping the index in step with the source folders: plan, extract, write, resume.

1. Plan: walk the sources; a file whose size and mtime match what is stored is skipped; changed and
   new files go into `index_queue` (a table, so a crash mid-run resumes where it stopped); files
   no longer on disk are marked `missing`, never dropped. In a full pass each changed file goes
   to a worker as soon as the walk finds it (`full_scan.py`), so reading overlaps the walk.
2. Extract: the queue goes to worker processes (`ExtractPool`) which hash each file first; a file
   whose SHA-256 is unchanged costs no parsing; a new path whose hash matches a missing document is
   that document, moved.
3. Write: each file's result and its removal from the queue commit together, a few files per
   transaction, so a file is fully indexed or not at all (`outcome_writer.py`, the part of
   `Indexer` that writes what the workers send back).

Every write is a job `fn(ws)` run by `_in_turn`: here, on the indexer's own connection (the
CLI), or on the window's one serial writer (core/store/writer.py) when the indexer is given
one, so a person's tag never waits behind a whole pass or a whole merge of the full-text index.
"""
from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from evidence_app.core import settings
from evidence_app.core.base import clock
from evidence_app.core.index.extract_pool import ExtractPool
from evidence_app.core.index.extract_worker import Outcome, Task
from evidence_app.core.index.full_scan import FullScan, needs_work
from evidence_app.core.index.extractors.base import SKIPPED, Extracted, Limits
from evidence_app.core.base.fsnames import to_disk, to_store
from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback, no_progress
from evidence_app.core.index.outcome_writer import OutcomeWriter, _enqueue_rows, _facts_for
from evidence_app.core.index.scan import SeenFile, is_link, source_for, stat_one, walk_source
from evidence_app.core.index.sources import case_patterns, list_sources
from evidence_app.core.index.ocr import planning as ocr_planning
from evidence_app.core.store import documents as docstore
from evidence_app.core.store import queue
from evidence_app.core.store.db import set_synchronous, transaction
from evidence_app.core.index.ocr.ocr_pass import run_ocr

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.store.writer import Writer
    from evidence_app.core.workspace import Workspace

COMMIT_EVERY_S = 0.25
COMMIT_EVERY_FILES = 200
QUEUE_PAGE = 500  # queued files read at a time while the workers extract
ENQUEUE_EVERY = 2000  # files queued per transaction while a full walk goes on
PREFETCH_WALKING = 8  # files waiting in each worker while the walk still feeds them
READ_AHEAD = 1000  # files the walk may find ahead of the workers (it never waits for them)


@dataclass
class IndexSummary:
    scanned: int = 0
    queued: int = 0
    indexed: int = 0
    unchanged: int = 0
    moved: int = 0
    missing: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    by_status: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        parts = [f"{self.scanned} files seen", f"{self.indexed} indexed"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.missing:
            parts.append(f"{self.missing} missing")
        problems = {k: v for k, v in self.by_status.items() if k not in ("ok",)}
        if problems:
            parts.append("not read: " + ", ".join(f"{v} {k}" for k, v in sorted(problems.items())))
        text = "; ".join(parts) + f" in {self.seconds:.1f} s"
        return text + (" (cancelled: run again to finish)" if self.cancelled else "")


def limits_for(ws: Workspace) -> Limits:
    """Extraction limits, from the workspace settings where a user changed them."""
    s = settings.load(ws)
    return Limits(time_limit_s=s.time_limit_s, memory_limit_mb=s.memory_limit_mb,
                  max_file_bytes=s.max_file_bytes)


class Indexer(OutcomeWriter):
    """Runs index passes over a workspace. Keep one alive (the watcher does) to reuse workers."""

    def __init__(self, ws: Workspace, jobs: int = 2, limits: Limits | None = None,
                 writer: Writer | None = None) -> None:
        self.ws = ws  # reads (planning, the queue) use this thread's connection
        self.writer = writer
        self.pool = ExtractPool(jobs, limits or limits_for(ws))
        self._ocr = ocr_planning.OcrPlan(True, 200)

    def _in_turn(self, fn: Callable[[Workspace], Any]) -> Any:
        """Run the write job `fn(ws)`: on the window's serial writer when there is one (waiting
        for it, behind any person's write), else here on this thread's connection."""
        if self.writer is None:
            return fn(self.ws)
        return self.writer.call(fn, bulk=True)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> "Indexer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- planning ------------------------------------------------------------------------------
    def plan_full(self, summary: IndexSummary) -> dict[str, SeenFile]:
        """Walk every source; queue new and changed files; mark vanished ones missing (the
        whole plan, without reading anything: `run` overlaps the reading with the walk).

        New and changed files are queued in batches as they are found (`full_scan.FullScan`);
        what is skipped or gone is written at the end, in one transaction. Returns {}: the
        queued files' facts travel with the queue and the workers' stat."""
        scan = FullScan(self.ws, list_sources(self.ws))
        now = clock.now_iso()
        rows: list[tuple[str, int]] = []
        for stored, source_id, _sha in scan.changed():
            if not rows:
                # the first file to read: workers warm up while the walk goes on (a
                # rescan that finds nothing changed starts none: ~0.6 s of CPU)
                self.pool.start()
            rows.append((stored, source_id))
            if len(rows) >= ENQUEUE_EVERY:
                self._in_turn(lambda ws, rows=rows: _enqueue_rows(ws.db, rows, now))
                rows = []
        self._in_turn(lambda ws, rows=rows: _enqueue_rows(ws.db, rows, now))
        self._end_of_walk(scan, summary)
        return {}

    def _end_of_walk(self, scan: FullScan, summary: IndexSummary) -> None:
        summary.scanned = scan.scanned
        if scan.complete:
            self._finish_plan(scan.skipped, scan.gone, scan.known, summary)

    def _finish_plan(self, skipped: list[SeenFile],
                     gone: list[str], known: dict[str, docstore.Known],
                     summary: IndexSummary, changed: list[SeenFile] | None = None) -> None:
        """Queue what changed, record what is skipped and mark what vanished; one transaction."""
        gone_at = [(known[p].id, to_store(p)) for p in dict.fromkeys(gone) if p in known]
        not_entries = [known[p].id for p in dict.fromkeys(gone)
                       if p in known and known[p].status == SKIPPED]
        patterns = case_patterns(self.ws) if skipped else []

        def write(ws: Workspace) -> list[int]:
            db = ws.db
            with transaction(db):
                # a pipe, link or unreadable folder that is gone was never a document: forget it
                forgotten = set(docstore.forget_entries(db, not_entries))
                # still where the walk saw it: a file of this pass found moved was repointed to
                # its new place (the reading overlaps the walk) and is not missing
                missing = [i for i in docstore.still_at(db.conn, gone_at) if i not in forgotten]
                docstore.mark_missing(db, missing)
                if changed:
                    _enqueue(db, changed)
                for f in skipped:
                    facts = _facts_for(f, None, patterns)
                    docstore.write_extraction(db, facts,
                                              Extracted(SKIPPED, f.skip_reason, f.kind))
            return missing

        summary.missing = len(self._in_turn(write))

    def plan_paths(self, paths: list[str], summary: IndexSummary) -> dict[str, SeenFile]:
        """Check just these paths (from the watcher): files, folders, links, or paths gone."""
        sources = list_sources(self.ws)
        known = docstore.known_files(self.ws.db)
        seen: dict[str, SeenFile] = {}
        gone: list[str] = []
        for path in dict.fromkeys(paths):
            f = stat_one(path, sources)
            if f is not None:
                seen[path] = f
                continue
            if path in known and known[path].status != "missing" and not _is_file(path):
                gone.append(path)
            # a folder that moved or vanished: the documents below it
            prefix = path.rstrip(os.sep) + os.sep
            gone.extend(p for p, r in known.items()
                        if p.startswith(prefix) and r.status != "missing"
                        and not os.path.lexists(p))
            source = source_for(path, sources)
            if source is not None and _is_real_folder(path, str(source.path)):
                for sf in walk_source(source, skip=self.ws.root, start=path):
                    seen[sf.path] = sf
        self._apply_plan(seen, gone, known, summary)
        return seen

    def _apply_plan(self, seen: dict[str, SeenFile], gone: list[str],
                    known: dict[str, docstore.Known], summary: IndexSummary) -> None:
        """Queue what changed, record what is skipped, mark what vanished; one transaction."""
        summary.scanned = len(seen)
        changed = [f for p, f in seen.items() if f.skip_reason is None
                   and needs_work(known.get(p), f)]
        skipped = [f for p, f in seen.items() if f.skip_reason is not None
                   and (needs_work(known.get(p), f) or known[p].status != SKIPPED)]
        self._finish_plan(skipped, gone, known, summary, changed)

    # -- running -------------------------------------------------------------------------------
    def run(self, paths: list[str] | None = None, on_progress: ProgressCallback = no_progress,
            cancel: CancelToken | None = None) -> IndexSummary:
        started = time.perf_counter()
        summary = IndexSummary()
        conn = self.ws.db.conn
        self._ocr = ocr_planning.OcrPlan.of(self.ws)
        # The index is derived data: WAL with synchronous=NORMAL survives a crash of the app
        # (only a power cut can lose the last commits, which the next scan redoes). People's work
        # is written with FULL, restored here before anything else uses the connection.
        set_synchronous(conn, "NORMAL")
        try:
            if paths is None:
                if queue.queued_count(conn, at_most=1):  # work left from a stopped pass first
                    self._drain({}, summary, on_progress, cancel)
                if not (cancel and cancel.cancelled):
                    self._walk_and_read(summary, on_progress, cancel)
            else:
                seen = self.plan_paths(paths, summary)
                self._drain(seen, summary, on_progress, cancel)
            self._tidy_index(summary.indexed)
        finally:
            set_synchronous(conn, "FULL")
        summary.seconds = time.perf_counter() - started
        return summary

    def _drain(self, seen: dict[str, SeenFile], summary: IndexSummary,
               on_progress: ProgressCallback, cancel: CancelToken | None) -> None:
        """Read and write everything in the queue."""
        total = queue.queued_count(self.ws.db.conn)
        summary.queued += total
        if total:
            queued: dict[str, int | None] = {}  # path -> source id, for the tasks handed out
            self._read(self._queued_tasks(queued), total, seen, queued, summary, on_progress,
                       cancel)

    def _walk_and_read(self, summary: IndexSummary, on_progress: ProgressCallback,
                       cancel: CancelToken | None) -> None:
        """The full pass: each new or changed file goes to a worker as the walk finds it, and
        is queued in the next write's transaction (so a pass stopped half-way says how many
        wait, and resumes with them); what is skipped or gone is written when the walk has
        ended and every file it found is written. (The walk runs ahead of the workers, so at
        its end a file it found moved may not be written yet: its old place would have been
        marked missing and the run reported it missing, though the next write repointed it.)
        A pass that finds nothing changed starts no worker."""
        scan = FullScan(self.ws, list_sources(self.ws), cancel)
        queued: dict[str, int | None] = {}
        found: list[tuple[str, int]] = []

        def tasks() -> Iterator[Task]:
            for stored, source_id, sha in scan.changed():
                path = to_disk(stored)
                queued[path] = source_id
                found.append((stored, source_id))
                yield Task(path, sha)

        def take_found() -> list[tuple[str, int]]:
            rows = found[:]
            del found[:]
            return rows

        self._read(tasks(), None, {}, queued, summary, on_progress, cancel, take_found,
                   lambda: scan.found)
        self._end_of_walk(scan, summary)
        if summary.by_status and (summary.missing or scan.skipped):
            summary.by_status = dict(docstore.counts_by_status(self.ws.db))
        summary.queued += scan.found
        if not scan.complete:  # stopped during the walk: what it had not reached waits too
            summary.scanned = scan.scanned
            summary.cancelled = True

    def _read(self, tasks: Iterator[Task], total: int | None, seen: dict[str, SeenFile],
              queued: dict[str, int | None], summary: IndexSummary,
              on_progress: ProgressCallback, cancel: CancelToken | None,
              take_found: Callable[[], list] | None = None,
              found: Callable[[], int] | None = None) -> None:
        """Hand `tasks` to the workers and write their results as they come, a batch per
        transaction. `total` is None while a walk is still finding files (`found` counts them
        so far; `take_found` gives the ones to queue in the next write)."""
        sources = {s.id: s for s in list_sources(self.ws)}
        patterns = case_patterns(self.ws)
        # Small passes write as results arrive (the parent is otherwise idle waiting for workers);
        # large ones write in bigger transactions (fewer, larger full-text segments).
        batch = max(16, min(COMMIT_EVERY_FILES, total // 10)) if total else COMMIT_EVERY_FILES
        done = 0
        pending: list[Outcome] = []
        last_commit = time.monotonic()
        t0 = time.monotonic()
        prefetch = PREFETCH_WALKING if total is None else None
        ahead = READ_AHEAD if total is None else 0
        for outcome in self.pool.run(tasks, cancel, count=total, prefetch=prefetch,
                                     read_ahead=ahead):
            pending.append(outcome)
            done += 1
            now = time.monotonic()
            if now - last_commit > COMMIT_EVERY_S or len(pending) >= batch:
                self._write(pending, seen, sources, patterns, summary, queued, take_found)
                pending = []
                last_commit = now
                rate = done / (now - t0) if now > t0 else 0.0
                on_progress(Progress(done, total if total is not None else found(),
                                     os.path.basename(outcome.path), rate))
        self._write(pending, seen, sources, patterns, summary, queued, take_found)
        if not done:
            return
        elapsed = time.monotonic() - t0
        total = total if total is not None else found()
        on_progress(Progress(done, total, "", done / elapsed if elapsed else 0.0))
        summary.cancelled = summary.cancelled or bool(cancel and cancel.cancelled and done < total)
        for status, n in docstore.counts_by_status(self.ws.db).items():
            summary.by_status[status] = n

    def _queued_tasks(self, queued: dict[str, int | None]) -> Iterator[Task]:
        """The queue as tasks, read a page at a time as the workers take them (a first index
        of 100,000 files no longer holds 100,000 paths, tasks and rows in memory)."""
        conn = self.ws.db.conn
        after = ""
        while True:
            rows = queue.page_after(conn, after, QUEUE_PAGE)
            if not rows:
                return
            after = rows[-1][0]
            paths = [to_disk(r[0]) for r in rows]
            known = docstore.known_files(self.ws.db, paths)
            for path, (_stored, source_id) in zip(paths, rows):
                row = known.get(path)
                queued[path] = source_id
                yield Task(path, row.sha256 if row and row.status != "missing" else None)

    # -- the second pass: scanned pages ----------------------------------------------------------
    def read_scans(self, on_progress: ProgressCallback = no_progress,
                   cancel: CancelToken | None = None, *, requested_only: bool = False,
                   doc_ids: list[int] | None = None, budget_s: float | None = None,
                   done_before: int = 0, total_hint: int | None = None):
        """Read the scanned pages waiting for OCR with this indexer's workers (see
        core/index/ocr/ocr_pass.py). Returns an `OcrRun`."""
        plan = ocr_planning.OcrPlan.of(self.ws)
        return run_ocr(self.ws, self.pool, ocr_on=plan.on, requested_only=requested_only,
                       doc_ids=doc_ids, on_progress=on_progress, cancel=cancel,
                       budget_s=budget_s, done_before=done_before, total_hint=total_hint,
                       in_turn=self._in_turn)


def _is_file(path: str) -> bool:
    """A regular file, not followed through a link (a link is an entry of its own)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_real_folder(path: str, root: str) -> bool:
    """A folder reached without passing through a link (links are never followed)."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode) or is_link(path):
            return False
    except OSError:
        return False
    return os.path.normcase(os.path.realpath(path)) == os.path.normcase(path)


def _enqueue(db, files: list[SeenFile]) -> None:
    now = clock.now_iso()
    queue.enqueue(db.conn, [(to_store(f.path), f.source.id, now) for f in files])


def index_workspace(ws: Workspace, *, jobs: int = 2, paths: list[str] | None = None,
                    on_progress: ProgressCallback = no_progress,
                    cancel: CancelToken | None = None, limits: Limits | None = None) -> IndexSummary:
    """One index pass with a fresh pool (the CLI's `index`)."""
    with Indexer(ws, jobs, limits) as indexer:
        return indexer.run(paths, on_progress, cancel)


def retry(ws: Workspace, doc_ids: list[int] | None = None) -> int:
    """Queue files that could not be read for another try (after a fix or new limits)."""
    db = ws.db
    rows = docstore.unreadable_files(db, doc_ids)
    with transaction(db):
        docstore.forget_fingerprints(db, [r[0] for r in rows])
        queue.enqueue(db.conn, [(r[0], r[1], clock.now_iso()) for r in rows])
    return len(rows)

