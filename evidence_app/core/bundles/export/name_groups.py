"""Registered names grouped by spelling, for the pseudonymiser's word-by-word matching.

Two children called Ashlyn share one spelling; a match on it must take the alias of the child
whose case the text belongs to, or a neutral "[child]" where that is unknown, never another
child's alias (`NameGroup.resolve`). `compiled_groups` indexes the groups by every first word a
match can begin with, so the matcher (redact.py) makes one dictionary lookup per word; it is
cached because one export builds several matchers from the same people.
"""
from __future__ import annotations

from functools import lru_cache

from evidence_app.core.bundles.export.variants import Entry as _VEntry, person_entries

REDACTED = "[REDACTED]"


class NameGroup:
    """Entries with the same spelling (two children called Ashlyn share one group)."""

    __slots__ = ("atoms", "target", "bounds", "entries", "strict", "initials", "plural")

    def __init__(self, entry: _VEntry) -> None:
        self.atoms = entry.atoms
        self.target = entry.target
        pos, bounds = 0, {0}
        for a in entry.atoms:
            pos += len(a)
            bounds.add(pos)
        self.bounds = frozenset(bounds)
        self.entries = [entry]
        self.strict = entry.strict
        self.initials = entry.initials
        self.plural = len(self.target) >= 2 and not entry.initials

    def add(self, entry: _VEntry) -> None:
        self.entries.append(entry)
        self.strict = self.strict and entry.strict

    def resolve(self, case: str | None) -> tuple[str, str]:
        """(replacement, kind) for a match in a text of case `case`."""
        es = self.entries
        repls = {e.repl for e in es}
        if len(repls) == 1:
            return es[0].repl, es[0].kind
        if case:
            own = [e for e in es if e.case_ref and e.case_ref.lower() == case.lower()]
            if own and len({e.repl for e in own}) == 1:
                return own[0].repl, own[0].kind
        kinds = {e.kind for e in es}
        if "term" in kinds:
            return REDACTED, "term"
        if kinds <= {"name", "other-name"}:
            return "[child]", "name"
        if kinds == {"relative"}:
            return "[relative]", "relative"
        if kinds == {"surname"}:
            return "[surname]", "surname"
        return "[name]", "name"


@lru_cache(maxsize=8)
def compiled_groups(people: tuple) -> tuple:
    """Every person's entries grouped by spelling and indexed by their first two letters (and
    the one-letter atoms of "O'Neill" and "P-H"). Cached: one export builds several matchers
    (redaction, review, verification) from the same people."""
    groups: dict[tuple, NameGroup] = {}
    for idx, person in enumerate(people):
        for e in person_entries(idx, person):
            key = (e.atoms, e.initials)
            g = groups.get(key)
            if g is None:
                groups[key] = NameGroup(e)
            elif all(x.repl != e.repl or x.case_ref != e.case_ref for x in g.entries):
                g.add(e)
            else:
                g.strict = g.strict and e.strict
    # every first word a match can begin with (an atom, atoms written together, a plural)
    # -> the groups it can begin; exact lookups, so a hundred names sharing their first
    # letters cost nothing extra
    first: dict[str, list[NameGroup]] = {}
    for g in sorted(groups.values(), key=lambda g: (-len(g.atoms), -len(g.target))):
        acc = ""
        keys = []
        for a in g.atoms:
            acc += a
            keys.append(acc)
        if g.plural:
            keys += [g.target + "s", g.target + "es"]
        for k in dict.fromkeys(keys):
            first.setdefault(k, []).append(g)
    surnames = frozenset(g.target for g in groups.values()
                         if any(e.kind == "surname" for e in g.entries))
    return groups, first, frozenset(first), surnames
