"""Excel (.xlsx) as a minimal SpreadsheetML package written by hand."""
from __future__ import annotations

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import _PKG_REL, _R, _XML_DECL, _zip, ensure_rows, stamp, x
from evidence_app.samples.writers.docx import _DOCX_RELS, _core_xml

_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_CT = _XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_XLSX_RELS = _DOCX_RELS.replace("word/document.xml", "xl/workbook.xml")
_XLSX_WB_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_XLSX_STYLES = _XML_DECL + (
    f'<styleSheet xmlns="{_S}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(doc: Doc) -> bytes:
    ts = stamp(doc)
    rows = ensure_rows(doc)
    ncol = max((len(r) for r in rows), default=1)
    cols = [_col(i) for i in range(max(ncol, 1))]
    # The header row is the first row after the blank separator.
    header_at = next((i for i, r in enumerate(rows) if not r), -1) + 1
    widths = [12] * ncol
    for r in rows[header_at:header_at + 30]:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], min(60, len(str(c)) + 2))
    out = [_XML_DECL, f'<worksheet xmlns="{_S}"><sheetViews><sheetView workbookViewId="0">'
           f'<pane ySplit="{header_at + 1}" topLeftCell="A{header_at + 2}" activePane="bottomLeft" state="frozen"/>'
           "</sheetView></sheetViews><cols>"]
    out += [f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths)]
    out.append("</cols><sheetData>")
    for ri, r in enumerate(rows, 1):
        if not r:
            continue
        out.append(f'<row r="{ri}">')
        style = ' s="1"' if ri - 1 == header_at or ri == 1 else ""
        for ci, c in enumerate(r):
            if isinstance(c, int):
                out.append(f'<c r="{cols[ci]}{ri}"{style}><v>{c}</v></c>')
            elif c != "":
                out.append(f'<c r="{cols[ci]}{ri}" t="inlineStr"{style}><is><t xml:space="preserve">{x(c)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    sheet = "".join(out)
    name = doc.sheet[:31]
    workbook = _XML_DECL + (
        f'<workbook xmlns="{_S}" xmlns:r="{_R}"><bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name="{x(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    app = _XML_DECL + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Excel</Application></Properties>"
    )
    return _zip([
        ("[Content_Types].xml", _XLSX_CT, True),
        ("_rels/.rels", _XLSX_RELS, True),
        ("xl/workbook.xml", workbook, True),
        ("xl/_rels/workbook.xml.rels", _XLSX_WB_RELS, True),
        ("xl/styles.xml", _XLSX_STYLES, True),
        ("xl/worksheets/sheet1.xml", sheet, True),
        ("docProps/core.xml", _core_xml(doc.title, doc.author, ts), True),
        ("docProps/app.xml", app, True),
    ], ts)
