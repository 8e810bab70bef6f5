"""Revisions of a travelling evidence item, and the rule that merges them (pure: no database).

Why revisions rather than timestamps: "changed on both sides since the last merge" must hold
whichever way packs travel (A to B, B to the manager, A to the manager again). Each item carries,
per version it holds, a *revision*: the SHA-256 of its versioned fields and of the revisions it
replaced, plus its history (every revision it descends from). Merging is then a set union:

- a version whose revision is in another's history is older and is dropped (never resurrected:
  a deletion is a version too, so an old pack cannot bring a deleted item back);
- two versions neither of which descends from the other were changed on both sides: both are
  kept and the item is *in conflict* until a person chooses (mine, theirs or both);
- two such versions with identical fields are joined into one (no conflict about nothing).

Union with this reduction is commutative, associative and idempotent, so any order of packs, and
the same pack twice, gives the same result. The version shown while in conflict is the most
recently changed (ties: the larger revision), the same in every workspace.
"""
from __future__ import annotations

import hashlib
import json

from evidence_app.core.base.frozen import frozen

# The fields a person changes; changing any of them makes a new revision.
VERSIONED = ("note", "strength", "kind", "case_ref", "enquiries", "requests", "updated_at",
             "deleted_at", "deleted_by")


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def rev_of(content: dict, parents) -> str:
    body = canonical({"c": content, "p": sorted(parents)})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@frozen
class Head:
    """One version of an item: its fields, revision and ancestry."""

    rev: str
    content: dict
    history: frozenset

    @classmethod
    def first(cls, content: dict) -> "Head":
        return cls(rev_of(content, ()), content, frozenset())

    def child(self, content: dict) -> "Head":
        """A new version replacing this one (a local edit)."""
        return Head(rev_of(content, (self.rev,)), content, self.history | {self.rev})

    def to_json(self) -> dict:
        return {"rev": self.rev, "content": self.content, "history": sorted(self.history)}

    @classmethod
    def from_json(cls, data: dict) -> "Head":
        return cls(str(data["rev"]), dict(data["content"]), frozenset(data.get("history") or ()))


def replacing(heads: list[Head], content: dict) -> Head:
    """A version that replaces every head (a person's resolution of a conflict)."""
    history = frozenset().union(*(h.history for h in heads)) | {h.rev for h in heads}
    return Head(rev_of(content, [h.rev for h in heads]), content, history)


def reduce(heads: list[Head]) -> list[Head]:
    """The versions that survive a merge, sorted by revision."""
    by_rev: dict[str, Head] = {}
    for h in heads:
        by_rev.setdefault(h.rev, h)
    known = set().union(*(h.history for h in by_rev.values())) if by_rev else set()
    alive = [h for r, h in by_rev.items() if r not in known]
    if len(alive) == 1:
        return alive
    groups: dict[str, list[Head]] = {}
    for h in alive:
        groups.setdefault(canonical(h.content), []).append(h)
    out = []
    for same in groups.values():
        out.append(same[0] if len(same) == 1 else replacing(same, same[0].content))
    return sorted(out, key=lambda h: h.rev)


def shown(heads: list[Head]) -> Head:
    """The version the workspace shows: the latest change (the same choice everywhere)."""
    return max(heads, key=lambda h: (h.content.get("updated_at") or "", h.rev))


def knows(heads: list[Head], rev: str) -> bool:
    return any(h.rev == rev or rev in h.history for h in heads)
