"""Spreadsheets for the inspection team: the week-one request tracker, the coverage matrix and the
evidence list, formatted the way people expect to receive them.

A bold shaded header row, an autofilter over the data, panes frozen below the header (and right
of the first column, which names the row), sensible column widths with wrapped text, dates as
real dates shown dd/mm/yyyy, the protective marking in the printed header and footer, and
landscape printing that fits the width. Written atomically like every export.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from evidence_app.core.bundles.export.files import Written, write_atomic
from evidence_app.core.bundles.export.model import DEFAULT_MARKING, Column, Sheet

HEADER_FILL = "1F3864"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _title(text: str, used: set[str]) -> str:
    base = _BAD_TITLE.sub(" ", text).strip()[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _value(v):
    if isinstance(v, str):
        v = _ILLEGAL.sub("", v)
        if v[:1] in ("=", "+", "-", "@") and len(v) > 1:
            v = "'" + v          # never let a cell's text run as a formula (CSV/XLSX injection)
        return v
    if isinstance(v, (list, tuple, set)):
        return ", ".join(str(x) for x in v)
    return v


def build_workbook(sheets: list[Sheet], *, marking: str = DEFAULT_MARKING) -> bytes:
    # start-up: openpyxl is loaded only when this runs
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    head_align = Alignment(vertical="center", wrap_text=True)
    body_align = Alignment(vertical="top", wrap_text=True)
    for sheet in sheets or [Sheet("Empty", [])]:
        ws = wb.create_sheet(_title(sheet.title, used))
        ws.append([c.header for c in sheet.columns])
        for row in sheet.rows:
            ws.append([_value(v) for v in row])
        ncols, nrows = max(len(sheet.columns), 1), len(sheet.rows) + 1
        for cell in ws[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, head_align
        ws.row_dimensions[1].height = 30
        for i, col in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        for row in ws.iter_rows(min_row=2, max_row=nrows, max_col=ncols):
            for cell in row:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
                if sheet.wrap:
                    cell.alignment = body_align
        last = get_column_letter(ncols)
        ws.auto_filter.ref = f"A1:{last}{nrows}"
        ws.freeze_panes = "B2" if ncols > 1 else "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddHeader.center.text = marking
        ws.oddHeader.center.font = "Arial,Bold"
        ws.oddFooter.center.text = marking
        ws.oddFooter.right.text = "Page &P of &N"
    wb.properties.creator = ""
    wb.properties.lastModifiedBy = ""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_workbook(out: Path, sheets: list[Sheet], *, marking: str = DEFAULT_MARKING,
                   force: bool = False, verify=None) -> Written:
    """`verify(tmp)` reads the written file back before it is delivered (pseudonymised)."""
    return write_atomic(Path(out), build_workbook(sheets, marking=marking), force=force,
                        verify=verify)


# -- pseudonymised spreadsheets ----------------------------------------------------------------
def pseudonymise_sheets(sheets: list[Sheet], p, *, case_column: str | None = None,
                        drop: tuple[str, ...] = ()) -> list[Sheet]:
    """Every text cell (and every sheet title) redacted, in the row's case context when a column
    holds the case reference; a column headed "Date of birth" (or a cell right of such a label)
    is a date of birth throughout; a date cell that is a known birthday is redacted. Columns in
    `drop` (the case reference) are left out."""
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.export.identifiers import DOB_CELL_RE
    from evidence_app.core.bundles.export.redact import REDACTED

    out = []
    for sheet in sheets:
        heads = [c.header for c in sheet.columns]
        keep = [i for i, h in enumerate(heads) if h not in drop]
        case_at = heads.index(case_column) if case_column in heads else None
        dob_cols = {i for i, h in enumerate(heads) if DOB_CELL_RE.match(h or "")}
        rows = []
        for r, row in enumerate(sheet.rows):
            case = str(row[case_at] or "") if case_at is not None and case_at < len(row) else None
            new = []
            for i, v in enumerate(row):
                dob = i in dob_cols or (i > 0 and isinstance(row[i - 1], str)
                                        and bool(DOB_CELL_RE.match(row[i - 1])))
                where = f"{sheet.title} row {r + 2}"
                if isinstance(v, (dt.date, dt.datetime)):
                    day = v.date() if isinstance(v, dt.datetime) else v
                    v = REDACTED if dob or day in p.known_dates else v
                elif isinstance(v, str):
                    v = p.redact(v, where, case, dob)
                elif isinstance(v, (list, tuple)):
                    v = [p.redact(str(x), where, case) for x in v]
                new.append(v)
            rows.append([new[i] for i in keep if i < len(new)])
        cols = [sheet.columns[i] for i in keep]
        cols = [Column(p.redact(c.header, "column headers"), c.width) for c in cols]
        out.append(Sheet(p.redact(sheet.title, "sheet names"), cols, rows, sheet.wrap))
    return out
