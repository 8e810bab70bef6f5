"""Exporting the self-evaluation: the Word document, optionally with the evidence bundle its
[E-…] references point into, pseudonymised exactly like the bundles.

- The data is read once (document.py) and turned into plain export data (export_model.py); the
  writer (export_word.py) never reads the store.
- Pseudonymised: every cited item's child must be registered with a name (the bundles' gate,
  `require_registered_refs`, refuses in one line naming the cases and items); the text goes
  through the bundles' engine (`Pseudonymiser`), every part of the package is scrubbed once more,
  and the written temporary file is read back and verified (`require_clean`) before it is moved
  into place; a finding deletes it and nothing is delivered. The bundle generated alongside goes
  through the bundles' own writer (`write_bundle`) with the same rules and verification.
- Both files are written atomically and refused if they exist (unless `force`); each has its
  manifest; the export is recorded in the audit log.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.errors import Cancelled
from evidence_app.core.base.progress import CancelToken, Progress, ProgressCallback
from evidence_app.core.sef import document as sef_document
from evidence_app.core.sef.export_model import (
    AreaPart, CitedRow, ClaimRow, FigureRow, PlanRow, QuestionPart, SefDoc,
)
from evidence_app.core.sef.model import QUESTION_TITLES, QUESTIONS, TYPE_LABELS, claim_ref
from evidence_app.core.sef.strength import evidence_ref
from evidence_app.core import settings
from evidence_app.core.bundles.export.model import BundleDoc, Item, Section
from evidence_app.core.evidence import framework
from evidence_app.core.evidence.cases import list_cases
from evidence_app.core.base.changes import Writes, on_this_thread
from evidence_app.core.safety import audit
from evidence_app.core.store.db import transaction

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

TITLE = "Self-evaluation of social work practice"


@dataclass
class SefExport:
    path: Path
    sha256: str
    size: int
    manifest: Path
    claims: int
    citations: int
    actions: int
    figures: int
    pseudonymised: bool = False
    verified: bool = False
    bundle: Path | None = None
    bundle_items: int = 0
    seconds: float = 0.0
    redactions: int = 0

    def to_json(self) -> dict:
        return {"path": str(self.path), "sha256": self.sha256, "size": self.size,
                "manifest": str(self.manifest), "claims": self.claims,
                "citations": self.citations, "actions": self.actions, "figures": self.figures,
                "pseudonymised": self.pseudonymised, "verified": self.verified,
                "bundle": str(self.bundle) if self.bundle else None,
                "bundle_items": self.bundle_items, "seconds": round(self.seconds, 3),
                "redactions": self.redactions}


def bundle_path(out: Path) -> Path:
    """Where the evidence bundle goes: beside the document, OUT-evidence.docx."""
    out = Path(out)
    return out.with_name(f"{out.stem}-evidence{out.suffix}")


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return dt.date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def build(ws: Workspace, *, pseudonymise: bool = False, bundle_name: str = "",
          doc: sef_document.SefDocument | None = None) -> SefDoc:
    """The plain export data of the self-evaluation as it reads now."""
    d = doc or sef_document.read(ws.db)
    j = d.to_json()
    claims_json = {c["id"]: c for c in j["claims"]}
    cited_by: dict[int, list[str]] = {}
    items = {}
    for v in d.claims:
        for x, item in zip([x for x in v.claim.citations if x.kind == "evidence"], v.items):
            cited_by.setdefault(int(x.ref), []).append(claim_ref(v.claim.id))
            items[int(x.ref)] = item
    areas = []
    for a in d.areas:
        parts = []
        for q in QUESTIONS:
            rows = []
            for v in d.claims_in(a.id, q):
                c = v.claim
                figs = tuple((f.title, f.value, _day(f.as_of)) for f in
                             (d.figures.get(x.ref) for x in c.citations if x.kind == "figure")
                             if f is not None)
                cases = tuple(sorted({i.case_ref.upper() for i in v.items
                                      if i is not None and i.case_ref}))
                rows.append(ClaimRow(claim_ref(c.id), TYPE_LABELS[c.type], c.text, v.strength,
                                     c.enquiries, tuple(claims_json[c.id]["evidence"]), figs,
                                     tuple(claims_json[c.id]["searches"]), v.warnings, cases))
            parts.append(QuestionPart(q, QUESTION_TITLES[q], tuple(rows)))
        areas.append(AreaPart(a.id, a.title, tuple(parts)))
    plan = []
    for a in d.plan:
        owner = d.claim_of(a)
        plan.append(PlanRow(f"A-{a.id}", claim_ref(a.claim_id),
                            owner.claim.area if owner else "", owner.claim.text if owner else "",
                            a.what, a.owner, _day(a.due), a.status, d.overdue(a)))
    figures = tuple(FigureRow(f.title, f.value, f.definition, _day(f.as_of), f.rows)
                    for f in d.figures.values())
    cited = []
    for item_id in sorted(cited_by):
        i = items[item_id]
        note = ("deleted" if i is None or i.deleted else
                i.anchor if i.anchor in ("orphaned", "missing") else "")
        cited.append(CitedRow(evidence_ref(item_id), i.title if i else "(deleted item)",
                              i.strength if i else "—", ", ".join(i.enquiries) if i else "",
                              ", ".join(dict.fromkeys(cited_by[item_id])),
                              (i.case_ref or "").upper() if i else "", note))
    rules = None
    if pseudonymise:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles.pseudonymise import redaction_rules

        rules = redaction_rules(ws)
    return SefDoc(TITLE, ws.name, dt.date.fromisoformat(d.as_of), settings.prepared_by(ws),
                  settings.default_marking(ws), ws.get_meta("inspection", "") or "",
                  tuple(areas), tuple(plan), figures, tuple(cited), j["summary"], bundle_name,
                  rules)


def evidence_bundle(ws: Workspace, data: SefDoc, *, pseudonymise: bool):
    """The bundle the references point into: one section per area, each cited item once (in
    the first area that cites it), numbered as the self-evaluation cites it (E-012 = item 12)."""
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.bundle_data import _documents, _source
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.evidence import KIND_LABELS, list_items

    wanted = {int(c.ref[2:]) for c in data.cited if not c.note == "deleted"}
    live = {i.id: i for i in list_items(ws) if i.id in wanted}
    docs = _documents(ws, {i.document_id for i in live.values() if i.document_id})
    enq = {e.id: e.title for e in framework.enquiries(ws, include_retired=True)}
    req = {r.id: r.title for r in framework.requests(ws, include_retired=True)}
    alias = {c.ref.lower(): c.alias or c.ref for c in list_cases(ws)}
    placed: set[int] = set()
    sections = []
    for area in data.areas:
        shown = []
        for q in area.questions:
            for claim in q.claims:
                for ref in claim.evidence:
                    n = int(ref[2:])
                    ev = live.get(n)
                    if ev is None or n in placed:
                        continue
                    placed.add(n)
                    src = _source(docs.get(ev.document_id), ev.page)
                    title = ev.title or (src.name if src else "Evidence")
                    if ev.page:
                        title += f", p. {ev.page}"
                    case = (ev.case_ref or "")
                    shown.append(Item(
                        ref, title, tuple((e, enq.get(e, "")) for e in ev.enquiries),
                        tuple((r, req.get(r, "")) for r in ev.requests), ev.strength,
                        KIND_LABELS.get(ev.kind, ev.kind),
                        ev.shown_quote or "", ev.note or "",
                        alias.get(case.lower(), case), src, case.upper()))
        if shown:
            sections.append(Section(area.title, tuple(shown)))
    return BundleDoc(f"{TITLE}: evidence", data.authority, data.inspection, data.as_of,
                     data.prepared_by, data.marking,
                     "The evidence the self-evaluation cites, by the references it uses.",
                     tuple(sections), (), data.redaction if pseudonymise else None)


def export(ws: Workspace, out: Path, *, with_bundle: bool = False, pseudonymise: bool = False,
           force: bool = False, on_progress: ProgressCallback | None = None,
           cancel: CancelToken | None = None, write: Writes | None = None) -> SefExport:
    """Write OUT.docx (and OUT-evidence.docx with `with_bundle`), each with its manifest; the
    audit entry goes through `write` (see core/base/changes.Writes)."""
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.export.files import check_target, write_atomic, write_manifest
    from evidence_app.core.sef.export_word import render

    start = clock.now()
    out = check_target(Path(out), force=force, suffix=".docx")
    bpath = check_target(bundle_path(out), force=force) if with_bundle else None

    def step(done: int, label: str) -> None:
        if cancel is not None and cancel.cancelled:
            raise Cancelled("Export cancelled; nothing was written.")
        if on_progress is not None:
            on_progress(Progress(done, 4, label))

    step(0, "Reading the self-evaluation")
    data = build(ws, pseudonymise=pseudonymise, bundle_name=bpath.name if bpath else "")
    if pseudonymise:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles.pseudonymise import require_registered_refs

        require_registered_refs(ws, [(c.ref, c.case_ref) for c in data.cited])
    step(1, "Writing the document")
    rendered = render(data, when=start)
    verify = None
    if pseudonymise:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles.export.verify import (
            ExportRefused, require_clean, verify_text,
        )

        problems = verify_text(out.name, data.redaction, "the file name", rendered.learned)
        if problems:
            raise ExportRefused(problems, out.name)

        def verify(tmp: Path) -> None:
            require_clean(tmp, data.redaction, rendered.learned, out.name)
    bundle_result = None
    if bpath is not None:
        step(2, "Writing the evidence bundle")
        bundle_result = _write_bundle(ws, data, bpath, pseudonymise=pseudonymise, force=force)
    step(3, "Saving")
    try:
        written = write_atomic(out, rendered.data, force=force, verify=verify)
    except BaseException:
        if bundle_result is not None:      # all or nothing: the bundle goes with the document
            for p in (bundle_result.path, bundle_result.manifest):
                Path(p).unlink(missing_ok=True)
        raise
    shown = rendered.doc
    info = {"created_at": start.isoformat(timespec="seconds"), "title": shown.title,
            "authority": shown.authority, "marking": shown.marking,
            "as_of": shown.as_of.isoformat(), "pseudonymised": pseudonymise,
            "verified": pseudonymise, "claims": len(shown.claims),
            "evidence": [c.ref for c in shown.cited],
            "figures": [{"title": f.title, "value": f.value, "as_of": f.as_of}
                        for f in shown.figures],
            "bundle": bpath.name if bpath else None,
            "redactions": [e.to_json() for e in rendered.redactions]}
    manifest = write_manifest(out, written, info, force=force)
    result = SefExport(written.path, written.sha256, written.size, manifest, len(shown.claims),
                       sum(len(c.evidence) + len(c.figures) + len(c.searches)
                           for c in shown.claims), len(shown.plan), len(shown.figures),
                       pseudonymise, pseudonymise, bundle_result.path if bundle_result else None,
                       bundle_result.items if bundle_result else 0,
                       (clock.now() - start).total_seconds(),
                       sum(e.count for e in rendered.redactions))
    (write or on_this_thread(ws))(lambda w: _record(w, result))
    if on_progress is not None:
        on_progress(Progress(4, 4, "Done"))
    return result


def _write_bundle(ws: Workspace, data: SefDoc, path: Path, *, pseudonymise: bool, force: bool):
    # start-up: loaded only when this runs
    from evidence_app.core.bundles.export.bundle_file import write_bundle

    bdoc = evidence_bundle(ws, data, pseudonymise=pseudonymise)
    extra = {}
    if pseudonymise:
        # start-up: loaded only when this runs
        from evidence_app.core.bundles import pseudonymise as ps

        ps.require_registered(ws, bdoc)
        # the residual review is recorded in the bundle's manifest; the self-evaluation has no
        # stored bundle to keep acceptances in (see the README)
        extra = dict(accept_review=True, known_words=ps.known_words(ws, bdoc))
    info = {"self_evaluation": True, "workspace": ws.get_meta("uuid")}
    return write_bundle(bdoc, path, force=force, info=info, **extra)


def _record(ws: Workspace, r: SefExport) -> None:
    with transaction(ws.db):
        audit.record(ws, "export", "self-evaluation", None, r.path.name, None,
                     {"path": str(r.path), "sha256": r.sha256, "size": r.size,
                      "claims": r.claims, "citations": r.citations,
                      "pseudonymised": r.pseudonymised,
                      "bundle": str(r.bundle) if r.bundle else None, "at": clock.now_iso()})
