"""Plain data for the self-evaluation's Word document: everything it shows, already decided and
in the order shown, so the writer never reads the store (the bundles' export/model.py pattern).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import field

from evidence_app.core.base.frozen import frozen
from evidence_app.core.bundles.export.model import DEFAULT_MARKING, RedactionRules


@frozen
class ClaimRow:
    ref: str                        # C-3
    type_label: str                 # Strength / Area for development / Impact for children
    text: str
    strength: str                   # none, weak, moderate, strong
    enquiries: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # E-012 ... (bracketed after the text)
    figures: tuple[tuple[str, str, str], ...] = ()     # (title, value, as of dd/mm/yyyy)
    searches: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    case_refs: tuple[str, ...] = ()     # the cases of the items it cites (for redaction context)


@frozen
class QuestionPart:
    key: str                        # know, how, plans
    title: str
    claims: tuple[ClaimRow, ...] = ()


@frozen
class AreaPart:
    id: str
    title: str
    questions: tuple[QuestionPart, ...] = ()


@frozen
class PlanRow:
    ref: str
    claim_ref: str
    area: str
    development: str                # the area-for-development claim's text
    what: str
    owner: str
    due: str                        # dd/mm/yyyy or ""
    status: str
    overdue: bool


@frozen
class FigureRow:
    title: str
    value: str
    definition: str
    as_of: str                      # dd/mm/yyyy
    rows: tuple[tuple[str, str], ...] = ()


@frozen
class CitedRow:
    ref: str                        # E-012
    title: str
    strength: str
    enquiries: str
    cited_by: str                   # C-1, C-4
    case_ref: str = ""
    note: str = ""                  # "deleted", "orphaned", "missing" when it cannot be relied on


@frozen
class SefDoc:
    title: str
    authority: str
    as_of: dt.date
    prepared_by: str = ""
    marking: str = DEFAULT_MARKING
    inspection: str = ""
    areas: tuple[AreaPart, ...] = ()
    plan: tuple[PlanRow, ...] = ()
    figures: tuple[FigureRow, ...] = ()
    cited: tuple[CitedRow, ...] = ()
    summary: dict = field(default_factory=dict)
    bundle_name: str = ""           # the evidence bundle generated alongside, if any
    redaction: RedactionRules | None = None

    @property
    def claims(self) -> list[ClaimRow]:
        return [c for a in self.areas for q in a.questions for c in q.claims]
