"""SQL for the journal's snapshots and its replay: whole rows of any journaled table, read and
written by the table's name, and the document references a journaled row carries.

The journal (core/safety/journal.py) records the full state of an entity after each change, and
replay (core/safety/journal_replay.py) upserts it by uuid; which tables are journaled, which
children belong to which parent and in what order things are applied are their rules. The tables
vary (each stage registers its own), so rows here are generic: a column -> value dict, exactly
what goes into a journal line as JSON. Table and column names come from the journal's registry
or from the table itself, never from a person, and are quoted.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict

from evidence_app.core.base.frozen import frozen


@frozen
class DocumentRef:
    """Where a journaled row's document is, so replay can find it (or a placeholder for it) in
    a database whose document ids differ."""

    uuid: str | None
    path: str
    member: str
    rel_path: str
    name: str

    def as_json(self) -> dict:
        # by hand, not dataclasses.asdict (which copies deeply): a journal line per tag
        return {"uuid": self.uuid, "path": self.path, "member": self.member,
                "rel_path": self.rel_path, "name": self.name}


@frozen
class DocumentCaseLink:
    """A document's case reference as people set it (the journaled state of a document)."""

    uuid: str | None
    path: str
    member: str
    rel_path: str
    name: str
    case_ref: str | None
    case_ref_manual: int

    def as_json(self) -> dict:
        return asdict(self)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dicts(cur: sqlite3.Cursor) -> list[dict]:
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# -- reading (snapshots) ------------------------------------------------------------------------
def table_exists(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [table]).fetchone() is not None


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({_q(table)})")]


def rows_where(conn: sqlite3.Connection, table: str, column: str,
               value: object) -> list[dict]:
    """Every row of `table` whose `column` equals `value`, whole."""
    return _dicts(conn.execute(f"SELECT * FROM {_q(table)} WHERE {_q(column)} = ?", [value]))


def all_rows(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every row of `table`, whole, in insertion order."""
    return _dicts(conn.execute(f"SELECT * FROM {_q(table)} ORDER BY rowid"))


def document_ref(conn: sqlite3.Connection, doc_id: int) -> DocumentRef | None:
    r = conn.execute("SELECT uuid, path, member, rel_path, name FROM documents WHERE id = ?",
                     [doc_id]).fetchone()
    return DocumentRef(*r) if r else None


def document_case_links(conn: sqlite3.Connection, uuid: str) -> list[DocumentCaseLink]:
    return [DocumentCaseLink(*r) for r in conn.execute(
        "SELECT uuid, path, member, rel_path, name, case_ref, case_ref_manual FROM documents "
        "WHERE uuid = ?", [uuid])]


# -- writing (replay) ---------------------------------------------------------------------------
def id_of(conn: sqlite3.Connection, table: str, uuid: str) -> int | None:
    row = conn.execute(f"SELECT id FROM {_q(table)} WHERE uuid = ?", [uuid]).fetchone()
    return row[0] if row else None


def id_is_free(conn: sqlite3.Connection, table: str, row_id: int) -> bool:
    return conn.execute(f"SELECT 1 FROM {_q(table)} WHERE id = ?", [row_id]).fetchone() is None


def delete(conn: sqlite3.Connection, table: str, row_id: int) -> None:
    conn.execute(f"DELETE FROM {_q(table)} WHERE id = ?", [row_id])


def update(conn: sqlite3.Connection, table: str, row_id: int, values: dict) -> None:
    """Set these columns of the row `row_id` (nothing when `values` is empty)."""
    if values:
        sets = ", ".join(f"{_q(k)} = ?" for k in values)
        conn.execute(f"UPDATE {_q(table)} SET {sets} WHERE id = ?", [*values.values(), row_id])


def insert(conn: sqlite3.Connection, table: str, values: dict, *, replace: bool = False) -> int:
    """Insert one row (`replace`: over a row with the same key); returns its rowid."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    cur = conn.execute(f"{verb} INTO {_q(table)} ({', '.join(_q(k) for k in values)}) "
                       f"VALUES ({','.join('?' * len(values))})", list(values.values()))
    return int(cur.lastrowid)


def delete_children(conn: sqlite3.Connection, table: str, column: str, parent_id: int) -> None:
    conn.execute(f"DELETE FROM {_q(table)} WHERE {_q(column)} = ?", [parent_id])


def document_id(conn: sqlite3.Connection, uuid: str | None, path: str, member: str) -> int | None:
    """The local id of a document: by uuid, else by path and member."""
    r = conn.execute("SELECT id FROM documents WHERE uuid = ?", [uuid]).fetchone()
    if r is None:
        r = conn.execute("SELECT id FROM documents WHERE path = ? AND member = ?",
                         [path, member]).fetchone()
    return int(r[0]) if r else None


def add_placeholder_document(conn: sqlite3.Connection, uuid: str | None, source_id: int | None,
                             path: str, rel_path: str, name: str, reason: str, at: str) -> int:
    """A `pending` document record the indexer fills in when it reads the file, findable by
    name at once. Returns its id."""
    cur = conn.execute(
        "INSERT INTO documents (uuid, source_id, path, member, rel_path, name, status, reason, "
        "first_seen) VALUES (?,?,?,'',?,?,'pending',?,?)",
        [uuid, source_id, path, rel_path, name, reason, at])
    doc_id = int(cur.lastrowid)
    conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, NULL, ?)", [doc_id, name])
    return doc_id


def set_case_ref(conn: sqlite3.Connection, doc_id: int, case_ref: str | None,
                 manual: int) -> None:
    conn.execute("UPDATE documents SET case_ref = ?, case_ref_manual = ? WHERE id = ?",
                 [case_ref, manual, doc_id])
