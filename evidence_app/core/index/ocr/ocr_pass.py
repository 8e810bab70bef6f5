"""The second pass: scanned pages waiting for OCR are read in the extraction workers and their
text joins the index, page by page, after the fast pass has made every file findable.

One page is one task, so the pool's time and memory limits apply per page, progress counts pages
("reading scanned pages: 12 of 340") and Cancel stops after the pages in hand. A document becomes
searchable in steps: its text is merged after each MERGE_EVERY pages and at its last page.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback, no_progress
from evidence_app.core.index.extract_pool import ExtractPool
from evidence_app.core.index.extract_worker import Outcome, Task
from evidence_app.core.index.extractors.base import OK, TIMEOUT
from evidence_app.core.index.followers import follow_text
from evidence_app.core.index.ocr.merge import merge_text
from evidence_app.core.store import ocr_pages as store
from evidence_app.core.store.db import transaction
import re

MERGE_EVERY = 10        # pages of one document between merges of its text into the index
STAGE = "ocr"           # Progress.stage of this pass


@dataclass
class OcrRun:
    """What one OCR pass did (the CLI's summary and `--json`)."""

    pages_total: int = 0
    pages_read: int = 0
    pages_failed: int = 0
    pages_left: int = 0
    documents: list[int] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0

    def line(self) -> str:
        if not self.pages_total:
            return "No scanned pages are waiting for OCR."
        text = (f"reading scanned pages: {self.pages_read + self.pages_failed:,} of "
                f"{self.pages_total:,} done ({self.pages_read:,} read")
        if self.pages_failed:
            text += f", {self.pages_failed:,} could not be read"
        text += f") in {len(self.documents):,} document"
        text += "s" if len(self.documents) != 1 else ""
        text += f" in {self.seconds:.1f} s"
        if self.pages_left:
            text += f"; {self.pages_left:,} still waiting"
        return text + (" (cancelled: run again to finish)" if self.cancelled else "")


class _Budget(CancelToken):
    """Cancelled when the caller cancels or the time budget is spent (the window reads scans in
    slices so new and changed files never wait behind a long scan)."""

    def __init__(self, outer: CancelToken | None, seconds: float | None) -> None:
        super().__init__()
        self.outer = outer
        self.until = time.monotonic() + seconds if seconds else None

    @property
    def cancelled(self) -> bool:  # type: ignore[override]
        if self.outer is not None and self.outer.cancelled:
            return True
        return self.until is not None and time.monotonic() > self.until


def run_ocr(ws, pool: ExtractPool, *, ocr_on: bool = True,  # noqa: ANN001 - a Workspace
            requested_only: bool = False, doc_ids: list[int] | None = None,
            on_progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
            budget_s: float | None = None, done_before: int = 0,
            total_hint: int | None = None, in_turn=None) -> OcrRun:  # noqa: ANN001
    """Read the pending scanned pages (all, only those asked for again, or these documents).
    `done_before`/`total_hint` let a caller that reads in slices show one running count.
    `in_turn(fn)` runs a write job `fn(ws)` (the window's serial writer; default: here)."""
    in_turn = in_turn or (lambda fn: fn(ws))
    started = time.perf_counter()
    conn = ws.db.conn
    todo = store.pending(conn, requested_only=requested_only, doc_ids=doc_ids)
    run = OcrRun(pages_total=len(todo))
    if not todo:
        return run
    total = max(total_hint or 0, done_before + len(todo))
    by_key = {(t.path, t.page): t for t in todo}
    left = {}
    for t in todo:
        left[t.document_id] = left.get(t.document_id, 0) + 1
    since_merge: dict[int, int] = {}
    token = _Budget(cancel, budget_s)
    tasks = [Task(t.path, t.sha256, ocr_page=t.page) for t in todo]
    done = 0
    t0 = time.monotonic()
    for outcome in pool.run(tasks, token, prefetch=1):
        task = by_key.get((outcome.path, outcome.ocr_page))
        if task is None:
            continue
        done += 1
        left[task.document_id] -= 1
        since_merge[task.document_id] = since_merge.get(task.document_id, 0) + 1
        merge = left[task.document_id] == 0 or since_merge[task.document_id] >= MERGE_EVERY
        in_turn(lambda w, t=task, o=outcome, m=merge: _write(w, t, o, m, ocr_on, run))
        if merge:
            since_merge[task.document_id] = 0
        rate = done / (time.monotonic() - t0) if time.monotonic() > t0 else 0.0
        on_progress(Progress(done_before + done, total, os.path.basename(task.path), rate,
                             STAGE))
    # documents whose last merge is still owed (cancelled part-way)
    owed = [d for d, n in since_merge.items() if n]
    if owed:
        in_turn(lambda w: _merge_owed(w, owed, ocr_on))
    run.cancelled = bool(token.cancelled)
    run.pages_left = store.count_pending(conn, requested_only=requested_only)
    run.seconds = time.perf_counter() - started
    return run


def _merge_owed(ws, owed: list[int], ocr_on: bool) -> None:  # noqa: ANN001
    with transaction(ws.db):
        for doc_id in owed:
            merge_text(ws.db.conn, doc_id, ocr_on)
            store.finish_request(ws.db.conn, doc_id)
        follow_text(ws, owed)


def _write(ws, task: store.PageTask, outcome: Outcome, merge: bool,  # noqa: ANN001
           ocr_on: bool, run: OcrRun) -> None:
    conn = ws.db.conn
    result = outcome.result
    with transaction(ws.db):
        if store.current_sha(conn, task.document_id) != task.sha256:
            return  # the file changed while its pages were read: the new version waits
        if result is None:
            store.record_page(conn, task.document_id, task.page, store.FAILED,
                              reason="The file was not found when its page was read.")
            run.pages_failed += 1
        elif result.status == OK or (result.status == "empty" and "confidence" in
                                     result.metadata):
            text = "\n\n".join(s.text for s in result.sections).strip()
            store.record_page(conn, task.document_id, task.page, store.DONE,
                              confidence=float(result.metadata.get("confidence") or 0.0),
                              words=int(result.metadata.get("words") or 0) if text else 0,
                              text=text)
            run.pages_read += 1
        else:
            reason = result.reason
            if result.status == TIMEOUT:
                reason = (f"Reading the page took longer than {ws_limit(outcome)} seconds.")
            store.record_page(conn, task.document_id, task.page, store.FAILED, reason=reason)
            run.pages_failed += 1
        if task.document_id not in run.documents:
            run.documents.append(task.document_id)
        if merge:
            merge_text(conn, task.document_id, ocr_on)
            store.finish_request(conn, task.document_id)
            follow_text(ws, [task.document_id])  # evidence re-anchors on the new text


def ws_limit(outcome: Outcome) -> str:
    """The time limit as the pool's reason said it ('30'), for a page's own reason."""
    found = re.search(r"longer than ([\d.]+) seconds", outcome.result.reason or "")
    return found.group(1) if found else "the allowed number of"
