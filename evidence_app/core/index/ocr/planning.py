"""The link between the fast pass and OCR: after a file's text layer is written, its scanned
pages are recorded as waiting (or get back the text OCR already read from the same file)."""
from __future__ import annotations


from evidence_app.core.base.frozen import frozen
from evidence_app.core.index.extractors.base import EMPTY, OK, Extracted
from evidence_app.core.store import ocr_pages as store


@frozen
class OcrPlan:
    """What the workspace says about OCR, read once per pass."""

    on: bool
    cap: int

    @classmethod
    def of(cls, ws) -> "OcrPlan":  # noqa: ANN001 - a Workspace
        from evidence_app.core import settings  # start-up: loaded only when this runs

        return cls(settings.ocr_enabled(ws), settings.ocr_page_cap(ws))


def note(conn, doc_id: int, sha256: str | None, result: Extracted | None,  # noqa: ANN001
         plan: OcrPlan) -> bool:
    """Call inside the write transaction of a top-level file. Returns True when OCR text read
    earlier from the same file was merged back (the document's text changed)."""
    if result is None or result.status not in (OK, EMPTY):
        return False  # unreadable now: the last good text (OCR's too) stays, marked stale
    scan_pages = [int(p) for p in (result.metadata or {}).get("scan_pages", ())]
    again = store.note_scan_pages(conn, doc_id, sha256, scan_pages, result.reason or "",
                                  plan.cap, plan.on)
    if again:
        # start-up: loaded only when this runs
        from evidence_app.core.index.ocr.merge import merge_text

        merge_text(conn, doc_id, plan.on)
    return again
