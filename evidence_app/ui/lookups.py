"""Small read-only lookups the window needs, built only from core store functions (no SQL here).

They run on worker threads with that thread's own connection (`io.ws` / the runner's `ws`).
"""
from __future__ import annotations

from evidence_app.core.evidence import case_file
from evidence_app.core.store import documents as docstore
from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.store import ocr_pages


def problem_counts(ws) -> int:  # noqa: ANN001
    """How many files are not fully readable (every status but ok), and readable files with
    scanned pages OCR could hardly read."""
    hard = sum(1 for h in ocr_pages.hard_to_read(ws.db.conn) if h.status == "ok")
    return sum(n for status, n in docstore.counts_by_status(ws.db).items() if status != "ok") \
        + hard


def status_overview(ws) -> dict:  # noqa: ANN001
    """Files by status, attachments and folders, for the status bar's plain-words summary."""
    return docstore.overview(ws.db)


def problem_documents(ws) -> list[dict]:  # noqa: ANN001
    rows: list[dict] = []
    for status in docstore.counts_by_status(ws.db):
        if status == "ok":
            continue
        rows.extend(docstore.list_documents(ws.db, status))

    for h in ocr_pages.hard_to_read(ws.db.conn):
        pages = ", ".join(f"page {p} ({c:.0f}%)" for p, c in h.pages[:8])
        more = "…" if len(h.pages) > 8 else ""
        row = {"id": h.document_id, "path": h.path, "member": h.member, "stale": 0,
               "status": "scan_hard_to_read",
               "reason": f"scan hard to read: OCR was unsure of {pages}{more}. Check those pages "
                         "against the original, or use Read again with OCR after a better scan."}
        if h.status == "ok":
            rows.append(row)
        else:  # also unreadable in another way: one row, both reasons
            rows = [dict(r, reason=r["reason"] + " " + row["reason"]) if r["id"] == h.document_id
                    else r for r in rows]
    rows.sort(key=lambda r: (r["status"] == "missing", r["path"], r["member"]))
    return [{"id": r["id"], "path": r["path"], "member": r["member"], "status": r["status"],
             "reason": r["reason"], "stale": r["stale"]} for r in rows]


def case_refs(ws) -> list[str]:  # noqa: ANN001
    """Every case reference seen in the case files, for the search box's completion (the core's
    query: distinct references, no document rows loaded)."""
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


def document_text(ws, doc_id: int) -> dict:  # noqa: ANN001
    """A document's facts and chunks, for the preview."""
    doc = docstore.get_document(ws.db, doc_id)
    chunks = docstore.document_chunks(ws.db, doc_id) if doc else []
    return {"document": doc, "chunks": chunks}
