"""What must follow the documents' text when the indexer rewrites it.

The evidence stage re-anchors its passages on the new text, inside the indexer's own write
transaction, so the two are never out of step. The evidence stage sits above the index (it reads
files with the index's tools), so the indexer cannot call it by name: core/opening.py, which sits
above every stage, registers the re-anchoring here when it is imported, and every workspace is
opened through it, so no indexer ever runs without it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

TEXT_FOLLOWERS: list[Callable[["Workspace", list[int]], object]] = []


def follow_text(ws: "Workspace", doc_ids: list[int]) -> None:
    """Run every follower on these rewritten documents (inside the caller's transaction)."""
    for follower in TEXT_FOLLOWERS:
        follower(ws, doc_ids)


def add_follower(follower: Callable[["Workspace", list[int]], object]) -> None:
    if follower not in TEXT_FOLLOWERS:
        TEXT_FOLLOWERS.append(follower)
