"""Evidence items as packs carry them, and their revisions and fixed facts (m008)."""
from __future__ import annotations

import json
import sqlite3

from evidence_app.core.store import evidence as evidence_rows
from evidence_app.core.store.packs._sql import _chunks, _marks, _rows, _select_in
from evidence_app.core.store.updates import insert_row, set_fields


ITEM_ROWS = """
SELECT e.id, e.uuid, e.document_id, e.note, e.strength, e.kind, e.case_ref, e.updated_at,
       e.deleted_at, e.deleted_by, e.quote, e.context_before, e.context_after, e.start,
       e."end" AS "end", e.page, e.author, e.created_at, d.uuid AS doc_uuid, d.sha256 AS doc_sha256,
       d.name AS doc_name, d.title AS doc_title, d.rel_path AS doc_rel_path,
       d.format AS doc_format, d.case_ref AS doc_case_ref, d.text_version AS doc_text_version,
       d.status AS doc_status, d.path AS doc_path, d.pages AS doc_pages,
       (SELECT group_concat(enquiry_id, ' ') FROM evidence_enquiries x WHERE x.item_id = e.id)
           AS enquiries,
       (SELECT group_concat(request_id, ' ') FROM evidence_requests x WHERE x.item_id = e.id)
           AS requests
FROM evidence_items e LEFT JOIN documents d ON d.id = e.document_id
"""


def item_rows(conn: sqlite3.Connection, uuids: list[str] | None = None) -> list[dict]:
    """Every evidence item (deleted ones too: tombstones travel), or just these."""
    if uuids is None:
        return _rows(conn, ITEM_ROWS + " ORDER BY e.id")
    out: list[dict] = []
    for part in _chunks(uuids):
        out += _rows(conn, ITEM_ROWS + f" WHERE e.uuid IN ({_marks(part)})", part)
    return out


def insert_item(conn: sqlite3.Connection, values: dict) -> int:
    return insert_row(conn, "evidence_items", values)


def update_item(conn: sqlite3.Connection, item_id: int, values: dict) -> None:
    set_fields(conn, "evidence_items", item_id, values, now=None)


def set_links(conn: sqlite3.Connection, item_id: int, enquiries: list[str],
              requests: list[str], new: bool = False) -> None:
    """A merged item's links, written as the evidence stage writes them."""
    evidence_rows.set_links(conn, item_id, enquiries, requests, new=new)


def item_states(conn: sqlite3.Connection, uuids: list[str]) -> list[dict]:
    """Evidence items as the journal records them (safety/journal.py `entity_state`): the row
    with its document's reference, and its link rows; in a few queries for many items."""
    out: list[dict] = []
    for part in _chunks(uuids):
        rows = _rows(conn, f"SELECT * FROM evidence_items WHERE uuid IN ({_marks(part)})", part)
        ids = [r["id"] for r in rows]
        docs = {}
        doc_ids = sorted({r["document_id"] for r in rows if r["document_id"] is not None})
        if doc_ids:
            for d in _rows(conn, "SELECT id, uuid, path, member, rel_path, name FROM documents "
                                 f"WHERE id IN ({_marks(doc_ids)})", doc_ids):
                docs[d.pop("id")] = d
        links: dict[str, dict[int, list[dict]]] = {}
        for child in ("evidence_enquiries", "evidence_requests"):
            links[child] = {}
            if ids:
                for r in _rows(conn, f"SELECT * FROM {child} WHERE item_id IN ({_marks(ids)})",
                               ids):
                    links[child].setdefault(r["item_id"], []).append(r)
        for r in rows:
            r["_document"] = docs.get(r["document_id"])
            out.append({"type": "evidence", "table": "evidence_items", "uuid": r["uuid"],
                        "row": r, "children": {c: links[c].get(r["id"], []) for c in links}})
    return out


def item_ids(conn: sqlite3.Connection, uuids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in _chunks(uuids):
        out.update(conn.execute(f"SELECT uuid, id FROM evidence_items WHERE uuid IN "
                                f"({_marks(part)})", part).fetchall())
    return out


# -- revisions --------------------------------------------------------------------------------
def heads(conn: sqlite3.Connection, uuids: list[str] | None = None) -> dict[str, list[dict]]:
    """item uuid -> its heads (rev, content, history, current, sender, added_at)."""
    rows = _select_in(conn, "SELECT item_uuid, rev, content, history, current, sender, added_at "
                            "FROM pack_item_heads", "item_uuid", uuids)
    out: dict[str, list[dict]] = {}
    for u, rev, content, history, current, sender, added in rows:
        out.setdefault(u, []).append({"rev": rev, "content": json.loads(content),
                                      "history": json.loads(history), "current": bool(current),
                                      "sender": sender, "added_at": added})
    return out


def precise_now() -> str:
    """Microseconds: `--since-last` compares versions with the last export, often in the same
    second."""
    import datetime as dt  # start-up: datetime is loaded only when this runs

    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def put_heads(conn: sqlite3.Connection, item_uuid: str, new: list[tuple[str, str, str]],
              current_rev: str, sender: str | None, now: str | None = None,
              first: bool = False) -> None:
    """Make the item's heads exactly `new` [(rev, content json, history json)]; heads already
    held keep who brought them and when (`added_at`, to the microsecond). `first`: the item has
    no heads yet."""
    now = precise_now()
    old: dict = {}
    if not first:
        old = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT rev, sender, added_at FROM pack_item_heads WHERE item_uuid = ?", [item_uuid])}
        conn.execute("DELETE FROM pack_item_heads WHERE item_uuid = ?", [item_uuid])
    conn.executemany(
        "INSERT INTO pack_item_heads (item_uuid, rev, content, history, current, sender, "
        "added_at) VALUES (?,?,?,?,?,?,?)",
        [(item_uuid, rev, content, history, int(rev == current_rev),
          old[rev][0] if rev in old else sender, old[rev][1] if rev in old else now)
         for rev, content, history in new])


def changed_since(conn: sqlite3.Connection, since: str) -> set[str]:
    """Items with a version this workspace made or received after `since`."""
    return {r[0] for r in conn.execute(
        "SELECT DISTINCT item_uuid FROM pack_item_heads WHERE added_at > ?", [since])}


def fixed(conn: sqlite3.Connection, uuids: list[str] | None = None) -> dict[str, dict]:
    rows = _select_in(conn, "SELECT item_uuid, doc, sender, sender_workspace FROM pack_items",
                      "item_uuid", uuids)
    return {u: {"doc": json.loads(d), "sender": s, "sender_workspace": w} for u, d, s, w in rows}


def put_fixed(conn: sqlite3.Connection, item_uuid: str, doc: dict, sender: str | None,
              sender_workspace: str | None, now: str | None) -> None:
    conn.execute("INSERT OR IGNORE INTO pack_items (item_uuid, doc, sender, sender_workspace, "
                 "received_at) VALUES (?,?,?,?,?)",
                 [item_uuid, json.dumps(doc, sort_keys=True), sender, sender_workspace, now])
