"""Every way a registered person's name may be written, as entries for the matcher.

A name is split into atoms at spaces, apostrophes and hyphens ("Ashlyn Pryce-Hughes" -> ashlyn,
pryce, hughes; "Siobhán O'Neill" -> siobhan, o, neill) in the folded form of `normalise`. The
matcher accepts the atoms of an entry joined by nothing, a space, an apostrophe, a hyphen, a dot,
an underscore or `%20` (and up to three of those), so one entry covers "O'Neill", "O’Neill",
"ONeill", "O Neill", "o-neill" and "O%20Neill".

For a child (first name, middle names, surname) the entries are: the full name; first + surname;
first + middle; "Surname, First"; first + surname initial ("Callum K", "Callum P-H"); the first
name alone; each middle name; each other name ("known as", nickname, former name) the same way —
all becoming the child's alias. The surname alone, each half of a hyphenated surname and the
surname's initials ("P-H") become "[surname]", so "Mrs Smith" is "Mrs [surname]", never
"Mrs Child A". A relative's full name and first name become their role ("[mother]",
"[relative]"); their surname is a surname like the child's.

Names that are also ordinary words (Hope, May, Bell, Rose) or very short (Li, Ng, Jo) are
"strict": matched only when capitalised and used as a name (see `redact.py`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence_app.core.bundles.export.model import Person
from evidence_app.core.bundles.export.normalise import key

TITLES = frozenset("mr mrs ms miss mx dr".split())
ALL_TITLES = TITLES | frozenset("sir dame lady lord rev master prof".split())
# Name parts that are also everyday words: matched only when written as a name.
COMMON_WORDS = frozenset("""
    will may june april august mark rose hope faith grace joy summer autumn winter dawn
    bill bob jack frank sue pat rob ray art guy victor chase hunter mason miles
    rich young brown green white black gray grey long short small little wood hill
    king law page hall bell ball park lane field ford cook baker price hart bird fox
    child baby son brother sister mother father care home house school team
    bay rain sky star sunny honey ruby amber jade pearl crystal iris lily daisy holly ivy
    heather violet poppy christian river storm sage willow hazel robin faith destiny
    harmony miracle precious blessing unique royal prince princess duke earl noble sterling
    mercy patience charity constance prudence verity felicity trinity angel bishop cross
    marsh moss stone brook banks wells mills rivers lamb lamb hunt archer carter fisher
    """.split())
# two-letter English words: a two-letter name that is one of these is ordinary too
SHORT_WORDS = frozenset("""a i am an as at be by do go ha he hi if in is it lo ma me my no of oh
    ok on or ox pa so to up us we yo ye""".split())
MONTH_WORDS = frozenset("may june april august march".split())
# "in May", "since June": after these a month name is the month
MONTH_PREPS = frozenset("""in of since until till by from during before after early late mid
    last next this each every throughout around""".split())
SURNAME_PREFIXES = frozenset("mc mac o de di da le la van von fitz st du del della".split())
_SPLIT = re.compile(r"[\s'\-._]+")


def atoms(text: str) -> tuple[str, ...]:
    return tuple(a for a in _SPLIT.split(key(text)) if a and a.isalnum())


def ordinary(word: str) -> bool:
    k = key(word)
    return k in COMMON_WORDS or k in SHORT_WORDS or len(k) <= 2


@dataclass
class Entry:
    """One spelling to look for, and what replaces it."""

    atoms: tuple[str, ...]
    repl: str
    kind: str                      # name | other-name | relative | surname | term
    owner: int                     # index of the person
    strict: bool = False           # ordinary word or very short: only when used as a name
    initials: bool = False         # single capital letters ("P-H", the K of "Callum K")
    case_ref: str = ""
    owners: set = field(default_factory=set)

    @property
    def target(self) -> str:
        return "".join(self.atoms)


# Words that begin a surname of several words: "Ní Bhriain", "van der Berg", "De Souza".
PARTICLES = frozenset("""ni nic mac mc o ua van von der den de da di du del della des le la
    bin binti bint ap ab st ter ten""".split())


def split_name(name: str) -> tuple[list[str], str]:
    """(given names, surname) of "First Middle Sur-name"; a single word is a given name; a
    surname keeps its particles ("Zoë Ní Bhriain" -> ["Zoë"], "Ní Bhriain")."""
    words = [w.strip(".,()\"") for w in name.split()]
    words = [w for w in words if w and key(w).strip(".") not in ALL_TITLES]
    if len(words) <= 1:
        return words, ""
    cut = len(words) - 1
    while cut > 1 and key(words[cut - 1]) in PARTICLES:
        cut -= 1
    return words[:cut], " ".join(words[cut:])


def _initials(surname: str) -> list[tuple[str, ...]]:
    """The initials a surname is written as: "K" for Kirk, "O" for O'Neill, "P-H" (and the
    first alone, "P") for Pryce-Hughes."""
    parts = [atoms(p) for p in re.split(r"[\s\-‐‑‒–—]+", surname)]
    letters = tuple(p[0][0] for p in parts if p and p[0])
    if not letters:
        return []
    return [letters] + ([letters[:1]] if len(letters) > 1 else [])


def person_entries(idx: int, person: Person) -> list[Entry]:
    """All entries of one registered child (their names, other names, relatives, terms)."""
    out: list[Entry] = []
    alias = person.alias or "[child]"
    ref = person.ref

    def add(parts: tuple[str, ...], repl: str, kind: str, *, strict=False, initials=False):
        if parts:
            out.append(Entry(parts, repl, kind, idx, strict, initials, ref))

    def one_word(word: str, repl: str, kind: str):
        a = atoms(word)
        if not a:
            return
        strict = len(a) == 1 and ordinary(word)
        if len(a) == 1 and len(a[0]) == 1:
            return                  # a lone initial is not a name
        add(a, repl, kind, strict=strict)

    def name_entries(name: str, repl: str, kind: str):
        given, surname = split_name(name)
        if not given:
            return
        full = tuple(x for w in given + [surname] for x in atoms(w))
        add(full, repl, kind, strict=False)
        first = given[0]
        if surname:
            add(atoms(first) + atoms(surname), repl, kind)
            add(atoms(surname) + atoms(first), repl, kind)          # "Smith, Ashlyn"
            for ini in _initials(surname):
                add(atoms(first) + ini, repl, kind, initials=True)   # "Callum K", "Callum P-H"
                if len(ini) > 1:
                    add(ini, "[surname]", "surname", initials=True)   # "P-H"
            surname_entries(surname)
        if len(given) > 1:
            add(atoms(first) + atoms(given[1]), repl, kind)
        for g in given:
            one_word(g, repl, kind)

    def surname_entries(surname: str):
        a = atoms(surname)
        if len(a) == 1 and len(a[0]) == 1:
            return      # "Dash T": a one-letter surname is an initial, matched only with the name
        add(a, "[surname]", "surname", strict=len(a) == 1 and ordinary(surname))
        if len(a) > 1:
            for part in a:
                if len(part) >= 2 and part not in PARTICLES:
                    add((part,), "[surname]", "surname", strict=ordinary(part))

    for name in person.names:
        if name and name.strip():
            name_entries(name, alias, "name")
    for name in person.other_names:
        if name and name.strip():
            name_entries(name, alias, "other-name")
    for name, role in person.relatives:
        if not name or not name.strip():
            continue
        label = f"[{role.strip().lower() or 'relative'}]"
        given, surname = split_name(name)
        if surname:
            add(tuple(x for w in given + [surname] for x in atoms(w)), label, "relative")
            add(atoms(given[0]) + atoms(surname), label, "relative")
            surname_entries(surname)
        for g in given:
            one_word(g, label, "relative")
    for term in person.terms:
        if term and term.strip():
            a = atoms(term)
            if a and not (len(a) == 1 and len(a[0]) == 1):
                add(a, "[REDACTED]", "term", strict=False)
    return out
