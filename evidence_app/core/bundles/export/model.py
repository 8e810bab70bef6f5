"""Plain data for the exporters: what goes into a bundle or a spreadsheet, already decided.

The writers never query the store; everything they show is here, in the order it is shown. Items
carry their evidence number ("E-001") so the same number appears in the body, the index, the
appendices and the evidence list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from evidence_app.core.base.frozen import frozen

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@frozen
class Source:
    """Where a piece of evidence comes from, exactly enough for an inspector to find it again."""

    name: str
    rel_path: str = ""
    page: int | None = None
    modified: str = ""          # dd/mm/yyyy, already formatted for people
    sha256: str = ""
    path: Path | None = None    # the file on disk, only used to append it; never printed
    format: str = ""            # docx, pdf, txt ... decides how an appendix is made
    document_id: int | None = None
    case_ref: str = ""          # the case the document belongs to (picks the right alias)


@frozen
class Item:
    number: str                 # "E-001"
    title: str
    enquiries: tuple[tuple[str, str], ...] = ()   # (id, title)
    requests: tuple[tuple[str, str], ...] = ()
    strength: str = ""
    kind: str = ""
    quote: str = ""
    note: str = ""
    case: str = ""              # alias or reference of the child, when the item is about one
    source: Source | None = None
    case_ref: str = ""          # the item's case reference (never printed when pseudonymised)
    ocr: str = ""               # said under the quote when OCR read it from a scan


@frozen
class Section:
    title: str
    items: tuple[Item, ...] = ()
    intro: str = ""


@frozen
class Appendix:
    """One source document appended in full, after the sections."""

    number: int
    source: Source
    items: tuple[str, ...] = ()     # evidence numbers that cite it
    text: str = ""                  # extracted text, for formats that are not docx or pdf


@frozen
class Person:
    """A registered child: every name they go by is replaced by their alias."""

    alias: str
    names: tuple[str, ...] = ()     # full names ("Ashlyn Smith"); their parts are redacted too
    terms: tuple[str, ...] = ()     # extra words to redact (a sibling, a school, an address)
    ref: str = ""                   # the case reference (a shared first name takes this alias
                                    # only in this case's documents)
    other_names: tuple[str, ...] = ()   # known as, nicknames, former names -> the alias too
    relatives: tuple[tuple[str, str], ...] = ()     # (name, role) -> "[role]"
    dobs: tuple = ()                # dates of birth (datetime.date), redacted in any format


@frozen
class RedactionRules:
    people: tuple[Person, ...] = ()
    patterns: bool = True           # NHS numbers, phones, e-mails, postcodes, labelled birth dates
    known_dates: frozenset = frozenset()    # birth dates learned from labels in this export


@frozen
class BundleDoc:
    title: str
    authority: str
    inspection: str = ""
    date: dt.date | None = None
    prepared_by: str = ""
    marking: str = DEFAULT_MARKING
    purpose: str = ""
    sections: tuple[Section, ...] = ()
    appendices: tuple[Appendix, ...] = ()
    redaction: RedactionRules | None = None     # None: nothing is pseudonymised

    @property
    def items(self) -> list[Item]:
        return [item for s in self.sections for item in s.items]

    def with_sections(self, sections, appendices=None) -> "BundleDoc":
        return replace(self, sections=tuple(sections),
                       appendices=self.appendices if appendices is None else tuple(appendices))


@frozen
class Column:
    header: str
    width: float = 15           # in Excel character widths


@dataclass
class Sheet:
    """One worksheet: a header row and plain values (str, int, float, date, None)."""

    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    wrap: bool = True


def evidence_number(n: int) -> str:
    """1 -> 'E-001'; numbers keep growing past 999 ('E-1000')."""
    return f"E-{n:03d}"


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _path_tail(source: Source | None) -> str:
    """The folder a source sits in ("Visits"), the part of its path most likely to differ."""
    if source is None or not source.rel_path:
        return ""
    parts = [p for p in source.rel_path.replace("\\", "/").split("/") if p]
    return parts[-2] if len(parts) >= 2 else ""


def _facets(item: Item) -> tuple[str, str, str]:
    s = item.source
    return (item.case, s.modified if s else "", _path_tail(s))


def _tails(items: list[Item]) -> list[str]:
    """What to add to each of several items with one title so that no two read alike."""
    facets = [_facets(i) for i in items]
    for k in range(3):                      # one facet that tells them all apart
        values = [f[k] for f in facets]
        if all(values) and len({v.casefold() for v in values}) == len(values):
            return values
    tails = [", ".join(dict.fromkeys(b for b in f if b)) for f in facets]
    counts: dict[str, int] = {}
    for t in tails:
        counts[t.casefold()] = counts.get(t.casefold(), 0) + 1
    seen: dict[str, int] = {}
    for k, t in enumerate(tails):           # still alike: number them within their likeness
        if counts[t.casefold()] > 1:
            seen[t.casefold()] = seen.get(t.casefold(), 0) + 1
            tails[k] = f"{t}, {seen[t.casefold()]}" if t else str(seen[t.casefold()])
    return tails


def _rename(bundle: BundleDoc, tail_of) -> tuple[BundleDoc, bool]:
    groups: dict[str, list[Item]] = {}
    for item in bundle.items:
        groups.setdefault(_title_key(item.title), []).append(item)
    renamed: dict[str, str] = {}
    for items in groups.values():
        if len(items) > 1:
            for item, tail in zip(items, tail_of(items)):
                renamed[item.number] = f"{item.title} ({tail})"
    if not renamed:
        return bundle, False
    sections = [replace(s, items=tuple(replace(i, title=renamed.get(i.number, i.title))
                                       for i in s.items)) for s in bundle.sections]
    return replace(bundle, sections=tuple(sections)), True


def with_distinct_titles(bundle: BundleDoc) -> BundleDoc:
    """Items that share a title are told apart by what differs between them: the child (case
    alias), the source's date, or the folder it sits in, in that order of preference; failing
    each alone, by all three and then a running number. A renamed title that meets another
    item's title goes round again; the evidence number is the last resort. Titles already
    distinct are left alone, so this is idempotent."""
    for _ in range(3):
        bundle, changed = _rename(bundle, _tails)
        if not changed:
            return bundle
    return _rename(bundle, lambda items: [i.number for i in items])[0]
