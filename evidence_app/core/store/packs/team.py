"""The team view: who sent packs, and what of theirs is here now."""
from __future__ import annotations

import sqlite3

from evidence_app.core.store.packs._sql import _rows
from evidence_app.core.store.packs.records import Sender
from evidence_app.core.store.records import from_row


def senders(conn: sqlite3.Connection) -> list[Sender]:
    rows = _rows(conn, """
        SELECT i.sender AS sender, MAX(i.sender_workspace) AS workspace, COUNT(*) AS packs,
               MAX(i.pack_created_at) AS last_pack_at, MAX(i.imported_at) AS last_imported_at,
               SUM(i.added) AS items_added,
               (SELECT COUNT(*) FROM pack_items p JOIN evidence_items e ON e.uuid = p.item_uuid
                 WHERE p.sender = i.sender AND e.deleted_at IS NULL) AS items_now,
               (SELECT COUNT(*) FROM pack_conflicts c WHERE c.sender = i.sender
                 AND c.resolved_at IS NULL) AS conflicts_open
        FROM pack_imports i WHERE i.sender IS NOT NULL GROUP BY i.sender ORDER BY i.sender""")
    return [from_row(Sender, r) for r in rows]


def items_from(conn: sqlite3.Connection, sender: str) -> list[int]:
    """Ids of the live items a sender's packs brought here."""
    return [r[0] for r in conn.execute(
        "SELECT e.id FROM pack_items p JOIN evidence_items e ON e.uuid = p.item_uuid "
        "WHERE p.sender = ? AND e.deleted_at IS NULL ORDER BY e.id", [sender])]


def item_ids_by_sender(conn: sqlite3.Connection, sender: str, made_here: bool) -> set[int]:
    """Ids of the live items whose sender is `sender` (names compared ignoring case); with
    `made_here`, also the items made in this workspace (no pack brought them: sender NULL)."""
    return {r[0] for r in conn.execute(
        "SELECT e.id FROM evidence_items e LEFT JOIN pack_items p ON p.item_uuid = e.uuid "
        "WHERE e.deleted_at IS NULL AND (p.sender = ? COLLATE NOCASE "
        "OR (? AND p.sender IS NULL))", [sender, 1 if made_here else 0])}


def sender_names(conn: sqlite3.Connection) -> list[str]:
    """Every sender whose pack was imported here or whose items are held here, sorted."""
    return [r[0] for r in conn.execute(
        "SELECT sender FROM pack_imports WHERE sender IS NOT NULL UNION "
        "SELECT sender FROM pack_items WHERE sender IS NOT NULL ORDER BY 1 COLLATE NOCASE")]


def coverage_from(conn: sqlite3.Connection, sender: str) -> dict[str, int]:
    """Line of enquiry -> live items a sender's packs brought here."""
    return dict(conn.execute(
        "SELECT x.enquiry_id, COUNT(*) FROM pack_items p JOIN evidence_items e ON "
        "e.uuid = p.item_uuid JOIN evidence_enquiries x ON x.item_id = e.id WHERE p.sender = ? "
        "AND e.deleted_at IS NULL GROUP BY x.enquiry_id", [sender]).fetchall())
