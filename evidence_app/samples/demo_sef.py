"""A sample self-evaluation written over the demo's evidence, for screenshots, the benchmark and
trying the place out: claims under each area and question, citing the demo's tagged items and
figures, an area for development with actions (one overdue) and a frozen v1."""
from __future__ import annotations

from evidence_app.core.workspace import Workspace

CLAIMS = (
    ("OVERVIEW", "know", "strength", "Leaders know their services well: quality assurance, "
     "audit and performance data are used together and reported monthly.", ("LEAD-01",)),
    ("OVERVIEW", "plans", "development", "Management oversight is not yet consistent in every "
     "assessment team.", ("LEAD-03",)),
    ("LEAD", "know", "strength", "Supervision is regular and reflective, and social workers "
     "say they feel supported.", ("LEAD-03",)),
    ("LEAD", "how", "impact", "Caseloads are manageable, so workers know their children "
     "well.", ("LEAD-05",)),
    ("HP", "know", "strength", "Strategy discussions are timely and involve the right "
     "agencies.", ("HP-04",)),
    ("HP", "how", "strength", "Children are seen alone and their views shape their plans.",
     ("HP-15",)),
    ("HP", "plans", "development", "Return home interviews are not always offered within 72 "
     "hours.", ("HP-08",)),
    ("CIC", "know", "strength", "Children in care live in stable homes, close to their "
     "families where that is right for them.", ()),
    ("CL", "know", "impact", "Care leavers stay in touch and most are in education, "
     "employment or training.", ()),
)


def seed(ws: Workspace, *, freeze: bool = True) -> int:
    """Write the sample claims (citing up to three tagged items each); returns how many."""
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.evidence import list_items
    from evidence_app.core.sef import actions, claims, versions

    items = list_items(ws)
    by_line: dict[str, list[int]] = {}
    for i in items:
        for e in i.enquiries:
            by_line.setdefault(e, []).append(i.id)
    pool = [i.id for i in items]
    made = []
    for n, (area, q, kind, text, lines) in enumerate(CLAIMS):
        cites = [x for e in lines for x in by_line.get(e, [])][:3]
        if not cites and pool and n % 3 != 2:
            cites = pool[n % len(pool):n % len(pool) + 2]
        figs = {0: ["sampled-cases-ready"], 3: ["caseload-per-worker-by-team"],
                4: ["evidence-by-enquiry"]}.get(n, [])
        made.append(claims.add(ws, area, q, text, type=kind, enquiries=[
            e for e in lines if e], cites=[f"E-{x}" for x in cites], figures=figs).value)
    devs = [c for c in made if c.type == "development"]
    if devs:
        actions.add(ws, devs[0].id, "Monthly audit of management oversight in assessment teams",
                    owner="Head of Service, Assessment", due="2026-10-31", status="in progress")
        actions.add(ws, devs[-1].id, "Commission return home interviews from a single provider",
                    owner="Service Manager, Exploitation", due="2027-03-31")
    if freeze:
        versions.freeze(ws, "v1 annual engagement")
    return len(made)
