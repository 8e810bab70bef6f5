"""The self-evaluation and a comparison of versions as text for a terminal (`sef show`, `sef
diff` without --json)."""
from __future__ import annotations

from evidence_app.core.sef.model import (
    QUESTION_SHORT, QUESTIONS, TYPE_LABELS, action_ref, claim_ref,
)

CHIP = {"none": "[no evidence]", "weak": "[weak]", "moderate": "[moderate]", "strong": "[strong]"}


def print_document(doc) -> None:  # noqa: ANN001  (a document.SefDocument)
    s = doc.summary()
    print(f"Self-evaluation, as of {doc.as_of}: {s.claims} claims, {s.needing_evidence} "
          f"needing evidence, {s.actions} actions ({s.overdue} overdue).")
    for area in doc.areas:
        print(f"\n== {area.title} ({area.id})")
        for q in QUESTIONS:
            views = doc.claims_in(area.id, q)
            print(f"  -- {QUESTION_SHORT[q]}" + ("" if views else ": (nothing written yet)"))
            for v in views:
                c = v.claim
                print(f"    {claim_ref(c.id)} {CHIP[v.strength]} {TYPE_LABELS[c.type]}: {c.text}")
                refs = [x.ref if x.kind != "evidence" else f"E-{int(x.ref):03d}"
                        for x in c.citations]
                if c.enquiries or refs:
                    print(f"        lines: {', '.join(c.enquiries) or '—'}; cites: "
                          f"{', '.join(refs) or '—'}")
                for w in v.warnings:
                    print(f"        ! {w}")
    if doc.needing:
        print("\nClaims needing evidence: " + ", ".join(claim_ref(v.claim.id) for v in doc.needing))
    if doc.unused:
        print("\nStrong evidence not used:")
        for u in doc.unused:
            print(f"  E-{u.item.id:03d} {u.item.title} ({', '.join(u.enquiries)})")
    if doc.plan:
        print("\nImprovement plan:")
        for a in doc.plan:
            print(f"  {action_ref(a.id)} ({claim_ref(a.claim_id)}) {a.what} — "
                  f"{a.owner or 'no owner'}, due {a.due or '—'}, {a.status}"
                  + ("  OVERDUE" if doc.overdue(a) else ""))
    for f in doc.figures.values():
        print(f"\nFigure {f.name} = {f.value} (as of {f.as_of}): {f.definition}")


def print_diff(data) -> None:  # noqa: ANN001  (a versions.SefDiff)
    s = data.summary
    print(f"{data.older} -> {data.newer}: {s.added} added, {s.removed} removed, "
          f"{s.changed} changed, {s.strength_changed} with a different strength of "
          "evidence.")
    for c in data.changes:
        head = f"{c.ref} ({c.area}, {c.question})"
        if c.change == "added":
            print(f"+ {head}: {c.text_after}")
        elif c.change == "removed":
            print(f"- {head}: {c.text_before}")
        else:
            print(f"~ {head}: {', '.join(c.fields)}")
            if "text" in c.fields:
                print(f"    was: {c.text_before}\n    now: {c.text_after}")
        if c.strength_changed:
            print(f"    evidence: {c.strength_before} -> {c.strength_after}")
