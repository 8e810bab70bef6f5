"""The inspection framework: judgement areas, lines of enquiry, week-one requests as the
framework lists them, and what an edit of one changed (core/store/framework.py).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen

from evidence_app.core.store.records.base import as_json


@frozen
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


@frozen
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


@frozen
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


@frozen
class FrameworkEdit:
    """What renaming, retiring or moving a line or request did: its id and kind, the fields
    that changed (none: it already read so), and for a move its new 1-based position."""

    id: str
    kind: str               # "enquiry" or "request"
    changed: tuple[str, ...] = ()
    position: int | None = None
