"""Reading a case list (CSV or XLSX) into rows, bounded whatever the file claims or holds.

A case list comes from another system or a colleague's spreadsheet, so it is treated like any
untrusted file: it is parsed in a worker process under extraction's memory limit and a time
limit (`limited_call.py`, IMPORT_LIMITS: 1 GB, 2 minutes), and the reading itself never trusts
the file's own account of its size.

- XLSX: the sheet's declared dimension is ignored (`reset_dimensions`) and at most
  MAX_COLUMNS + 1 columns are looked at, so a lone cell at XFD1048576 costs one row, not
  17 billion empty cells. Empty rows are skipped, not kept. The zip package is checked for bombs
  before openpyxl sees it.
- CSV: any line ending (CRLF, LF, CR alone), a UTF-8/UTF-16/UTF-32 byte-order mark, UTF-16
  without one, and Windows-1252 (bytes it leaves undefined, such as 0x81 and 0x8D, are kept as
  the Latin-1 characters they would be and then cleaned away) are all read; fields up to
  MAX_FIELD_CHARS are parsed and a longer one is a one-line refusal.
- Caps: MAX_ROWS non-empty rows after the header, MAX_COLUMNS columns in the header,
  MAX_CELL_CHARS characters in a cell (a longer cell is cut, and the import rejects its row if
  the cell is one it uses). Control characters never reach a cell, so they never reach a message.

Row numbers are the spreadsheet's (or the CSV's record numbers), so a rejected row can be found.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.index.extractors.base import Limits
from evidence_app.core.index.regular_file import check_regular, open_regular
from evidence_app.core.base.user_text import clean_text, printable

MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_FIELD_CHARS = 16 * 1024 * 1024  # the CSV parser's own limit (its default is 131,072)
MAX_FILE_BYTES = 100 * 1024 * 1024
EXCEL_MAX_ROW = 1_048_576
SUFFIXES_XLSX = (".xlsx", ".xlsm")
# Extraction's memory limit; a longer time limit, because a real 100,000-row list takes openpyxl
# 10-40 s on a busy laptop (extraction's 30 s is per document). A loop still ends in 2 minutes.
IMPORT_LIMITS = Limits(time_limit_s=120.0)
SUFFIXES_CSV = (".csv", ".txt", ".tsv")
_LENIENT = "evidence-lenient"


def _lenient(exc: UnicodeDecodeError):
    """cp1252's undefined bytes become the Latin-1 character (as Windows itself does); any
    other undecodable input becomes U+FFFD."""
    if exc.encoding.replace("-", "").lower() in ("cp1252", "windows1252", "charmap"):
        return exc.object[exc.start:exc.end].decode("latin-1"), exc.end
    return "\ufffd", exc.end


codecs.register_error(_LENIENT, _lenient)


@dataclass
class Table:
    """Every non-empty row of the first sheet, numbered; cells are clean one-line text."""

    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    long_cells: set[tuple[int, int]] = field(default_factory=set)  # (row number, column index)
    wide_rows: set[int] = field(default_factory=set)  # rows with text past MAX_COLUMNS


def display_name(path: str | Path) -> str:
    """A file's name, safe to store and print (undecodable bytes re-read, no controls)."""
    return clean_text(Path(path).name).strip() or "the file"


def load_table(path: str | Path) -> Table:
    """The rows of a case list, read in a worker under extraction's limits."""
    # start-up: loaded only when this runs
    from evidence_app.core.index.limited_call import call_limited

    path = check_regular(path, "case list")
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES_XLSX + SUFFIXES_CSV:
        raise InvalidInput(f"{name}: case lists must be .csv or .xlsx files.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidInput(f"{name} is too large for a case list ({size // (1024 * 1024):,} MB; "
                           f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB).")
    return call_limited(read_rows, str(path), name, what=name, limits=IMPORT_LIMITS)


def read_rows(path: str, name: str) -> Table:
    """Parse the file in this process (the worker's entry point; tests may call it directly)."""
    with open_regular(path, "case list") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx(path, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(f"{name} is an old-style Excel (.xls) or password-protected workbook: "
                           "save it as .xlsx or CSV and import that.")
    if Path(path).suffix.lower() in SUFFIXES_XLSX:
        raise InvalidInput(f"{name} cannot be read as a spreadsheet: it is not an .xlsx file "
                           "(it may be damaged or only named .xlsx).")
    return _csv(path, name)


def cell_text(value) -> str:
    if value is None:
        return ""
    if type(value) is str and value.isprintable() and value == value.strip() and "  " not in value:
        return value  # the common case, without the regular expressions
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return " ".join(clean_text(str(value)).split())


class _Collector:
    """Numbers, cleans and caps rows as they stream past."""

    def __init__(self, name: str) -> None:
        self.table = Table(name)

    def add(self, number: int, values) -> None:
        cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
        if len(values) > MAX_COLUMNS and any(cell_text(v) for v in values[MAX_COLUMNS:]):
            self.table.wide_rows.add(number)
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            return
        if len(self.table.rows) > MAX_ROWS:  # the header plus MAX_ROWS rows are allowed
            raise InvalidInput(f"{self.table.name} has more than {MAX_ROWS:,} rows: split it into "
                               "smaller lists.")
        for i, c in enumerate(cells):
            if len(c) > MAX_CELL_CHARS:
                cells[i] = c[:MAX_CELL_CHARS]
                self.table.long_cells.add((number, i))
        self.table.rows.append((number, cells))


# ---------------------------------------------------------------- XLSX
def _xlsx(path: str, name: str) -> Table:
    import zipfile  # start-up: zipfile is loaded only when this runs

    import openpyxl  # start-up: openpyxl is loaded only when this runs

    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.safety import Stop, check_zip

    out = _Collector(name)
    with open_regular(path, "case list") as f:
        try:
            check_zip(zipfile.ZipFile(f).infolist(), Limits())
            f.seek(0)
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Stop as exc:
            raise InvalidInput(f"{name} was not read: {exc.reason}") from None
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise InvalidInput(f"{name} cannot be read as a spreadsheet "
                               f"({printable(exc, 80) or type(exc).__name__}).") from None
        try:
            if not wb.worksheets:
                raise InvalidInput(f"{name} has no worksheet.")
            sheet = wb.worksheets[0]
            # Never trust the declared size (e.g. A1:XFD1048576): without it each row is as long
            # as its own last cell and a missing row is an empty tuple, not 16,384 Nones.
            sheet.reset_dimensions()
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > EXCEL_MAX_ROW:
                    raise InvalidInput(f"{name} is damaged: it has rows beyond Excel's last row.")
                if row:
                    out.add(number, row)
        except (InvalidInput, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - malformed sheet XML
            raise InvalidInput(f"{name} cannot be read as a spreadsheet; it may be damaged "
                               f"({type(exc).__name__}).") from None
        finally:
            wb.close()
    return out.table


# ---------------------------------------------------------------- CSV
def _encoding(path: str, name: str) -> str:
    """Name the text encoding from byte-order marks, NUL patterns and a UTF-8 check."""
    with open_regular(path, "case list") as f:
        head = f.read(65_536)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "utf-32"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if b"\x00" in head:
            even, odd = head[0::2], head[1::2]
            if odd and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
                return "utf-16-le"
            if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
                return "utf-16-be"
            if head.count(0) > 0.01 * len(head):
                raise InvalidInput(f"{name} is not a text table (it holds binary data): save "
                                   "the list as CSV or .xlsx.")
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = f.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _dialect(sample: str, suffix: str):
    if suffix == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _csv(path: str, name: str) -> Table:
    encoding = _encoding(path, name)
    csv.field_size_limit(MAX_FIELD_CHARS)
    out = _Collector(name)
    with open_regular(path, "case list") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors=_LENIENT, newline="")
        sample = text.read(65_536)
        controls = sum(1 for c in sample if c < " " and c not in "\t\r\n")
        if controls > max(16, 0.01 * len(sample)):
            raise InvalidInput(f"{name} is not a text table (it holds binary data): save the "
                               "list as CSV or .xlsx.")
        text.seek(0)
        reader = csv.reader(text, _dialect(sample, Path(path).suffix.lower()))
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                out.add(number, row)
        except csv.Error as exc:
            detail = (f"a field is longer than {MAX_FIELD_CHARS:,} characters"
                      if "field larger" in str(exc) else printable(exc, 80))
            raise InvalidInput(f"{name} cannot be read as CSV near line {reader.line_num}: "
                               f"{detail}.") from None
    return out.table
