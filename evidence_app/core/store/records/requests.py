"""Week-one requests as the tracker shows them (core/store/requests.py reads them).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json


@frozen
class Request:
    """A week-one request as the tracker shows it: who owns it, when it is due, where it stands,
    what proves it was sent, and how much is linked to it (`evidence` items, `documents`)."""

    id: str
    uuid: str
    ofsted_ref: str | None
    title: str
    description: str
    kind: str
    period: str | None
    owner: str | None
    due_at: str | None
    status: str
    sent_at: str | None
    sent_sha256: str | None
    sent_by: str | None
    sent_file: str | None
    retired: bool
    custom: bool
    evidence: int = 0
    documents: int = 0

    @property
    def is_sent(self) -> bool:
        return self.status == "sent"


REQUEST_JSON_KEYS = ("id", "uuid", "ofsted_ref", "title", "kind", "period", "owner", "due_at",
                     "status", "sent_at", "sent_sha256", "sent_by", "sent_file", "retired",
                     "custom", "evidence", "documents")


@as_json.register
def _request_json(request: Request) -> dict:
    return {k: getattr(request, k) for k in REQUEST_JSON_KEYS}
