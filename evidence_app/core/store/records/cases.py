"""Children's cases, a document's case link and a sampled case's readiness checklist
(core/store/cases.py reads them).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json


@frozen
class Case:
    """A child's case. The private fields (`name`, `other_names`, `relatives`, `dob`) are filled
    only when asked for (`include_name=True`); `private` says whether they were."""

    id: int
    uuid: str
    ref: str
    alias: str | None
    worker: str | None
    team: str | None
    status: str | None
    sampled: bool
    open: bool
    redact: tuple[str, ...]
    has_name: bool
    created_at: str
    updated_at: str
    private: bool = False
    name: str | None = None
    other_names: tuple[str, ...] = ()
    relatives: tuple[dict, ...] = ()   # {"name": ..., "role": ...}
    dob: str | None = None

    @property
    def label(self) -> str:
        """"Child A (CH-004512)", or the reference alone."""
        return f"{self.alias} ({self.ref})" if self.alias else self.ref


CASE_JSON_KEYS = ("id", "uuid", "ref", "alias", "worker", "team", "status", "sampled", "open",
                  "redact", "has_name", "created_at", "updated_at")


@as_json.register
def _case_json(case: Case) -> dict:
    out = {k: getattr(case, k) for k in CASE_JSON_KEYS}
    out["redact"] = list(case.redact)
    if case.private:
        out.update(name=case.name, other_names=list(case.other_names),
                   relatives=[dict(r) for r in case.relatives], dob=case.dob)
    return out


@frozen
class CaseLink:
    """A document's case as linked by hand (`case_ref` None: unlinked)."""

    document_id: int
    case_ref: str | None


@frozen
class ReadinessItem:
    """One line of a sampled case's readiness checklist, with who ticked it and when."""

    item: str
    label: str
    done: bool
    by: str | None
    at: str | None


@as_json.register
def _readiness_json(r: ReadinessItem) -> dict:
    return {"item": r.item, "label": r.label, "done": r.done, "by": r.by, "at": r.at}
