"""Excel 97-2003 (and 5.0/95) .xls via xlrd: one Section per sheet, one row per line, as .xlsx.

xlrd reads the BIFF records in pure Python (so it works the same on Windows) and refuses files
with a password; dates are shown dd/mm/yyyy like the .xlsx reader does.
"""
from __future__ import annotations

import datetime as dt
import io

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged, Encrypted
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note

KIND = "Excel workbook"
MAX_CELLS = 5_000_000


def _text(cell, datemode: int) -> str:
    import xlrd  # start-up: xlrd is loaded only when this runs

    ctype, value = cell.ctype, cell.value
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if ctype == xlrd.XL_CELL_TEXT:
        return str(value).strip()
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate_as_datetime(value, datemode)
        except Exception:  # noqa: BLE001 - out-of-range serials stay numbers
            return _number(value)
        if when.time() == dt.time(0) or value >= 1 and value == int(value):
            return when.strftime("%d/%m/%Y")
        if value < 1:
            return when.strftime("%H:%M")
        return when.strftime("%d/%m/%Y %H:%M")
    if ctype == xlrd.XL_CELL_NUMBER:
        return _number(value)
    return str(value).strip()


def _number(value: float) -> str:
    try:
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    except (ValueError, OverflowError, TypeError):
        return str(value)


def extract_xls(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.legacy import not_ole

    if not data.startswith(b"\xd0\xcf\x11\xe0") and not data[:2] in (b"\x09\x00", b"\x09\x02",
                                                                     b"\x09\x04"):
        return not_ole(data, name, limits, depth, "xls")
    import xlrd  # start-up: xlrd is loaded only when this runs

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO(),
                                  formatting_info=False, ragged_rows=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Encrypted() from None
        raise Damaged(f"The {KIND} is damaged and could not be read.") from None
    # anything else xlrd raises on a broken file becomes "damaged" in dispatch
    builder = SectionBuilder(limits)
    names = []
    cells = 0
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            names.append(sheet.name)
            if builder.full or cells > MAX_CELLS:
                continue
            builder.set_heading(sheet.name or f"Sheet {index + 1}", include=True)
            for r in range(sheet.nrows):
                values = [v for v in (_text(c, book.datemode) for c in sheet.row(r)) if v]
                cells += len(values)
                if values:
                    builder.add(" | ".join(values))
                if builder.full or cells > MAX_CELLS:
                    break
            book.unload_sheet(index)
    except xlrd.XLRDError:
        if not builder.total:
            raise Damaged(f"The {KIND} is damaged and could not be read.") from None
    finally:
        book.release_resources()
    note = truncation_note(builder, limits)
    if cells > MAX_CELLS and not note:
        note = f"Only the first {MAX_CELLS:,} cells were indexed."
    sections = [s for s in builder.finish() if s.text.strip() != (s.heading or "")]
    props = {"sheets": names}
    title = None
    try:
        title = (book.props or {}).get("title") if hasattr(book, "props") else None
    except Exception:  # noqa: BLE001
        title = None
    return Extracted(OK, note, "xls", title, sections, None, props)
