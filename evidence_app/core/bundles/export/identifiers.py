"""Identifiers found by their shape: NHS numbers, phones, e-mails, postcodes, dates of birth.

These are redacted without asking. A date is a date of birth when it is labelled ("DOB", "D.O.B.",
"date of birth", "born") before or after it in the same sentence, when it sits in the table cell
right of or below such a label (see `redact.py`), or when it is known to be a registered child's
birthday: then it is redacted wherever it appears and however it is written (12/03/2015,
12.03.2015, 12 March 2015, 12th March 2015, March 12, 2015, 2015-03-12, 12/03/15).

NHS numbers are ten digits in any grouping (3-3-4, 3-4-3, none) with spaces, dots or dashes,
single or doubled, between any of them. The review (review.py) looks wider: any ten digits that
pass the NHS modulus-11 check, whatever the grouping.
"""
from __future__ import annotations

import re

from evidence_app.core.base.dates import parse_date

_MONTH_RE = ("jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DATE = (rf"(?:\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?(?:\d{{4}}|\d{{2}})(?!\d)"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?:{_MONTH_RE})\.?,?[\s\-]+\d{{4}}"
        rf"|(?:{_MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d))")
DATE_RE = re.compile(rf"(?<![\w/.])(?:{DATE})(?![\w/])", re.IGNORECASE)
DOB_LABEL = (r"(?:\bdate\s+of\s+birth\b|\bd\.?\s?o\.?\s?b\b\.?|\bbirth\s?date\b|\bbirthday\b"
             r"|\bborn\b|\bb\.\s)")
DOB_LABEL_RE = re.compile(DOB_LABEL, re.IGNORECASE)
# a cell that is only a label ("Date of birth", "D.O.B.:", "DOB")
DOB_CELL_RE = re.compile(rf"\s*{DOB_LABEL}\s*[:\-]?\s*$", re.IGNORECASE)

PATTERNS: dict[str, str] = {
    "email": r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)+",
    # ten digits, any grouping, separators of up to two spaces, dots or dashes
    "nhs-number": r"(?<![\w+.\-/])\d(?:[ .\-]{0,2}\d){9}(?![\w/]|[.\-]\d|[ ]\d)",
    "phone": r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)(?:\d[ \-]?){8,9}\d(?!\w)"
             r"|\(0\d{3,4}\)\s?\d{3}[ \-]?\d{3,4}(?!\w)",
    "postcode": r"(?<![^\W_])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
                r"(?![^\W_])",
}
# One regex per kind, each run only when a cheap test says it could match: the e-mail pattern
# tried at every letter of every text cost 40 µs a paragraph.
_EMAIL_RE = re.compile(PATTERNS["email"])
_NUMBER_RE = re.compile(f"(?P<nhs_number>{PATTERNS['nhs-number']})|(?P<phone>{PATTERNS['phone']})")
_POSTCODE_RE = re.compile(PATTERNS["postcode"], re.IGNORECASE)
_HAS_NUMBER = re.compile(r"\d[ .\-()]{0,3}\d")
_HAS_POSTCODE = re.compile(r"[A-Za-z]\d")
NEEDS_PATTERNS = re.compile(r"[\d@]")
_DIGIT = re.compile(r"\d")
# the window around a date in which a label makes it a date of birth (same sentence)
_BEFORE, _AFTER = 60, 40
_SENTENCE_END = re.compile(r"[!?;\n]|\.\s+(?=[A-Z])")


def labelled(text: str, start: int, end: int) -> bool:
    """Is the date at text[start:end] labelled as a date of birth in its sentence?"""
    before = text[max(0, start - _BEFORE):start]
    cut = list(_SENTENCE_END.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    if DOB_LABEL_RE.search(before):
        return True
    after = text[end:end + _AFTER]
    m = _SENTENCE_END.search(after)
    if m:
        after = after[:m.start()]
    return bool(DOB_LABEL_RE.search(after))


def nhs_valid(digits: str) -> bool:
    """The NHS number check digit (modulus 11)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def pattern_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every identifier with a fixed shape."""
    if not NEEDS_PATTERNS.search(text):
        return []
    out = []
    if "@" in text:
        out += [(m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text)]
    if _HAS_NUMBER.search(text):
        out += [(m.start(), m.end(), m.lastgroup.replace("_", "-"))
                for m in _NUMBER_RE.finditer(text)
                if not any(a < m.end() and m.start() < b for a, b, _ in out)]
    if _HAS_POSTCODE.search(text):
        out += [(m.start(), m.end(), "postcode") for m in _POSTCODE_RE.finditer(text)
                if not any(a < m.end() and m.start() < b for a, b, _ in out)]
    return out


def date_spans(text: str, known: frozenset | set, all_dates: bool = False) -> list[tuple]:
    """(start, end, parsed date, why) of dates that are dates of birth: labelled in the sentence,
    known birthdays, or every date when `all_dates` (a cell labelled "Date of birth")."""
    if not _DIGIT.search(text):
        return []
    out = []
    for m in DATE_RE.finditer(text):
        d = parse_date(m.group())
        if all_dates:
            out.append((m.start(), m.end(), d, "cell"))
        elif d is not None and d in known:
            out.append((m.start(), m.end(), d, "known"))
        elif labelled(text, m.start(), m.end()):
            out.append((m.start(), m.end(), d, "label"))
    return out
