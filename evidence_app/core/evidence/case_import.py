"""Importing a case list (an Annex A extract, a sampling list) from CSV or XLSX.

Two steps, so a person can check before anything is written: `read_table` + `propose_mapping`
guess which column is which field from the header names; the caller may override any of it; then
`import_cases` writes the rows that are good and reports each rejected row with its spreadsheet
row number and a reason. Existing cases are updated with the non-empty values from the file;
blank cells never erase what is there. Reasons never quote the child's name. The import is one
undoable change (its `Done`): undo removes the cases it added and restores the fields it changed.

Real extracts are not tidy tables: Annex A lists start with title rows ("Annex A list 8",
"Extract date: …") above the header, which is found as the first row (of the first 30) that
names a reference column; legal statuses come as wordings ("Child in need (section 17)", see
`legal_status.py`); and one child appears on several rows (one per episode or plan): the repeats
are one case, with a note, not rejections. Rejections are grouped by reason (a count and the
first rows of each), and `write_rejected_csv` saves the rejected rows with their reasons.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.changes import NOTHING, Changes, Done
from evidence_app.core.safety import audit
from evidence_app.core.safety.row_undo import recording, undoable
from evidence_app.core.evidence.case_table import (
    MAX_CELL_CHARS, MAX_COLUMNS, Table, display_name, load_table,
)
from evidence_app.core.evidence.cases import (
    _clean, _fetch, add_case, alias_for, get_case, norm_ref, update_case,
)
from evidence_app.core.base.errors import EvidenceError, InvalidInput
from evidence_app.core.evidence.legal_status import legal_status
from evidence_app.core.store import cases as case_store
from evidence_app.core.base.user_text import clean_text, printable
from evidence_app.core.store.db import transaction
import io
import os

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

FIELDS = ("reference", "name", "alias", "worker", "team", "status", "sampled", "redact", "open",
          "other_names", "dob")
IGNORE = "ignore"
SYNONYMS = {
    "reference": ("child unique id", "child id", "ref", "reference", "case reference", "case ref",
                  "child ref", "child reference", "id", "person id", "la child id",
                  "child unique identifier", "unique id", "mosaic id", "lcs id", "case id",
                  "child unique id cuid"),
    "name": ("name", "child name", "childs name", "child s name", "full name", "child full name",
             "name fictional", "child name fictional", "forename surname"),
    "alias": ("alias", "pseudonym", "anonymised name", "anon name"),
    "worker": ("allocated worker", "worker", "social worker", "allocated social worker",
               "key worker", "personal adviser", "allocated personal adviser", "allocated pa",
               "lead practitioner", "practitioner"),
    "team": ("team", "allocated team", "team name", "service", "locality"),
    "status": ("legal status", "category", "status", "case status", "case category",
               "child status", "plan type", "service type"),
    "sampled": ("sampled", "sample", "in sample", "selected"),
    "redact": ("redact", "redaction terms", "redact terms", "terms to redact"),
    "open": ("open", "is open", "case open"),
    # what pseudonymised exports also replace (cases.py): known-as names and the birth date
    "other_names": ("known as", "other names", "other name", "aka", "nickname", "preferred name",
                    "former name", "former names", "previous name"),
    "dob": ("dob", "d o b", "date of birth", "birth date", "birthdate"),
}
_LOOKUP = {s: f for f, words in SYNONYMS.items() for s in words}
FIRST_ROWS = 5  # rows named per reason in the summary (the CSV has them all)
HEADER_SEARCH_ROWS = 30  # title rows above the header: Annex A extracts have three or four
TRUE_WORDS = {"y", "yes", "true", "1", "x", "sampled", "open"}


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


def _header_key(h: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(h or "").lower()).split())


def propose_mapping(headers: list[str]) -> dict[str, str]:
    """header -> field for the headers we recognise; each field taken by its first header."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for h in headers:
        f = _LOOKUP.get(_header_key(h))
        if f and f not in taken:
            out[h] = f
            taken.add(f)
    return out


def _columns(headers: list[str]) -> str:
    shown = [printable(h, 40) for h in headers if h]
    more = f" and {len(shown) - 30} more" if len(shown) > 30 else ""
    return ", ".join(shown[:30]) + more


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """["Child Unique ID=reference", "Notes=ignore"] -> {header: field}."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        pair = clean_text(pair)
        col, sep, fld = pair.rpartition("=")
        fld = fld.strip().lower()
        if not sep or not col.strip():
            raise InvalidInput(f"'{printable(pair)}' is not COLUMN=FIELD "
                               "(e.g. \"Child ID=reference\").")
        if fld not in FIELDS and fld != IGNORE:
            raise InvalidInput(f"'{printable(fld)}' is not a case field: use one of "
                               f"{', '.join(FIELDS)} or ignore.")
        out[col.strip()] = fld
    return out


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(headers, [(row number, cells)]) from the first sheet of an XLSX, or a CSV file.

    The file is read in a worker under extraction's limits (see `case_table.py` for the caps)."""
    table = load_table(path)
    headers, body = split_header(table)
    return headers, body


def find_header(table: Table, wanted: list[str] | None = None) -> int:
    """The index (in table.rows) of the header: the first of the first rows that names a
    reference column (or a column the person named with --map), else the row naming the most
    fields, else the first row. Title rows above it ("Annex A list 8", "Extract date") are
    skipped."""
    wanted_keys = {_header_key(w) for w in wanted or []}
    best, best_score = 0, 0
    for i, (_n, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if len(cells) > 200:
            continue
        fields = set(propose_mapping(cells).values())
        if "reference" in fields or wanted_keys & {_header_key(c) for c in cells}:
            return i
        if len(fields) > best_score:
            best, best_score = i, len(fields)
    return best if best_score >= 2 else 0


def split_header(table: Table, wanted: list[str] | None = None
                 ) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header row (found below any title rows) and the rows after it, which are the cases."""
    if not table.rows:
        raise InvalidInput(f"{table.name} is empty.")
    at = find_header(table, wanted)
    (number, headers), body = table.rows[at], table.rows[at + 1:]
    if number in table.wide_rows:
        raise InvalidInput(f"{table.name} has more than {MAX_COLUMNS} columns: keep the columns "
                           "the import needs (reference, name, worker, team, status, ...).")
    if any((number, i) in table.long_cells for i in range(len(headers))):
        raise InvalidInput(f"{table.name}: a column heading is longer than {MAX_CELL_CHARS:,} "
                           "characters; is the first row really the header?")
    return headers, body


def import_cases(ws: Workspace, path: str | Path, overrides: dict[str, str] | None = None,
                 dry_run: bool = False) -> Done[CaseImportReport]:
    """Write the good rows (one transaction) and report every row. The `Done`'s undo removes
    the cases added and puts back the fields changed (refused if any was changed since); a
    dry run writes nothing and has no undo."""
    table = load_table(path)
    headers, body = split_header(table, list(overrides or {}))
    header_row = next(n for n, cells in table.rows if cells is headers)
    mapping = propose_mapping(headers)
    for col, fld in (overrides or {}).items():
        match = next((h for h in headers if _header_key(h) == _header_key(col)), None)
        if match is None:
            raise InvalidInput(f"The file has no column '{printable(col)}'. Its columns are: "
                               f"{_columns(headers)}.")
        mapping = {h: f for h, f in mapping.items() if f != fld or fld == IGNORE}
        mapping[match] = fld
    mapping = {h: f for h, f in mapping.items() if f != IGNORE}
    if "reference" not in mapping.values():
        raise InvalidInput(f"No column looks like the case reference. Say which with --map "
                           f"\"COLUMN=reference\" (columns: {_columns(headers)}).")
    report = CaseImportReport(display_name(path), mapping, rows=len(body), dry_run=dry_run,
                              header_row=header_row)
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(h, i)  # a repeated heading: the first column of that name is used
    seen: dict[str, int] = {}
    aliases = _AliasPool(ws)
    journaling = getattr(ws, "journal_enabled", True)
    if dry_run:  # everything is rolled back, so there is nothing to journal (and no fsyncs)
        ws.journal_enabled = False
    try:
        with (transaction(ws.db) if dry_run else recording(ws)) as rec:
            for number, cells in body:
                values = {f: (cells[index[h]] if index[h] < len(cells) else "")
                          for h, f in mapping.items()}
                too_long = [h for h in mapping if (number, index[h]) in table.long_cells]
                if too_long:
                    reason = (f"the {printable(too_long[0], 40)} cell is longer than "
                              f"{MAX_CELL_CHARS:,} characters")
                    report.reject(number, reason)
                    continue
                try:
                    _import_row(ws, number, values, seen, report, aliases)
                except EvidenceError as exc:
                    report.reject(number, str(exc), getattr(exc, "group", None))
            report.repeats = [r for r in repeats_of(seen) if len(r.rows) > 1]
            if dry_run:
                raise _DryRun  # roll back everything: the report shows what would happen
            audit.record(ws, "import", "case-list", None, report.file, None,
                         {"added": len(report.added), "updated": len(report.updated),
                          "rejected": len(report.rejected)})
    except _DryRun:
        return Done(report, NOTHING, None, f"Check {report.file}")
    finally:
        ws.journal_enabled = journaling
    return undoable(report, rec.rows, Changes.of("cases"), f"Import cases from {report.file}",
                    f"The import of {report.file}", "case-import",
                    "Change those cases by hand instead.")


class _DryRun(Exception):
    pass


class _AliasPool:
    """The next free "Child A"-style alias, without rereading every alias for each new case
    (which made a 100,000-row import quadratic)."""

    def __init__(self, ws: Workspace) -> None:
        self.used = case_store.aliases(ws.conn)
        self.n = 0

    def take(self, wanted: str | None) -> str:
        if wanted:
            self.used.add(wanted.lower())
            return wanted
        while alias_for(self.n).lower() in self.used:
            self.n += 1
        alias = alias_for(self.n)
        self.used.add(alias.lower())
        return alias


class RowProblem(InvalidInput):
    """A row that cannot be imported; `group` is the reason without the row's own values."""

    def __init__(self, message: str, group: str) -> None:
        super().__init__(message)
        self.group = group


def repeats_of(seen: dict) -> list[RepeatedCase]:
    out = []
    for ref, info in seen.items():
        note = "imported once; later rows only fill blanks"
        if info["conflicts"]:
            note += ("; the rows disagree on " + ", ".join(sorted(info["conflicts"]))
                     + f" (row {info['rows'][0]} kept)")
        out.append(RepeatedCase(ref, tuple(info["rows"]), note))
    return out


def _import_row(ws, number, values, seen, report, aliases: _AliasPool) -> None:
    ref_raw = values.get("reference", "")
    if not ref_raw.strip():
        raise RowProblem("missing reference", "no case reference")
    ref = norm_ref(ref_raw)
    fields = _row_fields(values)
    if ref in seen:  # the same child on another row (another episode or plan): one case
        info = seen[ref]
        info["rows"].append(number)
        new = {}
        for key, value in fields.items():
            if key in info["fields"]:
                if info["fields"][key] != value:
                    info["conflicts"].add(key)
            else:
                new[key] = value
                info["fields"][key] = value
        if new:
            if "redact" in new:
                new["add_redact"] = new.pop("redact")
            if "other_names" in new:
                new["add_other_names"] = new.pop("other_names")
            update_case(ws, ref, **new)
        return
    seen[ref] = {"rows": [number], "fields": dict(fields), "conflicts": set()}
    existing = _fetch(ws, ref)
    if existing is None:
        fields["alias"] = aliases.take(fields.get("alias"))
        add_case(ws, ref, **fields)
        report.added.append(ref)
        return
    if "redact" in fields:
        fields["add_redact"] = fields.pop("redact")
    if "other_names" in fields:
        fields["add_other_names"] = fields.pop("other_names")
    before = get_case(ws, ref, include_name=True)
    after = update_case(ws, ref, **fields).value
    (report.updated if after != before else report.unchanged).append(ref)


def _row_fields(values: dict) -> dict:
    fields: dict = {}
    for key in ("name", "alias", "worker", "team"):
        if _clean(values.get(key)):
            fields[key] = _clean(values[key])
    if _clean(values.get("status")):
        try:
            fields["status"] = legal_status(values["status"])
        except InvalidInput:
            raise RowProblem(f"legal status '{printable(values['status'], 40)}' not recognised "
                             "(use EH, CIN, CP, CIC or CL, or a wording listed in the README)",
                             f"legal status '{printable(values['status'], 40)}' not "
                             "recognised") from None
    for key in ("sampled", "open"):
        if _clean(values.get(key)):
            fields[key] = values[key].strip().lower() in TRUE_WORDS
    if _clean(values.get("redact")):
        fields["redact"] = [t for t in re.split(r"[;|]", values["redact"]) if t.strip()]
    if _clean(values.get("other_names")):
        fields["other_names"] = [t for t in re.split(r"[;|]", values["other_names"]) if t.strip()]
    if _clean(values.get("dob")):
        fields["dob"] = _clean(values["dob"])[:10] if re.match(r"\d{4}-\d\d-\d\d",
                                                               _clean(values["dob"])) \
            else _clean(values["dob"])
    return fields
