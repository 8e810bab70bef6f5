"""Word (.docx) as a minimal OOXML package written by hand."""
from __future__ import annotations

import datetime as _dt

from evidence_app.samples.text import COUNCIL, DEPARTMENT, Doc
from evidence_app.samples.writers.common import (
    _PKG_REL, _R, _W, _XML_DECL, _zip, ensure_pages, stamp, w3c, x,
)

_DOCX_CT = _XML_DECL + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

_DOCX_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOCX_DOC_RELS = _XML_DECL + (
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)

_BORDER = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _heading_style(n: int, size: int) -> str:
    return (f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>'
            f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{360 - 120 * n}" w:after="120"/>'
            f'<w:outlineLvl w:val="{n - 1}"/></w:pPr>'
            f'<w:rPr><w:b/><w:color w:val="1F3864"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
            "</w:style>")


_DOCX_STYLES = _XML_DECL + (
    f'<w:styles xmlns:w="{_W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    + _heading_style(1, 32) + _heading_style(2, 26) +
    '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    f'<w:uiPriority w:val="39"/><w:tblPr><w:tblBorders>{_BORDER}</w:tblBorders></w:tblPr></w:style>'
    "</w:styles>"
)

_DOCX_SETTINGS = _XML_DECL + (
    f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat></w:settings>"
)

_DOCX_HEADER = _XML_DECL + (
    f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
    f'<w:r><w:t xml:space="preserve">{x(COUNCIL)} – {x(DEPARTMENT)} · OFFICIAL-SENSITIVE (fictional sample)</w:t></w:r>'
    "</w:p></w:hdr>"
)

_DOCX_FOOTER = _XML_DECL + (
    f'<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:t xml:space="preserve">FICTIONAL TEST DATA · Page </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    "</w:p></w:ftr>"
)

_DOCX_PAGEBREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
_TEXT_WIDTH = 9026  # A4 with 1-inch margins, in twentieths of a point


def _core_xml(title: str, author: str, ts: _dt.datetime, subject: str = "") -> str:
    return _XML_DECL + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{x(title)}</dc:title><dc:subject>{x(subject)}</dc:subject><dc:creator>{x(author)}</dc:creator>"
        f"<cp:keywords>FICTIONAL TEST DATA</cp:keywords><cp:lastModifiedBy>{x(author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{w3c(ts)}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{w3c(ts)}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _docx_table(rows) -> str:
    ncol = max(len(r) for r in rows)
    if ncol == 2:
        widths = [2600, _TEXT_WIDTH - 2600]
    else:
        widths = [_TEXT_WIDTH // ncol] * ncol
    parts = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
             'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    parts += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    parts.append("</w:tblGrid>")
    for ri, r in enumerate(rows):
        parts.append("<w:tr>")
        for ci in range(ncol):
            cell = r[ci] if ci < len(r) else ""
            bold = "<w:rPr><w:b/></w:rPr>" if (ri == 0 and ncol > 2) or (ncol == 2 and ci == 0) else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[ci]}" w:type="dxa"/></w:tcPr>'
                         f'<w:p><w:r>{bold}<w:t xml:space="preserve">{x(cell)}</w:t></w:r></w:p></w:tc>')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def write_docx(doc: Doc) -> bytes:
    ts = stamp(doc)
    body = []
    pages = ensure_pages(doc)
    for pi, page in enumerate(pages):
        if pi:
            body.append(_DOCX_PAGEBREAK)
        for typ, payload in page:
            if typ == "p":
                body.append(f'<w:p><w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "h2":
                body.append('<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr>'
                            f'<w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "h1":
                body.append('<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
                            f'<w:r><w:t xml:space="preserve">{x(payload)}</w:t></w:r></w:p>')
            elif typ == "table":
                body.append(_docx_table(payload))
                body.append("<w:p/>")
    document = (
        _XML_DECL + f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>' + "".join(body)
        + '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>'
        '<w:footerReference w:type="default" r:id="rId4"/><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" '
        'w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    app = _XML_DECL + (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>Microsoft Office Word</Application><Pages>{len(pages)}</Pages>"
        f"<Company>{x(COUNCIL)} (fictional)</Company></Properties>"
    )
    return _zip([
        ("[Content_Types].xml", _DOCX_CT, True),
        ("_rels/.rels", _DOCX_RELS, True),
        ("word/document.xml", document, True),
        ("word/_rels/document.xml.rels", _DOCX_DOC_RELS, True),
        ("word/styles.xml", _DOCX_STYLES, True),
        ("word/settings.xml", _DOCX_SETTINGS, True),
        ("word/header1.xml", _DOCX_HEADER, True),
        ("word/footer1.xml", _DOCX_FOOTER, True),
        ("docProps/core.xml", _core_xml(doc.title, doc.author, ts, doc.subtitle), True),
        ("docProps/app.xml", app, True),
    ], ts)
