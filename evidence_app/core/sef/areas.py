"""The sections of a self-evaluation: an overview, then each judgement area of the framework."""
from __future__ import annotations


from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.sef.model import OVERVIEW, OVERVIEW_TITLE
from evidence_app.core.store import sef as store


@frozen
class Area:
    id: str
    title: str
    short_title: str
    retired: bool = False


def areas(db, *, include_retired: bool = False) -> list[Area]:
    out = [Area(OVERVIEW, OVERVIEW_TITLE, "Overview")]
    out += [Area(i, t, s, r) for i, t, s, r in store.area_rows(db) if include_retired or not r]
    return out


def resolve(db, text: str) -> str:
    """An area by id (LEAD, HP…), title or short title, any case; 'overview' for the overview."""
    key = " ".join(str(text).split()).casefold()
    if not key:
        raise InvalidInput("Say which area the claim is about: overview or a judgement area id.")
    every = areas(db, include_retired=True)
    for a in every:
        if key in (a.id.casefold(), a.title.casefold(), a.short_title.casefold()) or \
                (a.id == OVERVIEW and key in ("overview", "ov", "all")):
            if a.retired:
                raise InvalidInput(f"The judgement area {a.id} is retired in this workspace's "
                                   "framework; write about it under another area or overview.")
            return a.id
    ids = ", ".join(["overview"] + [a.id for a in every if not a.retired and a.id != OVERVIEW])
    raise InvalidInput(f"'{text}' is not an area of the self-evaluation: use {ids}.")
