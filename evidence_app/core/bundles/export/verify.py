"""Verify what was written: nothing registered, no identifier, survives in any part.

After a pseudonymised export is written to its temporary file, the file is opened again and every
part read (reader.py). The same matcher that redacted it looks for every registered name and
variant, every term, every identifier pattern and every known birth date; image metadata and
embedded objects are problems by themselves. One finding and the file is not delivered: the
temporary file is deleted and the message says what kind of thing was found and where (never the
text itself, which would repeat the leak on screen and in logs).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.export.model import RedactionRules
from evidence_app.core.bundles.export.reader import Block, Problem, read_blocks
from evidence_app.core.bundles.export.redact import Pseudonymiser

KIND_WORDS = {"name": "a child's name", "other-name": "a child's other name",
              "relative": "a relative's name", "surname": "a registered surname",
              "term": "a redaction term", "email": "an e-mail address",
              "nhs-number": "an NHS number", "phone": "a phone number",
              "postcode": "a postcode", "date-of-birth": "a date of birth"}


class ExportRefused(InvalidInput):
    """The written file still identifies someone; it was not delivered."""

    def __init__(self, problems: list[Problem], target: str = "") -> None:
        self.problems = problems
        shown = "; ".join(p.line() for p in problems[:5])
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__(f"The pseudonymised export was checked after writing and was NOT saved"
                         f"{' as ' + target if target else ''}: found {shown}{more}. Add the "
                         "missing names or terms to the case and export again.")


@dataclass
class Verification:
    problems: list[Problem] = field(default_factory=list)
    parts: int = 0
    blocks: int = 0
    items: list = field(default_factory=list)      # review items (review_gate.inspect_file)

    @property
    def ok(self) -> bool:
        return not self.problems


def checker(rules: RedactionRules, learned=()) -> Pseudonymiser:
    """A fresh matcher with everything known at the end of the export."""
    if learned:
        rules = replace(rules, known_dates=frozenset(rules.known_dates) | frozenset(learned))
    return Pseudonymiser(rules)


def find_problems(blocks: list[Block], p: Pseudonymiser) -> list[Problem]:
    out: list[Problem] = []
    seen = set()
    for b in blocks:
        for h in p.hits(b.text, None, b.dob_cell):
            if h.ambiguous:
                continue
            what = KIND_WORDS.get(h.kind, h.kind)
            if b.kind == "link":
                what += " in a link target"
            elif b.kind == "part-name":
                what += " in a part's file name"
            elif b.kind == "image-metadata":
                what += " in image metadata"
            elif b.kind == "attribute":
                what += " in alt text or a label"
            key = (b.part, b.where, what)
            if key not in seen:
                seen.add(key)
                out.append(Problem(b.part, b.where, what))
    return out


def verify_bytes(data: bytes, rules: RedactionRules, learned=()) -> Verification:
    blocks, problems = read_blocks(data)
    p = checker(rules, learned)
    problems = problems + find_problems(blocks, p)
    return Verification(problems, len({b.part for b in blocks}), len(blocks))


def verify_path(path: Path, rules: RedactionRules, learned=()) -> Verification:
    with open(path, "rb") as fh:
        return verify_bytes(fh.read(), rules, learned)


def verify_text(text: str, rules: RedactionRules, where: str, learned=()) -> list[Problem]:
    """For what is not an Office file: the manifest JSON, the file name."""
    return find_problems([Block(where, where, text)], checker(rules, learned))


def require_clean(path: Path, rules: RedactionRules, learned=(), target: str = "") -> Verification:
    """Raise ExportRefused (the caller deletes the temporary file) unless the file is clean."""
    result = verify_path(path, rules, learned)
    if not result.ok:
        raise ExportRefused(result.problems, target)
    return result
