"""The self-evaluation's claims, citations, actions and frozen versions, and what it needs to
know of a cited item (core/store/sef.py reads them).
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen


@frozen
class SefCitation:
    """What a claim cites: an evidence item (ref = its id), a saved search (its name) or a
    figure (its name)."""

    kind: str
    ref: str
    position: int = 0


@frozen
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


@frozen
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


@frozen
class SefVersion:
    id: int
    uuid: str
    name: str
    frozen_at: str
    frozen_by: str
    snapshot: str           # JSON of the document as it stood (core/sef/document.py)
    deleted_at: str | None = None


@frozen
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
