"""Prose for the sample corpus: fictional people, places, and social-work sentence templates.

Everything here is invented. Names are deliberately unusual, phone numbers sit in the Ofcom
drama ranges (01632 960xxx, 07700 900xxx), NHS numbers use the 999 test range, postcodes use the
ZZ99 pseudo-postcode and e-mail addresses use example.org / example.gov.uk. Every document carries
`FICTIONAL_LINE`.

The module turns a `CaseProfile` plus a document kind into a `Doc`: a format-neutral model made
of pages of blocks (headings, paragraphs, tables) which `writers.py` renders into bytes. All
randomness comes from a `random.Random` passed in, so output is a pure function of the seed.
"""
from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass, field

from evidence_app.samples.phrases import EXTRA_TOPICS, TOPIC_HEADINGS, TOPICS, WORDS

FICTIONAL_LINE = "FICTIONAL TEST DATA – not a real child or family."
COUNCIL = "Wyvernshire County Council"
DEPARTMENT = "Children's Services"
PAGE_CHARS = 2500

# The corpus is "as at" this date: every document is dated on or before it.
AS_AT = _dt.date(2026, 3, 31)

GIVEN_F = [
    "Ashlyn", "Marisol", "Lowenna", "Briony", "Sabella", "Jessamy", "Anwen", "Tamsin", "Elowen",
    "Isolde", "Delphine", "Marigold", "Clemency", "Seren", "Odette", "Zephyrine", "Linnea",
    "Perpetua", "Ottilie", "Wrenna", "Calliope", "Merryn", "Ysolde", "Bethania", "Rosalind",
    "Talitha", "Kerensa", "Elspeth", "Demelza", "Aurelie",
]
GIVEN_M = [
    "Tobiah", "Caspian", "Thaddeus", "Peregrin", "Ferris", "Lysander", "Jory", "Corwin",
    "Rafferty", "Barnaby", "Evander", "Hollis", "Ansel", "Fenwick", "Quinlan", "Dashiell",
    "Leopold", "Alaric", "Crispin", "Ellery", "Lorcan", "Ambrose", "Tiernan", "Bartholomew",
    "Osric", "Jago", "Cassius", "Percival", "Emrys", "Gideon",
]
SURNAMES = [
    "Quillfeather", "Brackenby", "Ottoline-Vane", "Pemberwick", "Thistlecombe", "Marrowdyke",
    "Fennimore-Haske", "Crowlington", "Dapplewick", "Bramblethorne", "Ketterwell", "Saltonby",
    "Mistlebrook", "Pennywhistle", "Larkworthy", "Gorsefield", "Wintermere", "Cobbleford",
    "Hazeldrum", "Rookwardine", "Tumblestone", "Fallowmere", "Quenby-Sloane", "Inkpenny",
    "Wickerstaff", "Amberlough", "Cinderhay", "Hollowbrook", "Puddifoot", "Vantreece",
    "Gallowmere", "Fernsby-Twist", "Oakenshaw-Lyle", "Duckmanton", "Stroudwick", "Tansley-Orme",
]
TOWNS = ["Hollowmere", "Brackenford", "Wyvernstoke", "Lanternby", "Cindlewick", "Oxhollow",
         "Saltmarsh Green", "Fernhythe"]
STREETS = ["Larkspur Row", "Tinderbox Lane", "Copperkettle Close", "Marram Way",
           "Foxglove Terrace", "Quayside Walk", "Pipistrelle Court", "Saltmarsh Road",
           "Wickerwork Street", "Lantern Hill", "Bramble Mews", "Kestrel Rise"]
SCHOOLS = ["Hollowmere Primary Academy", "St Aldric's CE Primary School", "Brackenford High School",
           "Lanternby Infant School", "Wyvernstoke Community College", "Oxhollow Learning Centre",
           "Cindlewick Junior School", "Fernhythe Academy"]
PRACTICES = ["Cindlewick Medical Practice", "Hollowmere Health Centre", "Lanternby Surgery",
             "Brackenford Family Practice"]
TEAMS = {
    "CIN": ["Assessment Team North", "Assessment Team South", "Family Support Team East"],
    "CP": ["Child Protection Team 1", "Child Protection Team 2", "Assessment Team North"],
    "CLA": ["Children in Care Team 1", "Children in Care Team 2"],
    "CL": ["Leaving Care Team"],
}
CASE_TYPES = ["CIN", "CP", "CLA", "CL"]
CASE_TYPE_WEIGHTS = [30, 30, 28, 12]
CASE_TYPE_LABEL = {
    "CIN": "Child in need (section 17)",
    "CP": "Child protection plan",
    "CLA": "Child in care (section 20 / section 31)",
    "CL": "Care leaver",
}

# ---------------------------------------------------------------------------------------------
# Small formatting helpers (fast: these run hundreds of thousands of times)


def dmy(d: _dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def dmy_dash(d: _dt.date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def iso(d: _dt.date) -> str:
    return d.isoformat()


def nhs_number(rng: random.Random) -> str:
    """A 999-prefixed (test range, never issued) number with a valid modulus-11 check digit."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            digits.append(check)
            s = "".join(map(str, digits))
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def landline(rng: random.Random) -> str:
    return f"01632 960{rng.randrange(1000):03d}"


def mobile(rng: random.Random) -> str:
    return f"07700 900{rng.randrange(1000):03d}"


def postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXY"
    return f"ZZ99 {rng.randrange(1, 10)}{rng.choice(letters)}{rng.choice(letters)}"


def email_for(name: str, domain: str) -> str:
    parts = name.lower().replace("'", "").split()
    return f"{parts[0]}.{parts[-1]}@{domain}"


def person(rng: random.Random, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.5
    return f"{rng.choice(GIVEN_F if female else GIVEN_M)} {rng.choice(SURNAMES)}"


# ---------------------------------------------------------------------------------------------
# The case


@dataclass
class CaseProfile:
    ref: str
    case_type: str
    opened: _dt.date
    fields: dict  # template fields: child, first, he, his, worker, ...


def make_case(ref: str, rng: random.Random, case_type: str | None = None) -> CaseProfile:
    if case_type is None:
        case_type = rng.choices(CASE_TYPES, CASE_TYPE_WEIGHTS)[0]
    female = rng.random() < 0.5
    first = rng.choice(GIVEN_F if female else GIVEN_M)
    sur = rng.choice(SURNAMES)
    age = {"CIN": (1, 16), "CP": (0, 15), "CLA": (2, 17), "CL": (17, 21)}[case_type]
    age = rng.randint(*age)
    opened = AS_AT - _dt.timedelta(days=rng.randint(120, 1100))
    dob = AS_AT - _dt.timedelta(days=age * 365 + rng.randint(0, 364))
    town = rng.choice(TOWNS)
    team = rng.choice(TEAMS[case_type])
    worker = person(rng)
    manager = person(rng)
    mother = f"{rng.choice(GIVEN_F)} {sur}"
    father = person(rng, female=False)
    he, him, his = ("she", "her", "her") if female else ("he", "him", "his")
    f = {
        "ref": ref,
        "child": f"{first} {sur}",
        "first": first,
        "sur": sur,
        "he": he, "him": him, "his": his, "He": he.capitalize(), "His": his.capitalize(),
        "age": str(age),
        "dob": dmy(dob),
        "nhs": nhs_number(rng),
        "address": f"{rng.randint(2, 98)} {rng.choice(STREETS)}, {town}, {postcode(rng)}",
        "town": town,
        "phone": landline(rng),
        "mobile": mobile(rng),
        "mother": mother,
        "mum": mother.split()[0],
        "father": father,
        "dad": father.split()[0],
        "family_email": email_for(mother, "example.org"),
        "sibling": rng.choice(GIVEN_F + GIVEN_M),
        "carer": person(rng),
        "worker": worker,
        "worker_first": worker.split()[0],
        "worker_email": email_for(worker, "example.gov.uk"),
        "worker_phone": landline(rng),
        "team": team,
        "manager": manager,
        "manager_email": email_for(manager, "example.gov.uk"),
        "iro": person(rng),
        "pa": person(rng),
        "school": rng.choice(SCHOOLS),
        "dsl": person(rng),
        "gp": f"Dr {rng.choice(SURNAMES)}, {rng.choice(PRACTICES)}",
        "hv": person(rng, female=True),
        "officer": f"DC {person(rng)}",
        "case_type": CASE_TYPE_LABEL[case_type],
        "council": COUNCIL,
        "opened": dmy(opened),
    }
    return CaseProfile(ref, case_type, opened, f)


_DATE_KEYS = {"date", "future", "amount", "weeks", "n", "time"}


class Ctx(dict):
    """Template fields. Missing keys are drawn fresh from WORDS (or generated) on each use."""

    __slots__ = ("rng", "start", "end")

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key == "date":
            span = (self.end - self.start).days
            return dmy(self.start + _dt.timedelta(days=rng.randint(0, max(span, 0))))
        if key == "future":
            return dmy(self.end + _dt.timedelta(days=rng.randint(7, 56)))
        if key == "amount":
            return f"{rng.randint(2, 30) * 5}.00"
        if key == "big_amount":
            return f"{rng.randint(3, 40) * 50:,}.00"
        if key == "weeks":
            return str(rng.randint(2, 12))
        if key == "n":
            return str(rng.randint(2, 9))
        if key == "time":
            return f"{rng.randint(9, 17)}:{rng.choice(('00', '15', '30', '45'))}"
        item = rng.choice(WORDS[key])
        if "{" in item:
            item = item.format_map(self)
        return item


# ---------------------------------------------------------------------------------------------
# Document kinds


@dataclass(frozen=True)
class Kind:
    key: str
    scope: str  # "case" | "policy" | "performance"
    folder: str  # subfolder within the case folder (or within policies/ performance/)
    name: str  # filename stem template: {iso} {dmy} {v} {year} {agency} {ref}
    formats: dict  # format -> weight
    topics: tuple  # ordered sections
    types: tuple = ("CIN", "CP", "CLA", "CL")
    title: str = ""  # title template; defaults to the stem
    table: str = ""  # "attendees" | "actions" | "" -> which table to include on page 1
    max_pages: int = 30


K = Kind
CASE_KINDS = [
    K("cfa", "case", "Assessments", "Child and family assessment {iso}", {"docx": 5, "pdf": 3, "odt": 1},
      ("referral", "voice", "development", "parenting", "family", "analysis", "plan", "oversight"),
      ("CIN", "CP")),
    K("s47", "case", "Assessments", "Section 47 enquiry outcome {iso}", {"docx": 3, "pdf": 2},
      ("strategy", "voice", "s47", "analysis", "oversight"), ("CP", "CIN")),
    K("parenting", "case", "Assessments", "Parenting assessment {iso}", {"docx": 2, "pdf": 2},
      ("parenting", "voice", "family", "analysis", "oversight"), ("CP", "CLA")),
    K("rhi", "case", "Assessments", "Return home interview {dmy}", {"pdf": 1, "docx": 1, "txt": 1},
      ("voice", "visit", "plan"), ("CIN", "CLA"), max_pages=4),
    K("home_visit", "case", "Visits", "Home visit {dmy}", {"pdf": 6, "docx": 3, "odt": 2, "rtf": 2},
      ("visit", "voice", "analysis", "plan"), max_pages=6),
    K("stat_visit", "case", "Visits", "Statutory visit {dmy}", {"pdf": 3, "docx": 3, "odt": 1, "rtf": 1},
      ("visit", "cla", "voice", "plan"), ("CLA",), max_pages=6),
    K("direct_work", "case", "Visits", "Direct work session {dmy}", {"docx": 2, "odt": 2, "rtf": 1},
      ("voice", "analysis"), max_pages=4),
    K("cp_plan", "case", "Plans", "Child protection plan v{v}", {"docx": 5, "pdf": 2, "odt": 1},
      ("conference", "analysis", "voice", "plan"), ("CP",), table="actions"),
    K("cin_plan", "case", "Plans", "Child in need plan v{v}", {"docx": 4, "pdf": 1, "odt": 1},
      ("analysis", "voice", "plan"), ("CIN",), table="actions"),
    K("care_plan", "case", "Plans", "Care plan v{v}", {"docx": 4, "pdf": 2},
      ("cla", "voice", "plan", "legal_planning"), ("CLA",), table="actions"),
    K("pathway_plan", "case", "Plans", "Pathway plan v{v}", {"docx": 4, "pdf": 2},
      ("leaving_care", "voice", "plan"), ("CL", "CLA"), table="actions"),
    K("strategy", "case", "Meetings", "{iso} Strategy meeting record", {"docx": 5, "pdf": 1, "odt": 1},
      ("strategy", "s47", "plan"), ("CP", "CIN"), table="attendees", max_pages=8),
    K("icpc", "case", "Meetings", "Initial child protection conference {iso}", {"docx": 3, "pdf": 3},
      ("conference", "voice", "analysis", "plan"), ("CP",), table="attendees"),
    K("rcpc", "case", "Meetings", "Review child protection conference {iso}", {"docx": 2, "pdf": 2},
      ("conference", "core_group", "voice", "plan"), ("CP",), table="attendees"),
    K("core_group", "case", "Meetings", "Core group minutes {dmy}", {"odt": 5, "docx": 3, "rtf": 1},
      ("core_group", "voice", "plan"), ("CP",), table="attendees", max_pages=8),
    K("iro_review", "case", "Meetings", "Looked after review {iso}", {"docx": 3, "pdf": 2, "odt": 1},
      ("iro", "cla", "voice", "plan"), ("CLA", "CL"), table="attendees"),
    K("plo", "case", "Meetings", "PLO meeting record {iso}", {"docx": 3, "pdf": 1},
      ("legal_planning", "parenting", "plan"), ("CP", "CLA"), table="attendees"),
    K("supervision", "case", "Meetings", "Case supervision {iso}", {"docx": 3, "odt": 2, "rtf": 1, "txt": 1},
      ("supervision", "analysis", "oversight"), max_pages=6),
    K("email", "case", "Correspondence", "Email from {agency} {dmy}", {"eml": 1},
      ("correspondence",), max_pages=3),
    K("letter", "case", "Correspondence", "Letter to parents {dmy}", {"docx": 2, "rtf": 3, "odt": 1, "pdf": 1},
      ("correspondence", "plan"), max_pages=3),
    K("lbp", "case", "Correspondence", "Letter before proceedings {iso}", {"pdf": 2, "docx": 2},
      ("legal_planning", "plan"), ("CP", "CLA"), max_pages=4),
    K("chronology", "case", "", "Chronology", {"xlsx": 5, "csv": 1}, ("chronology",)),
    K("summary", "case", "", "Case summary", {"md": 5, "html": 2}, ("referral", "analysis", "plan")),
    K("referral", "case", "", "Referral", {"txt": 5, "md": 1}, ("referral", "voice"), max_pages=4),
    K("case_note", "case", "", "Case note {dmy}", {"rtf": 4, "txt": 4, "md": 1},
      ("visit", "voice", "plan"), max_pages=3),
    K("lcs_export", "case", "", "Case record export {iso}", {"html": 4},
      ("referral", "visit", "voice", "analysis", "oversight")),
]

POLICY_TITLES = [
    ("Threshold document {year}", {"pdf": 3, "docx": 1}),
    ("Supervision policy", {"docx": 3, "pdf": 1}),
    ("Corporate parenting strategy 2024-2027", {"docx": 3, "pdf": 1}),
    ("Self-evaluation {year}", {"docx": 3}),
    ("Quality assurance framework", {"pdf": 2, "docx": 1}),
    ("Practice standards", {"md": 2, "docx": 1, "html": 1}),
    ("Missing from home and care protocol", {"pdf": 2, "docx": 1}),
    ("Exploitation strategy", {"docx": 2, "pdf": 1}),
    ("Local offer for care leavers {year}", {"pdf": 2, "html": 1}),
    ("Sufficiency strategy 2024-2027", {"docx": 1, "pdf": 1}),
    ("Pre-proceedings (PLO) practice guidance", {"docx": 1, "pdf": 1, "html": 1}),
    ("Case recording policy", {"docx": 2, "md": 1}),
    ("Management oversight guidance", {"docx": 1, "md": 1}),
    ("Child protection conference procedures", {"html": 2, "pdf": 1}),
    ("Section 47 enquiries procedure", {"html": 2, "pdf": 1}),
    ("Strategy discussions guidance", {"html": 1, "docx": 1}),
    ("Private fostering policy", {"pdf": 1, "docx": 1}),
    ("Allegations against staff (LADO) procedure", {"pdf": 1, "html": 1}),
    ("Early help strategy", {"docx": 1, "pdf": 1}),
    ("Workforce development strategy", {"docx": 1, "odt": 1}),
    ("Neglect strategy", {"pdf": 1, "docx": 1}),
    ("Domestic abuse practice guidance", {"docx": 1, "html": 1}),
    ("Escalation and resolution protocol", {"pdf": 1, "md": 1}),
    ("Family time guidance", {"docx": 1, "odt": 1}),
    ("Staying put policy", {"pdf": 1, "docx": 1}),
    ("Voice of the child strategy", {"docx": 1, "md": 1}),
    ("Annual report of the IRO service {year}", {"pdf": 2, "docx": 1}),
    ("Annual report of the LADO {year}", {"pdf": 1}),
    ("Information sharing guidance", {"rtf": 1, "pdf": 1}),
    ("Step-up and step-down protocol", {"docx": 1, "rtf": 1}),
    ("Participation strategy", {"odt": 1, "docx": 1}),
    ("Practice model - Signs of Safety overview", {"html": 1, "pdf": 1, "txt": 1}),
    ("Policies index", {"txt": 2, "md": 1, "csv": 1, "xlsx": 1}),
    ("Policy consultation response", {"eml": 1}),
]
POLICY_KINDS = [
    K(f"policy:{i}", "policy", "", name, fmts, ("policy",), title=name)
    for i, (name, fmts) in enumerate(POLICY_TITLES)
]

PERF_KINDS = [
    K("caseload", "performance", "", "Caseload extract {iso}", {"csv": 3, "xlsx": 2}, ("table",)),
    K("annex_a", "performance", "", "Annex A list {n} {iso}", {"xlsx": 3, "csv": 2}, ("table",)),
    K("scorecard", "performance", "", "Performance scorecard {iso}", {"xlsx": 2, "html": 2}, ("table",)),
    K("visits_tracker", "performance", "", "Statutory visits tracker {iso}", {"xlsx": 2, "csv": 1}, ("table",)),
    K("case_audit", "performance", "Audits", "Case audit {ref} {iso}", {"docx": 3, "pdf": 2, "odt": 1},
      ("audit", "voice", "oversight"), max_pages=10),
    K("audit_summary", "performance", "Audits", "Audit summary {iso}", {"docx": 2, "pdf": 1},
      ("audit", "policy"), max_pages=15),
    K("qa_email", "performance", "Audits", "Email from QA team {dmy}", {"eml": 1}, ("audit",),
      max_pages=2),
]

ALL_KINDS = CASE_KINDS + POLICY_KINDS + PERF_KINDS
# (filename agency, sender template, sender role, topic for the body)
EMAIL_AGENCIES = [
    ("school", "{dsl}", "Designated safeguarding lead, {school}", "corr_school"),
    ("health visitor", "{hv}", "Health visitor, 0-19 Service", "corr_health"),
    ("police", "{officer}", "Public Protection Unit", "corr_police"),
    ("GP", "{gp_name}", "GP", "corr_health"),
    ("CAMHS", "{cam}", "Clinician, CAMHS", "corr_health"),
    ("housing", "{housing}", "Housing officer", "correspondence_general"),
    ("virtual school", "{vs}", "Virtual school officer", "corr_school"),
    ("mother", "{mother}", "Parent", "corr_family"),
    ("IRO", "{iro}", "Independent reviewing officer", "correspondence_general"),
]

# ---------------------------------------------------------------------------------------------
# Document model


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
