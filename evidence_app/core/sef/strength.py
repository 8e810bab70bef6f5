"""How well a claim is evidenced, and what is wrong with what it cites.

The rule (also in the README, "Self-evaluation"): only *usable* evidence counts, that is a cited
evidence item that still exists (not deleted), whose passage was not lost when its document
changed (anchor not `orphaned`) and whose document is still in its folder (anchor not
`missing`). Then:

- **strong**: at least two strong items, or one strong item and at least two moderate ones;
- **moderate**: one strong item, or at least two moderate items, or one moderate item together
  with a figure or a saved search;
- **weak**: anything else cited: a single moderate item, weak items only, or only figures and
  saved searches (a number or a search is a pointer, not proof of practice on its own);
- **none**: nothing usable is cited.

Warnings name each citation that cannot be relied on: an evidence item deleted or never there,
orphaned (its passage was not found again) or missing (its file is gone); an item filed only
under retired lines of enquiry; a saved search or figure that no longer exists; and a line of
enquiry of the claim itself that has been retired.
"""
from __future__ import annotations

from dataclasses import field

from evidence_app.core.base.frozen import frozen
from evidence_app.core.store.records import CitedItem, SefClaim


@frozen
class Judged:
    strength: str                       # none, weak, moderate, strong
    usable: tuple[int, ...] = ()        # evidence item ids that count
    warnings: tuple[str, ...] = field(default=())
    counts: tuple[int, int, int] = (0, 0, 0)    # usable strong, moderate, weak


def evidence_ref(item_id: int | str) -> str:
    """How a person calls an evidence item: E-012 (the same number a bundle gives it)."""
    return f"E-{int(item_id):03d}"


def rate(strong: int, moderate: int, weak: int, pointers: int) -> str:
    """The rule above, on counts of usable items and of figures/saved searches."""
    if strong >= 2 or (strong >= 1 and moderate >= 2):
        return "strong"
    if strong >= 1 or moderate >= 2 or (moderate >= 1 and pointers >= 1):
        return "moderate"
    if moderate or weak or pointers:
        return "weak"
    return "none"


def judge(claim: SefClaim, items: dict[int, CitedItem], enquiries: dict[str, tuple],
          searches: set[str], figure_known) -> Judged:
    """`items`: cited evidence by id; `enquiries`: id -> (area, title, retired); `searches`:
    saved search names (casefolded); `figure_known(name)` -> bool."""
    warnings: list[str] = []
    usable: list[int] = []
    counts = {"strong": 0, "moderate": 0, "weak": 0}
    pointers = 0
    for c in claim.citations:
        if c.kind == "evidence":
            ref = evidence_ref(c.ref)
            item = items.get(int(c.ref))
            if item is None or item.deleted:
                warnings.append(f"{ref} is missing: the evidence item was deleted.")
                continue
            if item.anchor == "orphaned":
                warnings.append(f"{ref} is orphaned: its passage was not found again after "
                                "its document changed.")
                continue
            if item.anchor == "missing":
                warnings.append(f"{ref} is missing: its document is no longer in its folder.")
                continue
            if item.enquiries and set(item.enquiries) <= set(item.retired_enquiries):
                warnings.append(f"{ref} is filed only under retired lines of enquiry "
                                f"({', '.join(item.retired_enquiries)}).")
            usable.append(item.id)
            counts[item.strength] = counts.get(item.strength, 0) + 1
        elif c.kind == "search":
            if c.ref.casefold() in searches:
                pointers += 1
            else:
                warnings.append(f"The saved search '{c.ref}' no longer exists.")
        elif c.kind == "figure":
            if figure_known(c.ref):
                pointers += 1
            else:
                warnings.append(f"The figure '{c.ref}' is not known to this version of the app.")
    for e in claim.enquiries:
        state = enquiries.get(e)
        if state is None:
            warnings.append(f"The line of enquiry {e} is no longer in the framework.")
        elif state[2]:
            warnings.append(f"The line of enquiry {e} has been retired.")
    strength = rate(counts["strong"], counts["moderate"], counts["weak"], pointers)
    return Judged(strength, tuple(usable), tuple(warnings),
                  (counts["strong"], counts["moderate"], counts["weak"]))
