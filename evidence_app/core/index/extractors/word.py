"""Word .docx/.docm: body, tables, headers, footers, footnotes, endnotes and comments.

Parsed straight from the package XML with lxml (python-docx is far too slow for indexing).
Sections split at headings, at recorded page breaks (so page numbers are exact) and about every
3,000 characters.
"""
from __future__ import annotations

import re

from evidence_app.core.index.extractors.base import OK, Extracted, Limits

_UNBOUNDED = Limits(max_text_chars=1 << 62)
from evidence_app.core.index.extractors.ooxml import (
    core_properties, embedded_children, main_part, open_package,
)
from evidence_app.core.index.extractors.safety import Damaged, parse_xml, read_member
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.dispatch import extract_bytes
from evidence_app.core.index.extractors.ooxml import R_NS
from evidence_app.core.index.extractors.ooxml import rel_targets

KIND = "Word document"
W_NS = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
HEADING_ID = re.compile(r"^(?:heading\s*[1-9]|title|berschrift\s*[1-9]|titre\s*[1-9]?)$", re.I)
HEADING_NAME = re.compile(r"^(?:heading [1-9]|title)$", re.I)
PLAIN_STYLES = {"Normal", "ListParagraph", "NoSpacing", "Caption", "TableParagraph", "BodyText",
                "Quote", "Subtitle", "FootnoteText", "CommentText", "Header", "Footer",
                "TOC1", "TOC2", "TOC3", "TOCHeading", "EndnoteText", "ListBullet", "ListNumber"}


class _Tags:
    def __init__(self, ns: str):
        q = lambda local: f"{{{ns}}}{local}"  # noqa: E731
        for local in ("p", "r", "t", "tab", "br", "cr", "tbl", "tr", "tc", "sdt", "sdtContent",
                      "customXml", "pPr", "pStyle", "outlineLvl", "body", "ins", "smartTag",
                      "lastRenderedPageBreak", "noBreakHyphen", "ptab", "footnote", "endnote",
                      "comment", "hyperlink", "txbxContent", "altChunk"):
            setattr(self, local, q(local))
        self.val, self.type, self.author, self.style_id = q("val"), q("type"), q("author"), q("styleId")
        self.name = q("name")
        self.inline = (self.t, self.tab, self.br, self.cr, self.lastRenderedPageBreak,
                       self.noBreakHyphen, self.ptab, self.p)


class _Walker:
    """Walks block content (paragraphs, tables, content controls) into a SectionBuilder."""

    def __init__(self, tags: _Tags, builder: SectionBuilder, use_lrpb: bool, headings: set[str],
                 alt_chunk=None):
        self.T = tags
        self.b = builder
        self.use_lrpb = use_lrpb
        self.headings = headings
        self.alt_chunk = alt_chunk  # el -> list of texts, for imported parts (w:altChunk)

    def para_segments(self, p) -> list[str]:
        """The paragraph's text, split where a page break falls."""
        T = self.T
        segs, cur = [], []
        for el in p.iter(*T.inline):
            tag = el.tag
            if tag == T.t:
                if el.text:
                    cur.append(el.text)
            elif tag == T.tab or tag == T.ptab:
                cur.append("\t")
            elif tag == T.br:
                if el.get(T.type) == "page":
                    if not self.use_lrpb:
                        segs.append("".join(cur))
                        cur = []
                elif el.get(T.type) != "column":
                    cur.append("\n")
            elif tag == T.lastRenderedPageBreak:
                if self.use_lrpb:
                    segs.append("".join(cur))
                    cur = []
            elif tag == T.cr:
                cur.append("\n")
            elif tag == T.noBreakHyphen:
                cur.append("-")
            elif tag == T.p and el is not p:
                cur.append("\n")
        segs.append("".join(cur))
        return segs

    def heading_of(self, p) -> bool:
        ppr = p.find(self.T.pPr)
        if ppr is None:
            return False
        style = ppr.find(self.T.pStyle)
        if style is not None and style.get(self.T.val) in self.headings:
            return True
        lvl = ppr.find(self.T.outlineLvl)
        return lvl is not None and (lvl.get(self.T.val) or "9") < "9"

    def blocks(self, parent) -> None:
        T = self.T
        for el in parent:
            if self.b.full:
                return
            tag = el.tag
            if tag == T.p:
                self.paragraph(el)
            elif tag == T.tbl:
                self.table(el)
            elif tag == T.sdt:
                content = el.find(T.sdtContent)
                if content is not None:
                    self.blocks(content)
            elif tag in (T.customXml, T.ins, T.smartTag):
                self.blocks(el)
            elif tag == T.altChunk and self.alt_chunk is not None:
                for text in self.alt_chunk(el):
                    self.b.add(text)

    def paragraph(self, p) -> None:
        segs = self.para_segments(p)
        heading = self.heading_of(p)
        for i, seg in enumerate(segs):
            if i:
                self.b.page_break()
            if heading and seg.strip():
                self.b.set_heading(seg)
            else:
                self.b.add(seg)

    def cell_text(self, tc) -> tuple[str, int]:
        """A cell's paragraphs joined by spaces, and how many page breaks fell inside it."""
        parts, breaks = [], 0
        stack = [tc]
        T = self.T
        while stack:
            node = stack.pop()
            for el in reversed(node):
                if el.tag == T.p:
                    segs = self.para_segments(el)
                    breaks += len(segs) - 1
                    parts.append(" ".join(s.strip() for s in segs if s.strip()))
                elif el.tag in (T.tbl, T.tr, T.tc, T.sdt, T.sdtContent, T.customXml, T.ins):
                    stack.append(el)
        # parts were collected in reverse document order
        return " ".join(p for p in reversed(parts) if p), breaks

    def rows(self, tbl):
        T = self.T
        for el in tbl:
            if el.tag == T.tr:
                yield el
            elif el.tag in (T.sdt, T.sdtContent, T.customXml):
                yield from self.rows(el.find(T.sdtContent) if el.tag == T.sdt else el)

    def cells(self, tr):
        T = self.T
        for el in tr:
            if el.tag == T.tc:
                yield el
            elif el.tag in (T.sdt, T.sdtContent, T.customXml):
                yield from self.cells(el.find(T.sdtContent) if el.tag == T.sdt else el)

    def table(self, tbl) -> None:
        for tr in self.rows(tbl):
            texts, breaks = [], 0
            for tc in self.cells(tr):
                text, n = self.cell_text(tc)
                breaks += n
                if text:
                    texts.append(text)
            if texts:
                self.b.add(" | ".join(texts))
            for _ in range(breaks):
                self.b.page_break()


def _heading_styles(zf, root, T: _Tags) -> set[str]:
    """Style ids used as headings: built-in ids, plus localised ids resolved via styles.xml."""
    used = {el.get(T.val) for el in root.iter(T.pStyle)}
    used.discard(None)
    headings = {s for s in used if HEADING_ID.match(s)}
    unknown = used - headings - PLAIN_STYLES
    if unknown:
        try:
            styles = parse_xml(read_member(zf, "word/styles.xml"), KIND)
        except (KeyError, Damaged):
            return headings
        for st in styles:
            sid = st.get(T.style_id)
            if sid in unknown:
                name = st.find(T.name)
                ppr = st.find(T.pPr)
                if (name is not None and HEADING_NAME.match(name.get(T.val) or "")) or (
                        ppr is not None and ppr.find(T.outlineLvl) is not None):
                    headings.add(sid)
    return headings


def _drop_fallbacks(root) -> None:
    """mc:Fallback repeats the mc:Choice content (text boxes): drop it to avoid duplicate text."""
    for fb in list(root.iter(MC_FALLBACK)):
        parent = fb.getparent()
        if parent is not None:
            parent.remove(fb)


def _block_text(item, T: _Tags, outer: SectionBuilder) -> str:
    """The text of one header, footnote or comment, walked like the body but not paged."""
    tmp = SectionBuilder(_UNBOUNDED, target=1 << 40)
    _Walker(T, tmp, True, set()).blocks(item)
    return "\n".join(s.text for s in tmp.finish())


def _side_parts(zf, names: list[str], walker: _Walker, T: _Tags) -> None:
    b = walker.b
    seen: set[str] = set()
    groups = (("Headers and footers", r"word/(header|footer)\d*\.xml$", None),
              ("Footnotes", r"word/footnotes\.xml$", T.footnote),
              ("Endnotes", r"word/endnotes\.xml$", T.endnote),
              ("Comments", r"word/comments\.xml$", T.comment))
    walker.use_lrpb = True  # page marks outside the body mean nothing: ignore explicit breaks
    for heading, pattern, item_tag in groups:
        parts = sorted(n for n in names if re.match(pattern, n))
        started = False
        for part in parts:
            if b.full:
                return
            root = parse_xml(read_member(zf, part), KIND)
            _drop_fallbacks(root)
            items = [root] if item_tag is None else root.iter(item_tag)
            for item in items:
                if item_tag is not None and item.get(T.type) in ("separator",
                                                                 "continuationSeparator",
                                                                 "continuationNotice"):
                    continue
                text = _block_text(item, T, walker.b)
                if not text.strip() or text in seen:
                    continue
                seen.add(text)
                if not started:
                    b.start_part(heading)
                    started = True
                if item_tag == T.comment and item.get(T.author):
                    text = f"Comment by {item.get(T.author)}: {text}"
                b.add(text)


class _AltChunks:
    """Text of `w:altChunk` parts: HTML, RTF, plain text or whole Word documents that another
    program imported into this one (common in documents assembled by case-management systems).
    Each is read by its own extractor, in place, as part of the body."""

    MAX_CHUNKS = 500

    def __init__(self, zf, part: str, limits: Limits, depth: int) -> None:
        self.zf = zf
        self.targets = rel_targets(zf, part)
        self.limits = limits
        self.depth = depth
        self.done = 0

    def __call__(self, el) -> list[str]:
        rid = next((el.get(f"{{{ns}}}id") for ns in R_NS if el.get(f"{{{ns}}}id")), None)
        target = self.targets.get(rid or "")
        if not target or self.done >= self.MAX_CHUNKS or self.depth >= \
                self.limits.max_attachment_depth:
            return []
        self.done += 1
        try:
            data = read_member(self.zf, target, self.limits.max_file_bytes)
        except Exception:  # noqa: BLE001 - a missing imported part costs only its own text
            return []
        name = target.rsplit("/", 1)[-1]
        if name.lower().endswith((".mht", ".mhtml")):
            name += ".eml"  # MIME HTML is an e-mail-shaped wrapper around the HTML
        result = extract_bytes(data, name, self.limits, self.depth + 1)
        return [s.text for s in result.sections if s.text.strip()]


def extract_docx(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    zf = open_package(data, limits, KIND)
    names = zf.namelist()
    if "word/document.bin" in names or not any(n.startswith("word/") for n in names):
        raise Damaged(f"The {KIND} is damaged: its main text part is missing.")
    try:
        part = main_part(zf, "word/document.xml")
    except KeyError:
        raise Damaged(f"The {KIND} is damaged: its main text part is missing.") from None
    root = parse_xml(read_member(zf, part), KIND)
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else W_NS[0]
    T = _Tags(ns if ns in W_NS else W_NS[0])
    body = root.find(T.body)
    if body is None:
        raise Damaged(f"The {KIND} is damaged: it has no document body.")
    _drop_fallbacks(body)
    has_lrpb = next(body.iter(T.lastRenderedPageBreak), None) is not None
    paged = has_lrpb or any(br.get(T.type) == "page" for br in body.iter(T.br))
    builder = SectionBuilder(limits, paged=paged)
    alt = _AltChunks(zf, part, limits, depth) if next(body.iter(T.altChunk), None) is not None \
        else None
    walker = _Walker(T, builder, has_lrpb, _heading_styles(zf, body, T), alt)
    walker.blocks(body)
    pages = builder.page if paged else None
    _side_parts(zf, names, walker, T)
    props = core_properties(zf, KIND)
    title = props.get("title") or builder.first_heading
    return Extracted(OK, truncation_note(builder, limits), "docx", title, builder.finish(), pages,
                     props, embedded_children(zf, "word/embeddings/", limits, depth))
