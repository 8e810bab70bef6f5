"""The self-evaluation as a Word document, in the bundles' house style and built with their
parts (core/bundles/export/word.py): the same template and styles, the marking in every header
and footer, the same cover, a real linked contents field, shaded-header tables that repeat on
every page, and the same last pass over every part of the package when pseudonymising.

Layout: cover; contents; "At a glance" (claims by strength, claims needing evidence, overdue
actions); an overview and each judgement area with its three questions, each claim followed by
its citations as bracketed E-references ([E-012; E-031]) into the evidence bundle generated
alongside (and the "Evidence cited" appendix); the improvement plan as a table; appendix A, the
figures with their definitions and dates; appendix B, the evidence cited; the redaction log when
pseudonymised.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace

from evidence_app.core.base import clock
from evidence_app.core.bundles.export import wxml
from evidence_app.core.bundles.export.model import BundleDoc
from evidence_app.core.bundles.export.package import (
    ensure_settings, scrub_parts, set_properties, strip_package,
)
from evidence_app.core.bundles.export.redact import Entry, Pseudonymiser
from evidence_app.core.bundles.export.word_blocks import (
    NAVY, PSEUDONYMISED_STATEMENT, TEXT_WIDTH, Marks, append_xml, format_date, grid, header_footer,
    heading1, redaction_log, styles, table_text, template_path,
)
from evidence_app.core.bundles.export.wxml import para, run
from evidence_app.core.sef.export_model import ClaimRow, SefDoc

CHIP_COLOURS = {"strong": "1E6B34", "moderate": "1F3864", "weak": "9C5700", "none": "9C0006"}
CHIP_WORDS = {"strong": "Strong evidence", "moderate": "Moderate evidence",
              "weak": "Weak evidence", "none": "No evidence cited"}
TOC_INSTR = 'TOC \\o "1-2" \\h \\z'
CONTENTS_HINT = ("Every entry links to its place in this document. Page numbers: in Word, click "
                 "in this list and press F9 (Update entire table).")


@dataclass
class RenderedSef:
    data: bytes
    doc: SefDoc                             # as shown (pseudonymised when it was)
    redactions: list[Entry] = field(default_factory=list)
    learned: set = field(default_factory=set)


def redact_doc(d: SefDoc, p: Pseudonymiser) -> SefDoc:
    """Every text through the bundles' engine, claims in the context of the cases they cite."""
    def claim(c: ClaimRow) -> ClaimRow:
        case = c.case_refs[0] if len(c.case_refs) == 1 else None
        return replace(c, text=p.redact(c.text, f"{c.ref} text", case),
                       warnings=tuple(p.redact(w, f"{c.ref} warnings", case) for w in c.warnings),
                       searches=tuple(p.redact(s, f"{c.ref} searches") for s in c.searches))

    areas = tuple(replace(a, questions=tuple(replace(q, claims=tuple(claim(c) for c in q.claims))
                                             for q in a.questions)) for a in d.areas)
    plan = tuple(replace(r, development=p.redact(r.development, f"{r.ref} area"),
                         what=p.redact(r.what, f"{r.ref} action"),
                         owner=p.redact(r.owner, f"{r.ref} owner")) for r in d.plan)
    figures = tuple(replace(f, rows=tuple((p.redact(a, "figures"), b) for a, b in f.rows))
                    for f in d.figures)
    cited = tuple(replace(c, title=p.redact(c.title, f"{c.ref} title", c.case_ref or None))
                  for c in d.cited)
    return replace(d, areas=areas, plan=plan, figures=figures, cited=cited,
                   title=p.redact(d.title, "cover"), authority=p.redact(d.authority, "cover"),
                   inspection=p.redact(d.inspection, "cover"),
                   bundle_name=p.redact(d.bundle_name, "cover"))


def _as_bundle(d: SefDoc) -> BundleDoc:
    """The header and footer are the bundles' own; they read these fields."""
    return BundleDoc(d.title, d.authority, d.inspection, d.as_of, d.prepared_by, d.marking,
                     PURPOSE, redaction=d.redaction)


PURPOSE = ("What we know about the quality and impact of social work practice, how we know it, "
           "and our plans for the next 12 months.")


def _cover_xml(d: SefDoc, st: dict) -> str:
    """The bundles' cover (word._cover), with what a self-evaluation counts."""
    rows = [("Inspection", d.inspection or "—"), ("Date", format_date(d.as_of) or "—"),
            ("Prepared by", d.prepared_by or "—"), ("Protective marking", d.marking.upper()),
            ("Claims", str(len(d.claims))), ("Evidence items cited", str(len(d.cited)))]
    if d.bundle_name:
        rows.append(("Evidence bundle", d.bundle_name))
    cells = [[para(st["Cover Meta"], run(k, bold=True)), para(st["Cover Meta"], run(v))]
             for k, v in rows]
    out = [para(st["Cover Authority"], run(d.authority)), para(st["Cover Title"], run(d.title)),
           para(st["Cover Subtitle"], run(PURPOSE)),
           wxml.table(cells, [3000, TEXT_WIDTH - 3000], style=st["Cover Table"], header=False)]
    if d.redaction is not None:
        out.append(para(st["Cover Meta"], run(PSEUDONYMISED_STATEMENT, italic=True),
                        ppr='<w:spacing w:before="240"/>'))
    out.append(para(st["Cover Marking"], run(d.marking.upper())))
    out.append(wxml.page_break())
    return "".join(out)


def _entries(d: SefDoc) -> list[tuple[int, str, str]]:
    out = [(1, "At a glance", "glance")]
    for n, a in enumerate(d.areas, start=1):
        out.append((1, a.title, f"area_{n}"))
    out += [(1, "Improvement plan", "plan"), (1, "Appendix A: Figures", "figures"),
            (1, "Appendix B: Evidence cited", "cited")]
    if d.redaction is not None:
        out.append((1, "Redaction log", "redaction_log"))
    return out


def _contents(d: SefDoc, st: dict) -> str:
    return (para(st["TOC Heading"], run("Contents"))
            + para(st["Evidence Source"], run(CONTENTS_HINT, italic=True),
                   ppr='<w:spacing w:after="120"/><w:ind w:left="0"/>')
            + wxml.toc(_entries(d), st, TOC_INSTR))


def _glance(d: SefDoc, st: dict, marks: Marks) -> str:
    s = d.summary
    by = s.get("by_strength", {})
    rows = [[table_text(st, k), table_text(st, str(v))] for k, v in (
        ("Claims", s.get("claims", 0)), ("Strongly evidenced", by.get("strong", 0)),
        ("Moderately evidenced", by.get("moderate", 0)), ("Weakly evidenced", by.get("weak", 0)),
        ("With no evidence cited", by.get("none", 0)),
        ("Claims with a warning about their evidence", s.get("with_warnings", 0)),
        ("Improvement actions", s.get("actions", 0)), ("Overdue actions", s.get("overdue", 0)))]
    out = [heading1(st, "At a glance", "glance", marks),
           para(None, run(f"This self-evaluation stands as at {format_date(d.as_of)}. Each "
                          "claim is followed by the evidence it cites in square brackets "
                          + (f"(numbers in the evidence bundle “{d.bundle_name}” and in "
                             "appendix B)" if d.bundle_name else "(listed in appendix B)")
                          + " and by how well that evidence supports it."))]
    out.append(grid(["Measure", "Number"], rows, [6638, 3000], st))
    return "".join(out)


def _claim(c: ClaimRow, st: dict) -> str:
    colour = CHIP_COLOURS[c.strength]
    body = run(f"{c.type_label}: ", bold=True) + run(c.text)
    if c.evidence:
        body += run("  [" + "; ".join(c.evidence) + "]", bold=True, color=NAVY)
    out = [para(None, body, ppr='<w:keepNext/><w:spacing w:before="120" w:after="40"/>')]
    meta = [run(CHIP_WORDS[c.strength], bold=True, color=colour)]
    if c.enquiries:
        meta.append(run("Lines of enquiry: ", bold=True) + run(", ".join(c.enquiries)))
    meta.append(run(c.ref, color="595959"))
    out.append((st["Evidence Meta"], run("   ·   ").join(meta)))
    for title, value, as_of in c.figures:
        out.append((st["Evidence Source"], run("Figure: ", bold=True)
                    + run(f"{title}: {value} (as at {as_of})")))
    for s in c.searches:
        out.append((st["Evidence Source"], run("Saved search: ", bold=True) + run(s)))
    for w in c.warnings:
        out.append((st["Evidence Note"], run("Check: ", bold=True, color="9C0006") + run(w)))
    first, rest = out[0], out[1:]
    return first + "".join(para(style, content, ppr="" if i == len(rest) - 1 else "<w:keepNext/>")
                           for i, (style, content) in enumerate(rest))


def _areas(d: SefDoc, st: dict, marks: Marks) -> str:
    out = []
    for n, a in enumerate(d.areas, start=1):
        out.append(heading1(st, a.title, f"area_{n}", marks))
        for q in a.questions:
            out.append(para(st["Heading 2"], run(q.title)))
            if not q.claims:
                out.append(para(None, run("Nothing written yet.", italic=True, color="595959")))
            for c in q.claims:
                out.append(_claim(c, st))
    return "".join(out)


def _plan(d: SefDoc, st: dict, marks: Marks) -> str:
    out = [heading1(st, "Improvement plan", "plan", marks)]
    if not d.plan:
        out.append(para(None, run("No improvement actions have been set.", italic=True)))
        return "".join(out)
    overdue = sum(1 for r in d.plan if r.overdue)
    out.append(para(None, run(f"{len(d.plan)} action{'s' if len(d.plan) != 1 else ''} under the "
                              "areas for development above"
                              + (f"; {overdue} overdue (marked)." if overdue else "."))))
    rows = []
    for r in d.plan:
        status = table_text(st, r.status) + (table_text(st, "OVERDUE", bold=True, color="9C0006")
                                      if r.overdue else "")
        rows.append([table_text(st, r.ref, bold=True), table_text(st, f"{r.development} ({r.claim_ref}, "
                                                        f"{r.area})"),
                     table_text(st, r.what), table_text(st, r.owner or "—"), table_text(st, r.due or "—"), status])
    out.append(grid(["Ref", "Area for development", "Action", "Owner", "Due", "Status"], rows,
                     [650, 2700, 2500, 1400, 1150, 1238], st))
    return "".join(out)


def _figures(d: SefDoc, st: dict, marks: Marks) -> str:
    out = [heading1(st, "Appendix A: Figures", "figures", marks),
           para(None, run("Each figure quoted above, as taken from the workspace on the date "
                          "shown, with what it counts."))]
    if not d.figures:
        out.append(para(None, run("No figures are quoted.", italic=True)))
        return "".join(out)
    rows = []
    for f in d.figures:
        rows.append([table_text(st, f.title, bold=True), table_text(st, f.value, bold=True),
                     table_text(st, f.definition), table_text(st, f.as_of)])
        # the table behind the figure, one row each, so a long one breaks across pages cleanly
        rows += [[table_text(st, a, color="595959"), table_text(st, b), "<w:p/>", "<w:p/>"] for a, b in f.rows]
    out.append(grid(["Figure", "Value", "Definition", "As at"], rows,
                     [2000, 3000, 3438, 1200], st))
    return "".join(out)


def _cited(d: SefDoc, st: dict, marks: Marks) -> str:
    out = [heading1(st, "Appendix B: Evidence cited", "cited", marks),
           para(None, run("Every evidence item the claims cite, by its reference"
                          + (f"; each is set out in full in the evidence bundle “{d.bundle_name}”."
                             if d.bundle_name else ".")))]
    if not d.cited:
        out.append(para(None, run("No evidence items are cited yet.", italic=True)))
        return "".join(out)
    rows = [[table_text(st, c.ref, bold=True), table_text(st, c.title + (f" ({c.note})" if c.note else "")),
             table_text(st, c.strength), table_text(st, c.enquiries or "—"), table_text(st, c.cited_by)]
            for c in d.cited]
    out.append(grid(["Ref", "Evidence", "Strength", "Lines of enquiry", "Cited by"], rows,
                     [1000, 4038, 1200, 1900, 1500], st))
    return "".join(out)


def render(d: SefDoc, *, when: dt.datetime | None = None) -> RenderedSef:
    """Build the document in memory (nothing touches the disk but the template)."""
    import docx  # start-up: docx is loaded only when this runs

    p = Pseudonymiser(d.redaction) if d.redaction is not None else None
    if p is not None:
        d = redact_doc(d, p)
    document = docx.Document(str(template_path()))
    st = styles(document)
    marks = Marks()
    header_footer(document, _as_bundle(d), st)
    append_xml(document, _cover_xml(d, st) + _contents(d, st) + _glance(d, st, marks)
            + _areas(d, st, marks) + _plan(d, st, marks) + _figures(d, st, marks)
            + _cited(d, st, marks))
    when = when or clock.now()
    strip_package(document, d.authority)
    set_properties(document, title=d.title, subject="Self-evaluation of social work practice",
                   company=d.authority, marking=d.marking.upper(),
                   when=when.replace(tzinfo=None, microsecond=0))
    ensure_settings(document)
    result = RenderedSef(b"", d)
    if p is not None:
        scrub_parts(document, p)
        result.redactions = p.log()
        result.learned = set(p.learned)
        append_xml(document, redaction_log(result.redactions, st, marks))
    out = io.BytesIO()
    document.save(out)
    result.data = out.getvalue()
    return result
