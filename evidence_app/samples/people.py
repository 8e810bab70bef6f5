"""Fictional people, places and cases for the sample corpus: names, numbers, addresses, a
case's profile, and the template fields its sentences are filled from.

Everything here is invented. Names are deliberately unusual, phone numbers sit in the Ofcom
drama ranges (01632 960xxx, 07700 900xxx), NHS numbers use the 999 test range, postcodes use the
ZZ99 pseudo-postcode and e-mail addresses use example.org / example.gov.uk.
"""
from __future__ import annotations

import datetime as _dt
import random
from dataclasses import dataclass

from evidence_app.samples.phrases import WORDS


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
