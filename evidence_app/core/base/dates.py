"""Reading a date written any common way (day first, as in England).

A leaf: dates of birth are read when a case is added (core/evidence/cases.py) and found in text
when a bundle is redacted (core/bundles/export/identifiers.py), so the reader sits below both.
"""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m: i + 1 for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}


def parse_date(text: str) -> dt.date | None:
    """A date written any common way, or None (day first, as in England)."""
    t = text.lower().replace(",", " ").replace(" of ", " ")
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t)
    nums = re.findall(r"\d+", t)
    month = None
    for word in re.findall(r"[a-z]+", t):
        month = next((v for k, v in MONTHS.items() if k.startswith(word) and len(word) >= 3), None)
        if month:
            break
    try:
        if month is not None and len(nums) == 2:
            day, year = (int(nums[0]), int(nums[1]))
            if day > 31:
                day, year = year, day
        elif len(nums) == 3 and len(nums[0]) == 4:
            year, month, day = int(nums[0]), int(nums[1]), int(nums[2])
        elif len(nums) == 3:
            day, month, year = int(nums[0]), int(nums[1]), int(nums[2])
            if year < 100:
                year += 2000 if year <= dt.date.today().year % 100 + 1 else 1900
        else:
            return None
        return dt.date(year, month, day)
    except ValueError:
        return None
