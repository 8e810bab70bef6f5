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
are one case, with a note, not rejections. What the import found is a `CaseImportReport`
(`case_import_report.py`: rejections grouped by reason, a count and the first rows of each, and
`write_rejected_csv`, which saves the rejected rows with their reasons).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.base.changes import NOTHING, Changes, Done
from evidence_app.core.safety import audit
from evidence_app.core.safety.row_undo import recording, undoable
from evidence_app.core.evidence.case_import_report import CaseImportReport, repeats_of
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
HEADER_SEARCH_ROWS = 30  # title rows above the header: Annex A extracts have three or four
TRUE_WORDS = {"y", "yes", "true", "1", "x", "sampled", "open"}



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
