"""Frozen versions of the self-evaluation, and the comparison of two versions claim by claim.

Freezing stores the whole document as it reads at that moment (document.py's JSON: every claim's
text, citations and strength, the figures with their values and dates, the plan), so a frozen
version never changes when the workspace does: v1 for the annual engagement meeting, v2 at
notification. `current` names the live document in a comparison.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.user_text import clean_text
from evidence_app.core.safety import audit
from evidence_app.core.sef import document
from evidence_app.core.settings import author as current_author
from evidence_app.core.store import sef as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import SefVersion
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


@dataclass(frozen=True)
class ClaimChange:
    change: str                 # added, removed, changed, strength
    before: dict | None
    after: dict | None
    fields: tuple[str, ...] = ()

    def to_json(self) -> dict:
        c = self.after or self.before
        out = {"change": self.change, "claim": c["id"], "ref": c["ref"], "uuid": c["uuid"],
               "area": c["area"], "question": c["question"], "fields": list(self.fields),
               "strength_before": self.before["strength"] if self.before else None,
               "strength_after": self.after["strength"] if self.after else None,
               "strength_changed": bool(self.before and self.after and
                                        self.before["strength"] != self.after["strength"]),
               "text_before": self.before["text"] if self.before else None,
               "text_after": self.after["text"] if self.after else None}
        return out


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


def diff(ws: Workspace, v1: str, v2: str) -> dict:
    """What changed from v1 to v2 (either may be 'current'), as the JSON `sef diff` prints."""
    old, new = snapshot(ws, v1), snapshot(ws, v2)
    changes = compare(old, new)
    counts = {k: sum(1 for c in changes if c.change == k)
              for k in ("added", "removed", "changed", "strength")}
    return {"from": _label(v1), "to": _label(v2),
            "from_date": old.get("as_of"), "to_date": new.get("as_of"),
            "claims": [c.to_json() for c in changes],
            "added": [c.to_json() for c in changes if c.change == "added"],
            "removed": [c.to_json() for c in changes if c.change == "removed"],
            "changed": [c.to_json() for c in changes if c.change == "changed"],
            "strength_changed": [c.to_json() for c in changes
                                 if c.before and c.after and
                                 c.before["strength"] != c.after["strength"]],
            "summary": {"added": counts["added"], "removed": counts["removed"],
                        "changed": counts["changed"],
                        "strength_changed": sum(1 for c in changes if c.before and c.after and
                                                c.before["strength"] != c.after["strength"]),
                        "unchanged": len(set(c["uuid"] for c in new.get("claims", [])) &
                                         set(c["uuid"] for c in old.get("claims", [])))
                        - counts["changed"] - counts["strength"]}}


def _label(name: str) -> str:
    return CURRENT if " ".join(str(name).split()).casefold() == CURRENT else str(name).strip()
