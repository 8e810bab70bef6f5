"""Package-level care of a Word file: what leaves the authority besides the body text.

A .docx is a zip of parts. The body is not the only place a name hides: document properties
(author, last modified by, comments), custom XML parts, a thumbnail of the first page, comments,
the headers and footers, footnotes, and parts carried in by merged documents. These helpers strip
what a bundle never needs, set the properties to the authority's, and (when pseudonymising)
walk every XML part that will be written.
"""
from __future__ import annotations

from lxml import etree

from .redact import Pseudonymiser, redact_xml_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

# Relationship types (last segment) a bundle never carries: they hold metadata, not content.
DROP_DOC_RELS = {"customXml", "comments", "commentsExtended", "commentsIds", "commentsExtensible",
                 "people", "stylesWithEffects", "vbaProject", "attachedTemplate",
                 "glossaryDocument"}
DROP_PKG_RELS = {"thumbnail", "custom-properties", "digital-signature/origin"}

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Evidence Organiser</Application><DocSecurity>0</DocSecurity>"
    "<Company>{company}</Company><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "<AppVersion>1.0000</AppVersion></Properties>")

def _local(tag) -> str:
    return tag.split("}")[-1] if isinstance(tag, str) else ""


def ensure_settings(document) -> None:
    """No updateFields: with it Word asks on every opening whether to update "fields that may
    refer to other files", which alarms readers; the contents are complete without an update.
    removePersonalInformation: Word strips author names when someone saves an edited copy."""
    settings = document.settings.element
    for el in settings.findall(f"{W}updateFields"):
        settings.remove(el)
    if settings.find(f"{W}removePersonalInformation") is None:
        el = etree.SubElement(settings, f"{W}removePersonalInformation")
        first = next((c for c in settings
                      if _local(c.tag) not in {"writeProtection", "view", "zoom"}), None)
        if first is not None and first is not el:
            first.addprevious(el)


def strip_package(document, company: str = "") -> None:
    """Drop metadata parts (custom XML, comments, thumbnail, custom properties) by cutting the
    relationships that reach them: parts nobody points at are not written."""
    package = document.part.package
    for part in list(package.iter_parts()):
        rels = part.rels
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in DROP_DOC_RELS:
                rels.pop(rid)
    for rid, rel in list(package.rels.items()):
        if any(rel.reltype.endswith("/" + k) for k in DROP_PKG_RELS):
            package.rels.pop(rid)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML.format(company=_xml_escape(company)).encode("utf-8")


CORE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-'
    'properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
    'terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/'
    'XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject>'
    "<dc:creator>{company}</dc:creator><cp:lastModifiedBy>{company}</cp:lastModifiedBy>"
    "<cp:category>{marking}</cp:category><cp:contentStatus>{marking}</cp:contentStatus>"
    "<cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>')


def set_properties(document, *, title: str, subject: str, company: str, marking: str,
                   when) -> None:
    """Write core.xml afresh: the authority is the author, nobody's personal name rides along,
    and no description, keywords or comments survive from the template.

    Written as XML rather than through python-docx's properties because importing docxcompose
    re-points python-docx's "cp" prefix at the custom-properties namespace, after which the
    property setters write elements Word does not read."""
    part = document.part.package._core_properties_part
    values = {k: _xml_escape(v) for k, v in
              dict(title=title, subject=subject, company=company, marking=marking).items()}
    xml = CORE_XML.format(when=when.strftime("%Y-%m-%dT%H:%M:%SZ"), **values)
    part._element = etree.fromstring(xml.encode("utf-8"))


def scrub_parts(document, p: Pseudonymiser) -> None:
    """Pseudonymise every XML part that will be written, whichever document it came from."""
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        element = getattr(part, "_element", None)
        if element is not None:
            p.redact_tree(element, f"part {name}")
        elif part.content_type.endswith("xml") and name != "/docProps/app.xml":
            part._blob = redact_xml_bytes(p, part.blob, f"part {name}")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
