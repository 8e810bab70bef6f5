"""Cases as packs carry them: rows, per-field stamps, aliases and readiness ticks."""
from __future__ import annotations

import json
import sqlite3

from evidence_app.core.store.packs._sql import _chunks, _marks, _rows
from evidence_app.core.store.updates import insert_row, set_fields


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
