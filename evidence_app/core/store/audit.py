"""SQL for the audit log (`audit_log`): append-only (triggers refuse UPDATE and DELETE), each
entry chained to the one before by its hash. The rules (what is hashed, how the chain is checked,
what a record may hold) are in core/safety/audit.py."""
from __future__ import annotations

import sqlite3
from typing import Iterator

COLUMNS = ("id", "uuid", "at", "who", "action", "entity_type", "entity_uuid", "entity_ref",
           "before", "after", "prev_hash", "hash")
INSERTED = COLUMNS[1:]  # the id is the table's


def last_hash(conn: sqlite3.Connection) -> str | None:
    """The newest entry's hash (None when the log is empty)."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def append(conn: sqlite3.Connection, entry: dict) -> None:
    """Insert one entry (a dict with every column but the id)."""
    conn.execute(f"INSERT INTO audit_log ({', '.join(INSERTED)}) "
                 f"VALUES ({','.join('?' * len(INSERTED))})", [entry[k] for k in INSERTED])


def select(conn: sqlite3.Connection, entity_type: str | None = None,
           entity_uuid: str | None = None, limit: int | None = None) -> list[dict]:
    """Entries (column -> value, before/after still JSON text), oldest first; with `limit`,
    the newest `limit` of them."""
    where, params = [], []
    if entity_type:
        where.append("entity_type = ?")
        params.append(entity_type)
    if entity_uuid:
        where.append("entity_uuid = ?")
        params.append(entity_uuid)
    sql = (f"SELECT {', '.join(COLUMNS)} FROM audit_log"
           + (" WHERE " + " AND ".join(where) if where else ""))
    if limit:
        sql = f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT {int(limit)}) ORDER BY id"
    else:
        sql += " ORDER BY id"
    return [dict(zip(COLUMNS, row)) for row in conn.execute(sql, params)]


def walk(conn: sqlite3.Connection) -> Iterator[dict]:
    """Every entry, oldest first, one at a time (for checking the chain of a long log)."""
    for row in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY id"):
        yield dict(zip(COLUMNS, row))


def which_exist(conn: sqlite3.Connection, uuids: list[str]) -> set[str]:
    """Which of these entry uuids the log has."""
    return {r[0] for r in conn.execute(
        f"SELECT uuid FROM audit_log WHERE uuid IN ({','.join('?' * len(uuids))})", uuids)}


def newest_time(conn: sqlite3.Connection) -> str | None:
    """When the newest entry was written (ISO text), None when the log is empty."""
    return conn.execute("SELECT MAX(at) FROM audit_log").fetchone()[0]


def all_uuids(conn: sqlite3.Connection) -> set[str]:
    """Every entry's uuid (what replay must not apply again)."""
    return {r[0] for r in conn.execute("SELECT uuid FROM audit_log")}


def count_since(conn: sqlite3.Connection, at: str) -> int:
    """How many entries were written at or after `at` (ISO text)."""
    return conn.execute("SELECT COUNT(*) FROM audit_log WHERE at >= ?", [at]).fetchone()[0]
