"""Small read-only lookups the window needs, built only from core store functions (no SQL here).

They run on worker threads with that thread's own connection (`io.ws` / the runner's `ws`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.store import document_reads as docstore

if TYPE_CHECKING:
    from evidence_app.core.store.records import DocumentText, IndexOverview, Problem


def problem_counts(ws) -> int:  # noqa: ANN001
    """How many files are not fully readable (every status but ok), and readable files with
    scanned pages OCR could hardly read."""
    # start-up: loaded when first used (on a worker thread), not before the window is shown
    from evidence_app.core.index import problems

    return problems.problem_count(ws)


def status_overview(ws) -> IndexOverview:  # noqa: ANN001
    """Files by status, attachments and folders, for the status bar's plain-words summary."""
    return docstore.overview(ws.db)


def problem_documents(ws) -> list[Problem]:  # noqa: ANN001
    """The Problems list (the core's rule: core/index/problems.py)."""
    # start-up: loaded when first used (on a worker thread), not before the window is shown
    from evidence_app.core.index import problems

    return problems.problems(ws)


def case_refs(ws) -> list[str]:  # noqa: ANN001
    """Every case reference seen in the case files, for the search box's completion (the core's
    query: distinct references, no document rows loaded)."""
    # start-up: loaded when first used (on a worker thread), not before the window is shown
    from evidence_app.core.evidence import case_file

    return case_file.case_refs(ws)


def example_cases(ws, word: str = "visit") -> list[str]:  # noqa: ANN001
    """Case references whose files mention `word`, most documents first: the empty search
    place's example (`case:REF visit`) must find something in this workspace."""
    # start-up: loaded when first used, not when the window opens
    from evidence_app.core.search.search import search

    try:
        hits = search(ws, word, limit=200).hits
    except EvidenceError:
        return []
    counts: dict[str, int] = {}
    for h in hits:
        if h.case_ref:
            counts[h.case_ref] = counts.get(h.case_ref, 0) + 1
    return sorted(counts, key=lambda r: (-counts[r], r))[:3]


def document_text(ws, doc_id: int) -> DocumentText:  # noqa: ANN001
    """A document's facts and chunks, for the preview."""
    # start-up: loaded when first used (on a worker thread), not before the window is shown
    from evidence_app.core.store.records import DocumentText

    doc = docstore.get_document(ws.db, doc_id)
    return DocumentText(doc, tuple(docstore.document_chunks(ws.db, doc_id)) if doc else ())
