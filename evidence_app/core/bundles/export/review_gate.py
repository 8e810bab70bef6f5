"""The review as a gate: list what still looks identifying in a rendered file, and refuse a
pseudonymised export while anything listed is unresolved (unless the person accepts the review).
"""
from __future__ import annotations

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.export.model import RedactionRules
from evidence_app.core.bundles.export.reader import read_blocks
from evidence_app.core.bundles.export.review import ReviewItem, review_blocks
from evidence_app.core.bundles.export.verify import Verification, checker, find_problems

SHOWN = 5


class ReviewNeeded(InvalidInput):
    """The residual review lists items nobody has accepted yet."""

    def __init__(self, items: list[ReviewItem], ident: str | int | None = None) -> None:
        self.items = items
        self.ident = ident
        first = "; ".join(i.line() for i in items[:SHOWN])
        more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
        check = f"'evidence-app bundle check {ident}'" if ident is not None else \
            "'evidence-app bundle check ID'"
        super().__init__(f"Not exported: the review lists {len(items)} thing"
                         f"{'s' if len(items) != 1 else ''} that may still identify someone: "
                         f"{first}{more}. See them all with {check}; add names as case terms "
                         "('evidence-app case set REF --redact TERM') or accept them with "
                         "--accept-review.")


def review_rendered(data: bytes, rules: RedactionRules, learned=(), *, accepted=frozenset(),
                    known_words=frozenset()) -> list[ReviewItem]:
    blocks, _ = read_blocks(data, images=False)
    return review_blocks(blocks, checker(rules, learned), known_words=known_words,
                         accepted=accepted)


def inspect_file(path, rules: RedactionRules, learned=(), *, accepted=frozenset(),
                 known_words=frozenset()) -> Verification:
    """Read a written file once: what must not be there (problems) and what a person should
    look at (items)."""
    with open(path, "rb") as fh:
        blocks, problems = read_blocks(fh.read())
    p = checker(rules, learned)
    problems = problems + find_problems(blocks, p)
    items = review_blocks(blocks, p, known_words=known_words, accepted=accepted)
    result = Verification(problems, len({b.part for b in blocks}), len(blocks))
    result.items = items
    return result
