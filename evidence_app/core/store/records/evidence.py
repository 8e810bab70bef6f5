"""Evidence items: a document or a passage filed under lines of enquiry and requests
(core/store/evidence.py reads them; core/evidence/evidence.py holds their rules).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.base.fsnames import display
from evidence_app.core.store.records.base import as_json


@frozen
class EvidenceItem:
    """A document or an exact passage filed under lines of enquiry and/or week-one requests.

    `anchor` is derived when read ('missing' the moment the document is); `case_ref` is the
    item's own case or else its document's, `case_ref_set` only the item's own."""

    id: int
    uuid: str
    document_id: int | None
    document_uuid: str | None
    path: str | None
    member: str | None
    title: str | None
    quote: str | None
    current_quote: str | None
    context_before: str | None
    context_after: str | None
    start: int | None
    end: int | None
    page: int | None
    text_version: int | None
    anchor: str
    similarity: float | None
    note: str
    strength: str
    kind: str
    author: str | None
    case_ref: str | None
    case_ref_set: str | None
    created_at: str
    updated_at: str
    deleted_at: str | None
    enquiries: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()

    @property
    def links(self) -> tuple[str, ...]:
        """Every line of enquiry and request it is filed under."""
        return self.enquiries + self.requests

    @property
    def shown_quote(self) -> str | None:
        """The passage as the document says it now (else as it was tagged); None: whole file."""
        return self.current_quote or self.quote

    @property
    def is_passage(self) -> bool:
        return self.quote is not None


ITEM_JSON_KEYS = ("id", "uuid", "document_id", "path", "member", "title", "quote",
                  "current_quote", "enquiries", "requests", "strength", "kind", "anchor",
                  "similarity", "note", "author", "page", "start", "end", "case_ref",
                  "created_at", "updated_at")


@as_json.register
def _item_json(item: EvidenceItem) -> dict:
    out = {k: getattr(item, k) for k in ITEM_JSON_KEYS}
    out["enquiries"], out["requests"] = list(item.enquiries), list(item.requests)
    if out["path"]:
        out["path"] = display(out["path"])  # the stored form escapes names that are not UTF-8
    return out
