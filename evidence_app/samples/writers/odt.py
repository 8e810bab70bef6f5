"""OpenDocument text (.odt): mimetype first and stored, then content and styles."""
from __future__ import annotations

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import _zip, ensure_pages, stamp, w3c, x

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
)
_ODT_MIME = "application/vnd.oasis.opendocument.text"
_ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{_ODT_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODT_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<office:document-styles {_ODF_NS}office:version="1.2"><office:styles>'
    '<style:style style:name="Standard" style:family="paragraph" style:class="text">'
    '<style:paragraph-properties fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="11pt" style:font-name="Arial"/></style:style>'
    '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:class="text">'
    '<style:paragraph-properties fo:margin-top="0.4cm" fo:keep-with-next="always"/></style:style>'
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="1" style:class="text">'
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>'
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" '
    'style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">'
    '<style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>'
    "</office:styles><office:automatic-styles>"
    '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
    'fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" '
    'fo:margin-right="2.5cm"/></style:page-layout></office:automatic-styles>'
    '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
    "</office:master-styles></office:document-styles>"
)


def write_odt(doc: Doc) -> bytes:
    ts = stamp(doc)
    body = []
    tcount = 0
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            body.append('<text:p text:style-name="PB"/>')
        for typ, payload in page:
            if typ == "p":
                body.append(f'<text:p text:style-name="Standard">{x(payload)}</text:p>')
            elif typ in ("h1", "h2"):
                lvl = typ[1]
                body.append(f'<text:h text:style-name="Heading_20_{lvl}" text:outline-level="{lvl}">'
                            f"{x(payload)}</text:h>")
            elif typ == "table":
                tcount += 1
                ncol = max(len(r) for r in payload)
                body.append(f'<table:table table:name="Table{tcount}" table:style-name="Tbl">'
                            f'<table:table-column table:number-columns-repeated="{ncol}"/>')
                for r in payload:
                    body.append("<table:table-row>")
                    for ci in range(ncol):
                        c = r[ci] if ci < len(r) else ""
                        body.append('<table:table-cell office:value-type="string">'
                                    f"<text:p>{x(c)}</text:p></table:table-cell>")
                    body.append("</table:table-row>")
                body.append("</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {_ODF_NS}office:version="1.2"><office:automatic-styles>'
        '<style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:break-before="page"/></style:style>'
        '<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" '
        'table:align="margins"/></style:style>'
        "</office:automatic-styles><office:body><office:text>" + "".join(body)
        + "</office:text></office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {_ODF_NS}office:version="1.2"><office:meta>'
        "<meta:generator>LibreOffice/7.6</meta:generator>"
        f"<dc:title>{x(doc.title)}</dc:title><dc:creator>{x(doc.author)}</dc:creator>"
        f"<meta:creation-date>{w3c(ts)[:-1]}</meta:creation-date><dc:date>{w3c(ts)[:-1]}</dc:date>"
        "<meta:keyword>FICTIONAL TEST DATA</meta:keyword>"
        "</office:meta></office:document-meta>"
    )
    return _zip([
        ("mimetype", _ODT_MIME, False),
        ("content.xml", content, True),
        ("styles.xml", _ODT_STYLES, True),
        ("meta.xml", meta, True),
        ("META-INF/manifest.xml", _ODT_MANIFEST, True),
    ], ts)
