"""The legal-status wordings found in real Annex A extracts and case-management exports, mapped
to the app's five statuses (EH, CIN, CP, CIC, CL).

Extracts say "Child in need (section 17)", "Child in care (section 20 / section 31)", "CP plan",
"Looked after (s20)", "Care leaver (former relevant)": the words are matched after lower-casing
and removing punctuation, most specific first (a care leaver's status mentions "care"; a child
protection plan may mention section 47). The README lists what is accepted.
"""
from __future__ import annotations

import re

from evidence_app.core.evidence.cases import norm_status
from evidence_app.core.base.errors import InvalidInput

# (status, phrases): the first status with a phrase found in the wording wins.
WORDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CL", ("care leaver", "leaving care", "former relevant", "relevant child",
            "qualifying care leaver", "former looked after", "care experienced")),
    ("CP", ("child protection", "cp plan", "cpp", "subject to a plan", "protection plan")),
    ("CIC", ("child in care", "children in care", "looked after", "cla", "lac", "cic",
             "section 20", "s20", "s 20", "section 31", "s31", "s 31", "care order",
             "interim care order", "placement order", "accommodated", "remand")),
    ("CIN", ("child in need", "children in need", "cin", "section 17", "s17", "s 17",
             "disabled child", "child with a disability")),
    ("EH", ("early help", "team around the family", "taf", "targeted support",
            "family support")),
)


def _words(value: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split()) + " "


def legal_status(value: str | None) -> str | None:
    """EH, CIN, CP, CIC or CL from a code or an extract's wording; None for blank; InvalidInput
    for a wording that names none of them (e.g. "Private fostering")."""
    if value is None or not str(value).strip():
        return None
    try:
        return norm_status(value)
    except InvalidInput:
        pass
    text = _words(str(value))
    for status, phrases in WORDINGS:
        if any(f" {p} " in text for p in phrases):
            return status
    raise InvalidInput(f"'{value}' is not a legal status we recognise")


def accepted_wordings() -> dict[str, tuple[str, ...]]:
    """status -> the phrases recognised in free wording (for the README and --help)."""
    return {status: phrases for status, phrases in WORDINGS}
