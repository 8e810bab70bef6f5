"""The typed records the store hands out: frozen dataclasses, one class per kind of row.

Rows used to travel as dicts, read by string keys in the core, the CLI and the window; a typo was
a KeyError at run time. A record names its fields once, here. `as_json(record)` gives the
`--json` shape of each type (one function per type, registered below); those field names are a
contract other tools rely on, so they do not change when a field is added here.

Each stage that owns a type adds its class (and its `as_json`) here, kept together by family.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch


@singledispatch
def as_json(record) -> dict:  # noqa: ANN001
    """The `--json` shape of a record (each type registers its own)."""
    raise TypeError(f"no JSON shape for {type(record).__name__}")


# -- self-evaluation (core/store/sef.py) -------------------------------------------------------
@dataclass(frozen=True)
class SefCitation:
    """What a claim cites: an evidence item (ref = its id), a saved search (its name) or a
    figure (its name)."""

    kind: str
    ref: str
    position: int = 0


@dataclass(frozen=True)
class SefClaim:
    id: int
    uuid: str
    area: str
    question: str
    type: str
    text: str
    position: int
    author: str
    created_at: str
    updated_at: str
    deleted_at: str | None = None
    enquiries: tuple[str, ...] = ()
    citations: tuple[SefCitation, ...] = ()


@dataclass(frozen=True)
class SefAction:
    id: int
    uuid: str
    claim_id: int
    what: str
    owner: str
    due: str | None
    status: str
    created_at: str
    updated_at: str
    deleted_at: str | None = None


@dataclass(frozen=True)
class SefVersion:
    id: int
    uuid: str
    name: str
    frozen_at: str
    frozen_by: str
    snapshot: str           # JSON of the document as it stood (core/sef/document.py)
    deleted_at: str | None = None


@dataclass(frozen=True)
class CitedItem:
    """What the self-evaluation needs to know of an evidence item to judge a claim by it."""

    id: int
    strength: str
    kind: str
    anchor: str             # document, anchored, moved, orphaned, missing
    deleted: bool
    title: str
    case_ref: str
    enquiries: tuple[str, ...] = ()
    retired_enquiries: tuple[str, ...] = ()
    quote: str = ""


# -- cases --------------------------------------------------------------------------------------
@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


# -- the framework ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FrameworkArea:
    """A judgement area ("Help and protection"); retired areas are kept for old evidence."""

    id: str
    uuid: str
    title: str
    short_title: str | None
    position: int
    retired: bool
    custom: bool = False


@as_json.register
def _area_json(a: FrameworkArea) -> dict:
    """`framework list --json` areas: id, uuid, title, short_title, position, retired."""
    return {"id": a.id, "uuid": a.uuid, "title": a.title, "short_title": a.short_title,
            "position": a.position, "retired": a.retired}


@dataclass(frozen=True)
class Enquiry:
    """A line of enquiry, with its area's title; `retired` is true when it or its area is."""

    id: str
    uuid: str
    area_id: str
    area_title: str
    title: str
    prompt: str
    position: int
    retired: bool
    custom: bool

    def to_json(self) -> dict:
        return as_json(self)


@as_json.register
def _enquiry_json(e: Enquiry) -> dict:
    return {"id": e.id, "uuid": e.uuid, "area_id": e.area_id, "area_title": e.area_title,
            "title": e.title, "prompt": e.prompt, "position": e.position, "retired": e.retired,
            "custom": e.custom}


# -- saved searches -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SavedSearch:
    """A search kept under a name, optionally for a line of enquiry."""

    id: int
    uuid: str
    name: str
    query: str
    enquiry_id: str | None
    author: str | None
    created_at: str


@as_json.register
def _saved_search_json(s: SavedSearch) -> dict:
    """`saved-search list --json`: id, uuid, name, query, enquiry_id, author, created_at."""
    return {"id": s.id, "uuid": s.uuid, "name": s.name, "query": s.query,
            "enquiry_id": s.enquiry_id, "author": s.author, "created_at": s.created_at}
