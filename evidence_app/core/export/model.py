"""Plain data for the exporters: what goes into a bundle or a spreadsheet, already decided.

The writers never query the store; everything they show is here, in the order it is shown. Items
carry their evidence number ("E-001") so the same number appears in the body, the index, the
appendices and the evidence list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class Appendix:
    """One source document appended in full, after the sections."""

    number: int
    source: Source
    items: tuple[str, ...] = ()     # evidence numbers that cite it
    text: str = ""                  # extracted text, for formats that are not docx or pdf


@dataclass(frozen=True)
class Person:
    """A registered child: every name they go by is replaced by their alias."""

    alias: str
    names: tuple[str, ...] = ()     # full names ("Ashlyn Smith"); their parts are redacted too
    terms: tuple[str, ...] = ()     # extra words to redact (a sibling, a school, an address)


@dataclass(frozen=True)
class RedactionRules:
    people: tuple[Person, ...] = ()
    patterns: bool = True           # NHS numbers, phones, e-mails, postcodes, labelled birth dates


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
