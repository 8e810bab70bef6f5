"""OpenDocument spreadsheet (.ods): one sheet of string cells, mimetype first and stored."""
from __future__ import annotations

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import _zip, ensure_rows, stamp, w3c, x
from evidence_app.samples.writers.odt import _ODF_NS

_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    f'manifest:media-type="{_ODS_MIME}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _cell(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{x(value)}</text:p></table:table-cell>'


def write_ods(doc: Doc) -> bytes:
    ts = stamp(doc)
    rows = ensure_rows(doc)
    body = [f'<table:table table:name="{x(doc.sheet)}">']
    for r in rows:
        body.append("<table:table-row>" + ("".join(_cell(c) for c in r) or "<table:table-cell/>")
                    + "</table:table-row>")
    body.append("</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               f'<office:document-content {_ODF_NS}office:version="1.2"><office:body>'
               "<office:spreadsheet>" + "".join(body)
               + "</office:spreadsheet></office:body></office:document-content>")
    meta = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document-meta {_ODF_NS}office:version="1.2"><office:meta>'
            f"<dc:title>{x(doc.title)}</dc:title><dc:creator>{x(doc.author)}</dc:creator>"
            f"<dc:date>{w3c(ts)[:-1]}</dc:date></office:meta></office:document-meta>")
    return _zip([
        ("mimetype", _ODS_MIME, False),
        ("content.xml", content, True),
        ("meta.xml", meta, True),
        ("META-INF/manifest.xml", _ODS_MANIFEST, True),
    ], ts)
