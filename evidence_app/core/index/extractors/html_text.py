"""HTML pages (and HTML email bodies) to text: scripts and styles dropped, blocks on new lines."""
from __future__ import annotations

import re

from evidence_app.core.index.extractors.base import OK, Extracted, Limits
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
import codecs

BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header",
          "footer", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "dl",
          "form", "fieldset", "address", "hr", "main", "nav", "aside", "figure", "figcaption",
          "caption", "thead", "tbody", "tfoot", "center", "body", "title", "option"}
CELLS = {"td", "th"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
DROP = ("script", "style", "noscript", "template", "head", "object", "embed", "iframe", "svg")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def decode_html(data: bytes) -> str:
    # start-up: loaded only when this runs
    from evidence_app.core.index.extractors.plain import BOMS, decode_text

    if not any(data.startswith(bom) for bom, _ in BOMS):
        m = _META_CHARSET.search(data[:8192])
        if m:
            try:
                enc = codecs.lookup(m.group(1).decode("ascii")).name
                if enc in ("latin-1", "iso8859-1", "ascii"):
                    enc = "cp1252"  # what browsers do
                return data.decode(enc, errors="replace")
            except LookupError:
                pass
    return decode_text(data)[0]


def html_lines(markup: str) -> tuple[str | None, list[tuple[bool, str]]]:
    """(title, [(is_heading, line), ...]) for an HTML string."""
    # start-up: lxml is loaded only when this runs
    import lxml.html
    from lxml import etree

    markup = _XML_DECL.sub("", markup, count=1).replace("\x00", "")
    if not markup.strip():
        return None, []
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  huge_tree=False, recover=True)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, []
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split())[:500] if title_el is not None else None
    etree.strip_elements(root, *DROP, with_tail=False)
    lines: list[tuple[bool, str]] = []
    cur: list[str] = []

    def newline(heading: bool = False) -> None:
        text = " ".join("".join(cur).split())
        if text:
            lines.append((heading, text))
        cur.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in BLOCKS:
                newline()
            if el.text and tag:
                cur.append(el.text)
        else:
            if tag in BLOCKS:
                newline(tag in HEADINGS)
            elif tag in CELLS:
                cur.append(" | ")
            if el.tail:
                cur.append(el.tail)
    newline()
    return title or None, lines


def html_to_text(markup: str) -> str:
    return "\n".join(line for _h, line in html_lines(markup)[1])


def extract_html(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    title, lines = html_lines(decode_html(data[: limits.max_text_chars * 4 + 4]))
    builder = SectionBuilder(limits)
    for heading, line in lines:
        if heading:
            builder.set_heading(line)
        else:
            builder.add(line.strip(" |"))
        if builder.full:
            break
    return Extracted(OK, truncation_note(builder, limits), "html", title, builder.finish())
