"""OpenDocument .odt/.ods: content.xml (text, headings, lists, tables, notes, annotations),
headers and footers from styles.xml, title from meta.xml. Parsed with lxml, not odfpy."""
from __future__ import annotations

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.safety import (
    MIB, Damaged, Encrypted, open_zip, parse_xml, read_member,
)
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.detect import detect_format

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
DC = "http://purl.org/dc/elements/1.1/"
KINDS = {"odt": "OpenDocument text file", "ods": "OpenDocument spreadsheet"}
MAX_REPEAT = 50  # cap on repeated rows/cells we expand


def _t(local):
    return f"{{{TEXT}}}{local}"


P, H, S, TAB, LB, SPB = _t("p"), _t("h"), _t("s"), _t("tab"), _t("line-break"), _t("soft-page-break")
NOTE, NOTE_BODY, NOTE_CIT = _t("note"), _t("note-body"), _t("note-citation")
ANNOT, ANNOT_END = f"{{{OFFICE}}}annotation", f"{{{OFFICE}}}annotation-end"
TBL, ROW, CELL, COVERED = (f"{{{TABLE}}}{x}" for x in ("table", "table-row", "table-cell",
                                                       "covered-table-cell"))
SKIP = {_t("tracked-changes"), _t("sequence-decls"), _t("variable-decls"), _t("user-field-decls"),
        f"{{{OFFICE}}}forms", f"{{{TABLE}}}table-columns", f"{{{TABLE}}}table-column",
        f"{{{TABLE}}}named-expressions", _t("bookmark"), NOTE_CIT, ANNOT_END}


class _Walker:
    def __init__(self, builder: SectionBuilder):
        self.b = builder
        self.notes: list[str] = []
        self.comments: list[str] = []
        self.breaks = 0  # soft page breaks met inside a paragraph or table row

    def inline(self, el, out: list[str]) -> None:
        if el.text:
            out.append(el.text)
        for ch in el:
            tag = ch.tag
            if tag == S:
                try:
                    out.append(" " * min(100, int(ch.get(_t("c"), "1"))))
                except ValueError:
                    out.append(" ")
            elif tag == TAB:
                out.append("\t")
            elif tag == LB:
                out.append("\n")
            elif tag == SPB:
                self.breaks += 1
            elif tag == NOTE:
                body = ch.find(NOTE_BODY)
                if body is not None:
                    self.notes.append(self.flat(body))
            elif tag == ANNOT:
                self.comments.append(self.flat(ch))
            elif tag not in SKIP and isinstance(tag, str):
                if tag in (P, H):
                    out.append("\n")
                self.inline(ch, out)
            if ch.tail:
                out.append(ch.tail)

    def flat(self, el) -> str:
        """All paragraphs under `el` as one string (for cells, notes and comments)."""
        out: list[str] = []
        for i, p in enumerate(x for x in el.iter(P, H) if not _inside(x, el)):
            if i:
                out.append(" ")
            self.inline(p, out)
        return " ".join("".join(out).split())

    def blocks(self, parent) -> None:
        for el in parent:
            if self.b.full:
                return
            tag = el.tag
            if tag in (P, H):
                out: list[str] = []
                self.inline(el, out)
                text = "".join(out)
                if tag == H and text.strip():
                    self.b.set_heading(text)
                else:
                    self.b.add(text)
                self._apply_breaks()
            elif tag == SPB:
                self.b.page_break()
            elif tag == TBL:
                self.table(el)
            elif tag in SKIP or not isinstance(tag, str):
                continue
            elif tag == ANNOT:
                self.comments.append(self.flat(el))
            else:  # lists, sections, frames, indexes...: walk inside
                self.blocks(el)

    def _apply_breaks(self) -> None:
        for _ in range(self.breaks):
            self.b.page_break()
        self.breaks = 0

    def rows(self, table):
        for el in table:
            if el.tag == ROW:
                yield el
            elif el.tag == SPB:
                self.breaks += 1
            elif isinstance(el.tag, str) and el.tag.startswith(f"{{{TABLE}}}") and el.tag != TBL:
                yield from self.rows(el)  # header-rows, row-groups, rows

    def table(self, table) -> None:
        for row in self.rows(table):
            values = []
            for cell in row:
                if cell.tag not in (CELL, COVERED):
                    continue
                text = self.flat(cell)
                if text:
                    n = _repeat(cell, "number-columns-repeated")
                    values.extend([text] * n)
            if values:
                line = " | ".join(values)
                for _ in range(_repeat(row, "number-rows-repeated")):
                    self.b.add(line)
            self._apply_breaks()


def _repeat(el, attr: str) -> int:
    try:
        return max(1, min(MAX_REPEAT, int(el.get(f"{{{TABLE}}}{attr}", "1"))))
    except ValueError:
        return 1


def _inside(p, top) -> bool:
    """True if paragraph `p` is nested in another paragraph below `top` (e.g. a text box)."""
    node = p.getparent()
    while node is not None and node is not top:
        if node.tag in (P, H):
            return True
        node = node.getparent()
    return False


def _check_encryption(zf) -> None:
    try:
        manifest = read_member(zf, "META-INF/manifest.xml", 8 * MIB)
    except KeyError:
        return
    if b"encryption-data" in manifest:
        raise Encrypted()


def _title(zf, kind: str) -> str | None:
    try:
        meta = parse_xml(read_member(zf, "meta.xml", 8 * MIB), kind)
    except (KeyError, Damaged):
        return None
    el = next(meta.iter(f"{{{DC}}}title"), None)
    return " ".join(el.text.split())[:500] if el is not None and el.text else None


def extract_odf(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    fmt = detect_format(data, name)
    fmt = fmt if fmt in KINDS else "odt"
    kind = KINDS[fmt]
    zf = open_zip(data, limits, kind)
    _check_encryption(zf)
    try:
        content = parse_xml(read_member(zf, "content.xml"), kind)
    except KeyError:
        raise Damaged(f"The {kind} is damaged: its content part is missing.") from None
    body = content.find(f"{{{OFFICE}}}body")
    if body is None:
        raise Damaged(f"The {kind} is damaged: it has no document body.")
    paged = next(body.iter(SPB), None) is not None
    builder = SectionBuilder(limits, paged=paged)
    walker = _Walker(builder)
    for part in body:
        if part.tag == f"{{{OFFICE}}}spreadsheet":
            for table in part.iter(TBL):
                builder.set_heading(table.get(f"{{{TABLE}}}name") or "Sheet")
                walker.table(table)
        else:
            walker.blocks(part)
    pages = builder.page if paged else None
    _side_parts(zf, walker, builder, kind)
    sections = [s for s in builder.finish() if s.text.strip() != (s.heading or "")]
    return Extracted(OK, truncation_note(builder, limits), fmt,
                     _title(zf, kind) or (builder.first_heading if fmt == "odt" else None),
                     sections, pages)


def _side_parts(zf, walker: _Walker, builder: SectionBuilder, kind: str) -> None:
    seen: set[str] = set()
    hf: list[str] = []
    try:
        styles = parse_xml(read_member(zf, "styles.xml"), kind)
    except (KeyError, Damaged):
        styles = None
    if styles is not None:
        for page in styles.iter(f"{{{STYLE}}}master-page"):
            for part in page:
                if part.tag.startswith(f"{{{STYLE}}}header") or part.tag.startswith(
                        f"{{{STYLE}}}footer"):
                    text = walker.flat(part)
                    if text and text not in seen:
                        seen.add(text)
                        hf.append(text)
    for heading, texts in (("Headers and footers", hf), ("Footnotes", walker.notes),
                           ("Comments", walker.comments)):
        texts = [t for t in texts if t]
        if texts:
            builder.start_part(heading)
            for t in texts:
                builder.add(t)
