"""SQL for bundles: the bundle rows, their sections, the items placed in them, their exports.

Reads return `Bundle`, `BundleSummary` and `ExportLogEntry` (the export log) records.
The rules (what a section may be called, where an added item goes) stay in
`core/bundles/bundles.py`. `snapshot`/`put_back` keep and restore every row of one bundle with
its ids, so deleting a bundle can be undone exactly.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from evidence_app.core.store.records import (
    Bundle, BundleSection, BundleSummary, ExportLogEntry,
)

# tables holding a bundle, parents first (the order rows go back in)
BUNDLE_TABLES = (("bundles", "id"), ("bundle_sections", "bundle_id"),
                 ("bundle_items", "bundle_id"), ("bundle_exports", "bundle_id"),
                 ("review_accepted", "bundle_id"))


def _rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def _settings(row: dict) -> dict:
    external = bool(row["external"])
    pseud = row["pseudonymise"]
    return {"marking": row["marking"], "external": external,
            "pseudonymise": external if pseud is None else bool(pseud),
            "append_sources": bool(row["append_sources"])}


def raw(conn: sqlite3.Connection, key: int | str) -> dict | None:
    """The bundles row itself (settings as stored), by id or uuid."""
    key = str(key).strip()
    col = "id" if key.isdigit() else "uuid"
    rows = _rows(conn, f"SELECT * FROM bundles WHERE {col} = ?", [key])
    return rows[0] if rows else None


def get(conn: sqlite3.Connection, key: int | str) -> Bundle | None:
    """The bundle with its sections in order, each with its (not deleted) item ids in order."""
    row = raw(conn, key)
    if row is None:
        return None
    sections = _rows(conn, "SELECT id, uuid, position, kind, ref, title, intro FROM "
                           "bundle_sections WHERE bundle_id = ? ORDER BY position", [row["id"]])
    placed: dict[int, list[int]] = {s["id"]: [] for s in sections}
    for section_id, item_id in conn.execute(
            "SELECT b.section_id, b.item_id FROM bundle_items b JOIN evidence_items e "
            "ON e.id = b.item_id WHERE b.bundle_id = ? AND e.deleted_at IS NULL "
            "ORDER BY b.position", [row["id"]]):
        placed[section_id].append(item_id)
    return Bundle(row["id"], row["uuid"], row["title"], row["purpose"], row["grouping"],
                  row["inspection"], row["prepared_by"], row["created_by"], row["created_at"],
                  row["updated_at"], **_settings(row),
                  sections=tuple(BundleSection(**s, items=tuple(placed[s["id"]]))
                                 for s in sections))


def summaries(conn: sqlite3.Connection) -> list[BundleSummary]:
    sql = ("SELECT b.*, (SELECT COUNT(*) FROM bundle_sections s WHERE s.bundle_id = b.id) AS n_sec,"
           " (SELECT COUNT(*) FROM bundle_items i JOIN evidence_items e ON e.id = i.item_id "
           "  WHERE i.bundle_id = b.id AND e.deleted_at IS NULL) AS n_items,"
           " (SELECT MAX(at) FROM bundle_exports x WHERE x.bundle_id = b.id) AS exported_at "
           "FROM bundles b ORDER BY b.id")
    return [BundleSummary(r["id"], r["uuid"], r["title"], r["grouping"], r["n_sec"],
                          r["n_items"], r["exported_at"], r["updated_at"], **_settings(r))
            for r in _rows(conn, sql)]


def exports(conn: sqlite3.Connection, bundle_id: int) -> list[ExportLogEntry]:
    """The bundle's export log, oldest first."""
    return [ExportLogEntry(
        id=r["id"], uuid=r["uuid"], bundle_id=r["bundle_id"], at=r["at"], who=r["who"],
        path=r["path"], manifest=r["manifest"], sha256=r["sha256"], size=r["size"],
        items=r["items"], pseudonymised=bool(r["pseudonymised"]),
        append_sources=bool(r["append_sources"]), sources=tuple(json.loads(r["sources"])),
        redactions=tuple(json.loads(r["redactions"])), seconds=r["seconds"])
        for r in _rows(conn, "SELECT * FROM bundle_exports WHERE bundle_id = ? ORDER BY id",
                       [bundle_id])]


# -- writes ------------------------------------------------------------------------------------
def _insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    cols = ", ".join(f'"{k}"' for k in values)
    cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})",
                       list(values.values()))
    return int(cur.lastrowid)


def insert_bundle(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return _insert(conn, "bundles", values)


def insert_section(conn: sqlite3.Connection, uuid: str, bundle_id: int, position: int, kind: str,
                   ref: str | None, title: str) -> int:
    return _insert(conn, "bundle_sections", {"uuid": uuid, "bundle_id": bundle_id,
                                             "position": position, "kind": kind, "ref": ref,
                                             "title": title})


def delete_section(conn: sqlite3.Connection, section_id: int) -> dict:
    """Delete a section (its placed items go with it); returns its row, to put back."""
    row = _rows(conn, "SELECT * FROM bundle_sections WHERE id = ?", [section_id])[0]
    conn.execute("DELETE FROM bundle_sections WHERE id = ?", [section_id])
    return row


def put_back_section(conn: sqlite3.Connection, row: dict) -> int:
    """A deleted section again, same id and uuid."""
    return _insert(conn, "bundle_sections", row)


def place_items(conn: sqlite3.Connection, bundle_id: int, section_id: int, item_ids: list[int],
                now: str, first_position: int = 1) -> None:
    conn.executemany(
        "INSERT INTO bundle_items (bundle_id, section_id, item_id, position, added_at) "
        "VALUES (?,?,?,?,?)",
        [(bundle_id, section_id, item_id, n, now)
         for n, item_id in enumerate(item_ids, first_position)])


def renumber(conn: sqlite3.Connection, section_id: int, order: list[int]) -> None:
    """Put these items in this section, in this order (positions 1, 2, …)."""
    conn.executemany("UPDATE bundle_items SET section_id = ?, position = ? "
                     "WHERE bundle_id = (SELECT bundle_id FROM bundle_sections WHERE id = ?)"
                     " AND item_id = ?",
                     [(section_id, n, section_id, item) for n, item in enumerate(order, 1)])


def remove_item(conn: sqlite3.Connection, bundle_id: int, item_id: int) -> int:
    return conn.execute("DELETE FROM bundle_items WHERE bundle_id = ? AND item_id = ?",
                        [bundle_id, item_id]).rowcount


def delete_bundle(conn: sqlite3.Connection, bundle_id: int) -> None:
    conn.execute("DELETE FROM bundles WHERE id = ?", [bundle_id])


def insert_export(conn: sqlite3.Connection, entry: dict[str, Any]) -> int:
    return _insert(conn, "bundle_exports", entry)


def snapshot(conn: sqlite3.Connection, bundle_id: int) -> dict[str, list[dict]]:
    """Every row of one bundle (sections, placed items, exports, review answers), ids kept."""
    return {table: _rows(conn, f"SELECT * FROM {table} WHERE {col} = ?", [bundle_id])
            for table, col in BUNDLE_TABLES}


def put_back(conn: sqlite3.Connection, rows: dict[str, list[dict]]) -> None:
    """Insert a snapshot's rows again (same ids). Items since deleted for good are skipped."""
    live = {r[0] for r in conn.execute("SELECT id FROM evidence_items")}
    for table, _ in BUNDLE_TABLES:
        for row in rows.get(table, []):
            if table == "bundle_items" and row["item_id"] not in live:
                continue
            _insert(conn, table, row)
