"""The check before a pseudonymised export: what would stop it, without writing anything.

`check_bundle` builds the bundle as it would be written (bundle_data.py), refuses cases that are
not registered with a name (pseudonymise.py's gate) and runs the residual review
(export/review.py) less what was accepted for this bundle before. It lives apart from
pseudonymise.py because it builds the bundle, and building the bundle uses pseudonymise.py's
rules: one module each way would import the other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence_app.core.bundles.bundle_data import build
from evidence_app.core.bundles.export.bundle_file import render_checked
from evidence_app.core.bundles.export.reader import read_blocks
from evidence_app.core.bundles.export.review import review_blocks
from evidence_app.core.bundles.export.verify import checker, find_problems
from evidence_app.core.bundles.pseudonymise import (
    Unregistered, accepted, case_paths, known_words, suggest_name, unregistered,
)

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


@dataclass
class BundleCheck:
    bundle_id: int
    unregistered: list[Unregistered]
    items: list            # ReviewItems not yet accepted
    problems: list         # what verification would refuse
    accepted: int = 0

    @property
    def ok(self) -> bool:
        return not self.unregistered and not self.items and not self.problems

    def to_json(self) -> dict:
        return {"bundle": self.bundle_id, "ok": self.ok,
                "unregistered": [u.to_json() for u in self.unregistered],
                "review": [i.to_json() for i in self.items],
                "problems": [{"part": p.part, "where": p.where, "what": p.what}
                             for p in self.problems],
                "accepted": self.accepted}


def check_bundle(ws: Workspace, ident, *, append_sources: bool | None = None) -> BundleCheck:
    """What a pseudonymised export of the bundle would be stopped by, without writing anything."""
    bundle, doc = build(ws, ident, pseudonymise=True, append_sources=append_sources)
    missing = unregistered(ws, doc)
    if missing:
        paths = case_paths(ws, [u.ref for u in missing])
        for u in missing:
            u.suggested_name = suggest_name(u.ref, paths.get(u.ref.lower(), []))
    done = accepted(ws, bundle.id)
    doc, rendered = render_checked(doc)
    blocks, problems = read_blocks(rendered.data)
    p = checker(doc.redaction, rendered.learned)
    problems = problems + find_problems(blocks, p)
    items = review_blocks(blocks, p, known_words=known_words(ws, doc), accepted=done)
    return BundleCheck(bundle.id, missing, items, problems, len(done))
