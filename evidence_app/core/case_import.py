"""Importing a case list (an Annex A extract, a sampling list) from CSV or XLSX.

Two steps, so a person can check before anything is written: `read_table` + `propose_mapping`
guess which column is which field from the header names; the caller may override any of it; then
`import_cases` writes the rows that are good and reports each rejected row with its spreadsheet
row number (the header is row 1 when it is the first line) and a reason. Existing cases are
updated with the non-empty values from the file; blank cells never erase what is there.
Reasons never quote the child's name.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import audit
from .cases import _clean, _fetch, add_case, get_case, norm_ref, norm_status, update_case
from .errors import EvidenceError, InvalidInput, NotFound
from .store.db import transaction
from .workspace import Workspace

FIELDS = ("reference", "name", "alias", "worker", "team", "status", "sampled", "redact", "open")
IGNORE = "ignore"
SYNONYMS = {
    "reference": ("child unique id", "child id", "ref", "reference", "case reference", "case ref",
                  "child ref", "child reference", "id", "person id", "la child id",
                  "child unique identifier", "unique id", "mosaic id", "lcs id", "case id",
                  "child unique id cuid"),
    "name": ("name", "child name", "childs name", "child s name", "full name", "child full name"),
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
}
_LOOKUP = {s: f for f, words in SYNONYMS.items() for s in words}
TRUE_WORDS = {"y", "yes", "true", "1", "x", "sampled", "open"}


@dataclass
class CaseImportReport:
    file: str
    mapping: dict[str, str]
    rows: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # {"row": n, "reason": "..."}
    dry_run: bool = False

    def to_json(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        verb = "would add" if self.dry_run else "added"
        return (f"{self.file}: {self.rows} rows; {verb} {len(self.added)}, updated "
                f"{len(self.updated)}, unchanged {len(self.unchanged)}, rejected "
                f"{len(self.rejected)}.")


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


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """["Child Unique ID=reference", "Notes=ignore"] -> {header: field}."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        col, sep, fld = pair.rpartition("=")
        fld = fld.strip().lower()
        if not sep or not col.strip():
            raise InvalidInput(f"'{pair}' is not COLUMN=FIELD (e.g. \"Child ID=reference\").")
        if fld not in FIELDS and fld != IGNORE:
            raise InvalidInput(f"'{fld}' is not a case field: use one of {', '.join(FIELDS)} or "
                               "ignore.")
        out[col.strip()] = fld
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(headers, [(row number, cells)]) from the first sheet of an XLSX, or a CSV file."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"There is no file {path}.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path)
    else:
        raise InvalidInput(f"{path.name}: case lists must be .csv or .xlsx files.")
    numbered = [(i + 1, [_cell(c) for c in r]) for i, r in enumerate(rows)]
    numbered = [(n, r) for n, r in numbered if any(r)]
    if not numbered:
        raise InvalidInput(f"{path.name} is empty.")
    (_, headers), body = numbered[0], numbered[1:]
    return headers, body


def _xlsx_rows(path: Path) -> list[tuple]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InvalidInput(f"{path.name} cannot be read as a spreadsheet ({exc}).") from None
    try:
        return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def import_cases(ws: Workspace, path: str | Path, overrides: dict[str, str] | None = None,
                 dry_run: bool = False) -> CaseImportReport:
    headers, body = read_table(path)
    mapping = propose_mapping(headers)
    for col, fld in (overrides or {}).items():
        match = next((h for h in headers if _header_key(h) == _header_key(col)), None)
        if match is None:
            raise InvalidInput(f"The file has no column '{col}'. Its columns are: "
                               f"{', '.join(h for h in headers if h)}.")
        mapping = {h: f for h, f in mapping.items() if f != fld or fld == IGNORE}
        mapping[match] = fld
    mapping = {h: f for h, f in mapping.items() if f != IGNORE}
    if "reference" not in mapping.values():
        raise InvalidInput(f"No column looks like the case reference. Say which with --map "
                           f"\"COLUMN=reference\" (columns: {', '.join(h for h in headers if h)}).")
    report = CaseImportReport(Path(path).name, mapping, rows=len(body), dry_run=dry_run)
    index = {h: i for i, h in enumerate(headers)}
    seen: dict[str, int] = {}
    try:
        with transaction(ws.db):
            for number, cells in body:
                values = {f: (cells[index[h]] if index[h] < len(cells) else "")
                          for h, f in mapping.items()}
                try:
                    _import_row(ws, number, values, seen, report)
                except EvidenceError as exc:
                    report.rejected.append({"row": number, "reason": str(exc)})
            if dry_run:
                raise _DryRun  # roll back everything: the report shows what would happen
            audit.record(ws, "import", "case-list", None, report.file, None,
                         {"added": len(report.added), "updated": len(report.updated),
                          "rejected": len(report.rejected)})
    except _DryRun:
        pass
    return report


class _DryRun(Exception):
    pass


def _import_row(ws, number, values, seen, report) -> None:
    ref_raw = values.get("reference", "")
    if not ref_raw.strip():
        raise InvalidInput("missing reference")
    ref = norm_ref(ref_raw)
    if ref in seen:
        raise InvalidInput(f"duplicate in file: {ref} is also on row {seen[ref]}")
    seen[ref] = number
    fields: dict = {}
    for key in ("name", "alias", "worker", "team"):
        if _clean(values.get(key)):
            fields[key] = _clean(values[key])
    if _clean(values.get("status")):
        try:
            fields["status"] = norm_status(values["status"])
        except InvalidInput:
            raise InvalidInput(f"bad status '{values['status']}' (use EH, CIN, CP, CIC or CL)") \
                from None
    for key in ("sampled", "open"):
        if _clean(values.get(key)):
            fields[key] = values[key].strip().lower() in TRUE_WORDS
    if _clean(values.get("redact")):
        fields["redact"] = [t for t in re.split(r"[;|]", values["redact"]) if t.strip()]
    existing = _fetch(ws, ref)
    if existing is None:
        add_case(ws, ref, **fields)
        report.added.append(ref)
        return
    if "redact" in fields:
        fields["add_redact"] = fields.pop("redact")
    before = get_case(ws, ref, include_name=True)
    after = update_case(ws, ref, **fields)
    (report.updated if after != before else report.unchanged).append(ref)
