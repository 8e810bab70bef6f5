"""Documents of the sample corpus: a case and a kind of document become a `Doc`.

The people and places come from people.py, the kinds of document from kinds.py (both re-named
here for the writers); every document carries `FICTIONAL_LINE`.

The module turns a `CaseProfile` plus a document kind into a `Doc`: a format-neutral model made
of pages of blocks (headings, paragraphs, tables) which `writers.py` renders into bytes. All
randomness comes from a `random.Random` passed in, so output is a pure function of the seed.
"""
from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass, field

from evidence_app.samples.kinds import (  # noqa: F401
    ALL_KINDS,
    CASE_KINDS,
    EMAIL_AGENCIES,
    Kind,
    PERF_KINDS,
    POLICY_KINDS,
)
from evidence_app.samples.people import (  # noqa: F401 - the names writers take from here
    AS_AT,
    COUNCIL,
    CaseProfile,
    Ctx,
    DEPARTMENT,
    FICTIONAL_LINE,
    PAGE_CHARS,
    SCHOOLS,
    SURNAMES,
    TOWNS,
    dmy,
    dmy_dash,
    email_for,
    landline,
    make_case,
    mobile,
    nhs_number,
    person,
    postcode,
)
from evidence_app.samples.phrases import EXTRA_TOPICS, TOPIC_HEADINGS, TOPICS, WORDS


@dataclass
class Doc:
    title: str
    fmt: str
    kind: str
    date: _dt.date
    author: str
    case_ref: str | None
    pages: list = field(default_factory=list)  # list of pages; page = list of (type, payload)
    rows: list | None = None  # tabular kinds: list of rows (lists of str/int)
    sheet: str = "Sheet1"
    email: dict | None = None
    encoding: str = "utf-8"
    subtitle: str = ""

    def plain_text(self) -> str:
        """The document as plain text, pages separated by form feeds (used by several writers)."""
        out = []
        for page in self.pages:
            lines = []
            for typ, payload in page:
                if typ == "table":
                    lines.extend(" | ".join(map(str, r)) for r in payload)
                else:
                    lines.append(payload)
                lines.append("")
            out.append("\n".join(lines))
        return "\f".join(out)


def pick_pages(rng: random.Random) -> int:
    """1-30 pages, skewed small: ~80% are 1-4 pages, long tail to 30."""
    r = rng.random()
    if r < 0.40:
        return 1
    if r < 0.60:
        return 2
    if r < 0.72:
        return 3
    if r < 0.80:
        return 4
    if r < 0.93:
        return rng.randint(5, 10)
    return rng.randint(11, 30)


def _paragraph(rng: random.Random, ctx: Ctx, topic: str, lo: int = 2, hi: int = 5,
               decks: dict | None = None) -> str:
    """2-5 sentences on a topic. With `decks`, sentences are dealt without repeats until the
    topic's pool is used up (then reshuffled), so long documents repeat themselves less."""
    pool = TOPICS[topic]
    k = min(len(pool), rng.randint(lo, hi))
    if decks is None:
        return " ".join(s.format_map(ctx) for s in rng.sample(pool, k))
    deck = decks.get(topic)
    out = []
    for _ in range(k):
        if not deck:
            deck = pool[:]
            rng.shuffle(deck)
            decks[topic] = deck
        out.append(deck.pop().format_map(ctx))
    return " ".join(out)


def table_cost(rows) -> int:
    """Page space a table takes, in characters of running text: each row costs at least a line."""
    return sum(max(110, sum(len(c) for c in r) * 2) for r in rows) + LINE_CHARS


LINE_CHARS = 90


def header_rows(doc: Doc, f: dict, kind: Kind) -> list:
    if doc.case_ref is None:
        rows = [["Document", doc.title], ["Owner", f"{f['manager']} – {f['manager_email']}"],
                ["Date", dmy(doc.date)], ["Classification", "OFFICIAL (fictional sample)"]]
        return rows
    ref = f["ref"] if not f["ref"].isdigit() else f"{f['ref']} (Mosaic ID)"
    return [
        ["Case reference", ref],
        ["Child", f"{f['child']} (fictional)"],
        ["Date of birth", f["dob"]],
        ["NHS number", f["nhs"]],
        ["Address", f["address"]],
        ["Family contact", f"{f['mother']} – {f['mobile']} – {f['family_email']}"],
        ["Social worker", f"{f['worker']}, {f['team']} – {f['worker_phone']} – {f['worker_email']}"],
        ["Team manager", f["manager"]],
        ["Legal status", f["case_type"]],
        ["Date of record", dmy(doc.date)],
    ]


def build_doc(kind: Kind, fmt: str, title: str, case: CaseProfile | None, date: _dt.date,
              pages: int, rng: random.Random, extra: dict | None = None,
              revision: int = 0) -> Doc:
    """Build a prose document (anything except tabular kinds) of about `pages` pages."""
    f = case.fields if case else _org_fields(rng)
    ctx = Ctx(f)
    if extra:
        ctx.update(extra)
    ctx.rng = rng
    ctx.start = case.opened if case else date - _dt.timedelta(days=365)
    if ctx.start > date:
        ctx.start = date
    ctx.end = date
    ctx["doc_date"] = dmy(date)
    ctx["department"] = DEPARTMENT
    doc = Doc(title=title, fmt=fmt, kind=kind.key, date=date,
              author=f["worker"] if case else f["manager"],
              case_ref=case.ref if case else None)
    topics = list(kind.topics)
    target = PAGE_CHARS
    page: list = [("h1", title), ("p", FICTIONAL_LINE)]
    used = 2 * LINE_CHARS + len(FICTIONAL_LINE)  # a large heading and the flag line
    hdr = header_rows(doc, f, kind)
    page.append(("table", hdr))
    used += table_cost(hdr)
    if kind.table and pages > 0:
        tbl = _kind_table(kind.table, ctx, rng)
        page.append(("table", tbl))
        used += table_cost(tbl)
    out_pages = []
    ti = 0
    need_heading = True
    decks: dict = {}
    # Long documents: after the kind's own sections, add dated updates on topics that fit the
    # case (a case record grows), or more numbered sections for policies and audits.
    more = list(EXTRA_TOPICS.get(case.case_type if case else "", ())) or topics
    span = max((date - ctx.start).days, 1)
    paras_left = 0
    while True:
        first_pass = ti < len(topics)
        topic = topics[ti] if first_pass else more[(ti * 7 + 3) % len(more)]
        if need_heading:
            heads = TOPIC_HEADINGS[topic]
            h = heads[ti % len(heads)]
            if topic == "policy":
                h = f"{ti + 1}. {h}"
            elif not first_pass:
                if case is not None:
                    when = ctx.start + _dt.timedelta(days=span * (ti - len(topics) + 1) // (4 * pages + 8))
                    h = f"{h} – update {dmy(when)}"
                else:
                    h = f"{ti + 1}. {h}"
            page.append(("h2", h))
            used += len(h)
            need_heading = False
            paras_left = rng.randint(1, 3)
        para = _paragraph(rng, ctx, topic, decks=decks)
        page.append(("p", para))
        used += len(para) + 1
        paras_left -= 1
        if paras_left <= 0:
            ti += 1
            need_heading = True
        if used >= target:
            out_pages.append(page)
            if len(out_pages) >= pages:
                break
            page = []
            used = 0
    doc.pages = out_pages
    if revision:
        _revise(doc, ctx, topics, revision)
    return doc


def _revise(doc: Doc, ctx: Ctx, topics: list, revision: int) -> None:
    """Change one paragraph deterministically (for rescan benchmarks)."""
    rng = random.Random(f"rev:{doc.title}:{revision}")
    ctx.rng = rng
    spots = [(pi, bi) for pi, page in enumerate(doc.pages) for bi, (t, p) in enumerate(page)
             if t == "p" and p != FICTIONAL_LINE]
    if not spots:
        return
    pi, bi = spots[rng.randrange(len(spots))]
    para = _paragraph(rng, ctx, rng.choice(topics))
    doc.pages[pi][bi] = ("p", f"[Amended, revision {revision}] {para}")


def _kind_table(which: str, ctx: Ctx, rng: random.Random) -> list:
    if which == "attendees":
        rows = [["Name", "Role", "Attended"]]
        people = [("{worker}", "Social worker"), ("{manager}", "Team manager (chair)"),
                  ("{mother}", "Parent"), ("{father}", "Parent"), ("{dsl}", "Designated safeguarding lead"),
                  ("{hv}", "Health visitor"), ("{officer}", "Police")]
        for name, role in people[: rng.randint(4, len(people))]:
            rows.append([name.format_map(ctx), role, rng.choice(("Yes", "Yes", "Yes", "Apologies"))])
        return rows
    rows = [["Action", "Who", "By when", "Status"]]
    for _ in range(rng.randint(3, 5)):
        rows.append(["{task}".format_map(ctx).capitalize(), "{adult}".format_map(ctx),
                     ctx["future"], rng.choice(("Not started", "In progress", "Done"))])
    return rows


def _org_fields(rng: random.Random) -> dict:
    manager = person(rng)
    f = {
        "council": COUNCIL, "department": DEPARTMENT,
        "manager": manager, "worker": person(rng), "team": "Quality Assurance Team",
        "first": "the child", "child": "the child", "he": "they", "him": "them", "his": "their",
        "He": "They", "His": "Their", "sibling": "their sibling", "carer": "the carer",
        "mother": "the parent", "father": "the parent", "mum": "the parent", "dad": "the parent",
        "town": rng.choice(TOWNS), "iro": person(rng), "dsl": person(rng), "hv": person(rng),
        "officer": f"DC {person(rng)}", "school": rng.choice(SCHOOLS), "pa": person(rng),
        "nhs": nhs_number(rng), "mobile": mobile(rng), "worker_first": "the worker",
        "address": f"County Hall, {rng.choice(TOWNS)}, {postcode(rng)}",
        "gp": f"Dr {rng.choice(SURNAMES)}", "ref": "", "manager_email": email_for(manager, "example.gov.uk"),
    }
    return f


# ---------------------------------------------------------------------------------------------
# Tabular documents


def build_table(kind: Kind, fmt: str, title: str, case: CaseProfile | None, date: _dt.date,
                pages: int, rng: random.Random, cases: list, revision: int = 0) -> Doc:
    """Chronologies, caseload extracts, Annex A lists, scorecards: rows sized to ~pages*2500 chars."""
    doc = Doc(title=title, fmt=fmt, kind=kind.key, date=date, author="", case_ref=case.ref if case else None)
    target = pages * PAGE_CHARS
    lead = [[title], [FICTIONAL_LINE]]
    if case:
        f = case.fields
        doc.author = f["worker"]
        lead.append([f"Case reference: {f['ref']}", f"Child: {f['child']} (fictional)", f"DOB: {f['dob']}"])
        ctx = Ctx(f)
        ctx.rng, ctx.start, ctx.end = rng, case.opened, date
        header = ["Date", "Event", "Summary", "Source", "Recorded by"]
        events = ["Contact", "Home visit", "Strategy discussion", "Section 47 enquiry", "ICPC",
                  "Core group", "CIN meeting", "Looked after review", "School report", "Police notification",
                  "Health appointment", "Supervision", "Management oversight", "Family time"]
        topics = ["visit", "voice", "correspondence", "strategy", "core_group", "oversight", "analysis"]
        span = max((date - case.opened).days, 1)
        rows, used = [], 0
        while used < target:
            d = case.opened + _dt.timedelta(days=rng.randint(0, span))
            ctx.end = d
            s = rng.choice(TOPICS[rng.choice(topics)]).format_map(ctx)
            r = [d, rng.choice(events), s, rng.choice(WORDS["agency"]), rng.choice((f["worker"], f["manager"]))]
            rows.append(r)
            used += len(s) + 60
        rows.sort(key=lambda r: r[0])
        if revision:
            i = random.Random(f"rev:{title}:{revision}").randrange(len(rows))
            rows[i][2] = f"[Amended, revision {revision}] " + rows[i][2]
        data = [[dmy(r[0])] + r[1:] for r in rows]
        doc.sheet = "Chronology"
    else:
        lead.append([f"{COUNCIL} {DEPARTMENT}", f"Extract date: {dmy(date)}"])
        doc.author = "Performance and Intelligence Team"
        data, header = _perf_rows(kind, rng, cases, date, target)
        if revision and data:
            i = random.Random(f"rev:{title}:{revision}").randrange(len(data))
            data[i][-1] = f"{data[i][-1]} (amended r{revision})"
        doc.sheet = {"caseload": "Caseload", "annex_a": "Annex A", "scorecard": "Scorecard",
                     "visits_tracker": "Visits"}.get(kind.key, "Data")
    doc.rows = lead + [[]] + [header] + data
    return doc


def _perf_rows(kind: Kind, rng: random.Random, cases: list, date, target: int):
    def some_case():
        if cases and rng.random() < 0.7:
            return cases[rng.randrange(len(cases))].fields
        return make_case(f"CH-{rng.randrange(10**6):06d}", rng).fields

    rows, used = [], 0
    if kind.key == "scorecard":
        header = ["Measure", "This month", "Last month", "England average", "RAG", "Commentary"]
        measures = ["Re-referrals within 12 months (%)", "Assessments completed within 45 days (%)",
                    "ICPCs within 15 working days (%)", "CP visits in timescale (%)",
                    "Children in care with up-to-date PEP (%)", "Care leavers in EET (%)",
                    "Care leavers in suitable accommodation (%)", "Supervision in timescale (%)",
                    "Audits graded good or better (%)", "Social worker vacancy rate (%)",
                    "Average caseload", "Children with 3+ placement moves (%)"]
        while used < target:
            m = rng.choice(measures)
            c = rng.choice(TOPICS["audit"] + TOPICS["policy"]).format_map(_dummy_ctx(rng, date))
            rows.append([m, rng.randint(40, 99), rng.randint(40, 99), rng.randint(50, 90),
                         rng.choice(("Green", "Amber", "Red")), c])
            used += len(c) + len(m) + 30
        return rows, header
    if kind.key == "annex_a":
        header = ["Child ID", "Name (fictional)", "Gender", "Date of birth", "Team", "Allocated worker",
                  "Date of referral", "Legal status", "NHS number", "Postcode", "Comment"]
    elif kind.key == "visits_tracker":
        header = ["Case reference", "Child (fictional)", "Worker", "Team", "Last visit",
                  "Next visit due", "Seen alone", "Comment"]
    else:
        header = ["Case reference", "Child (fictional)", "DOB", "Team", "Worker", "Status",
                  "Last visit", "Phone", "Comment"]
    comments = ["", "", "Visit overdue", "Transfer pending", "Awaiting ICPC", "Step-down agreed",
                "Placement move", "Allocated this week", "PLO", "Missing episode", "Court report due"]
    while used < target:
        f = some_case()
        last = dmy(date - _dt.timedelta(days=rng.randint(0, 60)))
        com = rng.choice(comments)
        if kind.key == "annex_a":
            r = [f["ref"], f["child"], "F" if f["his"] == "her" else "M", f["dob"], f["team"], f["worker"],
                 f["opened"], f["case_type"], f["nhs"], f["address"][-8:], com]
        elif kind.key == "visits_tracker":
            r = [f["ref"], f["child"], f["worker"], f["team"], last,
                 dmy(date + _dt.timedelta(days=rng.randint(-10, 42))), rng.choice(("Yes", "Yes", "No")), com]
        else:
            r = [f["ref"], f["child"], f["dob"], f["team"], f["worker"], f["case_type"], last,
                 f["phone"], com]
        rows.append(r)
        used += sum(len(str(x)) for x in r) + 15
    return rows, header


def _dummy_ctx(rng, date) -> Ctx:
    ctx = Ctx(_org_fields_cached())
    ctx.rng, ctx.start, ctx.end = rng, date - _dt.timedelta(days=365), date
    return ctx


_ORG = None


def _org_fields_cached() -> dict:
    global _ORG
    if _ORG is None:
        _ORG = _org_fields(random.Random("org"))
    return _ORG
