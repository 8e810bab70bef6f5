"""The redaction log's rows, in words a reader uses and in the order they read.

The pseudonymiser counts replacements as (kind, where, count) entries, where `where` is how the
code knows the place: "E-012 quote", "Appendix 10", "cover", "part /word/footnotes.xml". The log
in the bundle folds them into one row per kind and place, names the place plainly ("Evidence
quotes", "Document footnotes", "Page headers"), counts the evidence items a row touches, and sorts
naturally (Appendix 2 before Appendix 10), with the cover first and the file's own parts last. The
manifest keeps the per-item detail.
"""
from __future__ import annotations

import re
from typing import Iterable

from evidence_app.core.base.frozen import frozen

# per-item places ("E-012 quote")
ITEM_PLACES = {"title": "Evidence titles", "quote": "Evidence quotes", "note": "Evidence notes",
               "case": "Evidence: child", "source": "Evidence: source names and paths"}
ITEM_ORDER = list(ITEM_PLACES.values())

KINDS = {"name": "Child's name", "term": "Listed term", "nhs-number": "NHS number",
         "phone": "Phone number", "email": "E-mail address", "e-mail": "E-mail address",
         "postcode": "Postcode", "date-of-birth": "Date of birth", "dob": "Date of birth"}

# package parts, by the path inside the .docx (first match wins)
PARTS = [
    (re.compile(r"^/?word/document\d*\.xml$"), "Document text"),
    (re.compile(r"^/?word/footnotes\.xml$"), "Document footnotes"),
    (re.compile(r"^/?word/endnotes\.xml$"), "Document endnotes"),
    (re.compile(r"^/?word/header\d*\.xml$"), "Page headers"),
    (re.compile(r"^/?word/footer\d*\.xml$"), "Page footers"),
    (re.compile(r"^/?word/comments\w*\.xml$"), "Document comments"),
    (re.compile(r"_rels/.*\.rels$"), "Link targets"),
    (re.compile(r"^/?docProps/"), "Document properties"),
    (re.compile(r"^/?word/media/"), "Pictures"),
    (re.compile(r"^/?word/(charts|embeddings)/"), "Charts and embedded objects"),
    (re.compile(r"^/?word/(numbering|styles|settings|fontTable)\.xml$"), "Formatting"),
    (re.compile(r"^/?customXml/"), "Custom data"),
]
_PATH = re.compile(r"(/?(?:word|docProps|customXml|_rels)/[^\s]*)")
_NUMBER = re.compile(r"(\d+)")
_ITEM = re.compile(r"^(E-\d+)\s+(\w+)$")


@frozen
class LogRow:
    kind: str       # "Child's name"
    where: str      # "Evidence quotes", "Appendix 2", "Document footnotes"
    count: int      # replacements made
    items: int      # evidence items touched (0 where the place is not an item's)


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("-", " ").replace("_", " ").capitalize())


def place(where: str) -> tuple[str, str | None]:
    """(plain label, evidence number or None) for a pseudonymiser's `where`."""
    where = " ".join(str(where).split())
    m = _ITEM.match(where)
    if m:
        return ITEM_PLACES.get(m.group(2), f"Evidence {m.group(2)}"), m.group(1)
    if where.lower() == "cover":
        return "Cover", None
    if where.lower() == "section titles":
        return "Section titles", None
    path = _PATH.search(where)
    if path:
        name = path.group(1)
        for pattern, label in PARTS:
            if pattern.search(name):
                return label, None
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return f"Other part ({stem})", None
    return where[:1].upper() + where[1:], None


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.lower() for p in _NUMBER.split(text))


def _group(label: str) -> int:
    if label == "Cover":
        return 0
    if label == "Section titles":
        return 1
    if label in ITEM_ORDER:
        return 2
    if label.startswith("Appendix"):
        return 3
    if any(label == lab for _, lab in PARTS) or label.startswith("Other part"):
        return 5
    return 4


def sort_key(label: str) -> tuple:
    inner = ITEM_ORDER.index(label) if label in ITEM_ORDER else 0
    return (_group(label), inner, _natural(label))


def log_rows(entries: Iterable) -> list[LogRow]:
    """One row per (kind, plain place); entries are objects with kind, where and count."""
    folded: dict[tuple[str, str], list] = {}
    for e in entries:
        if not e.count:
            continue
        label, number = place(e.where)
        row = folded.setdefault((kind_label(e.kind), label), [0, set()])
        row[0] += e.count
        if number:
            row[1].add(number)
    rows = [LogRow(kind, label, n, len(items)) for (kind, label), (n, items) in folded.items()]
    return sorted(rows, key=lambda r: (sort_key(r.where), r.kind))
