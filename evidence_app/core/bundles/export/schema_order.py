"""The order WordprocessingML's schema gives the children of property elements.

The schema (ECMA-376 part 1, wml.xsd) declares pPr, rPr, tblPr, tcPr and sectPr children as
sequences: a `w:pBdr` after `w:spacing` is invalid, Word may "repair" the file, and validators
reject it. Code that writes these elements puts children in place with `insert_ordered`; tests
check every part with `misordered`.
"""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

PPR = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
       "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
       "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
       "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
       "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
       "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
RPR = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
       "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
       "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
       "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
       "specVanish", "oMath", "rPrChange")
# a paragraph mark's rPr (inside pPr) starts with the revision marks
PARA_RPR = ("ins", "del", "moveFrom", "moveTo") + RPR
TBLPR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
         "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
         "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange")
TCPR = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
        "cellMerge", "tcPrChange")
SECTPR = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
          "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
          "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
          "printerSettings", "sectPrChange")
PBDR = ("top", "left", "bottom", "right", "between", "bar")
TBLBORDERS = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")

ORDERS = {"pPr": PPR, "rPr": RPR, "tblPr": TBLPR, "tcPr": TCPR, "sectPr": SECTPR,
          "pBdr": PBDR, "tblBorders": TBLBORDERS}


def _local(tag) -> str:
    return tag[len(W):] if isinstance(tag, str) and tag.startswith(W) else ""


def order_for(el) -> tuple[str, ...] | None:
    name = _local(el.tag)
    if name == "rPr" and _local(el.getparent().tag if el.getparent() is not None else "") == "pPr":
        return PARA_RPR
    if name == "pPr" and _local(el.getparent().tag if el.getparent() is not None else "") in (
            "tblStylePr",):
        return PPR
    return ORDERS.get(name)


def misordered(root) -> list[str]:
    """Every property element under `root` whose w: children break the schema's order, as
    "pPr: pBdr after spacing" lines (empty when all is well). Unknown children are skipped."""
    problems = []
    for el in root.iter(*(W + n for n in ORDERS)):
        order = order_for(el)
        if order is None:
            continue
        rank = {n: i for i, n in enumerate(order)}
        last, last_name = -1, ""
        for child in el:
            name = _local(child.tag)
            if name not in rank:
                continue
            if rank[name] < last:
                problems.append(f"{_local(el.tag)}: {name} after {last_name}")
            if rank[name] >= last:
                last, last_name = rank[name], name
    return problems


def insert_ordered(parent, child) -> None:
    """Put `child` into `parent` where the schema wants it (after its predecessors), replacing
    an existing child of the same name."""
    order = order_for(parent) or ()
    name = _local(child.tag)
    old = parent.find(W + name)
    if old is not None:
        parent.replace(old, child)
        return
    if name not in order:
        parent.append(child)
        return
    later = set(order[order.index(name) + 1:])
    for existing in parent:
        if _local(existing.tag) in later:
            existing.addprevious(child)
            return
    parent.append(child)


def sort_children(el) -> None:
    """Reorder a property element's known children into schema order (stable)."""
    order = order_for(el)
    if order is None:
        return
    rank = {n: i for i, n in enumerate(order)}
    children = list(el)
    known = [c for c in children if _local(c.tag) in rank]
    known.sort(key=lambda c: rank[_local(c.tag)])
    it = iter(known)
    for i, c in enumerate(children):
        if _local(c.tag) in rank:
            children[i] = next(it)
    for c in children:
        el.remove(c)
    for c in children:
        el.append(c)
