"""Package-level care of a Word file: what leaves the authority besides the body text.

A .docx is a zip of parts. The body is not the only place a name hides: document properties
(author, last modified by, comments), custom XML parts, a thumbnail of the first page, comments,
the headers and footers, footnotes, and parts carried in by merged documents. These helpers strip
what a bundle never needs, set the properties to the authority's, and (when pseudonymising)
walk every XML part that will be written.
"""
from __future__ import annotations

from lxml import etree

from evidence_app.core.bundles.export.images import clean_image
from evidence_app.core.bundles.export.redact import Pseudonymiser
from evidence_app.core.bundles.export.redact_xml import redact_xml_bytes

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


# Relationship types (last segment) of embedded content: dropped from a pseudonymised bundle
# (an embedded workbook or document cannot be checked, so it does not go out).
EMBEDDED_RELS = {"oleObject", "package", "control", "activeXControlBinary", "aFChunk",
                 "embeddedFont"}
_EMBEDDED_TAGS = {"object", "control", "altChunk"}
NOTE_REMOVED = "[Embedded object removed from this copy]"


def part_label(partname: str) -> str:
    """Plain words for a part ("footnotes", not /word/footnotes.xml), for logs and messages."""
    name = partname.rsplit("/", 1)[-1].lower()
    for prefix, label in (("document", "body"), ("header", "header"), ("footer", "footer"),
                          ("footnotes", "footnotes"), ("endnotes", "endnotes"),
                          ("comments", "comments"), ("core", "document properties"),
                          ("app", "application properties"), ("custom", "custom properties"),
                          ("settings", "settings"), ("styles", "styles"),
                          ("numbering", "numbering"), ("sharedstrings", "cells"),
                          ("sheet", "cells"), ("workbook", "sheet names"), ("chart", "charts"),
                          ("item", "custom XML"), ("glossary", "building blocks")):
        if name.startswith(prefix):
            return label
    if "/media/" in partname.lower():
        return "images"
    if name.endswith(".rels"):
        return "links"
    return "other parts"


def drop_embedded(root) -> int:
    """Embedded objects, ActiveX controls and imported chunks become a short note."""
    count = 0
    for el in list(root.iter(*(W + n for n in _EMBEDDED_TAGS))):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == f"{W}r":
            note = etree.Element(f"{W}t")
            note.text = NOTE_REMOVED
            parent.replace(el, note)
        else:
            p_el = etree.Element(f"{W}p")
            r_el = etree.SubElement(p_el, f"{W}r")
            etree.SubElement(r_el, f"{W}t").text = NOTE_REMOVED
            parent.replace(el, p_el)
        count += 1
    return count


def _redact_target(p: Pseudonymiser, target: str, where: str) -> str:
    new = p.redact(target, where)
    return new.replace(" ", "%20") if new != target else target


def scrub_parts(document, p: Pseudonymiser) -> None:
    """Pseudonymise every part that will be written, whichever document it came from: XML text
    (hidden text removed, embedded objects dropped), link targets in every relationships part,
    part names, and images (re-encoded without metadata)."""
    from docx.opc.packuri import PackURI  # start-up: docx is loaded only when this runs

    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        for rid, rel in list(part.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in EMBEDDED_RELS:
                part.rels.pop(rid)
    parts = list(package.iter_parts())
    used = {str(part.partname) for part in parts}
    for n, part in enumerate(parts):
        name = str(part.partname)
        where = f"part {name}"          # redaction_log.py names it plainly ("Document footnotes")
        element = getattr(part, "_element", None)
        if element is not None:
            drop_embedded(element)
            p.redact_tree(element, where)
        elif part.content_type.endswith("xml"):
            part._blob = redact_xml_bytes(p, part.blob, where)
        elif part.content_type.startswith("image/"):
            data, ctype, ext = clean_image(part.blob)
            part._blob = data
            if ctype != part.content_type:
                part._content_type = ctype
                base = name.rsplit(".", 1)[0]
                new = f"{base}{ext}"
                while new in used:
                    base += "_"
                    new = f"{base}{ext}"
                used.add(new)
                part.partname = PackURI(new)
                name = new
        new_name = p.redact(name, where)
        if new_name != name:
            folder, _, leaf = name.rpartition("/")
            ext = leaf.rsplit(".", 1)[-1] if "." in leaf else "bin"
            new = f"{folder}/part{n}.{ext}"
            part.partname = PackURI(new)
        folder, _, leaf = name.rpartition("/")
        for rel in part.rels.values():
            if rel.is_external:
                rel._target = _redact_target(p, rel._target, f"part {folder}/_rels/{leaf}.rels")
    for rel in package.rels.values():
        if rel.is_external:
            rel._target = _redact_target(p, rel._target, "part /_rels/.rels")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
