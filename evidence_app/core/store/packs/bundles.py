"""Bundles as packs carry them (m003; their travelling state: m010)."""
from __future__ import annotations

import json
import sqlite3

from evidence_app.core.store.packs._sql import _marks, _rows
from evidence_app.core.store.packs.items import item_ids, precise_now


BUNDLE_FIELDS = ("title", "purpose", "grouping", "inspection", "prepared_by", "marking",
                 "external", "pseudonymise", "append_sources", "created_by", "created_at",
                 "updated_at")


def bundle_states(conn: sqlite3.Connection, uuids: list[str] | None = None) -> dict[str, dict]:
    """bundle uuid -> {fields, sections [{uuid, position, kind, ref, title, intro}], items
    [{section, item, position, added_at}]} as it stands here (item and section by uuid)."""
    where, params = "", []
    if uuids is not None:
        if not uuids:
            return {}
        where, params = f" WHERE uuid IN ({_marks(uuids)})", list(uuids)
    out: dict[str, dict] = {}
    for b in _rows(conn, "SELECT id, uuid, " + ", ".join(BUNDLE_FIELDS) + " FROM bundles" + where,
                   params):
        sections = _rows(conn, "SELECT uuid, position, kind, ref, title, intro FROM "
                               "bundle_sections WHERE bundle_id = ? ORDER BY position", [b["id"]])
        items = _rows(conn, "SELECT s.uuid AS section, e.uuid AS item, i.position, i.added_at "
                            "FROM bundle_items i JOIN bundle_sections s ON s.id = i.section_id "
                            "JOIN evidence_items e ON e.id = i.item_id WHERE i.bundle_id = ? "
                            "ORDER BY s.position, i.position", [b["id"]])
        out[b["uuid"]] = {"fields": {k: b[k] for k in BUNDLE_FIELDS}, "sections": sections,
                          "items": items}
    return out


def replace_bundle(conn: sqlite3.Connection, uuid: str, state: dict) -> int:
    """Make the bundle here exactly `state` (items not here yet are left out); returns how many
    of its items are missing."""
    f = state["fields"]
    row = conn.execute("SELECT id FROM bundles WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        cur = conn.execute(f"INSERT INTO bundles (uuid, {', '.join(BUNDLE_FIELDS)}) VALUES "
                           f"(?, {_marks(BUNDLE_FIELDS)})", [uuid, *(f[k] for k in BUNDLE_FIELDS)])
        bundle_id = int(cur.lastrowid)
    else:
        bundle_id = row[0]
        conn.execute(f"UPDATE bundles SET {', '.join(f'{k} = ?' for k in BUNDLE_FIELDS)} "
                     "WHERE id = ?", [*(f[k] for k in BUNDLE_FIELDS), bundle_id])
        conn.execute("DELETE FROM bundle_items WHERE bundle_id = ?", [bundle_id])
        conn.execute("DELETE FROM bundle_sections WHERE bundle_id = ?", [bundle_id])
    sections = {}
    for s in state["sections"]:
        cur = conn.execute("INSERT INTO bundle_sections (uuid, bundle_id, position, kind, ref, "
                           "title, intro) VALUES (?,?,?,?,?,?,?)",
                           [s["uuid"], bundle_id, s["position"], s["kind"], s["ref"], s["title"],
                            s.get("intro") or ""])
        sections[s["uuid"]] = int(cur.lastrowid)
    ids = item_ids(conn, [i["item"] for i in state["items"]])
    missing = 0
    for i in state["items"]:
        if i["item"] not in ids or i["section"] not in sections:
            missing += 1
            continue
        conn.execute("INSERT OR IGNORE INTO bundle_items (bundle_id, section_id, item_id, "
                     "position, added_at) VALUES (?,?,?,?,?)",
                     [bundle_id, sections[i["section"]], ids[i["item"]], i["position"],
                      i["added_at"]])
    return missing


def put_pack_bundle(conn: sqlite3.Connection, uuid: str, state: dict, missing: int,
                    sender: str | None) -> None:
    conn.execute("INSERT INTO pack_bundles (bundle_uuid, state, missing, sender, received_at) "
                 "VALUES (?,?,?,?,?) ON CONFLICT(bundle_uuid) DO UPDATE SET state = "
                 "excluded.state, missing = excluded.missing, sender = excluded.sender, "
                 "received_at = excluded.received_at",
                 [uuid, json.dumps(state, sort_keys=True), missing, sender, precise_now()])


def pending_bundles(conn: sqlite3.Connection) -> list[tuple[str, dict]]:
    """Bundles from packs still waiting for some of their items."""
    return [(u, json.loads(s)) for u, s in conn.execute(
        "SELECT bundle_uuid, state FROM pack_bundles WHERE missing > 0")]


def forget_pack_bundle(conn: sqlite3.Connection, uuid: str) -> None:
    conn.execute("DELETE FROM pack_bundles WHERE bundle_uuid = ?", [uuid])
