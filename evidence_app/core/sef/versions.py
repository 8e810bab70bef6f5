"""Frozen versions of the self-evaluation, and the comparison of two versions claim by claim.

Freezing stores the whole document as it reads at that moment (document.py's JSON: every claim's
text, citations and strength, the figures with their values and dates, the plan), so a frozen
version never changes when the workspace does: v1 for the annual engagement meeting, v2 at
notification. `current` names the live document in a comparison.

A comparison is a record (`SefDiff`: its `ClaimChange`s and a `DiffSummary`), read by attribute;
the claims it compares are the versions' JSON, as frozen. `as_json` gives the `sef diff --json`
shape.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.user_text import clean_text
from evidence_app.core.safety import audit
from evidence_app.core.sef import document
from evidence_app.core.settings import author as current_author
from evidence_app.core.store import sef as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import SefVersion, as_json
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

ENTITY = "sef-version"
CURRENT = "current"
MAX_NAME = 100
COMPARED = ("text", "type", "area", "question", "enquiries", "evidence", "figures", "searches")


def _name(text: str | None) -> str:
    name = " ".join(clean_text(text or "").split())
    if not name:
        raise InvalidInput("Give the version a name, e.g. v1 or 'annual engagement 2026'.")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"A version name is at most {MAX_NAME} characters.")
    if name.casefold() == CURRENT:
        raise InvalidInput("'current' means the live self-evaluation; give the version "
                           "another name.")
    return name


def freeze(ws: Workspace, name: str) -> Done[SefVersion]:
    """Keep the self-evaluation as it stands now under `name` (refused if the name is taken)."""
    name = _name(name)
    if store.name_taken(ws.db, name):
        raise InvalidInput(f"There is already a version called '{name}'. Give another name "
                           "(see 'evidence-app sef show').")
    snap = document.read(ws.db).to_json()
    snap.pop("versions", None)
    now = clock.now_iso()
    with transaction(ws.db):
        vid = store.insert_version(ws.db, {"uuid": new_uuid(), "name": name, "frozen_at": now,
                                           "frozen_by": current_author(ws), "snapshot": snap})
        made = store.version(ws.db, vid)
        audit.record(ws, "freeze", ENTITY, made.uuid, name, None,
                     {"name": name, "claims": len(snap["claims"])})
    return Done(made, Changes.of("sef"), lambda w: _set_deleted(w, vid, now),
                f"Freeze version {name}")


def _set_deleted(ws: Workspace, vid: int, when: str | None) -> Done[SefVersion]:
    before = store.version(ws.db, vid)
    if when is None and store.name_taken(ws.db, before.name, except_id=vid):
        raise InvalidInput(f"Another version is now called '{before.name}'.")
    with transaction(ws.db):
        store.set_version_deleted(ws.db, vid, when)
        after = store.version(ws.db, vid)
        audit.record(ws, "unfreeze" if when else "refreeze", ENTITY, after.uuid, after.name,
                     {"deleted_at": before.deleted_at}, {"deleted_at": when})
    return Done(after, Changes.of("sef"),
                lambda w: _set_deleted(w, vid, before.deleted_at),
                f"{'Remove' if when else 'Restore'} version {after.name}")


def delete(ws: Workspace, name: str) -> Done[SefVersion]:
    v = get(ws, name)
    return _set_deleted(ws, v.id, clock.now_iso())


def get(ws: Workspace, name: str) -> SefVersion:
    found = store.version_named(ws.db, str(name))
    if found is None:
        names = ", ".join(v.name for v in store.versions(ws.db)) or "none yet"
        raise NotFound(f"There is no frozen version '{name}' (versions: {names}; 'current' is "
                       "the live self-evaluation).")
    return found


def snapshot(ws: Workspace, name: str) -> dict:
    """The document as JSON: a frozen version's, or the live one for 'current'."""
    if " ".join(str(name).split()).casefold() == CURRENT:
        return document.read(ws.db).to_json()
    return json.loads(get(ws, name).snapshot)


@frozen
class ClaimChange:
    """How one claim differs between two versions. `before` and `after` are the claim as each
    version's JSON holds it (None: not in that version); the rest is read from them."""

    change: str                 # added, removed, changed, strength
    before: dict | None
    after: dict | None
    fields: tuple[str, ...] = ()

    @property
    def _claim(self) -> dict:
        return self.after or self.before

    @property
    def claim(self) -> int:
        return self._claim["id"]

    @property
    def ref(self) -> str:
        return self._claim["ref"]

    @property
    def uuid(self) -> str:
        return self._claim["uuid"]

    @property
    def area(self) -> str:
        return self._claim["area"]

    @property
    def question(self) -> str:
        return self._claim["question"]

    @property
    def strength_before(self) -> str | None:
        return self.before["strength"] if self.before else None

    @property
    def strength_after(self) -> str | None:
        return self.after["strength"] if self.after else None

    @property
    def strength_changed(self) -> bool:
        return bool(self.before and self.after
                    and self.before["strength"] != self.after["strength"])

    @property
    def text_before(self) -> str | None:
        return self.before["text"] if self.before else None

    @property
    def text_after(self) -> str | None:
        return self.after["text"] if self.after else None

    @property
    def text(self) -> str | None:
        """The claim's words now, or as they were when it was removed."""
        return self.text_after if self.text_after is not None else self.text_before

    def to_json(self) -> dict:
        return as_json(self)


@as_json.register
def _change_json(c: ClaimChange) -> dict:
    return {"change": c.change, "claim": c.claim, "ref": c.ref, "uuid": c.uuid, "area": c.area,
            "question": c.question, "fields": list(c.fields),
            "strength_before": c.strength_before, "strength_after": c.strength_after,
            "strength_changed": c.strength_changed, "text_before": c.text_before,
            "text_after": c.text_after}


@frozen
class DiffSummary:
    """How many claims were added, removed, changed, judged on different evidence, or not
    changed at all."""

    added: int
    removed: int
    changed: int
    strength_changed: int
    unchanged: int


@as_json.register
def _summary_json(s: DiffSummary) -> dict:
    return {"added": s.added, "removed": s.removed, "changed": s.changed,
            "strength_changed": s.strength_changed, "unchanged": s.unchanged}


@frozen
class SefDiff:
    """Two versions compared (`older` → `newer`, either may be 'current'): each claim that
    differs, in the newer one's order with the removed ones after, and the counts."""

    older: str
    newer: str
    older_date: str | None
    newer_date: str | None
    changes: tuple[ClaimChange, ...]
    summary: DiffSummary

    def of(self, kind: str) -> list[ClaimChange]:
        return [c for c in self.changes if c.change == kind]


@as_json.register
def _diff_json(d: SefDiff) -> dict:
    """`sef diff --json`: from, to, their dates, every changed claim, the same split by kind,
    and the summary."""
    return {"from": d.older, "to": d.newer, "from_date": d.older_date, "to_date": d.newer_date,
            "claims": [as_json(c) for c in d.changes],
            "added": [as_json(c) for c in d.of("added")],
            "removed": [as_json(c) for c in d.of("removed")],
            "changed": [as_json(c) for c in d.of("changed")],
            "strength_changed": [as_json(c) for c in d.changes if c.strength_changed],
            "summary": as_json(d.summary)}


def compare(old: dict, new: dict) -> list[ClaimChange]:
    """Claim by claim (matched by uuid), in the newer document's order, removed ones after."""
    before = {c["uuid"]: c for c in old.get("claims", [])}
    after = {c["uuid"]: c for c in new.get("claims", [])}
    out = []
    for uuid, c in after.items():
        b = before.get(uuid)
        if b is None:
            out.append(ClaimChange("added", None, c))
            continue
        fields = tuple(k for k in COMPARED if b.get(k) != c.get(k))
        if fields:
            out.append(ClaimChange("changed", b, c, fields))
        elif b["strength"] != c["strength"]:
            out.append(ClaimChange("strength", b, c, ("strength",)))
    out += [ClaimChange("removed", b, None) for uuid, b in before.items() if uuid not in after]
    return out


def diff(ws: Workspace, v1: str, v2: str) -> SefDiff:
    """What changed from v1 to v2 (either may be 'current'); `as_json` of it is what
    `sef diff --json` prints."""
    old, new = snapshot(ws, v1), snapshot(ws, v2)
    changes = tuple(compare(old, new))
    counts = {k: sum(1 for c in changes if c.change == k)
              for k in ("added", "removed", "changed", "strength")}
    both = (set(c["uuid"] for c in new.get("claims", []))
            & set(c["uuid"] for c in old.get("claims", [])))
    summary = DiffSummary(added=counts["added"], removed=counts["removed"],
                          changed=counts["changed"],
                          strength_changed=sum(1 for c in changes if c.strength_changed),
                          unchanged=len(both) - counts["changed"] - counts["strength"])
    return SefDiff(_label(v1), _label(v2), old.get("as_of"), new.get("as_of"), changes, summary)


def _label(name: str) -> str:
    return CURRENT if " ".join(str(name).split()).casefold() == CURRENT else str(name).strip()
