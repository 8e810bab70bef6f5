"""Excel .xlsx/.xlsm: one Section per sheet (heading = sheet name), one row per line.

Sheets and shared strings are streamed with a hardened iterparse, so a large sheet costs little
memory. Dates stored as serial numbers are shown as dd/mm/yyyy when the cell's format is a date.
"""
from __future__ import annotations

import datetime as dt
import re

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.ooxml import (
    core_properties, embedded_children, main_part, open_package, rel_targets,
)
from evidence_app.core.index.extractors.safety import (
    MIB, Damaged, Unsupported, iterparse, open_member, parse_xml, read_member,
)
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note

KIND = "Excel workbook"
NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "http://purl.oclc.org/ooxml/spreadsheetml/main")
R_IDS = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
         "{http://purl.oclc.org/ooxml/officeDocument/relationships}id")
MAX_CELLS = 5_000_000  # per workbook; the text budget usually stops us first
DATE_IDS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def _shared_strings(zf, path: str | None, ns: str, limits: Limits) -> list[str]:
    if not path or path not in zf.namelist():
        return []
    si, t, rph = _q(ns, "si"), _q(ns, "t"), _q(ns, "rPh")
    out: list[str] = []
    total = 0
    with open_member(zf, path) as stream:
        for _ev, el in iterparse(stream, si, KIND):
            text = "".join(x.text or "" for x in el.iter(t) if x.getparent().tag != rph)
            out.append(text)
            total += len(text)
            el.clear()
            if total > limits.max_text_chars:
                break
    return out


def _date_styles(zf, ns: str) -> set[int]:
    """Indexes into cellXfs whose number format shows a date or time."""
    try:
        root = parse_xml(read_member(zf, "xl/styles.xml", 32 * MIB), KIND)
    except (KeyError, Damaged):
        return set()
    date_fmts = set(DATE_IDS)
    fmts = root.find(_q(ns, "numFmts"))
    for f in (fmts if fmts is not None else []):
        code = _QUOTED.sub("", (f.get("formatCode") or "").lower())
        if re.search(r"[dy]|m.*[dy]|[dy].*m|h.*:.*m", code):
            try:
                date_fmts.add(int(f.get("numFmtId", "-1")))
            except ValueError:
                pass
    xfs = root.find(_q(ns, "cellXfs"))
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        try:
            if int(xf.get("numFmtId", "0")) in date_fmts:
                out.add(i)
        except ValueError:
            pass
    return out


def _as_date(value: str, epoch: dt.datetime) -> str:
    try:
        serial = float(value)
        if not 0 < serial < 2_958_466:
            return value
        when = epoch + dt.timedelta(days=serial)
    except (ValueError, OverflowError):
        return value
    if serial == int(serial):
        return when.strftime("%d/%m/%Y")
    if serial < 1:
        return when.strftime("%H:%M")
    return when.strftime("%d/%m/%Y %H:%M")


STREAM_ABOVE = 16 * MIB  # smaller sheets are parsed whole: much faster per cell


def _elements(zf, path: str, ns: str):
    """ROW, C, V, T and rPh elements of a sheet in document order; large sheets are streamed."""
    tags = tuple(_q(ns, x) for x in ("row", "c", "v", "t", "rPh"))
    if zf.getinfo(path).file_size <= STREAM_ABOVE:
        return parse_xml(read_member(zf, path), KIND).iter(*tags)
    return _streamed(zf, path, tags)


def _streamed(zf, path: str, tags: tuple):
    with open_member(zf, path) as stream:
        for _ev, row in iterparse(stream, tags[0], KIND):
            yield from row.iter(*tags)
            row.clear()
            parent = row.getparent()
            while parent is not None and row.getprevious() is not None:
                del parent[0]


def _sheet_rows(zf, path: str, ns: str, strings: list[str], dates: set[int], epoch):
    """Yield each row's non-empty cell values."""
    row_tag, c_tag, v_tag, rph_tag = (_q(ns, x) for x in ("row", "c", "v", "rPh"))
    values: list[str] = []
    kind = style = None
    parts: list[str] = []
    in_row = phonetic = False

    def cell_value() -> str:
        text = "".join(parts)
        if kind == "s" and text:
            try:
                return strings[int(text)].strip()
            except (ValueError, IndexError):
                return ""
        if kind == "b":
            return "TRUE" if text == "1" else "FALSE"
        if kind in (None, "n") and text and dates and style:
            try:
                if int(style) in dates:
                    return _as_date(text, epoch)
            except ValueError:
                pass
        return text.strip()

    for el in _elements(zf, path, ns):
        tag = el.tag
        if tag == c_tag or tag == row_tag:
            if kind is not False and parts:
                value = cell_value()
                if value:
                    values.append(value)
            parts, phonetic = [], False
            if tag == row_tag:
                if in_row:
                    yield values
                values, in_row, kind = [], True, False
            else:
                kind, style = el.get("t"), el.get("s")
        elif tag == v_tag:
            if el.text:
                parts.append(el.text)
        elif tag == rph_tag:
            phonetic = True  # the <t> that follow are phonetic readings, not the value
        elif el.text and not phonetic:  # <is><t>: inline strings
            parts.append(el.text)
    if parts and kind is not False:
        value = cell_value()
        if value:
            values.append(value)
    if in_row:
        yield values


def extract_xlsx(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    zf = open_package(data, limits, KIND)
    names = set(zf.namelist())
    if "xl/workbook.bin" in names:
        raise Unsupported("Excel binary workbooks (.xlsb) are not read; save it as .xlsx to "
                          "index its text.")
    try:
        wb_path = main_part(zf, "xl/workbook.xml")
    except KeyError:
        raise Damaged(f"The {KIND} is damaged: its list of sheets is missing.") from None
    wb = parse_xml(read_member(zf, wb_path, 32 * MIB), KIND)
    ns = wb.tag[1:].split("}", 1)[0] if wb.tag.startswith("{") else NS[0]
    ns = ns if ns in NS else NS[0]
    pr = wb.find(_q(ns, "workbookPr"))
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    rels = rel_targets(zf, wb_path)
    ss_path = next((p for p in rels.values() if p.endswith("sharedStrings.xml")), None)
    ss_path = ss_path or ("xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None)
    strings = _shared_strings(zf, ss_path, ns, limits)
    dates = _date_styles(zf, ns)
    builder = SectionBuilder(limits)
    sheets = wb.find(_q(ns, "sheets"))
    cells = 0
    sheet_names = []
    for sheet in (sheets if sheets is not None else []):
        rid = next((sheet.get(k) for k in R_IDS if sheet.get(k)), None)
        path = rels.get(rid or "")
        title = sheet.get("name") or "Sheet"
        sheet_names.append(title)
        if not path or path not in names or builder.full or cells > MAX_CELLS:
            continue
        builder.set_heading(title, include=True)
        for values in _sheet_rows(zf, path, ns, strings, dates, epoch):
            cells += len(values)
            if values:
                builder.add(" | ".join(values))
            if builder.full or cells > MAX_CELLS:
                break
    props = core_properties(zf, KIND)
    props["sheets"] = sheet_names
    note = truncation_note(builder, limits)
    if cells > MAX_CELLS and not note:
        note = f"Only the first {MAX_CELLS:,} cells were indexed."
    sections = [s for s in builder.finish() if s.text.strip() != (s.heading or "")]
    return Extracted(OK, note, "xlsx", props.get("title"), sections, None, props,
                     embedded_children(zf, "xl/embeddings/", limits, depth))
