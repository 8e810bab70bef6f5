"""The typed records the store hands out: frozen dataclasses, one class per kind of row.

Rows used to travel as dicts, read by string keys in the core, the CLI and the window; a typo was
a KeyError at run time. A record names its fields once, here. `as_json(record)` gives the
`--json` shape of each type (one function per type, registered below); those field names are a
contract other tools rely on, so they do not change when a field is added here.

Each stage that owns a type adds its class (and its `as_json`) here, kept together by family.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache, singledispatch
from typing import Any
from pathlib import Path

from evidence_app.core.base.fsnames import display, to_disk


@singledispatch
def as_json(record) -> dict:  # noqa: ANN001
    """The `--json` shape of a record (each type registers its own)."""
    raise TypeError(f"no JSON shape for {type(record).__name__}")


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _field_set(cls: type) -> frozenset[str]:
    return frozenset(_field_names(cls))


@cache
def _fillable(cls: type) -> bool:
    """Can a record of `cls` be made by filling its `__dict__`? Not when it keeps its fields in
    slots, or checks them in `__post_init__` (those always go through `__init__`)."""
    return (not hasattr(cls, "__post_init__")
            and not any("__slots__" in vars(k) for k in cls.__mro__[:-1]))


def _fill(cls: type, values: Iterable[tuple[str, Any]]):  # noqa: ANN202
    """A `cls` record whose fields are exactly these (name, value) pairs, made without running
    the frozen `__init__` (which sets each field through `object.__setattr__`: that cost the
    evidence list and the coverage heat map about a third of their time, see
    tests/benchmarks/bench_evidence.py). The record is the same as `cls(**values)` would give:
    equal, hashed alike, still frozen to every later assignment."""
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


def build(cls: type, values: Mapping[str, Any]):  # noqa: ANN201
    """`cls(**values)`, faster, for the store's and the core's own values (a count per cell, a
    row per item): `values` must name every field of `cls` once, and nothing else (else the
    ordinary constructor runs, and says what is wrong)."""
    if values.keys() == _field_set(cls) and _fillable(cls):
        return _fill(cls, values.items())
    return cls(**values)


def adopt(cls: type, values: dict[str, Any]):  # noqa: ANN201
    """`build` without copying: the record takes `values` as its own fields. Only for a dict
    made for this record and dropped at once (the heat map's ~5,000 cells of counts, split by
    case): changing it afterwards would change the record. Anything else: `build`."""
    return adopter(cls)(values)


@cache
def adopter(cls: type) -> Callable[[dict[str, Any]], Any]:
    """`adopt` for one class, its checks prepared once (a loop of thousands of cells)."""
    names, new, put = _field_set(cls), object.__new__, object.__setattr__
    if not _fillable(cls):
        return lambda values: cls(**values)

    def make(values: dict[str, Any]):  # noqa: ANN202
        if type(values) is dict and values.keys() == names:
            record = new(cls)
            put(record, "__dict__", values)  # past the frozen __setattr__, once
            return record
        return build(cls, values)

    return make


def from_row(cls: type, row: Sequence | Mapping, **convert: Callable[[Any], Any]):  # noqa: ANN201
    """A `cls` record from one row: a tuple in the order of its fields (the SELECT lists them
    so), or a mapping by column name, whose columns the record lacks are left out. `convert`
    turns a stored value into the field's (`retired=bool`, `report=json.loads`). The one
    "row → record" step of every store family."""
    names = _field_names(cls)
    if type(row) is tuple and len(row) == len(names) and _fillable(cls):  # every field: fast
        record = _fill(cls, zip(names, row))
        values = record.__dict__
        for name, turn in convert.items():
            values[name] = turn(values[name])
        return record
    if isinstance(row, Mapping):
        values = {k: row[k] for k in names if k in row}
    else:
        values = dict(zip(names, row))
    for name, turn in convert.items():
        values[name] = turn(values[name])
    return cls(**values)


def row_maker(cls: type, **convert: Callable[[Any], Any]) -> Callable[[Sequence], Any]:
    """`from_row(cls, row, **convert)` prepared once, for a family's hottest read (thousands of
    evidence items in a list): the class is checked here, not per row. A row that is not a
    tuple of every field goes the ordinary way."""
    names = _field_names(cls)
    if not _fillable(cls):
        return lambda row: from_row(cls, row, **convert)
    width, turns, new = len(names), tuple(convert.items()), object.__new__

    def make(row: Sequence):  # noqa: ANN202
        if type(row) is not tuple or len(row) != width:
            return from_row(cls, row, **convert)
        record = new(cls)
        values = record.__dict__
        values.update(zip(names, row))
        for name, turn in turns:
            values[name] = turn(values[name])
        return record

    return make


# -- evidence items -----------------------------------------------------------------------------
@dataclass(frozen=True)
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


# -- week-one requests (the tracker) --------------------------------------------------------------
@dataclass(frozen=True)
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


# -- bundles -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleSection:
    """A section of a bundle with its evidence item ids in the bundle's order."""

    id: int
    uuid: str
    position: int
    kind: str
    ref: str | None
    title: str
    intro: str | None
    items: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bundle:
    """A bundle: its settings and its sections in order (deleted items left out)."""

    id: int
    uuid: str
    title: str
    purpose: str
    grouping: str
    inspection: str | None
    prepared_by: str | None
    created_by: str | None
    created_at: str
    updated_at: str
    marking: str
    external: bool
    pseudonymise: bool
    append_sources: bool
    sections: tuple[BundleSection, ...] = ()

    @property
    def item_ids(self) -> list[int]:
        """Every item id in the order shown (the evidence numbers E-001… follow it)."""
        return [i for s in self.sections for i in s.items]

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def section_of(self, item_id: int) -> BundleSection | None:
        return next((s for s in self.sections if item_id in s.items), None)


BUNDLE_JSON_KEYS = ("id", "uuid", "title", "purpose", "grouping", "inspection", "prepared_by",
                    "created_by", "created_at", "updated_at", "marking", "external",
                    "pseudonymise", "append_sources")


@as_json.register
def _bundle_json(bundle: Bundle) -> dict:
    """The bundle's fields with its item count; `bundle show` adds its own sections."""
    return {k: getattr(bundle, k) for k in BUNDLE_JSON_KEYS} | {"items": bundle.item_count}


@dataclass(frozen=True)
class BundleSummary:
    """A line of the bundle list: counts, the last export, and the settings."""

    id: int
    uuid: str
    title: str
    grouping: str
    sections: int
    items: int
    exported_at: str | None
    updated_at: str
    marking: str
    external: bool
    pseudonymise: bool
    append_sources: bool


@as_json.register
def _summary_json(summary: BundleSummary) -> dict:
    return {k: getattr(summary, k) for k in BundleSummary.__dataclass_fields__}


@dataclass(frozen=True)
class ExportLogEntry:
    """One line of a bundle's export log: when, by whom, where, the file's SHA-256 and size,
    how many items, and whether it was pseudonymised. `sources` (each cited document: name,
    rel_path, sha256, modified, evidence numbers) and `redactions` (kind, where, count) are the
    JSON kept with the export, as written then: old exports keep their old shape."""

    id: int
    uuid: str
    bundle_id: int
    at: str
    who: str
    path: str
    manifest: str
    sha256: str
    size: int
    items: int
    pseudonymised: bool
    append_sources: bool
    sources: tuple[dict, ...]
    redactions: tuple[dict, ...]
    seconds: float | None


@as_json.register
def _export_log_json(e: ExportLogEntry) -> dict:
    """A `bundle exports --json` entry: every field, in the stored order."""
    out = {k: getattr(e, k) for k in ExportLogEntry.__dataclass_fields__}
    out["sources"], out["redactions"] = list(e.sources), list(e.redactions)
    return out


@dataclass(frozen=True)
class BundleRow:
    """One evidence item as a bundle shows it: its number (E-003), where it sits, and the item."""

    number: str
    section_id: int
    position: int
    item: EvidenceItem


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
class CaseLink:
    """A document's case as linked by hand (`case_ref` None: unlinked)."""

    document_id: int
    case_ref: str | None


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


@dataclass(frozen=True)
class FrameworkRequest:
    """A week-one request as the framework lists it (what Ofsted asks for, in its order); the
    tracker's view of the same row (owner, due date, status) is `Request`."""

    id: str
    uuid: str
    ofsted_ref: str | None
    title: str
    description: str
    kind: str
    period: str | None
    position: int
    retired: bool
    custom: bool


@as_json.register
def _framework_request_json(r: FrameworkRequest) -> dict:
    """`framework list --json` requests: id, uuid, ofsted_ref, title, description, kind, period,
    position, retired, custom."""
    return {k: getattr(r, k) for k in FrameworkRequest.__dataclass_fields__}


@dataclass(frozen=True)
class FrameworkEdit:
    """What renaming, retiring or moving a line or request did: its id and kind, the fields
    that changed (none: it already read so), and for a move its new 1-based position."""

    id: str
    kind: str               # "enquiry" or "request"
    changed: tuple[str, ...] = ()
    position: int | None = None


# -- coverage (core/evidence/coverage.py) -------------------------------------------------------
COUNT_KEYS = ("strong", "moderate", "weak", "strength", "development", "impact", "total")


@dataclass(frozen=True)
class CoverageCounts:
    """Evidence items by strength and by kind, and all of them: one heat-map cell, and the
    counts every coverage row and area carries. An item filed under two lines counts for each."""

    strong: int
    moderate: int
    weak: int
    strength: int
    development: int
    impact: int
    total: int


@as_json.register
def _counts_json(c: CoverageCounts) -> dict:
    return {k: getattr(c, k) for k in COUNT_KEYS}


@dataclass(frozen=True)
class CoverageRow(CoverageCounts):
    """One line of enquiry's coverage, with a cell of counts per group (case, team, worker or
    area; groups without evidence have no cell)."""

    enquiry: str
    title: str
    area: str
    cells: Mapping[str, CoverageCounts]


@as_json.register
def _coverage_row_json(r: CoverageRow) -> dict:
    return {"enquiry": r.enquiry, "title": r.title, "area": r.area, **_counts_json(r),
            "cells": {g: _counts_json(c) for g, c in r.cells.items()}}


@dataclass(frozen=True)
class AreaCoverage(CoverageCounts):
    """A judgement area's totals: its lines, how many are gaps, and the counts of their items."""

    area: str
    title: str
    enquiries: int
    gaps: int


@as_json.register
def _area_coverage_json(a: AreaCoverage) -> dict:
    return {"area": a.area, "title": a.title, "enquiries": a.enquiries, "gaps": a.gaps,
            **_counts_json(a)}


@dataclass(frozen=True)
class CoverageGap:
    """A line of enquiry with no strong evidence, and what it has instead."""

    enquiry: str
    title: str
    area: str
    total: int
    moderate: int
    weak: int

    @property
    def strong(self) -> int:
        """Nothing strong, by definition (so a gap's coverage level reads like a row's)."""
        return 0


@as_json.register
def _gap_json(g: CoverageGap) -> dict:
    return {k: getattr(g, k) for k in CoverageGap.__dataclass_fields__}


@dataclass(frozen=True)
class CaseReadiness:
    """A sampled case's readiness: checklist items done of all, what is missing, its evidence."""

    ref: str
    alias: str | None
    worker: str | None
    team: str | None
    status: str | None
    done: int
    total: int
    ready: bool
    missing: tuple[str, ...]
    evidence: int


@as_json.register
def _readiness_row_json(r: CaseReadiness) -> dict:
    out = {k: getattr(r, k) for k in CaseReadiness.__dataclass_fields__}
    out["missing"] = list(r.missing)
    return out


@dataclass(frozen=True)
class Coverage:
    """The coverage picture: one row per line of enquiry (split into `groups` by `by`), the
    areas' totals, the gaps and the sampled cases' readiness."""

    by: str
    groups: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    areas: tuple[AreaCoverage, ...]
    gaps: tuple[CoverageGap, ...]
    readiness: tuple[CaseReadiness, ...]

    @property
    def total(self) -> int:
        """Evidence items counted across the areas (per line filed under)."""
        return sum(a.total for a in self.areas)


@as_json.register
def _coverage_json(c: Coverage) -> dict:
    """`coverage --json`: by, groups, rows, areas, gaps, readiness."""
    return {"by": c.by, "groups": list(c.groups), "rows": [as_json(r) for r in c.rows],
            "areas": [as_json(a) for a in c.areas], "gaps": [as_json(g) for g in c.gaps],
            "readiness": [as_json(r) for r in c.readiness]}


@dataclass(frozen=True)
class Caseload:
    """Open cases of one worker or team (`by` says which; `name` is "(none)" for cases without
    one), how many are sampled, and the split by legal status."""

    by: str
    name: str
    open: int
    sampled: int
    by_status: Mapping[str, int]


@as_json.register
def _caseload_json(c: Caseload) -> dict:
    """A `caseloads --json` row: {worker or team, open, sampled, by_status}."""
    return {c.by: c.name, "open": c.open, "sampled": c.sampled, "by_status": dict(c.by_status)}


@dataclass(frozen=True)
class Caseloads:
    by_worker: tuple[Caseload, ...]
    by_team: tuple[Caseload, ...]


@as_json.register
def _caseloads_json(c: Caseloads) -> dict:
    return {"by_worker": [as_json(r) for r in c.by_worker],
            "by_team": [as_json(r) for r in c.by_team]}


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


# -- index (core/store/sources.py, core/store/document_reads.py) --------------------------------
@dataclass(frozen=True)
class Source:
    """A source folder: where case files or policies live (read, never written)."""

    id: int
    uuid: str
    path: Path  # disk form
    kind: str  # case-files | policies | other
    include: tuple[str, ...]
    exclude: tuple[str, ...]


@as_json.register
def source_as_json(source: Source) -> dict:
    """The `source list --json` shape (field names are a contract)."""
    return {"id": source.id, "uuid": source.uuid, "path": display(str(source.path)),
            "kind": source.kind, "include": list(source.include),
            "exclude": list(source.exclude)}


class _StoredPath:
    """A record of a file kept by its stored path (core/base/fsnames.py): the two ways to show
    it, shared by documents and problems."""

    path: str

    @property
    def shown_path(self) -> str:
        """The path for a person (odd bytes in old names shown readably)."""
        return display(self.path)

    @property
    def disk_path(self) -> str:
        """The path that opens the file (what `os` and the desktop take)."""
        return to_disk(self.path)


@dataclass(frozen=True)
class Document(_StoredPath):
    """An indexed file, or an attachment inside one (`member` names it; '' for a file)."""

    id: int
    uuid: str
    source_id: int | None
    parent_id: int | None
    path: str  # stored form (core/base/fsnames.py): `display()` it for a person
    member: str
    rel_path: str
    name: str
    title: str | None
    format: str
    size: int | None
    mtime: float | None
    sha256: str | None
    status: str  # core/base/doc_status.py
    reason: str | None
    stale: int
    pages: int | None
    chars: int
    case_ref: str | None
    case_ref_manual: int
    text_version: int
    first_seen: str | None
    indexed_at: str | None
    missing_since: str | None

    @property
    def label(self) -> str:
        """What a person calls it: its title, else its file name."""
        return self.title or self.name

    @property
    def is_attachment(self) -> bool:
        return bool(self.member)

    @property
    def is_readable(self) -> bool:
        """Its text was read in full (anything else is listed under Problems)."""
        return self.status == "ok"


@as_json.register
def document_as_json(doc: Document) -> dict:
    """The `documents --json` shape (field names are a contract)."""
    return {"id": doc.id, "uuid": doc.uuid, "path": display(doc.path),
            "member": doc.member or None, "rel_path": doc.rel_path, "title": doc.title,
            "format": doc.format, "status": doc.status, "reason": doc.reason,
            "stale": bool(doc.stale), "pages": doc.pages, "chars": doc.chars, "size": doc.size,
            "sha256": doc.sha256, "case_ref": doc.case_ref, "indexed_at": doc.indexed_at}


@dataclass(frozen=True)
class Chunk:
    """A piece of a document's text as the index holds it, in reading order (`seq`); `start` is
    its offset in the document's full text (what evidence anchors to), `page` its page if known."""

    id: int
    seq: int
    page: int | None
    heading: str | None
    start: int
    text: str


@as_json.register
def chunk_as_json(chunk: Chunk) -> dict:
    return {"id": chunk.id, "seq": chunk.seq, "page": chunk.page, "heading": chunk.heading,
            "start": chunk.start, "text": chunk.text}


@dataclass(frozen=True)
class DocumentText:
    """What the preview shows of a document: its facts and its text in chunks (none when the
    document is not in the index any more)."""

    document: Document | None
    chunks: tuple[Chunk, ...] = ()


@dataclass(frozen=True)
class Problem(_StoredPath):
    """A file (or attachment) whose text could not be read fully, or a scan OCR could hardly
    read: the Problems list's row. `status` is a document status or 'scan_hard_to_read';
    `reason` says what went wrong and what to do, in plain words."""

    id: int  # the document's id
    path: str  # stored form, like Document.path
    member: str
    status: str
    reason: str | None
    stale: int

    @property
    def shown_folder(self) -> str:
        return str(Path(display(self.path)).parent)

    @property
    def shown_name(self) -> str:
        """'letter.eml › minutes.docx': the file's name, and the attachment's when it is one."""
        return Path(display(self.path)).name + (f" › {self.member}" if self.member else "")


@as_json.register
def problem_as_json(problem: Problem) -> dict:
    """The `problems --json` shape (field names are a contract)."""
    return {"id": problem.id, "path": display(problem.path), "member": problem.member or None,
            "status": problem.status, "reason": problem.reason, "stale": bool(problem.stale)}


@dataclass(frozen=True)
class IndexOverview:
    """What the status bar counts: files (not attachments) by status, attachments found inside
    files, and how many source folders there are."""

    files: tuple[tuple[str, int], ...]  # (status, count), by status
    attachments: int
    folders: int

    def count(self, status: str) -> int:
        return dict(self.files).get(status, 0)

    @property
    def present_files(self) -> int:
        """Files still in their folders (every status but missing)."""
        return sum(n for s, n in self.files if s != "missing")

    @property
    def searchable_documents(self) -> int:
        """Files still present plus the attachments inside them (each is searched on its own)."""
        return self.present_files + self.attachments


# -- search (core/store/search.py) -------------------------------------------------------------
# A search hit is a slotted class defined beside its SQL, not a dataclass here: the search
# command must not pay for importing dataclasses. Re-exported so this module lists every record.
from evidence_app.core.store.search import SearchHit  # noqa: E402, F401

__all__ = [
    'as_json',
    'build',
    'adopt',
    'adopter',
    'from_row',
    'row_maker',
    'EvidenceItem',
    'ITEM_JSON_KEYS',
    'Request',
    'REQUEST_JSON_KEYS',
    'BundleSection',
    'Bundle',
    'BUNDLE_JSON_KEYS',
    'BundleSummary',
    'ExportLogEntry',
    'BundleRow',
    'SefCitation',
    'SefClaim',
    'SefAction',
    'SefVersion',
    'CitedItem',
    'Case',
    'CASE_JSON_KEYS',
    'CaseLink',
    'ReadinessItem',
    'FrameworkArea',
    'Enquiry',
    'FrameworkRequest',
    'FrameworkEdit',
    'COUNT_KEYS',
    'CoverageCounts',
    'CoverageRow',
    'AreaCoverage',
    'CoverageGap',
    'CaseReadiness',
    'Coverage',
    'Caseload',
    'Caseloads',
    'SavedSearch',
    'Source',
    'source_as_json',
    'Document',
    'document_as_json',
    'Chunk',
    'chunk_as_json',
    'DocumentText',
    'Problem',
    'problem_as_json',
    'IndexOverview',
    'SearchHit',
]
