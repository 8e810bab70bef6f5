"""Who contributed what: per sender, their last pack, the items their packs added here, the
conflicts still open with them; and their items and coverage, to filter lists by sender."""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.store import packs as store

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


def senders(ws: Workspace) -> list[store.Sender]:
    return store.senders(ws.db.conn)


def item_ids_from(ws: Workspace, sender: str) -> list[int]:
    return store.items_from(ws.db.conn, sender)


def coverage_from(ws: Workspace, sender: str) -> dict[str, int]:
    """Line of enquiry id -> live items from this sender's packs."""
    return store.coverage_from(ws.db.conn, sender)
