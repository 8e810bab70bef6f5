"""'Read again with OCR' for chosen documents, and what the CLI and the window show about a
document's scanned pages. Both faces call these; neither touches the SQL."""
from __future__ import annotations


from evidence_app.core.base.frozen import frozen
from evidence_app.core.store import ocr_pages as store
from evidence_app.core.store.db import transaction
from evidence_app.core.base.fsnames import display


@frozen
class OcrDocument:
    """A document's scanned pages as a person (or `--json`) sees them."""

    document_id: int
    path: str
    status: str
    reason: str
    scan_pages: int
    confidence: float | None
    pages: tuple[store.OcrPage, ...]

    def to_json(self) -> dict:
        return {"document_id": self.document_id, "path": display(self.path),
                "status": self.status, "reason": self.reason, "scan_pages": self.scan_pages,
                "confidence": None if self.confidence is None else round(self.confidence, 1),
                "pages": [{"page": p.page, "state": p.state,
                           "confidence": None if p.confidence is None else round(p.confidence, 1),
                           "words": p.words, "reason": p.reason} for p in self.pages]}


def request_again(ws, doc_ids: list[int]) -> list[int]:  # noqa: ANN001
    """Mark every scanned page of these documents to be read again (even with OCR off).
    Returns the ids that have scanned pages."""
    with transaction(ws.db):
        return store.request_again(ws.db.conn, doc_ids)


def describe(ws, doc_id: int) -> OcrDocument | None:  # noqa: ANN001
    conn = ws.db.conn
    doc = store.document_status(conn, doc_id)
    s = store.summary(conn, doc_id)
    if doc is None or s is None:
        return None
    return OcrDocument(doc_id, doc.path, doc.status, doc.reason, s.scan_pages, s.confidence,
                       tuple(store.pages(conn, doc_id)))


def waiting(ws) -> int:  # noqa: ANN001
    """Scanned pages waiting for OCR in this workspace."""
    return store.count_pending(ws.db.conn)
