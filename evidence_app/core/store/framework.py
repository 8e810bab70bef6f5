"""The framework tables: `judgement_areas`, `enquiries` (lines of enquiry) and `requests` (the
week-one list), as `core.evidence.framework` and `framework_io` read and change them.

Table and column names passed in come from the calling code (one of the three tables, the
fields each stage lists), never from a person; they are still checked to be one of the known
tables. What the app reads comes back as records (`FrameworkArea`, `Enquiry`, `FrameworkRequest`
in core/store/records/); the stored columns as dicts only where a whole row is kept or put
back as it was (the audit log, undoing a delete, the framework file).
"""
from __future__ import annotations

import sqlite3
from typing import Any

from evidence_app.core.store.records import Enquiry, FrameworkRequest, from_row
from evidence_app.core.store.updates import set_fields

TABLES = ("judgement_areas", "enquiries", "requests")
LINKS = {"enquiries": "evidence_enquiries WHERE enquiry_id",
         "requests": "evidence_requests WHERE request_id"}


def _table(name: str) -> str:
    if name not in TABLES:
        raise ValueError(f"not a framework table: {name!r}")
    return name


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# -- reading -----------------------------------------------------------------------------------
def area_rows(conn: sqlite3.Connection, include_retired: bool = False) -> list[dict]:
    return _dicts(conn.execute(
        "SELECT id, uuid, title, short_title, position, retired, custom FROM judgement_areas "
        + ("" if include_retired else "WHERE retired = 0 ") + "ORDER BY position, id"))


def enquiry_rows(conn: sqlite3.Connection, include_retired: bool = False,
                 area: str | None = None) -> list[tuple]:
    """(id, uuid, area_id, area title, title, prompt, position, retired (own or area's),
    custom), in the framework's order."""
    where, params = [], []
    if not include_retired:
        where.append("e.retired = 0 AND a.retired = 0")
    if area:
        where.append("e.area_id = ?")
        params.append(area)
    return conn.execute(
        _ENQUIRY + ("WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.position, e.position, e.id", params).fetchall()


_ENQUIRY = ("SELECT e.id, e.uuid, e.area_id, a.title, e.title, e.prompt, e.position, "
            "e.retired OR a.retired, e.custom FROM enquiries e JOIN judgement_areas a "
            "ON a.id = e.area_id ")
_REQUEST = ("SELECT id, uuid, ofsted_ref, title, description, kind, period, position, retired, "
            "custom FROM requests ")


def _enquiry(r: tuple) -> Enquiry:
    return from_row(Enquiry, r, retired=bool, custom=bool)


def _request(r: tuple) -> FrameworkRequest:
    return from_row(FrameworkRequest, r, retired=bool, custom=bool)


def requests(conn: sqlite3.Connection, include_retired: bool = False) -> list[FrameworkRequest]:
    """The week-one requests in the framework's order."""
    return [_request(r) for r in conn.execute(
        _REQUEST + ("" if include_retired else "WHERE retired = 0 ") + "ORDER BY position, id")]


def enquiry(conn: sqlite3.Connection, ident: str) -> Enquiry | None:
    """One line of enquiry by id (retired or not; `retired` also when its area is)."""
    r = conn.execute(_ENQUIRY + "WHERE e.id = ?", [ident]).fetchone()
    return _enquiry(r) if r else None


def request(conn: sqlite3.Connection, ident: str) -> FrameworkRequest | None:
    """One week-one request by id, retired or not."""
    r = conn.execute(_REQUEST + "WHERE id = ?", [ident]).fetchone()
    return _request(r) if r else None


def request_rows(conn: sqlite3.Connection, include_retired: bool = False) -> list[dict]:
    """Every stored column of the requests (the framework file writes them all)."""
    return _dicts(conn.execute("SELECT * FROM requests "
                               + ("" if include_retired else "WHERE retired = 0 ")
                               + "ORDER BY position, id"))


def row(conn: sqlite3.Connection, table: str, ident: str) -> dict | None:
    """Every stored column of one area, line or request."""
    rows = _dicts(conn.execute(f"SELECT * FROM {_table(table)} WHERE id = ?", [ident]))
    return rows[0] if rows else None


def exists(conn: sqlite3.Connection, table: str, ident: str) -> bool:
    return conn.execute(f"SELECT 1 FROM {_table(table)} WHERE id = ?", [ident]).fetchone() \
        is not None


def retired_state(conn: sqlite3.Connection, table: str, ident: str) -> tuple[bool, bool] | None:
    """(retired itself, its area retired) for a line; (retired, False) for a request."""
    if table == "enquiries":
        r = conn.execute("SELECT t.retired, a.retired FROM enquiries t JOIN judgement_areas a "
                         "ON a.id = t.area_id WHERE t.id = ?", [ident]).fetchone()
    else:
        r = conn.execute(f"SELECT retired, 0 FROM {_table(table)} WHERE id = ?",
                         [ident]).fetchone()
    return (bool(r[0]), bool(r[1])) if r else None


def ids_starting(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """Ids of lines and requests that start with `prefix` (for the next free number)."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM enquiries WHERE id LIKE ? UNION ALL SELECT id FROM requests "
        "WHERE id LIKE ?", [prefix + "%", prefix + "%"])]


def all_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM enquiries UNION ALL SELECT id FROM requests")]


def order(conn: sqlite3.Connection, table: str, area: str | None = None) -> list[str]:
    """Ids in their stored order: a line's area, or the whole request list."""
    scope, params = ("WHERE area_id = ?", [area]) if area is not None else ("", [])
    return [r[0] for r in conn.execute(
        f"SELECT id FROM {_table(table)} {scope} ORDER BY position, id", params)]


def next_position(conn: sqlite3.Connection, table: str, area: str | None = None) -> int:
    scope, params = ("WHERE area_id = ?", [area]) if area is not None else ("", [])
    return conn.execute(f"SELECT COALESCE(MAX(position), 0) + 1 FROM {_table(table)} {scope}",
                        params).fetchone()[0]


def uses(conn: sqlite3.Connection, table: str, ident: str) -> int:
    """Evidence, saved searches and request documents pointing at a line or request."""
    n = conn.execute(f"SELECT COUNT(*) FROM {LINKS[table]} = ?", [ident]).fetchone()[0]
    other = ("saved_searches WHERE enquiry_id" if table == "enquiries"
             else "request_documents WHERE request_id")
    return n + conn.execute(f"SELECT COUNT(*) FROM {other} = ?", [ident]).fetchone()[0]


def export_rows(conn: sqlite3.Connection) -> tuple[list[dict], dict[str, list[dict]], list[dict]]:
    """(areas, lines by area, requests): every row, retired too, in order (for the file)."""
    areas = _dicts(conn.execute("SELECT * FROM judgement_areas ORDER BY position, id"))
    lines: dict[str, list[dict]] = {}
    for r in _dicts(conn.execute("SELECT * FROM enquiries ORDER BY position, id")):
        lines.setdefault(r["area_id"], []).append(r)
    return areas, lines, request_rows(conn, include_retired=True)


# -- writing -----------------------------------------------------------------------------------
def insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    """Store a row as given (a new one, or one an undo brings back, same id and uuid)."""
    cols = list(values)
    conn.execute(f"INSERT INTO {_table(table)} ({', '.join(cols)}) VALUES "
                 f"({','.join('?' * len(cols))})", [values[c] for c in cols])


def delete(conn: sqlite3.Connection, table: str, ident: str) -> None:
    conn.execute(f"DELETE FROM {_table(table)} WHERE id = ?", [ident])


def update(conn: sqlite3.Connection, table: str, ident: str, fields: dict[str, Any],
           now: str | None) -> None:
    set_fields(conn, _table(table), ident, fields, now=now)


def set_positions(conn: sqlite3.Connection, table: str, ids: list[str]) -> None:
    conn.executemany(f"UPDATE {_table(table)} SET position = ? WHERE id = ?",
                     [(i + 1, x) for i, x in enumerate(ids)])


def retire_areas_outside(conn: sqlite3.Connection, keep: set[str], now: str) -> None:
    """Shipped areas not in `keep` retired, those in it restored (switching version)."""
    conn.execute(f"UPDATE judgement_areas SET retired = CASE WHEN id IN "
                 f"({','.join('?' * len(keep))}) THEN 0 ELSE 1 END, updated_at = ? "
                 "WHERE custom = 0", [*keep, now])
