"""Keeping the index in step with the source folders: plan, extract, write, resume.

1. Plan: walk the sources; a file whose size and mtime match what is stored is skipped; changed and
   new files go into `index_queue` (a table, so a crash mid-run resumes where it stopped); files
   no longer on disk are marked `missing`, never dropped. In a full pass each changed file goes
   to a worker as soon as the walk finds it (`full_scan.py`), so reading overlaps the walk.
2. Extract: the queue goes to worker processes (`ExtractPool`) which hash each file first; a file
   whose SHA-256 is unchanged costs no parsing; a new path whose hash matches a missing document is
   that document, moved.
3. Write: each file's result and its removal from the queue commit together, a few files per
   transaction, so a file is fully indexed or not at all.

Every write is a job `fn(ws)` run by `_in_turn`: here, on the indexer's own connection (the
CLI), or on the window's one serial writer (core/store/writer.py) when the indexer is given
one, so a person's tag never waits behind a whole pass or a whole merge of the full-text index.
"""
from __future__ import annotations

import errno
import logging
import os
import sqlite3
import stat
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from evidence_app.core import settings
from evidence_app.core.base import clock
from evidence_app.core.index.extract_pool import ExtractPool, Outcome, Task
from evidence_app.core.index.followers import follow_text
from evidence_app.core.index.full_scan import FullScan, needs_work
from evidence_app.core.index.extractors.base import DAMAGED, SKIPPED, Extracted, Limits
from evidence_app.core.base.fsnames import display, to_disk, to_store
from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback, no_progress
from evidence_app.core.index.scan import (SeenFile, is_link, seen_from_stat, source_for,
                                          stat_one, walk_source)
from evidence_app.core.index.sources import case_patterns, case_ref_for, list_sources
from evidence_app.core.index.ocr import planning as ocr_planning
from evidence_app.core.store import documents as docstore
from evidence_app.core.store import fts, queue
from evidence_app.core.store.db import set_synchronous, transaction
from evidence_app.core.index.ocr.ocr_pass import run_ocr

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.store.writer import Writer
    from evidence_app.core.workspace import Workspace

log = logging.getLogger(__name__)

COMMIT_EVERY_S = 0.25
COMMIT_EVERY_FILES = 200
WINDOW_JOB_S = 0.04  # in the window, one writer job of files lasts about this long at most
QUEUE_PAGE = 500  # queued files read at a time while the workers extract
OPTIMIZE_AFTER = 500  # files written by a pass before the full-text index is merged whole
OPTIMIZE_SHARE = 4  # ... and only if they are at least a quarter of the documents
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


class Indexer:
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

    def _tidy_index(self, written: int) -> None:
        """Keep the full-text index in few segments: every segment costs each search a seek.
        After a pass that wrote a large part of the index (a quarter or more), merge it all
        (0.4 s for 5,000 documents); otherwise do a bounded amount of merging (merging it all
        rewrites the whole index: after 1,000 changed files of 100,000 that was 1.4 GB and most
        of the rescan's time). On the window's writer a whole merge is many short steps (one job
        each), so a person's write waits for one step, not for the whole merge."""
        if not written:
            return
        documents = docstore.file_count(self.ws.db)
        if written < OPTIMIZE_AFTER or written * OPTIMIZE_SHARE < documents:
            self._in_turn(lambda ws: fts.merge_step(ws.db, fts.SMALL_MERGE_PAGES))
        elif self.writer is None:
            fts.optimize(self.ws.db)
        else:
            more, first = True, True
            while more:
                more = self._in_turn(lambda ws, first=first: fts.merge_step(
                    ws.db, fts.STEP_PAGES, start_full=first))
                first = False

    def _write(self, outcomes: list[Outcome], seen: dict[str, SeenFile], sources: dict,
               patterns: list, summary: IndexSummary,
               queued: dict[str, int | None] | None = None,
               take_found: Callable[[], list] | None = None) -> None:
        """Write a batch of results in one transaction (with the re-anchoring of evidence on
        their text, so the two are never out of step).

        If writing fails for any reason that is not the machine's (see `_environmental`), the
        batch is rolled back and written again one file per transaction, so the one file that
        fails is recorded as damaged with the reason and the rest go in. (Not a savepoint per
        file: FTS5 flushes its pending terms at every savepoint, which made each file its own
        index segment and cost the writer a third more time.)"""
        if queued is not None:  # facts for files the full plan queued, from the workers' stat
            seen = _SeenFromOutcomes(seen, outcomes, queued, sources)
        found = take_found() if take_found is not None else []
        if found and not outcomes:
            now = clock.now_iso()
            self._in_turn(lambda ws: _enqueue_rows(ws.db, found, now))
        while outcomes:
            outcomes = outcomes[self._write_batch(outcomes, seen, patterns, summary, found):]
            found = []

    def _write_batch(self, outcomes: list[Outcome], seen: dict[str, SeenFile], patterns: list,
                     summary: IndexSummary, found: list[tuple[str, int]] | None = None) -> int:
        """One transaction of `_write`; returns how many outcomes it dealt with. On the window's
        writer it commits early when a person's write is waiting (so a tag waits for one file,
        not for a batch of hundreds); the rest goes in the next job."""
        before = (summary.indexed, summary.unchanged)
        now = clock.now_iso()

        def batch(ws: Workspace) -> int:
            written, n = [], 0
            fts = docstore.FtsChanges()  # the full-text index's share, in rowid order at the end
            # on the window's writer a job also ends after WINDOW_JOB_S of files: the full-text
            # share written at its end grows with the files, and a tag may arrive meanwhile
            until = time.perf_counter() + WINDOW_JOB_S if self.writer is not None else None
            with transaction(ws.db):
                if found:  # files the walk handed out since the last write: queued first
                    queue.enqueue(ws.db.conn, [(p, sid, now) for p, sid in found])
                for o in outcomes:
                    n += 1
                    if (i := self._write_one(ws, o, seen, patterns, summary, fts)) is not None:
                        written.append(i)
                    if until is not None and (self.writer.person_waiting()
                                              or time.perf_counter() > until):
                        break
                fts.apply(ws.db.conn)
                follow_text(ws, written)
            return n

        try:
            return self._in_turn(batch)
        except Exception as exc:  # noqa: BLE001 - one file never stops a run
            if _environmental(exc):
                raise  # a full disk or a lost database stops the run; the queue resumes
        summary.indexed, summary.unchanged = before
        if found:
            self._in_turn(lambda ws: _enqueue_rows(ws.db, found, now))
        for o in outcomes:
            self._in_turn(lambda ws, o=o: self._write_alone(ws, o, seen, patterns, summary))
        return len(outcomes)

    def _write_alone(self, ws: Workspace, o: Outcome, seen: dict[str, SeenFile], patterns: list,
                     summary: IndexSummary) -> None:
        """One file in its own transaction: with its anchors, else without, else as damaged."""
        error: Exception | None = None
        for with_anchors in (True, False):
            before = (summary.indexed, summary.unchanged)
            try:
                with transaction(ws.db):
                    doc_id = self._write_one(ws, o, seen, patterns, summary)
                    if with_anchors and doc_id is not None:
                        follow_text(ws, [doc_id])
                if not with_anchors:
                    log.warning("evidence on %s could not be re-anchored; it will be on the "
                                "next pass", display(o.path))
                return
            except Exception as exc:  # noqa: BLE001
                if _environmental(exc):
                    raise
                summary.indexed, summary.unchanged = before
                error = error or exc
        self._write_failed(ws, o, seen, error, summary)

    def _write_one(self, ws: Workspace, o: Outcome, seen: dict[str, SeenFile], patterns: list,
                   summary: IndexSummary, fts: docstore.FtsChanges | None = None) -> int | None:
        db = ws.db
        queue.dequeue(db.conn, to_store(o.path))
        f = seen.get(o.path) or self._restat(ws, o.path)
        if f is None or (o.result is None and not o.unchanged):
            row = docstore.find_by_path(db, o.path)
            if row:
                docstore.mark_missing(db, [row.id])
            return None
        if o.unchanged:
            docstore.update_unchanged(db, o.path, f.size, f.mtime)
            summary.unchanged += 1
            return None
        doc_id = docstore.write_extraction(db, _facts(o, f, patterns), o.result, fts=fts)
        if fts is not None and (o.result.metadata or {}).get("scan_pages"):
            fts.apply(db.conn)  # OCR text read before may be merged back into these chunks
        ocr_planning.note(db.conn, doc_id, o.sha256, o.result, self._ocr)  # scanned pages wait
        summary.indexed += 1
        return doc_id

    def _write_failed(self, ws: Workspace, o: Outcome, seen: dict[str, SeenFile],
                      exc: Exception | None, summary: IndexSummary) -> None:
        """Record a file whose result could not be written as damaged; never raises (but for a
        failure of the machine, which stops the run)."""
        name = type(exc).__name__ if exc is not None else "error"
        log.warning("could not store the result for %s (%s); recorded as damaged",
                    display(o.path), exc)
        log.debug("details", exc_info=exc)
        reason = ("The file was read but its text could not be stored "
                  f"({name}); it was skipped. Run 'index --retry' to try again.")
        db = ws.db
        try:
            with transaction(db):
                queue.dequeue(db.conn, to_store(o.path))
                f = seen.get(o.path) or self._restat(ws, o.path)
                if f is None:
                    return
                fmt = o.result.format if o.result is not None else ""
                facts = _facts(o, f, [])
                facts.sha256 = None  # so a later pass reads it again
                docstore.write_extraction(db, facts, Extracted(DAMAGED, reason, fmt))
            summary.indexed += 1
        except Exception as again:  # noqa: BLE001 - even the record failed: it stays queued
            if _environmental(again):
                raise
            log.warning("could not record %s as damaged either; it stays queued",
                        display(o.path))
            log.debug("details", exc_info=True)

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

    def _restat(self, ws: Workspace, path: str) -> SeenFile | None:
        return stat_one(path, list_sources(ws))


class _SeenFromOutcomes(dict):
    """The SeenFile of each file in a batch being written: the plan's where it kept one (the
    watcher's passes), else made from the queue's source and the stat the worker took just
    before reading the file (the full plan keeps none). A file without either is stat'ed again
    (`Indexer._restat`)."""

    def __init__(self, seen: dict[str, SeenFile], outcomes: list[Outcome],
                 queued: dict[str, int | None], sources: dict) -> None:
        super().__init__()
        for o in outcomes:
            source_id = queued.pop(o.path, None)
            f = seen.get(o.path)
            if f is None and o.size is not None and source_id in sources:
                f = seen_from_stat(o.path, sources[source_id], o.size, o.mtime)
            if f is not None:
                self[o.path] = f


def _environmental(exc: Exception) -> bool:
    """Failures of the machine rather than of one file: stop the run, lose nothing."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return any(w in text for w in ("full", "disk i/o", "readonly", "read-only", "locked",
                                       "busy", "interrupted"))
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EROFS, errno.EIO)
    return isinstance(exc, (sqlite3.DatabaseError,)) and "malformed" in str(exc).lower()


def _facts(o: Outcome, f: SeenFile, patterns: list) -> docstore.FileFacts:
    return _facts_for(f, o.sha256, patterns)


def _facts_for(f: SeenFile, sha256: str | None, patterns: list) -> docstore.FileFacts:
    case_ref = case_ref_for(f.rel_path, patterns) if f.source.kind == "case-files" else None
    return docstore.FileFacts(f.path, f.source.id, f.rel_path, os.path.basename(f.path),
                              case_ref, f.size, f.mtime, sha256)


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


def _enqueue_rows(db, rows: list[tuple[str, int]], now: str) -> None:
    """Queue (stored path, source id) rows in one short transaction."""
    if not rows:
        return
    with transaction(db):
        queue.enqueue(db.conn, [(p, sid, now) for p, sid in rows])


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

