"""Figures a claim can cite: numbers read from the workspace, each with its definition in words
and the date it was taken.

A figure is live until the self-evaluation is frozen: `sef show` and the window recompute it, and
a frozen version keeps the value and date it had (versions.py). Names are matched loosely
("sampled cases ready", "Sampled-Cases-Ready" and "sampled_cases_ready" are one figure), so a
person can type what they read. tests/core/sef/test_figures.py recomputes each one from the
database with its own SQL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Callable

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence.cases import READINESS_KEYS
from evidence_app.core.store import sef as store


@frozen
class Figure:
    """A figure's value at a date: `value` is the one line a claim quotes; `rows` the table
    behind it (label, value), when it has one."""

    name: str
    title: str
    definition: str
    value: str
    as_of: str                              # ISO date the figure was taken
    rows: tuple[tuple[str, str], ...] = field(default=())

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "definition": self.definition,
                "value": self.value, "as_of": self.as_of,
                "rows": [{"label": a, "value": b} for a, b in self.rows]}


def _pct(n: int, d: int) -> str:
    return f"{round(100 * n / d)}%" if d else "–"


def _sampled_ready(db) -> tuple[str, tuple]:
    ready, sampled = store.sampled_cases(db, READINESS_KEYS)
    return f"{ready} of {sampled} ({_pct(ready, sampled)})", ()


def _caseload(db) -> tuple[str, tuple]:
    rows = []
    cases = workers = 0
    for team, n, w in store.caseloads_by_team(db):
        cases, workers = cases + n, workers + w
        per = f"{n / w:.1f}" if w else "no worker named"
        rows.append((team or "(no team)", f"{per} ({n} cases, {w} workers)"))
    overall = f"{cases / workers:.1f} overall" if workers else "no worker named"
    return overall, tuple(rows)


def _by_enquiry(db) -> tuple[str, tuple]:
    data = store.evidence_by_enquiry(db)
    rows = tuple((f"{e} {t}", f"{n} ({s} strong)") for e, t, n, s in data)
    covered = sum(1 for _, _, n, _ in data if n)
    return f"{covered} of {len(data)} lines of enquiry have evidence", rows


def _evidence_items(db) -> tuple[str, tuple]:
    c = store.evidence_counts(db)
    return (f"{c['total']}", (("Strong", str(c["strong"])), ("Moderate", str(c["moderate"])),
                              ("Weak", str(c["weak"]))))


def _gaps(db) -> tuple[str, tuple]:
    data = store.evidence_by_enquiry(db)
    gaps = [(f"{e} {t}", f"{n} item{'s' if n != 1 else ''}") for e, t, n, s in data if not s]
    return f"{len(gaps)} of {len(data)}", tuple(gaps)


def _requests(db) -> tuple[str, tuple]:
    ready, total = store.requests_ready(db)
    return f"{ready} of {total} ({_pct(ready, total)})", ()


def _open_cases(db) -> tuple[str, tuple]:
    rows = store.open_cases_by_status(db)
    return str(sum(n for _, n in rows)), tuple((s or "(no status)", str(n)) for s, n in rows)


@frozen
class Definition:
    name: str
    title: str
    definition: str
    compute: Callable = field(compare=False)


DEFINITIONS: tuple[Definition, ...] = (
    Definition("sampled-cases-ready", "Sampled cases ready",
               "Open cases marked as sampled whose six readiness checks (chronology, plan, "
               "visits, voice of the child, management oversight, supervision) are all ticked, "
               "out of all open sampled cases.", _sampled_ready),
    Definition("caseload-per-worker-by-team", "Caseload per worker, by team",
               "Open cases divided by the number of different workers holding them, for each "
               "team and overall; cases with no worker named count towards the team but add "
               "no worker.", _caseload),
    Definition("evidence-by-enquiry", "Evidence count by line of enquiry",
               "Evidence items in use (not deleted) filed under each active line of enquiry, "
               "with how many of them are strong; an item filed under two lines counts in "
               "both.", _by_enquiry),
    Definition("evidence-items", "Evidence items",
               "Evidence items in use (not deleted), in all and by strength.", _evidence_items),
    Definition("lines-without-strong-evidence", "Lines of enquiry without strong evidence",
               "Active lines of enquiry with no strong evidence item in use, out of all active "
               "lines of enquiry.", _gaps),
    Definition("requests-ready", "Week-one requests ready",
               "Active week-one requests whose status is ready or sent, out of all active "
               "week-one requests.", _requests),
    Definition("open-cases", "Open cases",
               "Children's cases open in the workspace, in all and by legal status.",
               _open_cases),
)
_BY_KEY = {d.name: d for d in DEFINITIONS}


def key(name: str) -> str:
    """The loose form a name is matched by: lower case, words joined by hyphens."""
    return "-".join(str(name).lower().replace("_", " ").replace("-", " ").split())


def definition(name: str) -> Definition:
    d = _BY_KEY.get(key(name)) or next((x for x in DEFINITIONS if key(x.title) == key(name)),
                                       None)
    if d is None:
        raise InvalidInput(f"There is no figure '{name}'. Figures: "
                           f"{', '.join(x.name for x in DEFINITIONS)}.")
    return d


def known(name: str) -> bool:
    try:
        definition(name)
    except InvalidInput:
        return False
    return True


def compute(db, name: str, today: dt.date | None = None) -> Figure:
    d = definition(name)
    value, rows = d.compute(db)
    return Figure(d.name, d.title, d.definition, value,
                  (today or clock.now().astimezone().date()).isoformat(), tuple(rows))


def compute_all(db, names=None, today: dt.date | None = None) -> dict[str, Figure]:
    """Each figure once (by canonical name), for every name given (None: every figure)."""
    out: dict[str, Figure] = {}
    for name in (names if names is not None else [d.name for d in DEFINITIONS]):
        if known(name):
            d = definition(name)
            if d.name not in out:
                out[d.name] = compute(db, d.name, today)
    return out
