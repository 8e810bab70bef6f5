"""Build `bundle-template.docx`, the Word template every evidence bundle starts from.

Run once after changing a style: `python resources/templates/make_template.py`; commit both files.
The template holds only page setup (A4, 2 cm margins) and named styles, so a council can restyle
its bundles in Word (edit the styles, keep their names) without touching code. The exporter looks
styles up by name: Cover Authority/Title/Subtitle/Meta/Marking, Heading 1-3, TOC Heading, toc 1-2,
Evidence Meta/Quote/Note/Source, Table Text, Table Heading, Marking, Footer Text, Appendix Text, and
the table style "Evidence Table".
"""
from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from evidence_app.core.export.package import ensure_settings, strip_package  # noqa: E402
from evidence_app.core.export.schema_order import insert_ordered, sort_children  # noqa: E402
OUT = HERE / "bundle-template.docx"
FONT = "Arial"
NAVY = RGBColor(0x1F, 0x38, 0x64)
BLUE = RGBColor(0x2E, 0x53, 0x95)
GREY = RGBColor(0x59, 0x59, 0x59)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TEXT_WIDTH = Cm(21.0 - 2 * 2.0)


def _font(style, size=None, bold=None, italic=None, color=None, name=FONT):
    f = style.font
    f.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)   # a theme font would win over the named one
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if color is not None:
        f.color.rgb = color


def _para(style, before=0, after=6, keep_next=False, align=None, line=None):
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    if align is not None:
        pf.alignment = align
    if line is not None:
        pf.line_spacing = line


def _style(doc, name, base="Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
    try:
        return doc.styles[name]
    except KeyError:
        s = doc.styles.add_style(name, kind)
        if base:
            s.base_style = doc.styles[base]
        s.quick_style = True
        return s


def _ppr_xml(style, xml: str) -> None:
    """Add raw paragraph properties (borders, shading) that python-docx has no API for, each in
    the place the schema gives it (pBdr and shd come before tabs, spacing, ind and jc)."""
    ppr = style.element.get_or_add_pPr()
    for child in list(parse_xml(f"<w:pPr {W_NS}>{xml}</w:pPr>")):
        insert_ordered(ppr, child)


TABLE_STYLE = f"""
<w:style {W_NS} w:type="table" w:customStyle="1" w:styleId="EvidenceTable">
  <w:name w:val="Evidence Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="40"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:tcPr>
  </w:tblStylePr>
</w:style>
"""

PLAIN_TABLE_STYLE = f"""
<w:style {W_NS} w:type="table" w:customStyle="1" w:styleId="CoverTable">
  <w:name w:val="Cover Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="41"/>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:space="0" w:color="1F3864"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F3864"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="80" w:type="dxa"/><w:bottom w:w="80" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>
"""

def build() -> docx.Document:
    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.0)
    sec.header_distance = sec.footer_distance = Cm(1.0)

    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    _para(normal, after=6, line=1.15)

    # Heading 1 starts a page only where the exporter says so; elsewhere it follows the previous
    # section after 18 pt, kept with its first item.
    for level, size, color, before in ((1, 16, NAVY, 18), (2, 13, NAVY, 14), (3, 11, BLUE, 12)):
        h = doc.styles[f"Heading {level}"]
        _font(h, size, bold=True, italic=False, color=color)
        _para(h, before=before, after=6, keep_next=True)
    # No page break in the style: merged source documents use Heading 1 too. The exporter puts
    # w:pageBreakBefore on its own top-level headings.
    _ppr_xml(doc.styles["Heading 1"], '<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4" '
                                      'w:color="1F3864"/></w:pBdr>')

    s = _style(doc, "TOC Heading")
    _font(s, 16, bold=True, color=NAVY)
    _para(s, after=12, keep_next=True)
    tab_pos = TEXT_WIDTH
    for level in (1, 2):
        s = _style(doc, f"toc {level}")
        _font(s, 10.5, bold=(level == 1))
        _para(s, before=4 if level == 1 else 0, after=2)
        s.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        s.paragraph_format.tab_stops.add_tab_stop(tab_pos, WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)

    specs = {
        "Cover Authority": dict(size=14, bold=True, color=GREY, after=120),
        "Cover Title": dict(size=28, bold=True, color=NAVY, after=12, line=1.0),
        "Cover Subtitle": dict(size=13, color=GREY, after=36),
        "Cover Meta": dict(size=11, after=0),
        "Cover Marking": dict(size=14, bold=True, before=60, after=0,
                              align=WD_ALIGN_PARAGRAPH.CENTER),
        "Marking": dict(size=9, bold=True, after=0, align=WD_ALIGN_PARAGRAPH.CENTER),
        "Footer Text": dict(size=8, color=GREY, after=0),
        "Evidence Meta": dict(size=9, color=GREY, after=3, keep=True),
        "Evidence Quote": dict(size=10.5, italic=True, before=4, after=6, keep=True),
        "Evidence Note": dict(size=10.5, after=4),
        "Evidence Source": dict(size=8.5, color=GREY, after=0, line=1.0),
        "Table Text": dict(size=9, after=0, line=1.0),
        "Table Heading": dict(size=9, bold=True, after=0, line=1.0),
        "Appendix Text": dict(size=9.5, after=4),
    }
    for name, o in specs.items():
        s = _style(doc, name)
        _font(s, o.get("size"), bold=o.get("bold", False), italic=o.get("italic", False),
              color=o.get("color"))
        _para(s, before=o.get("before", 0), after=o.get("after", 6), keep_next=o.get("keep", False),
              align=o.get("align"), line=o.get("line"))
    doc.styles["Cover Marking"].paragraph_format.keep_with_next = False
    _ppr_xml(doc.styles["Cover Marking"],
             '<w:pBdr><w:top w:val="single" w:sz="12" w:space="6" w:color="000000"/>'
             '<w:bottom w:val="single" w:sz="12" w:space="6" w:color="000000"/></w:pBdr>')
    q = doc.styles["Evidence Quote"]
    q.paragraph_format.left_indent = Cm(0.5)
    q.paragraph_format.right_indent = Cm(0.5)
    _ppr_xml(q, '<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="2E5395"/></w:pBdr>'
                '<w:shd w:val="clear" w:color="auto" w:fill="F2F5FA"/>')
    src = doc.styles["Evidence Source"]
    src.paragraph_format.left_indent = Cm(0.5)
    footer = doc.styles["Footer Text"]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    styles = doc.styles.element
    for xml in (TABLE_STYLE, PLAIN_TABLE_STYLE):
        styles.append(parse_xml(xml))

    cp = doc.core_properties
    cp.author = cp.last_modified_by = cp.comments = cp.title = cp.subject = cp.keywords = ""
    cp.revision = 1
    ensure_settings(doc)
    strip_package(doc)
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "en-GB")
    fonts = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.rFonts.set(qn(attr), FONT)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.rFonts.attrib.pop(qn(theme_attr), None)
    for el in doc.styles.element.iter(qn("w:pPr"), qn("w:rPr"), qn("w:tblPr"), qn("w:tcPr")):
        sort_children(el)           # whatever python-docx appended, in schema order
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return doc


def main(out: Path = OUT) -> Path:
    build().save(str(out))
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
