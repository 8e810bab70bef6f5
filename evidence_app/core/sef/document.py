"""The self-evaluation as it reads now: every claim with its strength, warnings and citations,
the guiding lists, the improvement plan and the figures — what `sef show`, the window, freezing
and the export all start from.

It is read in a fixed handful of queries (claims, their links, the cited items, the framework,
saved searches, actions, each figure once), so it costs the same whether a claim cites one item
or fifty.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import field

from evidence_app.core.base.frozen import frozen
from evidence_app.core.sef import actions as sef_actions
from evidence_app.core.sef import figures as sef_figures
from evidence_app.core.sef.areas import Area, areas
from evidence_app.core.sef.model import (
    QUESTION_TITLES, QUESTIONS, TYPE_LABELS, action_ref, claim_ref,
)
from evidence_app.core.sef.strength import evidence_ref, judge
from evidence_app.core.store import sef as store
from evidence_app.core.store.records import CitedItem, SefAction, SefClaim, as_json

NEEDING = ("none", "weak")      # strengths listed under "Claims needing evidence"


@frozen
class SefSummary:
    """The self-evaluation in numbers: claims (and how many by strength of evidence), those
    needing evidence or with warnings, improvement actions and how many are overdue."""

    claims: int
    by_strength: dict[str, int]     # none, weak, moderate, strong
    needing_evidence: int
    with_warnings: int
    actions: int
    overdue: int


@as_json.register
def _summary_json(s: SefSummary) -> dict:
    """The `summary` of `sef show --json`."""
    return {"claims": s.claims, "by_strength": dict(s.by_strength),
            "needing_evidence": s.needing_evidence, "with_warnings": s.with_warnings,
            "actions": s.actions, "overdue": s.overdue}


@frozen
class ClaimView:
    claim: SefClaim
    strength: str
    warnings: tuple[str, ...]
    items: tuple[CitedItem | None, ...]       # per evidence citation, in order (None: gone)
    actions: tuple[SefAction, ...] = ()

    @property
    def needs_evidence(self) -> bool:
        return self.strength in NEEDING

    def to_json(self, figures: dict, searches: dict) -> dict:
        c = self.claim
        cites, it = [], iter(self.items)
        for x in c.citations:
            if x.kind == "evidence":
                item = next(it)
                cites.append({"kind": "evidence", "ref": evidence_ref(x.ref), "id": int(x.ref),
                              "strength": item.strength if item else None,
                              "title": item.title if item else None,
                              "anchor": item.anchor if item else None,
                              "deleted": bool(item is None or item.deleted)})
            elif x.kind == "figure":
                f = figures.get(x.ref)
                cites.append({"kind": "figure", "ref": x.ref, "name": x.ref,
                              "title": f.title if f else None, "value": f.value if f else None,
                              "as_of": f.as_of if f else None,
                              "definition": f.definition if f else None})
            else:
                cites.append({"kind": "search", "ref": x.ref, "name": x.ref,
                              "query": searches.get(x.ref.casefold())})
        return {"id": c.id, "ref": claim_ref(c.id), "uuid": c.uuid, "area": c.area,
                "question": c.question, "type": c.type, "type_label": TYPE_LABELS[c.type],
                "text": c.text, "position": c.position, "enquiries": list(c.enquiries),
                "strength": self.strength, "warnings": list(self.warnings),
                "needs_evidence": self.needs_evidence, "citations": cites,
                "evidence": [evidence_ref(x.ref) for x in c.citations if x.kind == "evidence"],
                "figures": [x.ref for x in c.citations if x.kind == "figure"],
                "searches": [x.ref for x in c.citations if x.kind == "search"],
                "actions": [a.id for a in self.actions],
                "author": c.author, "created_at": c.created_at, "updated_at": c.updated_at}


@frozen
class Unused:
    """A strong item on lines of enquiry the self-evaluation never mentions."""

    item: CitedItem
    enquiries: tuple[str, ...]

    def to_json(self) -> dict:
        return {"ref": evidence_ref(self.item.id), "id": self.item.id, "title": self.item.title,
                "enquiries": list(self.enquiries), "kind": self.item.kind}


@frozen
class SefDocument:
    as_of: str
    areas: tuple[Area, ...]
    claims: tuple[ClaimView, ...]
    plan: tuple[SefAction, ...]
    figures: dict = field(default_factory=dict)         # canonical name -> Figure (cited ones)
    searches: dict = field(default_factory=dict)        # casefolded name -> query
    unused: tuple[Unused, ...] = ()
    enquiry_titles: dict = field(default_factory=dict)
    versions: tuple = ()

    def claims_in(self, area: str, question: str | None = None) -> list[ClaimView]:
        return [v for v in self.claims if v.claim.area == area and
                (question is None or v.claim.question == question)]

    @property
    def needing(self) -> list[ClaimView]:
        return [v for v in self.claims if v.needs_evidence]

    def claim_of(self, action: SefAction) -> ClaimView | None:
        return next((v for v in self.claims if v.claim.id == action.claim_id), None)

    def overdue(self, a: SefAction) -> bool:
        return sef_actions.overdue(a, dt.date.fromisoformat(self.as_of))

    def action_json(self, a: SefAction) -> dict:
        owner = self.claim_of(a)
        return {"id": a.id, "ref": action_ref(a.id), "claim": a.claim_id,
                "claim_ref": claim_ref(a.claim_id), "area": owner.claim.area if owner else None,
                "what": a.what, "owner": a.owner, "due": a.due, "status": a.status,
                "overdue": self.overdue(a)}

    def summary(self) -> SefSummary:
        strengths = {s: 0 for s in ("none", "weak", "moderate", "strong")}
        for v in self.claims:
            strengths[v.strength] += 1
        return SefSummary(claims=len(self.claims), by_strength=strengths,
                          needing_evidence=len(self.needing),
                          with_warnings=sum(1 for v in self.claims if v.warnings),
                          actions=len(self.plan),
                          overdue=sum(1 for a in self.plan if self.overdue(a)))

    def to_json(self) -> dict:
        order = {v.claim.id: v for v in self.claims}
        return {
            "as_of": self.as_of,
            "areas": [{"id": a.id, "title": a.title, "short_title": a.short_title,
                       "questions": [{"question": q, "title": QUESTION_TITLES[q],
                                      "claims": [v.claim.id for v in self.claims_in(a.id, q)]}
                                     for q in QUESTIONS]} for a in self.areas],
            "claims": [order[i].to_json(self.figures, self.searches) for i in order],
            "needing_evidence": [v.claim.id for v in self.needing],
            "strong_evidence_not_used": [u.to_json() for u in self.unused],
            "plan": [self.action_json(a) for a in self.plan],
            "figures": [f.to_json() for f in self.figures.values()],
            "versions": [{"name": v.name, "frozen_at": v.frozen_at, "frozen_by": v.frozen_by}
                         for v in self.versions],
            "summary": as_json(self.summary()),
        }


def read(db, today: dt.date | None = None, *, all_figures: bool = False) -> SefDocument:
    """The self-evaluation now. `all_figures`: every figure, not only the cited ones."""
    today = today or sef_actions.today()
    every = store.claims(db)
    shown_areas = areas(db)
    known_areas = {a.id for a in shown_areas}
    # a claim under an area since retired is still shown, under that area
    retired = [a for a in areas(db, include_retired=True)
               if a.id not in known_areas and any(c.area == a.id for c in every)]
    shown_areas += retired
    ids = {int(x.ref) for c in every for x in c.citations if x.kind == "evidence"}
    items = store.cited_items(db, ids)
    enquiries = store.enquiry_states(db)
    searches = {}
    for c in every:
        for x in c.citations:
            if x.kind == "search" and x.ref.casefold() not in searches:
                found = store.saved_search(db, x.ref)
                if found:
                    searches[x.ref.casefold()] = found[1]
    plan = tuple(store.actions(db))
    by_claim: dict[int, list[SefAction]] = {}
    for a in plan:
        by_claim.setdefault(a.claim_id, []).append(a)
    views = []
    for c in every:
        j = judge(c, items, enquiries, set(searches), sef_figures.known)
        got = tuple(items.get(int(x.ref)) for x in c.citations if x.kind == "evidence")
        views.append(ClaimView(c, j.strength, j.warnings, got, tuple(by_claim.get(c.id, ()))))
    area_rank = {a.id: n for n, a in enumerate(shown_areas)}
    views.sort(key=lambda v: (area_rank.get(v.claim.area, 99), QUESTIONS.index(v.claim.question),
                              v.claim.position, v.claim.id))
    cited_figures = [x.ref for c in every for x in c.citations if x.kind == "figure"]
    figs = sef_figures.compute_all(db, None if all_figures else cited_figures, today)
    return SefDocument(today.isoformat(), tuple(shown_areas), tuple(views), plan, figs, searches,
                       tuple(_unused(db, every, items)),
                       {k: v[1] for k, v in enquiries.items()}, tuple(store.versions(db)))


def _unused(db, every: list[SefClaim], items: dict[int, CitedItem]) -> list[Unused]:
    """Strong items none of whose (active) lines of enquiry the self-evaluation mentions: not
    in any claim's lines of enquiry nor among the lines of the items it cites."""
    mentioned = {e for c in every for e in c.enquiries}
    mentioned |= {e for i in items.values() for e in i.enquiries}
    out = []
    for item in store.strong_items(db):
        active = [e for e in item.enquiries if e not in item.retired_enquiries]
        if active and not set(active) & mentioned:
            out.append(Unused(item, tuple(active)))
    return out
