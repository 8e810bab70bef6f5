"""Pseudonymised exports from the workspace: the rules, the registered-case gate and the review.

The exporters (core/bundles/export) never see the store; this module reads it for them:
- `redaction_rules`: every registered child (open or closed: a closed case's child is still a
  child) with names, other names, relatives, date of birth and terms.
- `unregistered`: before writing, every included item's case must be a registered case with a
  name. A case folder the app knows only by its reference would otherwise go out with the child's
  full name in titles, quotes and paths. The refusal lists the cases and their item numbers and
  offers the name found in a folder called like "CH-123456 Firstname Surname".
- `accept`/`accepted`: the answers to the residual review, remembered per bundle (the review
  itself, `check_bundle`, builds the bundle: see pseudonym_check.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.evidence.cases import list_cases
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.export.model import BundleDoc, Person, RedactionRules
from evidence_app.core.store import review as review_store
from evidence_app.core.store.db import transaction

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


def redaction_rules(ws: Workspace) -> RedactionRules:
    people = []
    for c in list_cases(ws, include_name=True):
        names = (c.name,) if c.name else ()
        others = tuple(c.other_names)
        relatives = tuple((r["name"], r.get("role") or "relative") for r in c.relatives)
        dobs = ()
        if c.dob:
            try:
                dobs = (dt.date.fromisoformat(c.dob),)
            except ValueError:
                dobs = ()
        if names or others or relatives or c.redact or dobs:
            people.append(Person(c.alias or "[child]", names, tuple(c.redact), c.ref,
                                 others, relatives, dobs))
    return RedactionRules(tuple(people))


# -- the registered-case gate -----------------------------------------------------------------
_NAME_LIKE = re.compile(r"^[^\W\d_][^\d/\\]{1,60}$")


def suggest_name(ref: str, paths: list[str]) -> str:
    """The child's name from a folder called "CH-123456 Firstname Surname" (or "CH-123456 -
    Surname, Firstname"), else ""."""
    ref_l = ref.lower()
    for path in paths:
        for part in re.split(r"[\\/]", path or ""):
            at = part.lower().find(ref_l)
            if at < 0:
                continue
            rest = part[at + len(ref):].replace("_", " ").strip(" -–—:,.")
            name = " ".join(rest.split())
            if not name or not _NAME_LIKE.match(name):
                continue
            if "," in name:
                last, _, first = name.partition(",")
                name = f"{first.strip()} {last.strip()}"
            if len(name.split()) <= 5:
                return name
    return ""


@dataclass
class Unregistered:
    ref: str
    items: list[str] = field(default_factory=list)
    reason: str = "not registered"       # or "registered without a name"
    suggested_name: str = ""

    def to_json(self) -> dict:
        return {"ref": self.ref, "items": self.items, "reason": self.reason,
                "suggested_name": self.suggested_name}


class UnregisteredCases(InvalidInput):
    def __init__(self, cases: list[Unregistered]) -> None:
        self.cases = cases
        listed = "; ".join(f"{c.ref} ({c.reason}: {', '.join(c.items)})" for c in cases)
        super().__init__(f"Not exported: a pseudonymised export needs every included item's case "
                         f"registered with the child's name, and these are not: {listed}. "
                         "Register each with 'evidence-app case add REF --name \"NAME\"' (or "
                         "'case set REF --name \"NAME\"'), or remove the items from the bundle.")


def unregistered(ws: Workspace, doc: BundleDoc, paths: dict[str, list[str]] | None = None
                 ) -> list[Unregistered]:
    cases = {c.ref.lower(): c for c in list_cases(ws, include_name=True)}
    found: dict[str, Unregistered] = {}
    for item in doc.items:
        ref = item.case_ref or (item.source.case_ref if item.source else "")
        if not ref:
            continue
        case = cases.get(ref.lower())
        if case is not None and case.name:
            continue
        u = found.setdefault(ref.upper(), Unregistered(
            ref.upper(), [], "not registered" if case is None else "registered without a name"))
        u.items.append(item.number)
    for a in doc.appendices:
        ref = a.source.case_ref
        if ref and ref.upper() not in found:
            case = cases.get(ref.lower())
            if case is None or not case.name:
                found[ref.upper()] = Unregistered(
                    ref.upper(), [f"Appendix {a.number}"],
                    "not registered" if case is None else "registered without a name")
    for u in found.values():
        u.suggested_name = suggest_name(u.ref, (paths or {}).get(u.ref.lower(), []))
    return sorted(found.values(), key=lambda u: u.ref)


def case_paths(ws: Workspace, refs: list[str]) -> dict[str, list[str]]:
    """Source paths of each case's documents (to offer the name in the folder's name)."""
    return review_store.paths_for_cases(ws.db, refs)


def require_registered(ws: Workspace, doc: BundleDoc) -> None:
    missing = unregistered(ws, doc)
    if missing:
        paths = case_paths(ws, [u.ref for u in missing])
        for u in missing:
            u.suggested_name = suggest_name(u.ref, paths.get(u.ref.lower(), []))
        raise UnregisteredCases(missing)


def require_registered_refs(ws: Workspace, numbered: list[tuple[str, str | None]]) -> None:
    """The same gate for lists that are not bundles (the evidence spreadsheet): (label, case ref)
    pairs."""
    cases = {c.ref.lower(): c for c in list_cases(ws, include_name=True)}
    found: dict[str, Unregistered] = {}
    for label, ref in numbered:
        if not ref:
            continue
        case = cases.get(ref.lower())
        if case is not None and case.name:
            continue
        found.setdefault(ref.upper(), Unregistered(
            ref.upper(), [], "not registered" if case is None else "registered without a name")
        ).items.append(label)
    if found:
        missing = sorted(found.values(), key=lambda u: u.ref)
        paths = case_paths(ws, [u.ref for u in missing])
        for u in missing:
            u.suggested_name = suggest_name(u.ref, paths.get(u.ref.lower(), []))
        raise UnregisteredCases(missing)


# -- the review -------------------------------------------------------------------------------
def known_words(ws: Workspace, doc: BundleDoc) -> frozenset:
    """Names that are not children's: the authority, the person preparing, workers, teams."""
    words: set[str] = set()
    for text in [doc.authority, doc.prepared_by, ws.name] + \
            [c.worker or "" for c in list_cases(ws)] + \
            [c.team or "" for c in list_cases(ws)]:
        words.update(w for w in re.findall(r"[^\W\d_]+", text or "") if len(w) > 2)
    return frozenset(words)


def accepted(ws: Workspace, bundle_id: int) -> frozenset:
    return review_store.accepted_keys(ws.db, bundle_id)


def _changes(bundle_id: int) -> Changes:
    return Changes.of("bundles", ids=(("bundle", int(bundle_id)),))


def accept(ws: Workspace, bundle_id: int, items: list, who: str | None = None) -> Done[int]:
    """Remember review items (ReviewItem or (key, kind)) as accepted for this bundle; the value
    is how many were new. Undoing forgets those (what was accepted before stays)."""
    pairs = [(i.key, i.kind) if hasattr(i, "key") else tuple(i) for i in items]
    with transaction(ws.db):
        known = review_store.accepted_keys(ws.db, bundle_id)
        fresh = list(dict.fromkeys(k for k, _ in pairs if k not in known))
        added = review_store.accept(ws.db, bundle_id, pairs, who, clock.now_iso())
    kinds = dict(pairs)

    def forget(ws: Workspace) -> Done[int]:
        with transaction(ws.db):
            gone = review_store.forget(ws.db, bundle_id, fresh)
        return Done(gone, _changes(bundle_id),
                    lambda ws: accept(ws, bundle_id, [(k, kinds[k]) for k in fresh], who),
                    "Forget the review answers")

    return Done(added, _changes(bundle_id), forget, "Accept the review answers")


def reset_review(ws: Workspace, bundle_id: int) -> Done[int]:
    """Forget every review answer of this bundle (the value: how many); undoing puts them back
    with who accepted them and when."""
    with transaction(ws.db):
        kept = review_store.rows(ws.db, bundle_id)
        cleared = review_store.clear(ws.db, bundle_id)

    def put_back(ws: Workspace) -> Done[int]:
        with transaction(ws.db):
            review_store.put_back(ws.db, bundle_id, kept)
        return Done(len(kept), _changes(bundle_id), lambda ws: reset_review(ws, bundle_id),
                    "Put back the review answers")

    return Done(cleared, _changes(bundle_id), put_back, "Forget the review answers")
