"""SQL for evidence packs (core/packs/): item revisions, fixed facts, case field stamps, imports,
conflicts, likely duplicates, exports and the team view. Schema: m008_packs.

Everything here runs on a plain DB-API connection inside the caller's transaction; the callers
in core/packs/ decide what to write and when.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from evidence_app.core.store import evidence as evidence_rows
from evidence_app.core.store.records import from_row
from evidence_app.core.store.updates import insert_row, set_fields

# -- typed records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackImport:
    """One pack merged into this workspace (its report is kept for later reading)."""

    id: int
    uuid: str
    pack_sha256: str
    file_name: str
    sender: str | None
    sender_workspace: str | None
    pack_created_at: str | None
    imported_at: str
    imported_by: str
    added: int
    updated: int
    unchanged: int
    conflicts: int
    duplicates: int
    report: dict


@dataclass(frozen=True)
class Conflict:
    """An item changed on both sides: two versions kept until a person chooses."""

    id: int
    item_uuid: str
    item_id: int | None
    mine_rev: str
    theirs_rev: str
    mine: dict | None
    theirs: dict | None
    sender: str | None
    found_at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None


@dataclass(frozen=True)
class Duplicate:
    """Two items quoting the same passage of the same document, tagged independently."""

    id: int
    item_a: str
    item_b: str
    id_a: int | None
    id_b: int | None
    sender: str | None
    found_at: str
    decided_at: str | None
    decision: str | None


@dataclass(frozen=True)
class Sender:
    """One person whose packs were merged here (the team view)."""

    sender: str
    workspace: str | None
    packs: int
    last_pack_at: str | None
    last_imported_at: str
    items_added: int
    items_now: int
    conflicts_open: int


def as_json(record) -> dict:
    return dict(record.__dict__)


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list, size: int = 500):
    """`values` in parts small enough for one `IN (?, …)` (SQLite's limit on variables)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _select_in(conn: sqlite3.Connection, sql: str, column: str,
               values: list | None) -> list[tuple]:
    """The rows of `sql`; with `values`, only those whose `column` is one of them."""
    if values is None:
        return conn.execute(sql).fetchall()
    rows: list[tuple] = []
    for part in _chunks(values):
        rows += conn.execute(sql + f" WHERE {column} IN ({_marks(part)})", part).fetchall()
    return rows


# -- evidence items ---------------------------------------------------------------------------
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


# -- documents --------------------------------------------------------------------------------
def docs_by_sha(conn: sqlite3.Connection, shas: list[str]) -> dict[str, tuple[int, str, int]]:
    """file SHA-256 -> (id, uuid, text_version) of a document here, present files first."""
    out: dict[str, tuple[int, str, int]] = {}
    for part in _chunks(shas):
        for sha, did, duuid, tv in conn.execute(
                f"SELECT sha256, id, uuid, text_version FROM documents WHERE sha256 IN "
                f"({_marks(part)}) ORDER BY (status = 'missing') DESC, id DESC", part):
            out[sha] = (did, duuid, tv)  # the last written wins: present, lowest id
    return out


def docs_needing_text_hash(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    return conn.execute(
        "SELECT d.id, d.text_version FROM documents d LEFT JOIN pack_text_hashes h "
        "ON h.document_id = d.id WHERE d.chars > 0 AND (h.document_id IS NULL OR "
        "h.text_version != d.text_version)").fetchall()


def chunk_texts(conn: sqlite3.Connection, doc_id: int) -> list[tuple]:
    """(seq, page, heading, start, text) in order."""
    return conn.execute("SELECT seq, page, heading, start, text FROM chunks WHERE document_id = ?"
                        " ORDER BY seq", [doc_id]).fetchall()


def put_text_hash(conn: sqlite3.Connection, doc_id: int, text_version: int, sha: str) -> None:
    conn.execute("INSERT INTO pack_text_hashes (document_id, text_version, sha256) VALUES "
                 "(?,?,?) ON CONFLICT(document_id) DO UPDATE SET text_version = "
                 "excluded.text_version, sha256 = excluded.sha256", [doc_id, text_version, sha])


def text_hash_of(conn: sqlite3.Connection, doc_id: int, text_version: int) -> str | None:
    row = conn.execute("SELECT sha256 FROM pack_text_hashes WHERE document_id = ? AND "
                       "text_version = ?", [doc_id, text_version]).fetchone()
    return row[0] if row else None


def docs_by_text_sha(conn: sqlite3.Connection, shas: list[str]) -> dict[str, tuple[int, str, int]]:
    out: dict[str, tuple[int, str, int]] = {}
    for part in _chunks(shas):
        for sha, did, duuid, tv in conn.execute(
                f"SELECT h.sha256, d.id, d.uuid, d.text_version FROM pack_text_hashes h JOIN "
                f"documents d ON d.id = h.document_id AND d.text_version = h.text_version "
                f"WHERE h.sha256 IN ({_marks(part)}) ORDER BY (d.status = 'missing') DESC, "
                f"d.id DESC", part):
            out[sha] = (did, duuid, tv)
    return out


def doc_by_path(conn: sqlite3.Connection, path: str) -> tuple[int, str, int] | None:
    row = conn.execute("SELECT id, uuid, text_version FROM documents WHERE path = ? AND "
                       "member = ''", [path]).fetchone()
    return (row[0], row[1], row[2]) if row else None


def insert_document(conn: sqlite3.Connection, values: dict) -> int:
    """A document that came in a pack (a carried copy, or a reference to a file not here)."""
    doc_id = insert_row(conn, "documents", values)
    conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, ?, ?)",
                 [doc_id, values.get("title"), values["name"]])
    return doc_id


# -- cases ------------------------------------------------------------------------------------
def case_rows(conn: sqlite3.Connection, refs: list[str] | None = None) -> list[dict]:
    if refs is None:
        return _rows(conn, "SELECT * FROM cases ORDER BY ref")
    out: list[dict] = []
    for part in _chunks(refs):
        out += _rows(conn, f"SELECT * FROM cases WHERE ref IN ({_marks(part)}) ORDER BY ref", part)
    return out


def case_stamps(conn: sqlite3.Connection) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = {}
    for ref, field, value, at, by in conn.execute(
            "SELECT case_ref, field, value, at, by FROM pack_case_fields"):
        out.setdefault(ref.upper(), {})[field] = {"value": json.loads(value), "at": at, "by": by}
    return out


def put_case_stamp(conn: sqlite3.Connection, ref: str, field: str, value, at: str,
                   by: str | None) -> None:
    conn.execute("INSERT INTO pack_case_fields (case_ref, field, value, at, by) VALUES "
                 "(?,?,?,?,?) ON CONFLICT(case_ref, field) DO UPDATE SET value = excluded.value, "
                 "at = excluded.at, by = excluded.by", [ref, field, json.dumps(value), at, by])


def insert_case(conn: sqlite3.Connection, values: dict) -> int:
    return insert_row(conn, "cases", values)


def update_case(conn: sqlite3.Connection, case_id: int, values: dict) -> None:
    set_fields(conn, "cases", case_id, values, now=None)


def alias_owner(conn: sqlite3.Connection, alias: str) -> str | None:
    row = conn.execute("SELECT ref FROM cases WHERE alias = ?", [alias]).fetchone()
    return row[0] if row else None


def used_aliases(conn: sqlite3.Connection) -> set[str]:
    return {r[0].lower() for r in conn.execute("SELECT alias FROM cases WHERE alias IS NOT NULL")}


def readiness_ticks(conn: sqlite3.Connection, case_id: int) -> dict[str, dict]:
    return {r[0]: {"done": bool(r[1]), "by": r[2], "at": r[3]} for r in conn.execute(
        "SELECT item, done, done_by, done_at FROM case_readiness WHERE case_id = ?", [case_id])}


def put_tick(conn: sqlite3.Connection, case_id: int, item: str, by: str | None,
             at: str | None) -> None:
    conn.execute("INSERT INTO case_readiness (case_id, item, done, done_by, done_at) VALUES "
                 "(?,?,1,?,?) ON CONFLICT(case_id, item) DO UPDATE SET done = 1, "
                 "done_by = excluded.done_by, done_at = excluded.done_at",
                 [case_id, item, by, at])


# -- requests and the framework ---------------------------------------------------------------
REQUEST_SYNC = ("owner", "due_at", "status", "sent_at", "sent_sha256", "sent_by", "sent_file",
                "updated_at")


def requests_owned(conn: sqlite3.Connection, owner: str) -> list[dict]:
    return _rows(conn, "SELECT id, title, kind, " + ", ".join(REQUEST_SYNC) +
                 " FROM requests WHERE owner = ? COLLATE NOCASE ORDER BY id", [owner])


def request_row(conn: sqlite3.Connection, ident: str) -> dict | None:
    rows = _rows(conn, "SELECT id, uuid, " + ", ".join(REQUEST_SYNC) +
                 " FROM requests WHERE id = ?", [ident])
    return rows[0] if rows else None


def update_request(conn: sqlite3.Connection, ident: str, values: dict) -> None:
    set_fields(conn, "requests", ident, values, now=None)


def framework_rows(conn: sqlite3.Connection, enquiries: list[str],
                   requests: list[str]) -> list[dict]:
    """The framework entries these ids name, with their area (for the pack's manifest)."""
    out: list[dict] = []
    if enquiries:
        out += _rows(conn, "SELECT e.id, 'enquiry' AS kind, e.area_id, a.title AS area_title, "
                           "e.title, e.prompt FROM enquiries e JOIN judgement_areas a ON "
                           f"a.id = e.area_id WHERE e.id IN ({_marks(enquiries)})", enquiries)
    if requests:
        out += _rows(conn, "SELECT id, 'request' AS kind, NULL AS area_id, NULL AS area_title, "
                           f"title, description AS prompt FROM requests WHERE id IN "
                           f"({_marks(requests)})", requests)
    return out


def known_framework_ids(conn: sqlite3.Connection) -> tuple[set[str], set[str], set[str]]:
    """(enquiry ids, request ids, area ids) in this workspace."""
    return ({r[0] for r in conn.execute("SELECT id FROM enquiries")},
            {r[0] for r in conn.execute("SELECT id FROM requests")},
            {r[0] for r in conn.execute("SELECT id FROM judgement_areas")})


def insert_area(conn: sqlite3.Connection, ident: str, uuid: str, title: str, now: str) -> None:
    conn.execute("INSERT INTO judgement_areas (id, uuid, title, position, custom, updated_at) "
                 "VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM judgement_areas),"
                 " 1, ?)", [ident, uuid, title, now])


# -- imports, conflicts, duplicates, exports --------------------------------------------------
def insert_import(conn: sqlite3.Connection, values: dict) -> int:
    return insert_row(conn, "pack_imports", values)


def _import(r: dict) -> PackImport:
    return from_row(PackImport, r, report=json.loads)    # its `touched` stays in the table


def imports(conn: sqlite3.Connection) -> list[PackImport]:
    return [_import(r) for r in _rows(conn, "SELECT * FROM pack_imports ORDER BY id")]


def get_import(conn: sqlite3.Connection, key: str) -> PackImport | None:
    col = "id" if str(key).isdigit() else "uuid"
    rows = _rows(conn, f"SELECT * FROM pack_imports WHERE {col} = ?", [key])
    return _import(rows[0]) if rows else None


def import_touched(conn: sqlite3.Connection, uuid: str) -> dict:
    row = conn.execute("SELECT touched FROM pack_imports WHERE uuid = ?", [uuid]).fetchone()
    return json.loads(row[0]) if row else {}


def imported_sha(conn: sqlite3.Connection, sha: str) -> bool:
    return conn.execute("SELECT 1 FROM pack_imports WHERE pack_sha256 = ?", [sha]).fetchone() \
        is not None


def open_conflict_rows(conn: sqlite3.Connection, item_uuids: list[str] | None = None) -> list[dict]:
    sql = "SELECT * FROM pack_conflicts WHERE resolved_at IS NULL"
    if item_uuids is None:
        return _rows(conn, sql + " ORDER BY id")
    out: list[dict] = []
    for part in _chunks(item_uuids):
        out += _rows(conn, sql + f" AND item_uuid IN ({_marks(part)}) ORDER BY id", part)
    return out


def insert_conflict(conn: sqlite3.Connection, item_uuid: str, mine: str, theirs: str,
                    sender: str | None, now: str) -> bool:
    cur = conn.execute("INSERT OR IGNORE INTO pack_conflicts (item_uuid, mine_rev, theirs_rev, "
                       "sender, found_at) VALUES (?,?,?,?,?)", [item_uuid, mine, theirs, sender, now])
    if cur.rowcount:
        return True
    # the same pair seen before and settled by a later change that was itself undone: reopen
    conn.execute("UPDATE pack_conflicts SET resolved_at = NULL, resolved_by = NULL, "
                 "resolution = NULL WHERE item_uuid = ? AND mine_rev = ? AND theirs_rev = ? "
                 "AND resolution = 'settled'", [item_uuid, mine, theirs])
    return False


def close_conflict(conn: sqlite3.Connection, conflict_id: int, now: str, who: str | None,
                   resolution: str) -> None:
    conn.execute("UPDATE pack_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? "
                 "WHERE id = ? AND resolved_at IS NULL", [now, who, resolution, conflict_id])


def conflict_rows(conn: sqlite3.Connection, include_resolved: bool = False) -> list[dict]:
    where = "" if include_resolved else " WHERE c.resolved_at IS NULL"
    return _rows(conn, "SELECT c.*, e.id AS item_id FROM pack_conflicts c LEFT JOIN "
                       f"evidence_items e ON e.uuid = c.item_uuid{where} ORDER BY c.id")


def conflict_row(conn: sqlite3.Connection, conflict_id: int) -> dict | None:
    rows = _rows(conn, "SELECT c.*, e.id AS item_id FROM pack_conflicts c LEFT JOIN "
                       "evidence_items e ON e.uuid = c.item_uuid WHERE c.id = ?", [conflict_id])
    return rows[0] if rows else None


def insert_duplicate(conn: sqlite3.Connection, a: str, b: str, sender: str | None,
                     now: str) -> bool:
    a, b = sorted((a, b))
    cur = conn.execute("INSERT OR IGNORE INTO pack_duplicates (item_a, item_b, sender, found_at)"
                       " VALUES (?,?,?,?)", [a, b, sender, now])
    return bool(cur.rowcount)


def duplicate_rows(conn: sqlite3.Connection, include_decided: bool = False) -> list[dict]:
    where = "" if include_decided else " WHERE p.decided_at IS NULL"
    return _rows(conn, "SELECT p.*, a.id AS id_a, b.id AS id_b FROM pack_duplicates p "
                       "LEFT JOIN evidence_items a ON a.uuid = p.item_a LEFT JOIN evidence_items "
                       f"b ON b.uuid = p.item_b{where} ORDER BY p.id")


def decide_duplicate(conn: sqlite3.Connection, dup_id: int, now: str, who: str | None,
                     decision: str) -> None:
    conn.execute("UPDATE pack_duplicates SET decided_at = ?, decided_by = ?, decision = ? "
                 "WHERE id = ?", [now, who, decision, dup_id])


def passages_on(conn: sqlite3.Connection, doc_ids: list[int]) -> list[dict]:
    """Live items on these documents (the candidates for a likely duplicate)."""
    out: list[dict] = []
    for part in _chunks(doc_ids):
        out += _rows(conn, "SELECT id, uuid, document_id, quote, start, \"end\" AS \"end\", "
                           "author FROM evidence_items WHERE deleted_at IS NULL AND "
                           f"document_id IN ({_marks(part)})", part)
    return out


def insert_export(conn: sqlite3.Connection, values: dict) -> None:
    insert_row(conn, "pack_exports", values)


def last_export_at(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT MAX(at) FROM pack_exports").fetchone()
    return row[0] if row else None


def exports(conn: sqlite3.Connection) -> list[dict]:
    return _rows(conn, "SELECT * FROM pack_exports ORDER BY id")


# -- the team view ----------------------------------------------------------------------------
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


# -- bundles (m003; their travelling state: m010) ---------------------------------------------
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
