"""Writing extraction outcomes into the store: the half of `Indexer` that runs in its write jobs.

`indexer.py` plans a pass and hands files to the workers; what comes back is written here, a
batch of files per transaction with the re-anchoring of evidence on their text. A batch that
fails for a reason of one file's (not the machine's: `_environmental`) is written again one file
per transaction, so only that file is recorded as damaged. The full-text index is tidied after
the pass (`_tidy_index`). Separate from the indexer so the loop that writes, the hottest code
of a pass, can be read on its own; `Indexer` inherits it (`OutcomeWriter`) and supplies
`writer`, `_in_turn` and `_ocr`.
"""
from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from typing import TYPE_CHECKING, Any, Callable

from evidence_app.core.base import clock
from evidence_app.core.base.fsnames import display, to_store
from evidence_app.core.index.extract_worker import Outcome
from evidence_app.core.index.extractors.base import DAMAGED, Extracted
from evidence_app.core.index.followers import follow_text
from evidence_app.core.index.ocr import planning as ocr_planning
from evidence_app.core.index.scan import SeenFile, seen_from_stat, stat_one
from evidence_app.core.index.sources import case_ref_for, list_sources
from evidence_app.core.store import documents as docstore
from evidence_app.core.store import fts, queue
from evidence_app.core.store.db import transaction

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.index.indexer import IndexSummary
    from evidence_app.core.store.writer import Writer
    from evidence_app.core.workspace import Workspace

log = logging.getLogger(__name__)

WINDOW_JOB_S = 0.04  # in the window, one writer job of files lasts about this long at most
OPTIMIZE_AFTER = 500  # files written by a pass before the full-text index is merged whole
OPTIMIZE_SHARE = 4  # ... and only if they are at least a quarter of the documents


class OutcomeWriter:
    """The write side of `Indexer`: each batch of outcomes, each file, each failure, and the
    full-text index's tidying after a pass. Every write is a job run by `_in_turn`."""

    ws: Workspace
    writer: Writer | None
    _ocr: ocr_planning.OcrPlan
    _in_turn: Callable[[Callable[[Workspace], Any]], Any]  # Indexer's: runs one write job

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

    def _restat(self, ws: Workspace, path: str) -> SeenFile | None:
        return stat_one(path, list_sources(ws))

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


class _SeenFromOutcomes(dict):
    """The SeenFile of each file in a batch being written: the plan's where it kept one (the
    watcher's passes), else made from the queue's source and the stat the worker took just
    before reading the file (the full plan keeps none). A file without either is stat'ed again
    (`_restat`)."""

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


def _enqueue_rows(db, rows: list[tuple[str, int]], now: str) -> None:
    """Queue (stored path, source id) rows in one short transaction."""
    if not rows:
        return
    with transaction(db):
        queue.enqueue(db.conn, [(p, sid, now) for p, sid in rows])
