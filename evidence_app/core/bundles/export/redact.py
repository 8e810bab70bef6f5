"""Pseudonymisation: children's names become their case alias, identifiers become [REDACTED].

A bundle that leaves the authority must not name a child. Text is matched in the folded form of
`normalise` (accents, apostrophes, hyphens, `%20` and case made uniform), so every spelling of a
registered name matches; `variants` lists the spellings of each person (full name, first name,
"Callum K", "P-H", other names, relatives' names, terms). Matching is word by word: a dictionary
lookup on the first word of each entry, then the following words are compared with the rest of
the entry. Words may be joined ("OBrien", "AshlynSmith" in a file name, "ashlyn.smith" in a link)
or separated by up to three spaces, apostrophes, hyphens, dots or underscores; a trailing "'s" is
kept ("Child A's plan"), a plural swallowed ("the Smiths" -> "the [surname]").

Names that are ordinary words (Hope, Faith, May, Bell, Summer, Rose, Grace...) or very short (Li,
Ng, Jo) are "strict": replaced only when written with a capital AND used as a name — after a title
(Mr, Mrs, Ms, Miss, Mx, Dr), before "family", as part of a longer name ("Hope Ng"), or
capitalised in the middle of a sentence. A capitalised ordinary word at the start of a sentence,
in capitals, or a month name mid-sentence ("in May") is ambiguous: left as it is and listed for a
person to decide (review.py). Next to a number, a month name is a date, not a name.

A bare first name shared by two registered children takes the alias of the child whose case the
text belongs to (`case=`), and "[child]" where that is unknown: never another child's alias.

Identifiers (identifiers.py) are redacted first: e-mail addresses, NHS numbers, phones, postcodes,
dates of birth labelled in the sentence or in the neighbouring table cell, and known birthdays.

Word splits text into runs at arbitrary places ("Ash" + "lyn"), so XML is redacted a paragraph at
a time: the text of a paragraph's runs is joined, matched, and each replacement is written back
into the run where the match starts, removing the rest of the match from the following runs.
Hidden text (w:vanish) is removed. Attributes are rewritten only where they carry words people
read (alt text, titles, content-control labels, field instructions); identifiers of the document's
own structure (style ids, bookmark names, fonts, relationship ids) are never touched.

The log counts what kind was replaced where; it never keeps the text that was removed.

This file holds how text is matched; registered names grouped by spelling are in
`name_groups.py`, walking a Word part in `redact_xml.py`, where its text sits in `xml_text.py`.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from evidence_app.core.base.frozen import frozen
from evidence_app.core.bundles.export.identifiers import date_spans, pattern_spans
from evidence_app.core.bundles.export.model import RedactionRules
from evidence_app.core.bundles.export.name_groups import REDACTED, NameGroup, compiled_groups
from evidence_app.core.bundles.export.normalise import fold, to_original
from evidence_app.core.bundles.export.redact_xml import XmlRedaction
from evidence_app.core.bundles.export.variants import (
    MONTH_PREPS, MONTH_WORDS, SHORT_WORDS, COMMON_WORDS, SURNAME_PREFIXES, TITLES,
)

_WORD = re.compile(r"[^\W\d_]+|\d+")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[^\W\d_]+")
_SEP_CHARS = frozenset(" \t\n\r'-._,")
_SENTENCE_START = frozenset('.!?:;"(\n\r•*·–-[')


@frozen
class Entry:
    """One line of the redaction log: never the removed text, only what kind, where, how many."""

    kind: str
    where: str
    count: int

    def to_json(self) -> dict:
        return {"kind": self.kind, "where": self.where, "count": self.count}


class Hit(NamedTuple):
    """Something found in a text: (start, end) in the original, the replacement, the kind;
    `ambiguous` hits are not replaced (a person decides)."""

    start: int
    end: int
    repl: str
    kind: str
    ambiguous: bool = False


class Pseudonymiser(XmlRedaction):
    """Compiled rules plus the running log of one export."""

    def __init__(self, rules: RedactionRules) -> None:
        self.rules = rules
        self.counts: Counter[tuple[str, str]] = Counter()
        self.ambiguous: list[tuple[str, str]] = []     # (word, where) left for review
        self.learned: set = set()                       # birth dates found by their label
        self.known_dates = frozenset(rules.known_dates) | frozenset(
            d for p in rules.people for d in p.dobs)
        self.patterns = rules.patterns
        self._memo: dict = {}
        self._compile(rules)

    # -- building ------------------------------------------------------------------------------
    def _compile(self, rules: RedactionRules) -> None:
        (self._groups, self._first, self._starts,
         self.surnames) = compiled_groups(tuple(rules.people))

    @property
    def empty(self) -> bool:
        return not self._groups

    # -- words ---------------------------------------------------------------------------------
    def _tokens(self, text: str) -> list[tuple[int, int, str, bool]]:
        """(start, end, word, camel) — camel: joined to the previous word without a separator
        ("Ashlyn|Smith" in AshlynSmith). A word that is itself a registered spelling
        ("McDonald") is not split."""
        out = []
        for m in _WORD.finditer(text):
            word = m.group()
            if _CAMEL.search(word) and word.lower() not in self._starts:
                base, first = m.start(), True
                for sub in _CAMEL_SPLIT.finditer(word):
                    out.append((base + sub.start(), base + sub.end(), sub.group(), not first))
                    first = False
            else:
                out.append((m.start(), m.end(), word, False))
        return out

    def _consume(self, g: NameGroup, text: str, toks: list, i: int, first: str) -> tuple | None:
        """Match group g starting at token i; (last token index, plural) or None."""
        target, n = g.target, len(toks)
        if first == target:
            return i, False
        if g.plural and first in (target + "s", target + "es"):
            return i, True
        if not target.startswith(first):
            return None
        pos, j = len(first), i
        while pos < len(target):
            j += 1
            if j >= n:
                return None
            start, _, word, camel = toks[j]
            sep = text[toks[j - 1][1]:start]
            if camel:
                if g.initials:
                    return None
            else:
                if pos not in g.bounds or not sep or len(sep) > 3 or \
                        not _SEP_CHARS.issuperset(sep):
                    return None
                if g.initials and not self._initials_sep_ok(g, sep, word, pos):
                    return None
            low = word.lower()
            rest = target[pos:]
            if rest.startswith(low):
                pos += len(low)
                continue
            if g.plural and low in (rest + "s", rest + "es"):
                return j, True
            return None
        if pos not in g.bounds:
            return None
        return j, False

    @staticmethod
    def _initials_sep_ok(g: NameGroup, sep: str, word: str, pos: int) -> bool:
        if len(word) == 1 and not word.isupper():
            return False
        if all(len(a) == 1 for a in g.atoms):      # "P-H", "P.H."
            return "-" in sep or "." in sep
        return sep.strip(" ") in ("", "-", ".", ".-")

    def _name_hits(self, text: str, taken: list, case: str | None) -> list[Hit]:
        # most text names nobody: one C-level word split and a set test decide that
        if self._starts.isdisjoint(_WORD.findall(text.lower())) and not _CAMEL.search(text):
            return []
        toks = self._tokens(text)
        lows = [t[2].lower() for t in toks]
        out: list[Hit] = []
        i, n = 0, len(toks)
        while i < n:
            start, end0, word, camel = toks[i]
            low = lows[i]
            if camel and i and lows[i - 1] in SURNAME_PREFIXES:
                i += 1
                continue
            found = None
            for g in self._first.get(low, ()):
                r = self._consume(g, text, toks, i, low)
                if r is None:
                    continue
                j, plural = r
                if plural and len(g.target) < 3 and not (i and lows[i - 1] == "the"):
                    continue                  # "the Wus", but not "Lies" for Li
                # the match must end at a word boundary (or a CamelCase / digit boundary)
                if j + 1 < n and toks[j + 1][3] and g.initials:
                    continue
                if g.initials and not all(len(toks[k][2]) > 1 or toks[k][2].isupper()
                                          for k in range(i, j + 1)):
                    continue
                if g.initials and all(len(a) == 1 for a in g.atoms) and j == i:
                    continue
                if taken and any(a < toks[j][1] and start < b for a, b in taken):
                    continue                  # overlaps an e-mail or number: try shorter
                verdict = self._context(g, text, toks, i, j) if g.strict else "yes"
                if verdict == "no":
                    continue
                found = (g, j, plural, verdict)
                break
            if found is None:
                i += 1
                continue
            g, j, plural, verdict = found
            end = toks[j][1]
            repl, kind = g.resolve(case)
            if text[end:end + 2].lower() == "'s" and not text[end + 2:end + 3].isalnum():
                end += 2
                repl += "'s"
            elif plural and text[end:end + 1] == "'" and not text[end + 1:end + 2].isalnum():
                end += 1
                repl += "'s"
            if not any(a < end and start < b for a, b in taken):
                out.append(Hit(start, end, repl, kind, verdict == "ambiguous"))
            while i < n and toks[i][0] < end:
                i += 1
        return out

    @staticmethod
    def _context(g: NameGroup, text: str, toks: list, i: int, j: int) -> str:
        """yes / no / ambiguous for a strict (ordinary-word or very short) name."""
        words = [toks[k][2] for k in range(i, j + 1)]
        if not all(w[:1].isupper() for w in words):
            return "no"                           # "we hope", "in the field"
        prev = toks[i - 1] if i else None
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        prev_sep = text[prev[1]:toks[i][0]] if prev else ""
        if prev and prev[2].lower() in TITLES and prev_sep.strip(" .") == "" \
                and len(prev_sep) <= 2:
            return "yes"                          # Mr Bell, Mrs Ng, Dr. Oh
        if nxt and nxt[2].lower() in ("family", "household", "children", "siblings"):
            return "yes"                          # the Bell family
        target = g.target
        digit_near = (prev and prev[2].isdigit() and len(prev_sep.strip(" ,.")) == 0) or \
            (nxt and nxt[2].isdigit() and len(text[toks[j][1]:nxt[0]].strip(" ,.")) == 0)
        if target in MONTH_WORDS:
            if digit_near:
                return "no"                       # 12 May, May 2026
            if prev is None or prev[2].lower() in MONTH_PREPS:
                return "ambiguous"                # "in May": most likely the month
        ordinary = target in COMMON_WORDS or target in SHORT_WORDS
        if not ordinary:
            return "yes"                          # Ng, Li, Jo: not words
        word = words[0]
        if len(word) > 1 and word.isupper():
            return "ambiguous"                    # HOPE in a heading
        before = text[:toks[i][0]].rstrip(" \t\xa0")
        if not before or before[-1] in _SENTENCE_START:
            return "ambiguous"                    # "Hope is ..." at a sentence start
        return "yes"

    # -- strings -------------------------------------------------------------------------------
    def hits(self, text: str, case: str | None = None, dob_cell: bool = False) -> list[Hit]:
        """Everything found in `text` (original offsets), in order. Identifiers win over names:
        "ashlyn.smith@x.org" is one e-mail, not a name and a domain. Remembered per text: a
        bundle repeats the same labels, cells and headings hundreds of times."""
        if not text:
            return []
        memo_key = (text, case, dob_cell)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._hits(text, case, dob_cell)
            if len(self._memo) < 50000:
                self._memo[memo_key] = found
        return found

    def _hits(self, text: str, case: str | None, dob_cell: bool) -> list[Hit]:
        folded, index = fold(text)
        found: list[Hit] = []
        if self.patterns:
            found = [Hit(a, b, REDACTED, kind) for a, b, kind in pattern_spans(folded)]
        if self.patterns or self.known_dates or dob_cell:
            taken = [(h.start, h.end) for h in found]
            for a, b, d, why in date_spans(folded, self.known_dates, dob_cell):
                if why == "label" and not self.patterns:
                    continue
                if any(x < b and a < y for x, y in taken):
                    continue
                found.append(Hit(a, b, REDACTED, "date-of-birth"))
                if d is not None and why != "known":
                    self.learned.add(d)
        if self._groups:
            found += self._name_hits(folded, [(h.start, h.end) for h in found], case)
        found.sort(key=lambda h: h.start)
        if index is None:
            return found
        n = len(text)
        out = []
        for h in found:
            a, b = to_original(index, h.start, h.end, n)
            out.append(Hit(a, b, h.repl, h.kind, h.ambiguous))
        return out

    def spans(self, text: str, case: str | None = None,
              dob_cell: bool = False) -> list[tuple[int, int, str, str]]:
        """(start, end, replacement, kind) of what is replaced (ambiguous hits are not)."""
        return [(h.start, h.end, h.repl, h.kind) for h in self.hits(text, case, dob_cell)
                if not h.ambiguous]

    def redact(self, text: str, where: str, case: str | None = None,
               dob_cell: bool = False) -> str:
        """The text with every match replaced; counts go to the log under `where`."""
        found = self.hits(text, case, dob_cell)
        if not found:
            return text
        pieces, last = [], 0
        for h in found:
            if h.ambiguous:
                self.ambiguous.append((text[h.start:h.end], where))
                continue
            pieces += [text[last:h.start], h.repl]
            last = h.end
            self.counts[(h.kind, where)] += 1
        pieces.append(text[last:])
        return "".join(pieces)

    def log(self) -> list[Entry]:
        return [Entry(kind, where, n) for (kind, where), n in self.counts.items()]

    def total(self) -> int:
        return sum(self.counts.values())

