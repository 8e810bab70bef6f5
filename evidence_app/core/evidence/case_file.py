"""One child's case as a person looks at it: its details, the readiness checklist, every document
filed under it and the evidence drawn from it.

The case page used to gather this itself by searching `case:REF` with a limit of 500, so a
case with more files showed only some of them; here the documents come from one indexed query
on the documents' case reference, all of them, and the evidence from the evidence stage's own
filter. The view only shows what this returns.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evidence_app.core.base.frozen import frozen
from evidence_app.core.evidence import cases, evidence
from evidence_app.core.store import cases as store

if TYPE_CHECKING:
    from evidence_app.core.workspace import Workspace


@frozen
class CaseDocument:
    """A document filed under a case (an attachment names the file it came in)."""

    id: int
    title: str
    path: str
    member: str
    status: str

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "path": self.path, "member": self.member,
                "status": self.status}


@frozen
class CaseFile:
    case: Any               # the case, without its private name
    readiness: list[dict]
    documents: list[CaseDocument]
    items: list[Any]        # the live evidence items filed under the case


def documents(ws: Workspace, ref: str) -> list[CaseDocument]:
    """Every document filed under the case, newest file first (no limit)."""
    return [CaseDocument(r["id"], r["title"] or r["name"], r["path"], r["member"] or "",
                         r["status"])
            for r in store.documents_of(ws.conn, cases.norm_ref(ref))]


def case_file(ws: Workspace, ref: str) -> CaseFile:
    """Everything the case page shows but the child's name (NotFound for an unknown case)."""
    case = cases.get_case(ws, ref)
    return CaseFile(case, cases.readiness(ws, ref), documents(ws, ref),
                    evidence.list_items(ws, case=ref))


def case_refs(ws: Workspace) -> list[str]:
    """The case references documents are filed under, sorted: for the search box's `case:`
    completion. One walk of the index on the reference column, no document rows loaded."""
    return store.document_refs(ws.conn)
