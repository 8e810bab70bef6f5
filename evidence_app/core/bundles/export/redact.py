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
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from evidence_app.core.bundles.export.identifiers import DOB_CELL_RE, date_spans, pattern_spans
from evidence_app.core.bundles.export.model import RedactionRules
from evidence_app.core.bundles.export.normalise import fold, to_original
from evidence_app.core.bundles.export.variants import (
    MONTH_PREPS, MONTH_WORDS, SHORT_WORDS, COMMON_WORDS, SURNAME_PREFIXES, TITLES,
    Entry as _VEntry, person_entries,
)

REDACTED = "[REDACTED]"
_WORD = re.compile(r"[^\W\d_]+|\d+")
_CAMEL = re.compile(r"[a-z][A-Z]")
_CAMEL_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[^\W\d_]+")
_SEP_CHARS = frozenset(" \t\n\r'-._,")
_SENTENCE_START = frozenset('.!?:;"(\n\r•*·–-[')


@dataclass(frozen=True)
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


class _Group:
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
def _compiled(people: tuple) -> tuple:
    """Every person's entries grouped by spelling and indexed by their first two letters (and
    the one-letter atoms of "O'Neill" and "P-H"). Cached: one export builds several matchers
    (redaction, review, verification) from the same people."""
    groups: dict[tuple, _Group] = {}
    for idx, person in enumerate(people):
        for e in person_entries(idx, person):
            key = (e.atoms, e.initials)
            g = groups.get(key)
            if g is None:
                groups[key] = _Group(e)
            elif all(x.repl != e.repl or x.case_ref != e.case_ref for x in g.entries):
                g.add(e)
            else:
                g.strict = g.strict and e.strict
    # every first word a match can begin with (an atom, atoms written together, a plural)
    # -> the groups it can begin; exact lookups, so a hundred names sharing their first
    # letters cost nothing extra
    first: dict[str, list[_Group]] = {}
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


class Pseudonymiser:
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
         self.surnames) = _compiled(tuple(rules.people))

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

    def _consume(self, g: _Group, text: str, toks: list, i: int, first: str) -> tuple | None:
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
    def _initials_sep_ok(g: _Group, sep: str, word: str, pos: int) -> bool:
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
    def _context(g: _Group, text: str, toks: list, i: int, j: int) -> str:
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

    # -- XML -----------------------------------------------------------------------------------
    def redact_runs(self, nodes: list, where: str, case: str | None = None,
                    dob_cell: bool = False) -> bool:
        """Redact the joined text of a paragraph's text nodes, writing back run by run."""
        texts = [_get_text(n) or "" for n in nodes]
        joined = "".join(texts)
        found = [h for h in self.hits(joined, case, dob_cell) if not h.ambiguous]
        if not found:
            return False
        offsets, pos = [], 0
        for t in texts:
            offsets.append(pos)
            pos += len(t)

        def node_at(i: int) -> int:
            k = bisect.bisect_right(offsets, i) - 1
            while k < len(texts) - 1 and offsets[k] + len(texts[k]) <= i:
                k += 1  # an empty node at the same offset
            return k

        for h in reversed(found):
            start, end = h.start, h.end
            i, j = node_at(start), node_at(end - 1)
            if i == j:
                t = texts[i]
                texts[i] = t[:start - offsets[i]] + h.repl + t[end - offsets[i]:]
            else:
                texts[i] = texts[i][:start - offsets[i]] + h.repl
                for k in range(i + 1, j):
                    texts[k] = ""
                texts[j] = texts[j][end - offsets[j]:]
            self.counts[(h.kind, where)] += 1
        for node, t in zip(nodes, texts):
            if (_get_text(node) or "") != t:
                _set_text(node, t)
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return True

    def redact_tree(self, root, where: str, case: str | None = None) -> None:
        """Every piece of text in an XML part: hidden text removed, runs grouped per paragraph
        (dates in a cell labelled "Date of birth" count as dates of birth), then any other text
        node and the attributes that carry words people read.

        Text is read through lxml's own descriptor: python-docx's element classes redefine
        `.text` on paragraphs and runs (and assigning it would rebuild the run)."""
        remove_hidden(root)
        self._rename_bookmarks(root, where)
        dob_paras = dob_cell_paragraphs(root)
        for para_el, nodes in paragraphs(root):
            if nodes:
                self.redact_runs(nodes, where, case, para_el is not None and para_el in dob_paras)
        for value in _OTHER_TEXT(root):
            el = value.getparent()
            if el is None or not value.strip():
                continue
            new = self.redact(str(value), where, case)
            if new != value:
                if value.is_text:
                    _set_text(el, new)
                else:
                    el.tail = new
        for el, attr in word_attributes(root):
            value = el.get(attr)
            new = self.redact(value, where, case)
            if new != value:
                el.set(attr, new)


    def _rename_bookmarks(self, root, where: str) -> None:
        """A bookmark named after a child ("Ffion_DOB") gets a neutral, valid name, and the
        links and REF fields that point at it follow; other names are never touched."""
        renames = {}
        for el in root.iter(W_BOOKMARK):
            name = el.get(W_NAME) or ""
            if name and any(not h.ambiguous for h in self.hits(name.replace("_", " "))):
                new = renames.setdefault(name, f"_Redacted{len(renames) + 1}")
                el.set(W_NAME, new)
                self.counts[("name", where)] += 1
        if not renames:
            return
        for el in root.iter(f"{{{W}}}hyperlink"):
            anchor = el.get(f"{{{W}}}anchor")
            if anchor in renames:
                el.set(f"{{{W}}}anchor", renames[anchor])
        for el in root.iter(f"{{{W}}}instrText"):
            text = _get_text(el) or ""
            for old, new in renames.items():
                text = re.sub(rf"\b{re.escape(old)}\b", new, text)
            _set_text(el, text)


# -- XML helpers shared with the verifier ------------------------------------------------------
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W_T, W_P = f"{{{W}}}t", f"{{{W}}}p"
A_T, A_P = f"{{{A}}}t", f"{{{A}}}p"
W_R, W_VANISH, W_RPR = f"{{{W}}}r", f"{{{W}}}vanish", f"{{{W}}}rPr"
W_TBL, W_TR, W_TC = f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
W_BOOKMARK, W_NAME = f"{{{W}}}bookmarkStart", f"{{{W}}}name"
_OTHER_TEXT = etree.XPath(
    "//text()[not(parent::w:t) and not(parent::a:t)]", namespaces={"w": W, "a": A})
_get_text = etree._Element.text.__get__
_set_text = etree._Element.text.__set__

# Attributes that hold words a person reads. Everything else (w:name of a bookmark, w:val of a
# style, fonts, ids) is structure and never rewritten. One XPath union of named attributes:
# libxml2 walks the tree in C (a local-name() test per element cost 40 ms per large part).
_NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
       "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
       "o": "urn:schemas-microsoft-com:office:office",
       "v": "urn:schemas-microsoft-com:vml"}
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_WORD_ATTRS: dict[str, tuple[str, ...]] = {
    f"{{{_NS['wp']}}}docPr": ("descr", "title", "name"),
    f"{{{_NS['pic']}}}cNvPr": ("descr", "title", "name"),
    f"{{{_WPS}}}cNvPr": ("descr", "title", "name"),
    f"{{{_NS['v']}}}shape": ("alt", "title"),
    f"{{{_NS['v']}}}imagedata": (f"{{{_NS['o']}}}title", "title"),
    f"{{{W}}}fldSimple": (f"{{{W}}}instr",),
    f"{{{W}}}comment": (f"{{{W}}}author", f"{{{W}}}initials"),
    f"{{{W}}}alias": (f"{{{W}}}val",), f"{{{W}}}tag": (f"{{{W}}}val",),
    f"{{{W}}}listItem": (f"{{{W}}}displayText", f"{{{W}}}value"),
    f"{{{W}}}docVar": (f"{{{W}}}val",), f"{{{W}}}helpText": (f"{{{W}}}val",),
    f"{{{W}}}statusText": (f"{{{W}}}val",), f"{{{W}}}default": (f"{{{W}}}val",),
    **{f"{{{W}}}{t}": (f"{{{W}}}author",) for t in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "cellIns", "cellDel")},
}


def word_attributes(root):
    """(element, attribute name) of every attribute that carries readable words: alt text and
    titles of pictures and shapes, field instructions, content-control labels, authors.
    (root.iter with a tag list filters in C; an XPath per attribute walked the tree 19 times.)"""
    out = []
    for el in root.iter(*_WORD_ATTRS):
        for name in _WORD_ATTRS[el.tag]:
            if el.get(name):
                out.append((el, name))
    return out


def remove_hidden(root) -> int:
    """Runs formatted as hidden (w:vanish) are removed: hidden text still travels in the file."""
    removed = 0
    for vanish in list(root.iter(W_VANISH)):
        if vanish.get(f"{{{W}}}val", "true").lower() in ("0", "false", "off"):
            continue
        rpr = vanish.getparent()
        run = rpr.getparent() if rpr is not None and rpr.tag == W_RPR else None
        if run is not None and run.tag == W_R and run.getparent() is not None:
            run.getparent().remove(run)
            removed += 1
    return removed


def paragraphs(root):
    """(paragraph element or None, its text nodes in order) for every paragraph of a part."""
    grouped: list = []
    current = None
    for el in root.iter(W_P, A_P, W_T, A_T):     # document order: a paragraph, its runs
        if el.tag in (W_P, A_P):
            current = []
            grouped.append((el, current))
        elif current is None:
            grouped.append((None, [el]))
        else:
            current.append(el)
    return grouped


_cell_text = etree.XPath("string(.)")


def labelled_cells(root, label_re, *more) -> set | tuple:
    """Paragraph elements in the cell right of, or below, a cell whose whole text matches
    `label_re` ("Date of birth", "D.O.B.", "DOB:"). With more label tests, one set per test
    (the cells are read once)."""
    tests = (label_re, *more)
    outs: list[set] = [set() for _ in tests]
    for tbl in root.iter(W_TBL):
        rows = [[tc for tc in tr if tc.tag == W_TC] for tr in tbl if tr.tag == W_TR]
        for r, cells in enumerate(rows):
            for c, tc in enumerate(cells):
                text = _cell_text(tc)
                if not text or len(text) > 40:
                    continue
                for test, out in zip(tests, outs):
                    if not test.match(text):
                        continue
                    if c + 1 < len(cells):
                        out.update(cells[c + 1].iter(W_P))
                    if r + 1 < len(rows) and c < len(rows[r + 1]):
                        out.update(rows[r + 1][c].iter(W_P))
    return outs[0] if not more else tuple(outs)


def dob_cell_paragraphs(root) -> set:
    return labelled_cells(root, DOB_CELL_RE)


def redact_xml_bytes(p: Pseudonymiser, data: bytes, where: str) -> bytes:
    """For parts held as raw bytes (e.g. docProps/custom.xml, charts): parse, redact, serialise."""
    root = etree.fromstring(data)
    p.redact_tree(root, where)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
