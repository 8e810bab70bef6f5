"""Who an evidence item came from, so the evidence list and coverage can be filtered by sender.

An item an evidence pack brought here carries its sender (the name in that pack's manifest,
kept in `pack_items`); an item made in this workspace has no sender there and counts as coming
from this workspace's person (the name they gave, else the login name, as packs sent from here
say). Names are compared ignoring case. A name nobody sent from is refused with the list of
senders, so a mistyped name never looks like "no evidence".
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.settings import author
from evidence_app.core.store import packs as store

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


def known(ws: Workspace) -> list[str]:
    """Everyone evidence here can come from: this workspace's person first, then each sender
    whose packs were imported here (sorted, ignoring case)."""
    me = author(ws)
    others = [s for s in store.sender_names(ws.conn) if s.casefold() != me.casefold()]
    return [me, *others]


def has_imported(ws: Workspace) -> bool:
    """Whether any pack's items are held here (a sender filter is worth offering)."""
    return bool(store.sender_names(ws.conn))


def canonical(ws: Workspace, sender: str) -> str:
    """The sender's name as held here, for a name typed in any case with any spacing."""
    name = " ".join((sender or "").split())
    if not name:
        raise InvalidInput("Give the sender's name (as 'pack team' lists them).")
    names = known(ws)
    for n in names:
        if n.casefold() == name.casefold():
            return n
    raise InvalidInput(f"No evidence here comes from '{name}'. Senders: {', '.join(names)}.")


def item_ids(ws: Workspace, sender: str) -> set[int]:
    """Ids of the live items from `sender` (this workspace's person: the items made here too)."""
    name = canonical(ws, sender)
    return store.item_ids_by_sender(ws.conn, name, made_here=name == known(ws)[0])
