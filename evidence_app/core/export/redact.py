"""Pseudonymisation: children's names become their case alias, identifiers become [REDACTED].

A bundle that leaves the authority must not name a child where it should not. One compiled regex
finds, in a single pass, e-mail addresses, labelled dates of birth, NHS numbers, UK phone numbers,
postcodes, each case's extra redact terms and every registered name (the full name first, then its
parts). Parts that are very short are skipped (the full name still matches) and parts that are also
ordinary words ("Hope", "Mark") only match when written as a name (capitalised or in capitals), so
"we hope" survives while "Hope's plan" does not.

Word splits text into runs at arbitrary places ("Ash" + "lyn"), so XML is redacted a paragraph at a
time: the text of a paragraph's runs is joined, matched, and each replacement is written back into
the run where the match starts, removing the rest of the match from the following runs. Run
formatting survives; the name does not.

The log counts what kind was replaced where; it never keeps the text that was removed.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from .model import RedactionRules

REDACTED = "[REDACTED]"

# Letters and digits make words; an underscore separates them (file names: "Ashlyn_Smith.docx").
_B = r"(?<![^\W_])"
_E = r"(?![^\W_])"

# Name parts that are also everyday words: matched only as Name or NAME, never lower case.
COMMON_WORDS = frozenset("""
    will may june april august mark rose hope faith grace joy summer autumn winter dawn
    bill bob jack frank sue pat rob ray art guy victor chase hunter mason miles
    rich young brown green white black gray grey long short small little wood hill
    king law page hall bell ball park lane field ford cook baker price hart bird fox
    child baby son brother sister mother father care home house school team
    bay rain sky star sunny honey ruby amber jade pearl crystal iris lily daisy holly ivy
    heather violet poppy christian
    """.split())
TITLES = frozenset("mr mrs ms miss dr mx sir dame lady lord rev master".split())
MIN_PART = 3

_MONTHS = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"
         rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
         rf"|\d{{4}}-\d{{2}}-\d{{2}})")

PATTERNS: dict[str, str] = {
    "email": r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+",
    # The label stays ("DOB: [REDACTED]"); only the date (group dob_date) goes.
    "date-of-birth": rf"(?:\bdob\b|\bd\.o\.b\b\.?|\bdate\s+of\s+birth|\bborn(?:\s+on)?)"
                     rf"[\s:.\-]*(?P<dob_date>{_DATE})",
    "nhs-number": r"(?<![\d+])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d])",
    "phone": r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)(?:\d[ \-]?){8,9}\d(?!\d)"
             r"|\(0\d{3,4}\)\s?\d{3}[ \-]?\d{3,4}(?!\d)",
    "postcode": rf"{_B}(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{{2}}){_E}",
}


@dataclass(frozen=True)
class Entry:
    """One line of the redaction log: never the removed text, only what kind, where, how many."""

    kind: str
    where: str
    count: int

    def to_json(self) -> dict:
        return {"kind": self.kind, "where": self.where, "count": self.count}


def _name_pattern(name: str) -> str:
    """Words of a name separated by any run of spaces or underscores ("Ashlyn_Smith.docx")."""
    return r"[\s_]+".join(re.escape(w) for w in name.split())


def _name_parts(name: str) -> list[str]:
    parts = []
    for word in re.split(r"[\s\-]+", name):
        word = word.strip(".,()'\"")
        if len(word) < MIN_PART or word.lower() in TITLES:
            continue
        parts.append(word)
    return parts


class Pseudonymiser:
    """Compiled rules plus the running log of one export."""

    def __init__(self, rules: RedactionRules) -> None:
        self.rules = rules
        self.counts: Counter[tuple[str, str]] = Counter()
        self._alias: dict[str, str] = {}
        self.aliases = {p.alias for p in rules.people if p.alias}
        self.regex = self._compile(rules)

    # -- building ------------------------------------------------------------------------------
    def _compile(self, rules: RedactionRules) -> re.Pattern | None:
        full: dict[str, str] = {}
        parts: dict[str, str] = {}
        terms: set[str] = set()
        for person in rules.people:
            alias = person.alias or REDACTED
            for name in person.names:
                name = " ".join(name.split())
                if not name:
                    continue
                full.setdefault(name.lower(), (name, alias))
                for part in _name_parts(name):
                    parts.setdefault(part.lower(), (part, alias))
            for term in person.terms:
                term = " ".join(term.split())
                if term:
                    terms.add(term)
        self._alias = {key: alias for key, (_, alias) in parts.items()}
        self._alias.update({key: alias for key, (_, alias) in full.items()})

        alternatives = []
        if rules.patterns:
            alternatives += [f"(?P<{k.replace('-', '_')}>{v})" for k, v in PATTERNS.items()]
        if terms:
            body = "|".join(_name_pattern(t) for t in sorted(terms, key=len, reverse=True))
            alternatives.append(rf"{_B}(?P<term>{body}){_E}")
        names = []
        for key, (text, _) in sorted({**parts, **full}.items(), key=lambda kv: -len(kv[0])):
            pattern = _name_pattern(text)
            if key in COMMON_WORDS and " " not in key:
                cap = text[:1].upper() + text[1:].lower()
                pattern = f"(?-i:{re.escape(cap)}|{re.escape(text.upper())})"
            names.append(pattern)
        if names:
            alternatives.append(rf"{_B}(?P<name>{'|'.join(names)})(?P<poss>['’][sS])?{_E}")
        if not alternatives:
            return None
        return re.compile("|".join(alternatives), re.IGNORECASE)

    # -- strings -------------------------------------------------------------------------------
    def spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, replacement, kind) for every match, in order."""
        if not text or self.regex is None:
            return []
        out = []
        for m in self.regex.finditer(text):
            kind = m.lastgroup or "term"
            if kind == "poss":
                kind = "name"
            if kind == "name":
                key = " ".join(m.group("name").replace("_", " ").split()).lower()
                repl = self._alias.get(key, REDACTED) + (m.group("poss") or "")
            else:
                kind = kind.replace("_", "-")
                repl = REDACTED
                if kind == "date-of-birth":
                    out.append((m.start("dob_date"), m.end(), repl, kind))
                    continue
            out.append((m.start(), m.end(), repl, kind))
        return out

    def redact(self, text: str, where: str) -> str:
        """The text with every match replaced; counts go to the log under `where`."""
        found = self.spans(text)
        if not found:
            return text
        pieces, last = [], 0
        for start, end, repl, kind in found:
            pieces += [text[last:start], repl]
            last = end
            self.counts[(kind, where)] += 1
        pieces.append(text[last:])
        return "".join(pieces)

    def log(self) -> list[Entry]:
        return [Entry(kind, where, n) for (kind, where), n in self.counts.items()]

    def total(self) -> int:
        return sum(self.counts.values())

    # -- XML -----------------------------------------------------------------------------------
    def redact_runs(self, nodes: list, where: str) -> bool:
        """Redact the joined text of a paragraph's text nodes, writing back run by run."""
        texts = [_get_text(n) or "" for n in nodes]
        joined = "".join(texts)
        found = self.spans(joined)
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

        for start, end, repl, kind in reversed(found):
            i, j = node_at(start), node_at(end - 1)
            if i == j:
                t = texts[i]
                texts[i] = t[:start - offsets[i]] + repl + t[end - offsets[i]:]
            else:
                texts[i] = texts[i][:start - offsets[i]] + repl
                for k in range(i + 1, j):
                    texts[k] = ""
                texts[j] = texts[j][end - offsets[j]:]
            self.counts[(kind, where)] += 1
        for node, t in zip(nodes, texts):
            if (_get_text(node) or "") != t:
                _set_text(node, t)
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return True

    def redact_tree(self, root, where: str) -> None:
        """Every piece of text in an XML part: runs grouped per paragraph, then any other text
        node and the attributes that carry words (alt text, field instructions, link targets).

        Text is read through lxml's own descriptor: python-docx's element classes redefine
        `.text` on paragraphs and runs (and assigning it would rebuild the run)."""
        grouped: dict = {}
        for t in root.iter(W_T, A_T):
            para = next(t.iterancestors(W_P, A_P), None)
            grouped.setdefault(para if para is not None else t, []).append(t)
        for nodes in grouped.values():
            self.redact_runs(nodes, where)
        for el in root.iter():
            if el.tag in (W_T, A_T) or not isinstance(el.tag, str):
                continue
            text = _get_text(el)
            if text and text.strip():
                new = self.redact(text, where)
                if new != text:
                    _set_text(el, new)
            for attr in TEXT_ATTRS.intersection(el.attrib):
                value = el.attrib[attr]
                new = self.redact(value, where)
                if new != value:
                    el.set(attr, new)


_get_text = etree._Element.text.__get__
_set_text = etree._Element.text.__set__
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W_T, W_P = f"{{{W}}}t", f"{{{W}}}p"
A_T, A_P = f"{{{A}}}t", f"{{{A}}}p"
TEXT_ATTRS = frozenset({"descr", "title", "name", f"{{{W}}}instr", "Target", f"{{{W}}}val",
                        f"{{{W}}}author", f"{{{W}}}initials", "alt"})


def redact_xml_bytes(p: Pseudonymiser, data: bytes, where: str) -> bytes:
    """For parts held as raw bytes (e.g. docProps/custom.xml, charts): parse, redact, serialise."""
    root = etree.fromstring(data)
    p.redact_tree(root, where)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
