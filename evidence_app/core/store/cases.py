"""The `cases` and `case_readiness` tables, and the case references documents carry.

Plain reads and writes for `core.evidence.cases` (the rules: reference and status wording,
aliases, what is private) and for the views' questions about a case (its documents, the list of
references for completion). Rows come back as dicts of the stored columns; the stage turns them
into `Case` records.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from evidence_app.core.store.updates import insert_row

COLUMNS = ("id", "uuid", "ref", "name", "alias", "worker", "team", "status", "sampled", "open",
           "redact", "other_names", "relatives", "dob", "created_at", "updated_at")


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# -- cases -------------------------------------------------------------------------------------
def fetch(conn: sqlite3.Connection, ref: str) -> dict | None:
    rows = _dicts(conn.execute(f"SELECT {', '.join(COLUMNS)} FROM cases WHERE ref = ?", [ref]))
    return rows[0] if rows else None


def rows(conn: sqlite3.Connection, sampled: bool | None = None,
         open_only: bool = False) -> list[dict]:
    where, params = [], []
    if sampled is not None:
        where.append("sampled = ?")
        params.append(int(sampled))
    if open_only:
        where.append("open = 1")
    return _dicts(conn.execute(f"SELECT {', '.join(COLUMNS)} FROM cases"
                               + (" WHERE " + " AND ".join(where) if where else "")
                               + " ORDER BY ref", params))


def aliases(conn: sqlite3.Connection) -> set[str]:
    """Every alias in use, lower-cased."""
    return {r[0].lower() for r in conn.execute("SELECT alias FROM cases WHERE alias IS NOT NULL")}


def alias_owner(conn: sqlite3.Connection, alias: str) -> tuple[int, str] | None:
    row = conn.execute("SELECT id, ref FROM cases WHERE alias = ?", [alias]).fetchone()
    return (row[0], row[1]) if row else None


def insert(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "cases", values, columns=COLUMNS)


def delete(conn: sqlite3.Connection, case_id: int) -> None:
    """Remove a case row and its readiness ticks (undoing an add)."""
    conn.execute("DELETE FROM case_readiness WHERE case_id = ?", [case_id])
    conn.execute("DELETE FROM cases WHERE id = ?", [case_id])


def private_terms(conn: sqlite3.Connection, ref: str) -> tuple | None:
    """(name, redact, other_names, relatives) as stored, for the sensitive-terms list."""
    return conn.execute("SELECT name, redact, other_names, relatives FROM cases WHERE ref = ?",
                        [ref]).fetchone()


def some_refs(conn: sqlite3.Connection, n: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT ref FROM cases ORDER BY ref LIMIT ?", [n])]


def is_known(conn: sqlite3.Connection, ref: str) -> bool:
    """A case in the list, or a case folder some indexed document sits in."""
    return bool(conn.execute("SELECT 1 FROM cases WHERE ref = ?", [ref]).fetchone()
                or conn.execute("SELECT 1 FROM documents WHERE case_ref = ? COLLATE NOCASE "
                                "LIMIT 1", [ref]).fetchone())


def group_of(conn: sqlite3.Connection, column: str) -> dict[str, str | None]:
    """Case reference -> its team or worker (the heat map's groups)."""
    if column not in ("team", "worker"):
        raise ValueError(f"not a case grouping: {column!r}")
    return {ref.upper(): value for ref, value in conn.execute(f"SELECT ref, {column} FROM cases")}


# -- readiness ---------------------------------------------------------------------------------
def readiness_rows(conn: sqlite3.Connection, case_id: int) -> dict[str, dict]:
    return {r["item"]: r for r in _dicts(conn.execute(
        "SELECT item, done, done_by, done_at FROM case_readiness WHERE case_id = ?", [case_id]))}


def readiness_row(conn: sqlite3.Connection, case_id: int, item: str) -> dict | None:
    return readiness_rows(conn, case_id).get(item)


def put_readiness(conn: sqlite3.Connection, case_id: int, item: str, done: bool,
                  by: str | None, at: str | None) -> None:
    conn.execute(
        "INSERT INTO case_readiness (case_id, item, done, done_by, done_at) VALUES (?,?,?,?,?) "
        "ON CONFLICT(case_id, item) DO UPDATE SET done = excluded.done, "
        "done_by = excluded.done_by, done_at = excluded.done_at",
        [case_id, item, int(done), by, at])


def drop_readiness(conn: sqlite3.Connection, case_id: int, item: str) -> None:
    conn.execute("DELETE FROM case_readiness WHERE case_id = ? AND item = ?", [case_id, item])


# -- documents of a case -----------------------------------------------------------------------
def document_link(conn: sqlite3.Connection, doc_id: int) -> tuple | None:
    """(id, uuid, case_ref, rel_path, case_ref_manual) of a document."""
    return conn.execute("SELECT id, uuid, case_ref, rel_path, case_ref_manual FROM documents "
                        "WHERE id = ?", [int(doc_id)]).fetchone()


def set_document_case(conn: sqlite3.Connection, doc_id: int, ref: str | None,
                      manual: bool = True) -> None:
    conn.execute("UPDATE documents SET case_ref = ?, case_ref_manual = ? WHERE id = ?",
                 [ref, int(manual), int(doc_id)])


def documents_of(conn: sqlite3.Connection, ref: str) -> list[dict]:
    """Every document filed under the case (attachments too), newest file first: no limit."""
    return _dicts(conn.execute(
        "SELECT id, path, member, COALESCE(title, name) AS title, name, format, status, mtime "
        "FROM documents WHERE case_ref = ? ORDER BY mtime DESC, path, member", [ref]))


def document_refs(conn: sqlite3.Connection) -> list[str]:
    """The distinct case references documents carry, sorted (one index walk, no rows loaded)."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT case_ref FROM documents WHERE case_ref IS NOT NULL AND case_ref != '' "
        "ORDER BY case_ref")]


def evidence_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Case reference (upper-cased) -> live evidence items filed under it."""
    out: dict[str, int] = {}
    for ref, n in conn.execute(
            "SELECT COALESCE(i.case_ref, d.case_ref), COUNT(*) FROM evidence_items i "
            "LEFT JOIN documents d ON d.id = i.document_id WHERE i.deleted_at IS NULL GROUP BY 1"):
        key = (ref or "").upper()
        out[key] = out.get(key, 0) + n
    return out


