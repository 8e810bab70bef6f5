"""What packs left behind here: imports, conflicts, likely duplicates and exports."""
from __future__ import annotations

import json
import sqlite3

from evidence_app.core.store.packs._sql import _chunks, _marks, _rows
from evidence_app.core.store.packs.records import PackImport
from evidence_app.core.store.records import from_row
from evidence_app.core.store.updates import insert_row


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
