"""The building blocks of the app's Word documents: the shipped template and its named
styles, body XML appended in bulk, bookmarked top-level headings, the header and footer with
the protective marking and "Page X of Y", shaded data tables, dates, the statement printed on a
pseudonymised copy and the redaction log.

Both the evidence bundle (`word.py`) and the self-evaluation (`core/sef/export_word.py`) are
built from these, so they look alike and a council's restyled template serves both; kept apart
from `word.py` so that file holds only what a bundle contains.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from evidence_app.core.bundles.export import wxml
from evidence_app.core.bundles.export.model import BundleDoc
from evidence_app.core.bundles.export.redact import Entry
from evidence_app.core.bundles.export.redaction_log import log_rows
from evidence_app.core.bundles.export.wxml import bookmark, field as fld, para, run, table
from evidence_app.paths import resources_dir

TEXT_WIDTH = 9638       # twips: A4 less 2 cm margins
NAVY = "1F3864"
TBL, TR = f"{{{wxml.W_NS}}}tbl", f"{{{wxml.W_NS}}}tr"
STYLE_NAMES = ("Cover Authority", "Cover Title", "Cover Subtitle", "Cover Meta", "Cover Marking",
               "Heading 1", "Heading 2", "Heading 3", "TOC Heading", "toc 1", "toc 2",
               "Evidence Meta", "Evidence Quote", "Evidence Note", "Evidence Source", "Table Text",
               "Table Heading", "Marking", "Footer Text", "Appendix Text", "Evidence Table",
               "Cover Table")


def template_path() -> Path:
    return resources_dir() / "templates" / "bundle-template.docx"


def styles(document) -> dict[str, str | None]:
    ids = {}
    for name in STYLE_NAMES:
        try:
            ids[name] = document.styles[name].style_id
        except KeyError:
            ids[name] = None            # a template without the style: Normal formatting
    return ids


def append_xml(document, xml: str) -> None:
    """Parse a run of body XML once and put its elements before the final section properties.

    lxml moves a large subtree between documents in quadratic time, so a table goes over as an
    empty shell and its rows follow one by one (2,000 rows: 20 ms instead of 5 s).
    """
    from docx.oxml import parse_xml  # start-up: docx is loaded only when this runs

    if not xml:
        return
    body = document.element.body
    sect = body.sectPr
    for el in list(parse_xml(f"<w:body {wxml.NSDECL}>{xml}</w:body>")):
        rows = el.findall(TR) if el.tag == TBL else []
        for row in rows:
            el.remove(row)
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)
        for row in rows:
            el.append(row)


class Marks:
    """Bookmark names and unique ids for the headings the contents link to."""

    def __init__(self) -> None:
        self.next_id = 100

    def mark(self, name: str, content: str) -> str:
        self.next_id += 1
        return bookmark(self.next_id, name, content)


def heading1(st: dict, text: str, anchor: str, marks: Marks, *, new_page: bool = False) -> str:
    """A top-level heading, bookmarked for the contents. Only the big starts take a new page
    (the break is here, not in the style, so merged source documents keep their own flow); the
    style's keep-with-next holds every other heading to what follows it."""
    return para(st["Heading 1"], marks.mark(anchor, run(text)),
                ppr="<w:pageBreakBefore/>" if new_page else "")


def format_date(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value or "")


def header_footer(document, b: BundleDoc, st: dict) -> None:
    from docx.oxml import parse_xml  # start-up: docx is loaded only when this runs

    section = document.sections[0]
    header, footer = section.header, section.footer
    header.is_linked_to_previous = False
    footer.is_linked_to_previous = False
    marking = run(b.marking.upper(), bold=True)
    head = para(st["Marking"], marking)
    page = (run("Page ") + fld("PAGE", "1") + run(" of ") + fld("NUMPAGES", "1"))
    foot = (para(st["Footer Text"], run(f"{b.authority} · {b.title}") + run("\t") + page)
            + para(st["Marking"], marking))
    for part, xml in ((header, head), (footer, foot)):
        el = part._element
        for child in list(el):
            el.remove(child)
        for child in parse_xml(f"<w:hdr {wxml.NSDECL}>{xml}</w:hdr>"):
            el.append(child)


# Printed only on a pseudonymised export, which is delivered only once the written file has been
# read back and verified (bundle_file.py): a refused export never reaches anyone.
PSEUDONYMISED_STATEMENT = (
    "Pseudonymised copy. Registered children's names and their variants are replaced by the "
    "case alias (\u201cChild A\u201d), relatives' names by their role, and NHS numbers, dates of "
    "birth, phone numbers, e-mail addresses, postcodes and each case's listed terms by "
    "[REDACTED]; hidden text, embedded objects and image metadata are removed. After writing, "
    "every part of this file (text, links, properties, images) was read back and checked: none "
    "of those remains. What a person reviewed and accepted is recorded in the manifest beside "
    "this file.")


def _head_cell(text: str, st: dict, width: int) -> str:
    return wxml.cell(para(st["Table Heading"], run(text, bold=True, color="FFFFFF")), width,
                     shade=NAVY)


def grid(headers: list[str], rows: list[list[str]], widths: list[int], st: dict) -> str:
    """A data table with a shaded header row that repeats on every page."""
    head = "".join(_head_cell(h, st, w) for h, w in zip(headers, widths))
    xml = table([["<w:p/>"] * len(widths)] + rows, widths, style=st["Evidence Table"])
    first_row_start = xml.index("<w:tr>")
    first_row_end = xml.index("</w:tr>") + len("</w:tr>")
    header = f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"
    return xml[:first_row_start] + header + xml[first_row_end:]


def table_text(st: dict, text: str, **kw) -> str:
    return para(st["Table Text"], run(text, **kw))


def redaction_log(entries: list[Entry], st: dict, marks: Marks) -> str:
    total = sum(e.count for e in entries)
    out = [heading1(st, "Redaction log", "redaction_log", marks),
           para(None, run(f"{total} replacement{'s' if total != 1 else ''} were made. Children's "
                          "names are replaced by their case alias; NHS numbers, phone numbers, "
                          "e-mail addresses, postcodes, labelled dates of birth and each case's "
                          "listed terms by [REDACTED]. The removed text is not recorded here; "
                          "the manifest beside this file lists the count for each item."))]
    rows = [[table_text(st, r.kind), table_text(st, r.where), table_text(st, str(r.count)),
             table_text(st, str(r.items) if r.items else "—")] for r in log_rows(entries)]
    if rows:
        out.append(grid(["What", "Where", "Replacements", "Evidence items"], rows,
                         [2000, 4838, 1400, 1400], st))
    return "".join(out)
