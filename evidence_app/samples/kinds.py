"""The kinds of document the sample corpus holds: case records, policies and performance
reports, each with its title, format choices and topics.
"""
from __future__ import annotations

from evidence_app.core.base.frozen import frozen



@frozen
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
