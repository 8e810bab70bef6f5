"""The words a self-evaluation is made of, in one place for the core, the CLI and the window.

The self-evaluation answers three questions for the service as a whole (an overview) and for each
judgement area of the framework (ILACS.md section 3): what do we know about the quality and impact
of social work practice; how do we know it; what are our plans for the next 12 months.
"""
from __future__ import annotations

from evidence_app.core.base.errors import InvalidInput

OVERVIEW = "OVERVIEW"
OVERVIEW_TITLE = "Overview of the service"
QUESTIONS = ("know", "how", "plans")
QUESTION_TITLES = {
    "know": "What do we know about the quality and impact of social work practice?",
    "how": "How do we know it?",
    "plans": "What are our plans for the next 12 months to maintain or improve practice?",
}
QUESTION_SHORT = {"know": "What we know", "how": "How we know", "plans": "Our plans"}
CLAIM_TYPES = ("strength", "development", "impact")
TYPE_LABELS = {"strength": "Strength", "development": "Area for development",
               "impact": "Impact for children"}
_TYPE_WORDS = {"strength": "strength", "strengths": "strength", "development": "development",
               "area for development": "development", "areas for development": "development",
               "afd": "development", "impact": "impact", "impact for children": "impact",
               "impact for the child": "impact"}
ACTION_STATUSES = ("not started", "in progress", "done")
CITATION_KINDS = ("evidence", "search", "figure")
STRENGTHS = ("none", "weak", "moderate", "strong")     # of a claim, weakest first


def norm_question(value: str | None) -> str:
    key = (value or "").strip().lower()
    if key not in QUESTIONS:
        raise InvalidInput(f"'{value}' is not one of the three questions: use know (what we "
                           "know), how (how we know it) or plans (our plans).")
    return key


def norm_type(value: str | None) -> str:
    key = " ".join((value or "strength").lower().replace("-", " ").replace("_", " ").split())
    if key not in _TYPE_WORDS:
        raise InvalidInput(f"'{value}' is not a type of claim: use strength, development (area "
                           "for development) or impact.")
    return _TYPE_WORDS[key]


def norm_status(value: str | None) -> str:
    key = " ".join((value or "").lower().replace("-", " ").replace("_", " ").split())
    key = {"todo": "not started", "to do": "not started", "open": "not started",
           "started": "in progress", "doing": "in progress", "complete": "done",
           "completed": "done", "closed": "done"}.get(key, key)
    if key not in ACTION_STATUSES:
        raise InvalidInput(f"'{value}' is not an action status: use not started, in progress "
                           "or done.")
    return key


def claim_ref(claim_id: int) -> str:
    """How a person calls a claim: C-7."""
    return f"C-{claim_id}"


def action_ref(action_id: int) -> str:
    return f"A-{action_id}"


def parse_ref(value: str | int, letter: str, what: str) -> int:
    """'C-7', 'c7', '7' -> 7 (and 'A-3' for actions). A clear refusal for anything else."""
    key = str(value).strip().upper().replace(" ", "")
    if key.startswith(letter):
        key = key[1:].lstrip("-")
    if not (key.isascii() and key.isdigit()) or len(key) > 18:
        raise InvalidInput(f"'{value}' is not a {what}: give its number ({letter}-3 or 3).")
    return int(key)
