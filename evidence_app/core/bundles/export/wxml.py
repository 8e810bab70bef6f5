"""WordprocessingML as strings: paragraphs, runs, tables and fields for bulk building.

python-docx's add_paragraph/add_run cost tens of microseconds each; a 500-item bundle has thousands
of them. Writing the XML as strings and parsing it once is several times faster and gives full
control of what Word sees (fields, bookmarks, table headers that repeat on each page). Every text
goes through `esc`, which also drops the control characters XML forbids (extracted text has them).
"""
from __future__ import annotations

import re

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def esc(text) -> str:
    text = "" if text is None else str(text)
    return _BAD.sub("", text).translate(_ESC)


def run(text: str, *, bold: bool = False, italic: bool = False, color: str | None = None,
        size: float | None = None) -> str:
    """One run; line breaks inside the text become w:br, tabs become w:tab."""
    props = ""
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    if size:
        props += f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    text = esc(text)
    if "\n" not in text and "\t" not in text:
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'
    inner = []
    for i, line in enumerate(text.split("\n")):
        if i:
            inner.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                inner.append("<w:tab/>")
            if piece:
                inner.append(f'<w:t xml:space="preserve">{piece}</w:t>')
    return f"<w:r>{rpr}{''.join(inner)}</w:r>"


def para(style: str | None, content: str = "", *, ppr: str = "") -> str:
    """A paragraph: `content` is run XML (use `run`), `ppr` extra paragraph properties."""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{pstyle}{ppr}</w:pPr>" if (pstyle or ppr) else ""
    return f"<w:p>{props}{content}</w:p>"


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def bookmark(bid: int, name: str, content: str) -> str:
    return (f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>{content}'
            f'<w:bookmarkEnd w:id="{bid}"/>')


def link(anchor: str, content: str) -> str:
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{content}</w:hyperlink>'


def field(instr: str, cached: str = "", *, bold: bool = False) -> str:
    """A complex field (PAGE, NUMPAGES, PAGEREF ...) with a cached result shown until updated
    (an empty cached result shows nothing until then)."""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    result = run(cached, bold=bold) if cached else ""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {esc(instr)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'{result}'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def toc(entries: list[tuple[int, str, str]], styles: dict[str, str], instr: str) -> str:
    """A real TOC field whose cached result already lists every entry (level, text, bookmark)
    as an internal link. The cached result carries no page numbers (nor the tab that would lead
    to one): this app cannot know where pages break, and a guessed number would be wrong. When
    Word updates the field (F9, Update Table) it rebuilds the same list with true numbers. The
    field is not marked dirty and settings carry no updateFields, so opening never prompts."""
    begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {esc(instr)} </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        return para(styles["toc 1"], begin + run("Update this field to list the contents.") + end)
    out = []
    for i, (level, text, anchor) in enumerate(entries):
        content = link(anchor, run(text))
        if i == 0:
            content = begin + content
        if i == len(entries) - 1:
            content += end
        out.append(para(styles[f"toc {min(level, 2)}"], content))
    return "".join(out)


def cell(content: str, width: int, *, shade: str | None = None) -> str:
    """A table cell; `content` is paragraph XML (a cell must hold at least one paragraph)."""
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>'
            f"{content or '<w:p/>'}</w:tc>")


def table(rows: list[list[str]], widths: list[int], *, style: str, header: bool = True) -> str:
    """A fixed-layout table; `rows` hold cell paragraph XML; the first row repeats on each page."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = 'w:firstRow="1"' if header else 'w:firstRow="0"'
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/>'
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" {look} w:lastRow="0" '
           f'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           f"<w:tblGrid>{grid}</w:tblGrid>"]
    for i, cells in enumerate(rows):
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if (header and i == 0) else \
            "<w:trPr><w:cantSplit/></w:trPr>"
        out.append(f"<w:tr>{trpr}{''.join(cell(c, w) for c, w in zip(cells, widths))}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
