"""From the store to the exporters: a stored bundle (or the request tracker, coverage, evidence)
as the plain data of `export.model`, and the export itself with its records.

The exporters never see the store; this is the one place that reads it for them. Everything is
fetched in a handful of queries (all items, the documents they cite, the framework titles), so a
500-item bundle costs milliseconds here. Pseudonymisation rules come from the cases table: every
registered child's name goes to their alias, their redaction terms to [REDACTED].
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.bundles import bundles
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Writes, on_this_thread
from evidence_app.core.evidence import framework
from evidence_app.core.evidence.cases import list_cases
from evidence_app.core.evidence.coverage import coverage
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence.evidence import KIND_LABELS, document_text, list_items
from evidence_app.core.bundles.export.bundle_file import BundleExport, write_bundle
from evidence_app.core.bundles.export.files import Written, check_target
from evidence_app.core.bundles.export.model import (
    Appendix, BundleDoc, Column, Item, Person, RedactionRules, Section, Sheet, Source,
    evidence_number, with_distinct_titles,
)
from evidence_app.core.bundles.export.sheets import write_workbook
from evidence_app.core.base.fsnames import to_disk
from evidence_app.core.base.progress import CancelToken, ProgressCallback
from evidence_app.core.evidence.requests import list_requests
from evidence_app.core.store import document_reads
from evidence_app.core.store.records import Bundle, Document
from evidence_app.core import settings
from evidence_app.core.bundles.export.redact import Pseudonymiser
from evidence_app.core.bundles.export.sheets import pseudonymise_sheets
from evidence_app.core.safety import audit
from evidence_app.core.store.db import transaction
from evidence_app.core.store.ocr_pages import ocr_page_confidences

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

WHOLE_FILE_FORMATS = ("docx", "pdf")


def _day(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%d/%m/%Y") if ts else ""


def _documents(ws: Workspace, ids: set[int]) -> dict[int, Document]:
    return document_reads.documents_by_id(ws.db.conn, ids)


def redaction_rules(ws: Workspace) -> RedactionRules:
    """Every registered child, with other names, relatives and date of birth (pseudonymise.py)."""
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.pseudonymise import redaction_rules as rules

    return rules(ws)


def ocr_note(confidence: float) -> str:
    """What a bundle says under a quote whose text OCR read from a scanned page."""
    return (f"Quoted from a scanned page read by OCR (average confidence {confidence:.0f}%): "
            "check the wording against the original.")


def _source(doc: Document | None, page: int | None) -> Source | None:
    if doc is None:
        return None
    name = doc.member.rsplit("/", 1)[-1] if doc.member else doc.name
    fmt = (doc.format or Path(name).suffix.lstrip(".")).lower()
    return Source(name, doc.rel_path or "", page, _day(doc.mtime), doc.sha256 or "",
                  None if doc.member else Path(to_disk(doc.path)), fmt, doc.id,
                  (doc.case_ref or "").upper())


def build(ws: Workspace, ident, *, pseudonymise: bool | None = None,
          append_sources: bool | None = None) -> tuple[Bundle, BundleDoc]:
    """The stored bundle and its plain export model (numbered in the order shown)."""
    bundle = bundles.get_bundle(ws, ident)
    pseudonymise = bundle.pseudonymise if pseudonymise is None else pseudonymise
    append_sources = bundle.append_sources if append_sources is None else append_sources
    items = {i.id: i for i in list_items(ws, bundle_id=bundle.id)}
    docs = _documents(ws, {i.document_id for i in items.values() if i.document_id})
    enq = {e.id: e.title for e in framework.enquiries(ws, include_retired=True)}
    req = {r.id: r.title for r in framework.requests(ws, include_retired=True)}
    alias = {c.ref.lower(): c.alias or c.ref for c in list_cases(ws)}

    # quotes on pages whose text OCR read from a scan are marked as such in the bundle
    scanned = ocr_page_confidences(ws.db.conn, [d for d in docs])
    sections, n, cited = [], 0, {}
    for s in bundle.sections:
        shown = []
        for item_id in s.items:
            ev = items.get(item_id)
            if ev is None:
                continue
            n += 1
            number = evidence_number(n)
            doc = docs.get(ev.document_id)
            src = _source(doc, ev.page)
            title = ev.title or (src.name if src else "Evidence")
            if ev.page:
                title += f", p. {ev.page}"
            quote = ev.shown_quote or ""
            read = scanned.get((ev.document_id, ev.page)) if quote else None
            shown.append(Item(
                number, title, tuple((e, enq.get(e, "")) for e in ev.enquiries),
                tuple((r, req.get(r, "")) for r in ev.requests), ev.strength,
                KIND_LABELS.get(ev.kind, ev.kind), quote,
                ev.note or "", alias.get((ev.case_ref or "").lower(), ev.case_ref or ""),
                src, (ev.case_ref or "").upper(),
                ocr_note(read) if read is not None else ""))
            if doc is not None and not doc.member:
                cited.setdefault(doc.id, []).append(number)
        sections.append(Section(s.title, tuple(shown), s.intro or ""))

    appendices = []
    if append_sources:
        for k, (doc_id, numbers) in enumerate(cited.items(), start=1):
            src = _source(docs[doc_id], None)
            needs_text = src.format not in WHOLE_FILE_FORMATS or pseudonymise or \
                src.path is None or not src.path.is_file()
            text = document_text(ws, doc_id).text if needs_text else ""
            appendices.append(Appendix(k, src, tuple(numbers), text))

    doc = BundleDoc(bundle.title, ws.name, bundle.inspection or ws.get_meta("inspection", ""),
                    dt.date.today(), bundle.prepared_by or settings.prepared_by(ws), bundle.marking,
                    bundle.purpose, tuple(sections), tuple(appendices),
                    redaction_rules(ws) if pseudonymise else None)
    return bundle, with_distinct_titles(doc)


def export_bundle(ws: Workspace, ident, out: Path, *, pseudonymise: bool | None = None,
                  append_sources: bool | None = None, force: bool = False,
                  on_progress: ProgressCallback | None = None,
                  cancel: CancelToken | None = None,
                  accept_review: bool = False, write: Writes | None = None) -> BundleExport:
    """Write the bundle as Word with its manifest; record it in the bundle and the audit log
    (through `write`: the window's one writer, or this thread's connection by default).
    Refuses (NameNeeded, saying how to set it) while nobody has given their name and the bundle
    has no "prepared by" of its own: a cover never shows a login name."""
    write = write or on_this_thread(ws)
    check_target(Path(out), force=force, suffix=".docx")
    bundle, doc = build(ws, ident, pseudonymise=pseudonymise, append_sources=append_sources)
    if not doc.prepared_by:
        raise settings.NameNeeded("Exporting a bundle")
    info = {"bundle": {"id": bundle.id, "uuid": bundle.uuid, "title": doc.title},
            "workspace": ws.get_meta("uuid"), "exported_by": settings.author(ws)}
    extra = {}
    if doc.redaction is not None:
        # pseudonymised: every case registered with a name, then the review (pseudonymise.py)
        # start-up: loaded only when this runs
        from evidence_app.core.bundles import pseudonymise as ps

        ps.require_registered(ws, doc)
        extra = dict(accept_review=accept_review, accepted=ps.accepted(ws, bundle.id),
                     known_words=ps.known_words(ws, doc))
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.export.review_gate import ReviewNeeded

    try:
        result = write_bundle(doc, Path(out), force=force, info=info, on_progress=on_progress,
                              cancel=cancel, **extra)
    except ReviewNeeded as exc:       # the refusal names the command that lists it all
        raise ReviewNeeded(exc.items, bundle.id) from None
    if result.review:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles import pseudonymise as ps

        write(lambda w: ps.accept(w, bundle.id, result.review, settings.author(w)))
    write(lambda w: bundles.record_export(w, bundle.id, result,
                                          append_sources=bool(doc.appendices)))
    return result


# -- spreadsheets ----------------------------------------------------------------------------
def _iso_day(value: str | None):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return value


def tracker_sheet(ws: Workspace) -> Sheet:
    cols = [Column("Id", 10), Column("Ofsted ref", 16), Column("Request", 40), Column("Kind", 12),
            Column("Period", 18), Column("Owner", 18), Column("Due", 12), Column("Status", 13),
            Column("Evidence items", 10), Column("Documents", 10), Column("Sent", 12),
            Column("Sent file", 30), Column("Sent SHA-256", 24)]
    rows = [[r.id, r.ofsted_ref, r.title, r.kind, r.period, r.owner, _iso_day(r.due_at),
             r.status, r.evidence, r.documents, _iso_day(r.sent_at), r.sent_file, r.sent_sha256]
            for r in list_requests(ws)]
    return Sheet("Week-one requests", cols, rows)


def coverage_sheets(ws: Workspace) -> list[Sheet]:
    data = coverage(ws, by="area")
    cols = [Column("Line of enquiry", 12), Column("Title", 48), Column("Area", 10),
            Column("Total", 8), Column("Strong", 8), Column("Moderate", 9), Column("Weak", 8),
            Column("Strengths", 9), Column("Development", 11), Column("Impact", 8),
            Column("Gap (no strong evidence)", 14)]
    rows = [[r.enquiry, r.title, r.area, r.total, r.strong, r.moderate, r.weak, r.strength,
             r.development, r.impact, "gap" if not r.strong else ""] for r in data.rows]
    area_cols = [Column("Area", 10), Column("Judgement", 48), Column("Lines", 8),
                 Column("Gaps", 8), Column("Total", 8), Column("Strong", 8),
                 Column("Moderate", 9), Column("Weak", 8)]
    areas = [[a.area, a.title, a.enquiries, a.gaps, a.total, a.strong, a.moderate, a.weak]
             for a in data.areas]
    return [Sheet("Coverage by line", cols, rows), Sheet("Coverage by area", area_cols, areas)]


def evidence_sheet(ws: Workspace) -> Sheet:
    alias = {c.ref.lower(): c.alias for c in list_cases(ws)}
    items = list_items(ws)
    docs = _documents(ws, {i.document_id for i in items if i.document_id})
    cols = [Column("Id", 7), Column("Lines of enquiry", 18), Column("Requests", 12),
            Column("Strength", 10), Column("Kind", 14), Column("Case", 12), Column("Child", 10),
            Column("Document", 30), Column("Path", 40), Column("Page", 6), Column("Quote", 60),
            Column("Note", 40), Column("Anchor", 10), Column("SHA-256", 24), Column("By", 16),
            Column("Added", 12)]
    rows = []
    for i in items:
        d = docs.get(i.document_id)
        rows.append([i.id, ", ".join(i.enquiries), ", ".join(i.requests), i.strength,
                     KIND_LABELS.get(i.kind, i.kind), i.case_ref,
                     alias.get((i.case_ref or "").lower()), i.title, d.rel_path if d else None,
                     i.page, i.shown_quote, i.note, i.anchor,
                     d.sha256 if d else None, i.author, _iso_day(i.created_at)])
    return Sheet("Evidence", cols, rows)


SHEETS = {"tracker": lambda ws: [tracker_sheet(ws)], "coverage": coverage_sheets,
          "evidence": lambda ws: [evidence_sheet(ws)]}


def export_sheet(ws: Workspace, which: str, out: Path, *, force: bool = False,
                 pseudonymise: bool = False, write: Writes | None = None) -> Written:
    """Write a spreadsheet. Pseudonymised: every item's case must be registered with a name,
    every cell is redacted, and the written file is read back and verified before delivery.
    The audit entry is written through `write` (see core/base/changes.Writes)."""
    if which not in SHEETS:
        raise InvalidInput(f"Exports are {', '.join(SHEETS)}, not '{which}'.")
    check_target(Path(out), force=force, suffix=".xlsx")
    sheets = SHEETS[which](ws)
    verify = None
    if pseudonymise:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles.export.verify import (
            ExportRefused, require_clean, verify_text,
        )
        from evidence_app.core.bundles.pseudonymise import redaction_rules, require_registered_refs

        if which == "evidence":
            require_registered_refs(ws, [(f"#{i.id}", i.case_ref) for i in list_items(ws)])
        rules = redaction_rules(ws)
        p = Pseudonymiser(rules)
        problems = verify_text(Path(out).name, rules, "the file name")
        if problems:
            raise ExportRefused(problems, Path(out).name)
        sheets = pseudonymise_sheets(sheets, p, case_column="Case", drop=("Case",))

        def verify(tmp: Path) -> None:
            require_clean(tmp, rules, p.learned, Path(out).name)
    written = write_workbook(Path(out), sheets, force=force, verify=verify)

    def record(w: Workspace) -> None:
        with transaction(w.db):
            audit.record(w, "export", "spreadsheet", None, which, None,
                         {"path": str(written.path), "sha256": written.sha256,
                          "size": written.size, "at": clock.now_iso(),
                          "pseudonymised": bool(pseudonymise)})

    (write or on_this_thread(ws))(record)
    return written
