"""The Word bundle: cover, contents, a section per group, appendices, evidence list, redaction log.

Built on the shipped template (`resources/templates/bundle-template.docx`), whose named styles a
council may restyle. The body is written as XML strings in bulk (see `wxml`), which keeps a
500-item bundle well under a second. The protective marking sits in the header and footer of every
page with "Page X of Y" (PAGE and NUMPAGES fields, which every viewer lays out itself).

The contents are a real TOC field (sections, appendices and every evidence item by E-number and
title) whose cached result is already complete and linked to bookmarks, so it is never blank and
never wrong. It carries no page numbers: this app cannot know where pages break in a document that
merges other people's files, and prints no number it has guessed. Updating the field in Word (F9)
rebuilds the same list with true numbers. No field is marked dirty and settings.xml has no
updateFields, so Word never asks about "fields that may refer to other files".

Pages break only where a reader expects a new start: after the cover, before each appended document
and before the evidence list that follows them. Everything else flows (contents, index, sections),
with headings and each item's paragraphs kept with what follows, so no short section leaves a
mostly blank page.

When the bundle has redaction rules, the plain data is pseudonymised before anything is built, the
appended Word sources are pseudonymised as they are merged, and finally every XML part of the
package is walked once more, so nothing that goes out has escaped the rules. The redaction log
(kinds, places and counts, never the removed text) is added after that last pass.

The building blocks this shares with the self-evaluation's document (template styles, headings,
header and footer, tables, the redaction log) are in `word_blocks.py`.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from evidence_app.core.base import clock
from evidence_app.core.base.errors import Cancelled
from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback
from evidence_app.core.bundles.export import wxml
from evidence_app.core.bundles.export.appendices import append_docx, append_pdf, composing, text_xml
from evidence_app.core.bundles.export.model import (
    Appendix, BundleDoc, Item, Source, with_distinct_titles,
)
from evidence_app.core.bundles.export.package import (
    ensure_settings, scrub_parts, set_properties, strip_package,
)
from evidence_app.core.bundles.export.redact import Entry, Pseudonymiser
from evidence_app.core.bundles.export.word_blocks import (
    PSEUDONYMISED_STATEMENT, TEXT_WIDTH, Marks, append_xml, format_date, grid, header_footer,
    heading1, redaction_log, styles, table_text, template_path,
)
from evidence_app.core.bundles.export.wxml import link, page_break, para, run, table

class Steps:
    """Progress of one render in steps (body, each appendix, closing, saving), and the place
    where a cancel request is honoured: between steps and between PDF pages."""

    def __init__(self, total: int, on_progress: ProgressCallback | None,
                 cancel: CancelToken | None) -> None:
        self.total, self.done = total, 0
        self.on_progress, self.cancel = on_progress, cancel

    def check(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled("Export cancelled; nothing was written.")

    def start(self, label: str) -> None:
        self.check()
        if self.on_progress is not None:
            self.on_progress(Progress(self.done, self.total, label))

    def finish(self) -> None:
        self.done += 1
        if self.on_progress is not None and self.done >= self.total:
            self.on_progress(Progress(self.total, self.total, "Done"))


@dataclass
class Rendered:
    """A built bundle, not yet on disk."""

    data: bytes
    bundle: BundleDoc                       # as shown (pseudonymised when it was)
    redactions: list[Entry] = field(default_factory=list)
    pdf_pages: int = 0
    notes: list[str] = field(default_factory=list)
    learned: set = field(default_factory=set)       # birth dates found by their label


ITEM_LEVEL = "Heading 3"
CONTENTS_HINT = ("Every entry links to its place in this bundle. Page numbers: in Word, click in "
                 "this list and press F9 (Update entire table).")
TOC_INSTR = f'TOC \\o "1-1" \\t "{ITEM_LEVEL},2" \\h \\z'


# -- redaction of the plain data -------------------------------------------------------------
def redact_bundle(b: BundleDoc, p: Pseudonymiser) -> BundleDoc:
    """Each text redacted in its own case's context (a shared first name takes that case's
    alias)."""
    def src(s: Source | None, where: str, case: str) -> Source | None:
        if s is None:
            return None
        return replace(s, name=p.redact(s.name, where, case),
                       rel_path=p.redact(s.rel_path, where, case))

    def item(i: Item) -> Item:
        w = i.number
        c = i.case_ref or (i.source.case_ref if i.source else "")
        return replace(i, title=p.redact(i.title, f"{w} title", c),
                       quote=p.redact(i.quote, f"{w} quote", c),
                       note=p.redact(i.note, f"{w} note", c),
                       case=p.redact(i.case, f"{w} case", c),
                       source=src(i.source, f"{w} source", c))

    sections = [replace(s, title=p.redact(s.title, "section titles"),
                        intro=p.redact(s.intro, "section titles"),
                        items=tuple(item(i) for i in s.items)) for s in b.sections]
    appendices = [replace(a, source=src(a.source, f"Appendix {a.number}", a.source.case_ref),
                          text=p.redact(a.text, f"Appendix {a.number}", a.source.case_ref))
                  for a in b.appendices]
    return replace(b, title=p.redact(b.title, "cover"), purpose=p.redact(b.purpose, "cover"),
                   inspection=p.redact(b.inspection, "cover"),
                   authority=p.redact(b.authority, "cover"),
                   sections=tuple(sections), appendices=tuple(appendices))


# -- parts of the document -------------------------------------------------------------------
def _cover(b: BundleDoc, st: dict) -> str:
    rows = [("Inspection", b.inspection or "—"), ("Date", format_date(b.date) or "—"),
            ("Prepared by", b.prepared_by or "—"), ("Protective marking", b.marking.upper()),
            ("Evidence items", str(len(b.items)))]
    cells = [[para(st["Cover Meta"], run(k, bold=True)), para(st["Cover Meta"], run(v))]
             for k, v in rows]
    out = [para(st["Cover Authority"], run(b.authority)), para(st["Cover Title"], run(b.title))]
    if b.purpose:
        out.append(para(st["Cover Subtitle"], run(b.purpose)))
    out.append(table(cells, [3000, TEXT_WIDTH - 3000], style=st["Cover Table"], header=False))
    if b.redaction is not None:
        out.append(para(st["Cover Meta"], run(PSEUDONYMISED_STATEMENT, italic=True),
                        ppr='<w:spacing w:before="240"/>'))
    out.append(para(st["Cover Marking"], run(b.marking.upper())))
    out.append(page_break())
    return "".join(out)


def contents_entries(b: BundleDoc, extra: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """(level, text, bookmark) for every heading the contents list: the index, each section
    with each of its evidence items, each appendix, then `extra` (evidence list, redaction log)."""
    entries = [(1, "Index of evidence", "index")]
    for n, s in enumerate(b.sections, start=1):
        entries.append((1, s.title, f"sec_{n}"))
        entries += [(2, _item_heading(it), _anchor(it)) for it in s.items]
    entries += [(1, f"Appendix {a.number}: {a.source.name}", f"app_{a.number}")
                for a in b.appendices]
    entries += [(1, text, anchor) for text, anchor in extra]
    return entries


def _contents(b: BundleDoc, st: dict, extra: list[tuple[str, str]], marks: Marks) -> str:
    out = [para(st["TOC Heading"], run("Contents")),
           para(st["Evidence Source"], run(CONTENTS_HINT, italic=True),
                ppr='<w:spacing w:after="120"/><w:ind w:left="0"/>'),
           wxml.toc(contents_entries(b, extra), st, TOC_INSTR)]
    out.append(heading1(st, "Index of evidence", "index", marks))
    if not b.items:
        out.append(para(None, run("This bundle has no evidence items yet.", italic=True)))
        return "".join(out)
    rows = []
    for it in b.items:
        s = it.source
        rows.append([para(st["Table Text"], link(_anchor(it), run(it.number, bold=True))),
                     table_text(st, it.title), table_text(st, s.name if s else "—"),
                     table_text(st, str(s.page) if s and s.page else "—")])
    out.append(grid(["No.", "Evidence", "Source", "Page"], rows, [1000, 4638, 3200, 800], st))
    return "".join(out)


def _item_heading(it: Item) -> str:
    return f"{it.number}   {it.title}"


def _anchor(item: Item) -> str:
    return "ev_" + "".join(ch for ch in item.number if ch.isalnum())


def _item(it: Item, st: dict, marks: Marks) -> str:
    """One numbered piece of evidence; its paragraphs keep together on one page."""
    out = [(st[ITEM_LEVEL], marks.mark(_anchor(it), run(_item_heading(it))))]
    if it.enquiries:
        lines = "; ".join(f"{i} {t}".strip() for i, t in it.enquiries)
        out.append((st["Evidence Meta"], run("Lines of enquiry: ", bold=True) + run(lines)))
    facts = [("Strength of evidence", it.strength), ("Type", it.kind), ("Child", it.case),
             ("Week-one requests", "; ".join(f"{i} {t}".strip() for i, t in it.requests))]
    shown = [run(f"{k}: ", bold=True) + run(v) for k, v in facts if v]
    if shown:
        out.append((st["Evidence Meta"], run("   ·   ").join(shown)))
    if it.quote:
        blocks = [q.strip() for q in it.quote.split("\n\n") if q.strip()]
        for n, q in enumerate(blocks):
            q = ("“" if n == 0 else "") + q + ("”" if n == len(blocks) - 1 else "")
            out.append((st["Evidence Quote"], run(q)))
        if it.ocr:
            out.append((st["Evidence Note"], run(it.ocr, italic=True)))
    if it.note:
        out.append((st["Evidence Note"], run("Note: ", bold=True) + run(it.note)))
    s = it.source
    if s is not None:
        where = run("Source: ", bold=True) + run(s.name)
        if s.rel_path and s.rel_path != s.name:
            where += run(f"   ({s.rel_path})")
        facts = [run("Page ", bold=True) + run(str(s.page))] if s.page else []
        if s.modified:
            facts.append(run("Modified ", bold=True) + run(s.modified))
        out.append((st["Evidence Source"], where))
        if facts:
            out.append((st["Evidence Source"], run("   ·   ").join(facts)))
        if s.sha256:
            out.append((st["Evidence Source"], run("SHA-256 ", bold=True) + run(s.sha256)))
    last = len(out) - 1
    return "".join(para(style, content, ppr="" if i == last else "<w:keepNext/>")
                   for i, (style, content) in enumerate(out))


def _sections(b: BundleDoc, st: dict, marks: Marks) -> str:
    out = []
    for n, s in enumerate(b.sections, start=1):
        out.append(heading1(st, s.title, f"sec_{n}", marks))
        if s.intro:
            out.append(para(None, run(s.intro), ppr="<w:keepNext/>" if s.items else ""))
        if not s.items:
            out.append(para(None, run("No evidence has been added to this section.", italic=True)))
        for it in s.items:
            out.append(_item(it, st, marks))
    return "".join(out)


def _evidence_list(b: BundleDoc, st: dict, marks: Marks) -> str:
    # after an appended document the list starts afresh; after the sections it follows on
    out = [heading1(st, "Evidence list", "evidence_list", marks, new_page=bool(b.appendices))]
    rows = []
    for it in b.items:
        s = it.source
        src = f"{s.name}{f', p. {s.page}' if s and s.page else ''}" if s else "—"
        sha = f"{s.sha256[:16]}…" if s and s.sha256 else ""
        rows.append([para(st["Table Text"], link(_anchor(it), run(it.number, bold=True))),
                     table_text(st, it.title), table_text(st, ", ".join(i for i, _ in it.enquiries) or "—"),
                     table_text(st, " / ".join(v for v in (it.strength, it.kind) if v) or "—"),
                     table_text(st, src) + (table_text(st, sha, color="595959") if sha else "")])
    if not rows:
        out.append(para(None, run("No evidence items.", italic=True)))
        return "".join(out)
    out.append(grid(["No.", "Evidence", "Lines of enquiry", "Strength / type", "Source"], rows,
                     [900, 3038, 1700, 1300, 2700], st))
    return "".join(out)


def _appendices(document, b: BundleDoc, st: dict, p: Pseudonymiser | None,
                result: Rendered, marks: Marks, steps: Steps) -> None:
    if b.appendices:
        with composing():
            _add_appendices(document, b, st, p, result, marks, steps)


def _add_appendices(document, b: BundleDoc, st: dict, p: Pseudonymiser | None,
                    result: Rendered, marks: Marks, steps: Steps) -> None:
    composer = None     # one docxcompose Composer for every Word source, made when first needed
    for a in b.appendices:
        steps.start(f"Appendix {a.number} of {len(b.appendices)}: {a.source.name}")
        composer = _add_appendix(document, a, st, p, result, marks, steps, composer)
        steps.finish()


def _add_appendix(document, a: Appendix, st: dict, p: Pseudonymiser | None, result: Rendered,
                  marks: Marks, steps: Steps, composer):
    """One appended source under its heading; returns the (possibly new) Composer."""
    s = a.source
    meta = [run("Cited as ", bold=True) + run(", ".join(a.items) or "—")]
    if s.rel_path:
        meta.append(run("Path ", bold=True) + run(s.rel_path))
    if s.modified:
        meta.append(run("Modified ", bold=True) + run(s.modified))
    if s.sha256:
        meta.append(run("SHA-256 ", bold=True) + run(s.sha256))
    head = (heading1(st, f"Appendix {a.number}: {s.name}", f"app_{a.number}", marks, new_page=True)
            + "".join(para(st["Evidence Source"], m,
                           ppr='<w:spacing w:after="240"/>' if k == len(meta) - 1 else "")
                      for k, m in enumerate(meta)))
    append_xml(document, head)
    fmt = (s.format or Path(s.name).suffix.lstrip(".")).lower()
    readable = s.path is not None and Path(s.path).is_file()
    try:
        if readable and fmt == "docx":
            if composer is None:
                # start-up: docxcompose is loaded only when this runs
                from docxcompose.composer import Composer

                composer = Composer(document)
            append_docx(composer, a, p)
            return composer
        if readable and fmt == "pdf" and p is None:
            result.pdf_pages += append_pdf(document, a, check=steps.check)
            return composer
    except Cancelled:
        raise
    except Exception as exc:  # a damaged source must not stop the bundle
        result.notes.append(f"Appendix {a.number}: shown as text ({type(exc).__name__}).")
    if fmt == "pdf" and p is not None:
        append_xml(document, para(st["Evidence Source"], run(
            "Shown as extracted text: page images cannot be pseudonymised.", italic=True)))
    append_xml(document, text_xml(a.text, st["Appendix Text"]))
    return composer


def render(bundle: BundleDoc, *, template: Path | None = None,
           when: dt.datetime | None = None, on_progress: ProgressCallback | None = None,
           cancel: CancelToken | None = None) -> Rendered:
    """Build the bundle in memory. Nothing touches the disk except reading the sources.
    `on_progress` hears each step (body, each appendix, closing parts, saving); a `cancel`
    request stops it between steps or PDF pages with `Cancelled`."""
    import docx  # start-up: docx is loaded only when this runs

    steps = Steps(len(bundle.appendices) + 3, on_progress, cancel)
    steps.start("Writing the evidence")

    p = Pseudonymiser(bundle.redaction) if bundle.redaction is not None else None
    bundle = with_distinct_titles(bundle)
    if p is not None:
        bundle = redact_bundle(bundle, p)
    result = Rendered(b"", bundle)
    document = docx.Document(str(template or template_path()))
    st = styles(document)
    marks = Marks()
    header_footer(document, bundle, st)
    extra = [("Evidence list", "evidence_list")]
    if p is not None:
        extra.append(("Redaction log", "redaction_log"))
    append_xml(document, _cover(bundle, st) + _contents(bundle, st, extra, marks)
            + _sections(bundle, st, marks))
    steps.finish()
    _appendices(document, bundle, st, p, result, marks, steps)
    steps.start("Evidence list and file properties")
    append_xml(document, _evidence_list(bundle, st, marks))
    when = when or clock.now()
    strip_package(document, bundle.authority)
    set_properties(document, title=bundle.title, subject=bundle.purpose,
                   company=bundle.authority, marking=bundle.marking.upper(),
                   when=when.replace(tzinfo=None, microsecond=0))
    ensure_settings(document)
    if p is not None:
        scrub_parts(document, p)
        result.redactions = p.log()
        result.learned = set(p.learned)
        append_xml(document, redaction_log(result.redactions, st, marks))
    steps.finish()
    steps.start("Saving")
    out = io.BytesIO()
    document.save(out)
    result.data = out.getvalue()
    steps.check()
    steps.finish()
    return result

