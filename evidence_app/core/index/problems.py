"""The Problems list: every file whose text could not be read fully, and every scan OCR could
hardly read, one record per document with the reason in plain words.

A rule, not a view: the window's Problems dialog and count, and the `problems` command, show
the same list. A document both unreadable in another way and with hard-to-read scanned pages
is one row with both reasons; files no longer in their folders come last.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from evidence_app.core.base.doc_status import MISSING, OK
from evidence_app.core.store import document_reads, ocr_pages
from evidence_app.core.store.ocr_pages import HardToRead
from evidence_app.core.store.records import Document, Problem

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

HARD_TO_READ = "scan_hard_to_read"  # the status a Problem has for a poor scan (not a document's)
PAGES_NAMED = 8  # a reason names this many poorly read pages, then "…"


def hard_to_read_reason(pages: tuple[tuple[int, float], ...]) -> str:
    """'scan hard to read: OCR was unsure of page 2 (31%), …. Check those pages …'."""
    named = ", ".join(f"page {p} ({c:.0f}%)" for p, c in pages[:PAGES_NAMED])
    more = "…" if len(pages) > PAGES_NAMED else ""
    return (f"scan hard to read: OCR was unsure of {named}{more}. Check those pages against the "
            "original, or use Read again with OCR after a better scan.")


def problems(ws: Workspace) -> list[Problem]:
    """Every problem, readable files with poor scans included, missing files last."""
    return merge(document_reads.not_readable(ws.db.conn), ocr_pages.hard_to_read(ws.db.conn))


def merge(not_readable: Iterable[Document], hard: Iterable[HardToRead]) -> list[Problem]:
    """One row per document: each one not read in full, and each readable one with scanned
    pages OCR could hardly read; both reasons when a document is both. By path, missing last."""
    rows = {d.id: Problem(d.id, d.path, d.member, d.status, d.reason, d.stale)
            for d in not_readable}
    for h in hard:
        reason = hard_to_read_reason(h.pages)
        known = rows.get(h.document_id)
        if known is None:
            if h.status == OK:
                rows[h.document_id] = Problem(h.document_id, h.path, h.member, HARD_TO_READ,
                                              reason, 0)
        else:  # also unreadable in another way: one row, both reasons
            rows[h.document_id] = replace(known, reason=f"{known.reason or ''} {reason}".lstrip())
    return sorted(rows.values(), key=lambda p: (p.status == MISSING, p.path, p.member))


def problem_count(ws: Workspace) -> int:
    """How many rows the Problems list has (counted, not listed: the status bar asks often)."""
    hard = sum(1 for h in ocr_pages.hard_to_read(ws.db.conn) if h.status == OK)
    return sum(n for status, n in document_reads.counts_by_status(ws.db.conn).items()
               if status != OK) + hard
