"""What a case-list import reports: its records, the rejections grouped, the rejected rows saved.

`case_import.py` reads the rows and writes the cases; what it found is a `CaseImportReport` made
of records (`RejectedRow`, `RejectionGroup`, `RepeatedCase`), which the window, the command line
(`case import`, its `--json`) and the tests read. Separate from the import so what a report holds
and how it is shown (grouped by reason, a count and the first rows of each; the rejected rows as
a CSV to fix and import again) is read in one place, apart from the rules for each row.
"""
from __future__ import annotations

import io
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evidence_app.core.base.frozen import frozen
from evidence_app.core.evidence.case_table import load_table

FIRST_ROWS = 5  # rows named per reason in the summary (the CSV has them all)


@frozen
class RejectedRow:
    """A row of the file that was not imported: its spreadsheet row number and why."""

    row: int
    reason: str


@frozen
class RejectionGroup:
    """The rejected rows that share a reason (the reason without any row's own values): how
    many, and their row numbers in order."""

    reason: str
    count: int
    rows: tuple[int, ...]


@frozen
class RepeatedCase:
    """One child found on several rows (one per episode or plan): imported as one case."""

    reference: str
    rows: tuple[int, ...]
    note: str


@dataclass
class CaseImportReport:
    """What a case-list import did (or, dry, would do). Built up while the rows are read; the
    rows it lists are records (`RejectedRow`, `RejectionGroup`, `RepeatedCase`) and `to_json`
    gives the `case import --json` shape (their fields as objects, row numbers as lists)."""

    file: str
    mapping: dict[str, str]
    rows: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False
    header_row: int = 1  # where the column headings were found (title rows above it skipped)
    repeats: list[RepeatedCase] = field(default_factory=list)
    rejected_groups: list[RejectionGroup] = field(default_factory=list)
    rejected_csv: str | None = None  # where the rejected rows were saved, if they were

    def __post_init__(self) -> None:
        self.group_of: dict[int, str] = {}  # row -> its reason without the row's own values

    def reject(self, row: int, reason: str, group: str | None = None) -> None:
        self.rejected.append(RejectedRow(row, reason))
        self.group_of[row] = group or reason

    def groups(self) -> list[RejectionGroup]:
        """The rejections by reason, most common first."""
        return group_rejections(self.rejected, self.group_of)

    def to_json(self) -> dict:
        self.rejected_groups = self.groups()
        out = asdict(self)
        for key in ("repeats", "rejected_groups"):  # row numbers as lists, as JSON reads back
            out[key] = [{**r, "rows": list(r["rows"])} for r in out[key]]
        return out

    def summary_lines(self, first: int = FIRST_ROWS) -> list[str]:
        """The report for a person: one line per reason with a count and the first rows, and
        one line for the children found on several rows (never a wall of row numbers)."""
        out = []
        for g in self.groups():
            more = "…" if g.count > len(g.rows[:first]) else ""
            rows = ", ".join(str(r) for r in g.rows[:first]) + more
            out.append(f"  {_rows(g.count)} rejected: {g.reason} "
                       f"(row{'s' if g.count != 1 else ''} {rows})")
        if self.repeats:
            n = len(self.repeats)
            extra = sum(len(r.rows) - 1 for r in self.repeats)
            examples = "; ".join(f"{r.reference} on rows {', '.join(map(str, r.rows[:4]))}"
                                 for r in self.repeats[:first])
            out.append(f"  {n} {'child' if n == 1 else 'children'} appear on more than one row "
                       f"({_rows(extra)} more): each imported as one case, later rows filling "
                       f"blanks only (e.g. {examples}{'…' if n > first else ''})")
        return out

    def line(self) -> str:
        verb = "would add" if self.dry_run else "added"
        cases = f"{len(self.added)} {'case' if len(self.added) == 1 else 'cases'}"
        title = f" (headings on row {self.header_row})" if self.header_row > 1 else ""
        return (f"{self.file}: {_rows(self.rows)}{title}; {verb} {cases}, updated "
                f"{len(self.updated)}, unchanged {len(self.unchanged)}, rejected "
                f"{len(self.rejected)}.")


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def group_rejections(rejected: list[RejectedRow],
                     group_of: dict | None = None) -> list[RejectionGroup]:
    """The rejections grouped by each one's group (its reason without the row's own values),
    most common first, then by first row."""
    rows: dict[str, list[int]] = {}
    for r in rejected:
        rows.setdefault((group_of or {}).get(r.row) or r.reason, []).append(r.row)
    return [RejectionGroup(reason, len(numbers), tuple(numbers))
            for reason, numbers in sorted(rows.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))]


def write_rejected_csv(report: "CaseImportReport", path: str | Path, source: str | Path) -> Path:
    """The rejected rows as they were in the file, with the row number and the reason first
    (so they can be fixed and imported again). Written atomically; returns the path."""
    import csv  # start-up: csv is loaded only when this runs

    table = load_table(source)
    by_row = {n: cells for n, cells in table.rows}
    header = next((cells for n, cells in table.rows if n == report.header_row), [])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Row", "Why it was not imported"] + list(header))
    for r in report.rejected:
        w.writerow([r.row, r.reason] + list(by_row.get(r.row, [])))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    os.replace(tmp, out)
    report.rejected_csv = str(out)
    return out


def repeats_of(seen: dict) -> list[RepeatedCase]:
    out = []
    for ref, info in seen.items():
        note = "imported once; later rows only fill blanks"
        if info["conflicts"]:
            note += ("; the rows disagree on " + ", ".join(sorted(info["conflicts"]))
                     + f" (row {info['rows'][0]} kept)")
        out.append(RepeatedCase(ref, tuple(info["rows"]), note))
    return out
