"""Where the words people read sit in a Word (or DrawingML) XML part: paragraphs and their text
nodes, hidden runs, attributes that carry words (alt text, titles, field instructions,
content-control labels, authors), table cells labelled "Date of birth" or "Name", bookmarks.

The pseudonymiser (redact_xml.py) rewrites what these find and the verifier (reader.py) reads it
back through the same functions, so both always look in the same places; identifiers of the
document's own structure (style ids, bookmark names, fonts, relationship ids) are never listed.
"""
from __future__ import annotations

from lxml import etree

from evidence_app.core.bundles.export.identifiers import DOB_CELL_RE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W_T, W_P = f"{{{W}}}t", f"{{{W}}}p"
A_T, A_P = f"{{{A}}}t", f"{{{A}}}p"
W_R, W_VANISH, W_RPR = f"{{{W}}}r", f"{{{W}}}vanish", f"{{{W}}}rPr"
W_TBL, W_TR, W_TC = f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
W_BOOKMARK, W_NAME = f"{{{W}}}bookmarkStart", f"{{{W}}}name"
OTHER_TEXT = etree.XPath(
    "//text()[not(parent::w:t) and not(parent::a:t)]", namespaces={"w": W, "a": A})
# lxml's own text descriptor: python-docx's element classes redefine `.text` on paragraphs and
# runs (and assigning it would rebuild the run)
get_text = etree._Element.text.__get__
set_text = etree._Element.text.__set__

# Attributes that hold words a person reads. Everything else (w:name of a bookmark, w:val of a
# style, fonts, ids) is structure and never rewritten. One XPath union of named attributes:
# libxml2 walks the tree in C (a local-name() test per element cost 40 ms per large part).
_NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
       "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
       "o": "urn:schemas-microsoft-com:office:office",
       "v": "urn:schemas-microsoft-com:vml"}
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_WORD_ATTRS: dict[str, tuple[str, ...]] = {
    f"{{{_NS['wp']}}}docPr": ("descr", "title", "name"),
    f"{{{_NS['pic']}}}cNvPr": ("descr", "title", "name"),
    f"{{{_WPS}}}cNvPr": ("descr", "title", "name"),
    f"{{{_NS['v']}}}shape": ("alt", "title"),
    f"{{{_NS['v']}}}imagedata": (f"{{{_NS['o']}}}title", "title"),
    f"{{{W}}}fldSimple": (f"{{{W}}}instr",),
    f"{{{W}}}comment": (f"{{{W}}}author", f"{{{W}}}initials"),
    f"{{{W}}}alias": (f"{{{W}}}val",), f"{{{W}}}tag": (f"{{{W}}}val",),
    f"{{{W}}}listItem": (f"{{{W}}}displayText", f"{{{W}}}value"),
    f"{{{W}}}docVar": (f"{{{W}}}val",), f"{{{W}}}helpText": (f"{{{W}}}val",),
    f"{{{W}}}statusText": (f"{{{W}}}val",), f"{{{W}}}default": (f"{{{W}}}val",),
    **{f"{{{W}}}{t}": (f"{{{W}}}author",) for t in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "cellIns", "cellDel")},
}


def word_attributes(root):
    """(element, attribute name) of every attribute that carries readable words: alt text and
    titles of pictures and shapes, field instructions, content-control labels, authors.
    (root.iter with a tag list filters in C; an XPath per attribute walked the tree 19 times.)"""
    out = []
    for el in root.iter(*_WORD_ATTRS):
        for name in _WORD_ATTRS[el.tag]:
            if el.get(name):
                out.append((el, name))
    return out


def remove_hidden(root) -> int:
    """Runs formatted as hidden (w:vanish) are removed: hidden text still travels in the file."""
    removed = 0
    for vanish in list(root.iter(W_VANISH)):
        if vanish.get(f"{{{W}}}val", "true").lower() in ("0", "false", "off"):
            continue
        rpr = vanish.getparent()
        run = rpr.getparent() if rpr is not None and rpr.tag == W_RPR else None
        if run is not None and run.tag == W_R and run.getparent() is not None:
            run.getparent().remove(run)
            removed += 1
    return removed


def paragraphs(root):
    """(paragraph element or None, its text nodes in order) for every paragraph of a part."""
    grouped: list = []
    current = None
    for el in root.iter(W_P, A_P, W_T, A_T):     # document order: a paragraph, its runs
        if el.tag in (W_P, A_P):
            current = []
            grouped.append((el, current))
        elif current is None:
            grouped.append((None, [el]))
        else:
            current.append(el)
    return grouped


_cell_text = etree.XPath("string(.)")


def labelled_cells(root, label_re, *more) -> set | tuple:
    """Paragraph elements in the cell right of, or below, a cell whose whole text matches
    `label_re` ("Date of birth", "D.O.B.", "DOB:"). With more label tests, one set per test
    (the cells are read once)."""
    tests = (label_re, *more)
    outs: list[set] = [set() for _ in tests]
    for tbl in root.iter(W_TBL):
        rows = [[tc for tc in tr if tc.tag == W_TC] for tr in tbl if tr.tag == W_TR]
        for r, cells in enumerate(rows):
            for c, tc in enumerate(cells):
                text = _cell_text(tc)
                if not text or len(text) > 40:
                    continue
                for test, out in zip(tests, outs):
                    if not test.match(text):
                        continue
                    if c + 1 < len(cells):
                        out.update(cells[c + 1].iter(W_P))
                    if r + 1 < len(rows) and c < len(rows[r + 1]):
                        out.update(rows[r + 1][c].iter(W_P))
    return outs[0] if not more else tuple(outs)


def dob_cell_paragraphs(root) -> set:
    return labelled_cells(root, DOB_CELL_RE)
