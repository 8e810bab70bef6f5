"""SQL of a slim backup: filling a backup file from the live database, and turning the backup's
`documents_backup` table back into document records once the backup is the workspace database.

The rules (which tables are copied whole, which only for the documents evidence points at, which
document fields the indexer finds again, how a trimmed path and name are derived back, what is
marked `pending`) are in core/safety/backup_slim.py; this module only runs the statements.
Filling works on a new backup file with the live database attached as `src`, inside one read
transaction of it (`live_snapshot`).
"""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from evidence_app.core.base.frozen import frozen

LIVE = "src"  # the schema name the live database is attached under while a backup is filled

# the documents evidence or a request points at (their text is kept); `{db}` is a schema name
_EVIDENCE_DOCUMENTS = ("SELECT document_id FROM {db}.evidence_items WHERE document_id IS NOT NULL "
                       "UNION SELECT document_id FROM {db}.request_documents")
# sqlite_master's rows in the order they can be run again: tables, then indexes, then the rest
_SCHEMA_ORDER = "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"


@frozen
class SchemaEntry:
    """One statement of a database's schema (a row of its `sqlite_master`)."""

    type: str  # table, index, trigger, view
    name: str
    table: str  # the table it belongs to (its own name for a table)
    sql: str

    @property
    def is_virtual_table(self) -> bool:
        return self.type == "table" and self.sql.upper().startswith("CREATE VIRTUAL TABLE")


@frozen
class FileToRead:
    """A top-level file the indexer must read again after a backup was installed."""

    path: str  # stored form
    source_id: int


def sql_path(path: Path) -> bytes:
    """A file name as SQL can take it whatever bytes it holds (a non-UTF-8 workspace path):
    bound as bytes and used as `CAST(? AS TEXT)`, SQLite hands the bytes to the OS unchanged."""
    return os.fsencode(str(path))


def vacuum_into(conn: sqlite3.Connection, target: Path) -> None:
    """A whole, consistent copy of the database in `target` (which must not hold a database)."""
    conn.execute("VACUUM INTO CAST(? AS TEXT)", [sql_path(target)])


# -- filling a backup ----------------------------------------------------------------------------
def tune_for_bulk_fill(conn: sqlite3.Connection) -> None:
    """A backup file being filled needs no journal and no fsync per statement: it becomes a
    backup only when the caller fsyncs and renames it."""
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA cache_size = -65536")


@contextmanager
def live_snapshot(conn: sqlite3.Connection, live_db: Path, key: str | None) -> Iterator[None]:
    """The live database attached as `src` (keyed like the backup when encrypted), read in one
    transaction: every table copied inside sees the same moment. Committed and detached on the
    way out; on an error the caller closes (and discards) the backup file."""
    if key is not None:
        conn.execute(f"ATTACH DATABASE CAST(? AS TEXT) AS {LIVE} KEY ?", [sql_path(live_db), key])
    else:
        conn.execute(f"ATTACH DATABASE CAST(? AS TEXT) AS {LIVE}", [sql_path(live_db)])
    conn.execute("BEGIN")
    yield
    conn.execute("COMMIT")
    conn.execute(f"DETACH DATABASE {LIVE}")


def live_schema(conn: sqlite3.Connection) -> list[SchemaEntry]:
    """The live database's schema statements, in an order they can be run again."""
    return [SchemaEntry(*r) for r in conn.execute(
        f"SELECT type, name, tbl_name, sql FROM {LIVE}.sqlite_master WHERE sql IS NOT NULL "
        + _SCHEMA_ORDER)]


def run_schema(conn: sqlite3.Connection, sql: str) -> None:
    """Run one schema statement (CREATE TABLE/INDEX/TRIGGER) taken from a database's schema."""
    conn.execute(sql)


def table_names(conn: sqlite3.Connection, db: str = "main") -> set[str]:
    """Every table of `main` (the backup) or `src` (the live database)."""
    if db not in ("main", LIVE):
        raise ValueError(f"not an attached database: {db!r}")
    return {r[0] for r in conn.execute(f"SELECT name FROM {db}.sqlite_master WHERE type = "
                                       "'table'")}


def _columns(conn: sqlite3.Connection, db: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {db}.table_info("{table}")')]


def _names(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def copy_table(conn: sqlite3.Connection, table: str, *,
               evidence_documents_only: bool = False) -> None:
    """Copy a live table's rows into the backup's table of that name (the columns both have).
    `evidence_documents_only`: only rows whose `document_id` evidence or a request points at."""
    live = set(_columns(conn, LIVE, table))
    cols = _names([c for c in _columns(conn, "main", table) if c in live])
    where = ""
    if evidence_documents_only:
        where = f" WHERE document_id IN ({_EVIDENCE_DOCUMENTS.format(db=LIVE)})"
    conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM {LIVE}."{table}"'
                 + where)


def copy_documents(conn: sqlite3.Connection, found_again: tuple[str, ...]) -> None:
    """The live document records into `documents_backup` (a plain table: no indexes to fill).
    Documents evidence or a request points at are copied whole; the others without the
    `found_again` columns (the indexer finds them again) and without the path and name where
    they follow from the source folder and the relative path."""
    conn.execute(f"CREATE TABLE main.documents_backup AS SELECT * FROM {LIVE}.documents WHERE 0")
    cols = _columns(conn, LIVE, "documents")
    kept = _EVIDENCE_DOCUMENTS.format(db=LIVE)
    names = _names(cols)
    conn.execute(f"INSERT INTO main.documents_backup ({names}) SELECT {names} FROM "
                 f"{LIVE}.documents WHERE id IN ({kept})")
    trimmed = {
        "path": "CASE WHEN s.path IS NOT NULL AND d.path = rtrim(s.path, '/') || '/' || "
                "d.rel_path THEN NULL ELSE d.path END",
        "name": "CASE WHEN d.member = '' THEN NULL ELSE d.name END",
        **{c: "NULL" for c in found_again},
    }
    select = ", ".join(trimmed.get(c, f'd."{c}"') for c in cols)
    conn.execute(f"INSERT INTO main.documents_backup ({names}) SELECT {select} FROM "
                 f"{LIVE}.documents d LEFT JOIN {LIVE}.sources s ON s.id = d.source_id "
                 f"WHERE d.id NOT IN ({kept})")


def documents_schema(conn: sqlite3.Connection) -> list[str]:
    """The live documents table's own statements (table, indexes, triggers), in order."""
    return [r[0] for r in conn.execute(
        f"SELECT sql FROM {LIVE}.sqlite_master WHERE tbl_name = 'documents' AND sql IS NOT NULL "
        + _SCHEMA_ORDER)]


# -- unpacking a backup that became the database -------------------------------------------------
def drop_documents_table(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE IF EXISTS documents")


def restore_documents(conn: sqlite3.Connection,
                      derive: Callable[[str | None, str | None, str, str, str],
                                       tuple[str, str]]) -> int:
    """Copy `documents_backup` into the (new, empty) documents table, in id order. A row whose
    path or name was left out is completed by `derive(path, name, rel_path, source folder,
    member)` -> (path, name). Returns how many records were copied."""
    cols = _columns(conn, "main", "documents_backup")
    sources = dict(conn.execute("SELECT id, path FROM sources").fetchall())
    ip, iname, irel, isrc, imember = (cols.index(c) for c in
                                      ("path", "name", "rel_path", "source_id", "member"))
    rows = []
    for r in conn.execute(f"SELECT {_names(cols)} FROM documents_backup ORDER BY id"):
        if r[ip] is None or r[iname] is None:
            r = list(r)
            r[ip], r[iname] = derive(r[ip], r[iname], r[irel], sources.get(r[isrc]) or "",
                                     r[imember])
        rows.append(r)
    marks = ", ".join("?" * len(cols))
    conn.executemany(f"INSERT INTO documents ({_names(cols)}) VALUES ({marks})", rows)
    return len(rows)


def drop_backup_table(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE documents_backup")


def mark_unkept_pending(conn: sqlite3.Connection, reason: str) -> None:
    """Documents read fine whose text the backup did not keep wait to be read again."""
    conn.execute("UPDATE documents SET status = 'pending', reason = ? WHERE status = 'ok' AND "
                 "id NOT IN (SELECT DISTINCT document_id FROM chunks)", [reason])


def forget_marks(conn: sqlite3.Connection) -> None:
    """The backup's own settings (`backup.*`), once it is a database again."""
    conn.execute("DELETE FROM meta WHERE key LIKE 'backup.%'")


def forget_parents_of_unread_attachments(conn: sqlite3.Connection) -> None:
    """An attachment whose text was not kept is read with its parent file: forget the parent's
    fingerprint so the indexer parses it instead of skipping it as unchanged."""
    conn.execute(
        "UPDATE documents SET sha256 = NULL WHERE member = '' AND id IN (SELECT parent_id FROM "
        "documents WHERE member != '' AND status = 'pending' AND id NOT IN "
        "(SELECT DISTINCT document_id FROM chunks))")


def files_to_read_again(conn: sqlite3.Connection) -> list[FileToRead]:
    """Every top-level file of a source folder that is still there."""
    return [FileToRead(*r) for r in conn.execute(
        "SELECT path, source_id FROM documents WHERE member = '' AND source_id IS NOT NULL AND "
        "status != 'missing'")]


def forget_file_times(conn: sqlite3.Connection) -> None:
    """No top-level file counts as unchanged by its time: each is read (or hashed) again."""
    conn.execute("UPDATE documents SET mtime = NULL WHERE member = ''")
