"""What a backup holds, and how it becomes a database again (issue 9: backups sized to people's
work, not to the index).

A backup is a SQLite file (SQLCipher in an encrypted workspace) with the live database's schema,
filled in one read transaction of it (a consistent snapshot):
- every table of people's work, settings, sources and the index queue, whole;
- document records in `documents_backup`, a plain table (no indexes, no constraints: inserting
  100,000 rows into the real table's unique indexes took 6 s), leaving out for documents whose
  text is not kept what the indexer finds again (title, size, mtime, hash) and the path and name
  when they follow from the source folder and the relative path;
- the extracted text (chunks) only of the documents that evidence or a request points at. No
  full-text index: both are rebuilt when the backup is installed.
Meta `backup.format = slim-1` marks such a file and `backup.documents_schema` holds the SQL of the
real documents table, its indexes and triggers. `complete_after_install` (restore, recovery, or a
backup copied into place by hand) rebuilds the documents table, the names index (every document
is findable by name at once) and the passage index of the kept text, marks the other documents
`pending` and queues every file for the indexer, which reads them again in the background.
At 100,000 documents and 2,000 evidence items: about 44 MB and 1 s, against 1.4 GB and 10-20 s
for a whole copy (tests/benchmarks/bench_backup.py).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.base.fsutil import create_private_file
from evidence_app.core.base import clock
import json

SLIM_FORMAT = "slim-1"
# full-text tables' shadow tables: never copied (rebuilt on install)
_FTS_SHADOW = ("_data", "_idx", "_docsize", "_config", "_content")


def sql_path(path: Path) -> bytes:
    """A file name as SQL can take it whatever bytes it holds (a non-UTF-8 workspace path):
    bound as bytes and used as `CAST(? AS TEXT)`, SQLite hands the bytes to the OS unchanged."""
    return os.fsencode(str(path))


def vacuum_into(conn, target: Path) -> None:
    """A whole copy (before a migration): private from its first byte."""
    create_private_file(target)
    conn.execute("VACUUM INTO CAST(? AS TEXT)", [sql_path(target)])


def _evidence_documents_sql(schema: str) -> str:
    return (f"SELECT document_id FROM {schema}.evidence_items WHERE document_id IS NOT NULL "
            f"UNION SELECT document_id FROM {schema}.request_documents")


def write_slim_copy(ws, tmp: Path) -> None:
    """Fill `tmp` (created 0600) with the backup described in the module notes."""
    from evidence_app.core.store.db import raw_connect  # start-up: loaded only when this runs

    key = getattr(ws, "passphrase", None)
    create_private_file(tmp)
    conn = raw_connect(tmp, key)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA cache_size = -65536")
        if key is not None:
            conn.execute("ATTACH DATABASE CAST(? AS TEXT) AS src KEY ?",
                         [sql_path(ws.db_path), key])
        else:
            conn.execute("ATTACH DATABASE CAST(? AS TEXT) AS src", [sql_path(ws.db_path)])
        conn.execute("BEGIN")  # one read transaction of the live database: a snapshot
        _copy_schema(conn)
        mine = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = "
                                           "'table'")}
        theirs = {r[0] for r in conn.execute("SELECT name FROM src.sqlite_master WHERE type = "
                                             "'table'")}
        virtual = {r[0] for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE%'")}
        shadows = {v + s for v in virtual for s in _FTS_SHADOW}
        for table in sorted(mine & theirs):
            if table in virtual or table in shadows or (table.startswith("sqlite_") and
                                                        table != "sqlite_sequence"):
                continue
            cols = _common_columns(conn, table)
            where = ""
            if table == "chunks":
                where = f" WHERE document_id IN ({_evidence_documents_sql('src')})"
            conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM src."{table}"'
                         + where)
        _copy_documents(conn)
        schema = [r[0] for r in conn.execute(
            "SELECT sql FROM src.sqlite_master WHERE tbl_name = 'documents' AND sql IS NOT NULL "
            "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid")]
        conn.execute("INSERT INTO main.meta(key, value) VALUES ('backup.format', ?), "
                     "('backup.made_at', ?), ('backup.documents_schema', ?) ON CONFLICT(key) "
                     "DO UPDATE SET value = excluded.value",
                     [SLIM_FORMAT, dt.datetime.now().isoformat(), json.dumps(schema)])
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()


def _copy_schema(conn) -> None:
    """The live database's schema (tables, indexes, triggers, full-text tables), except the
    documents table, whose records go to `documents_backup`. Faster than running the
    migrations, and exactly what the live database has."""
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM src.sqlite_master WHERE sql IS NOT NULL ORDER BY "
        "CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid").fetchall()
    virtual = {name for typ, name, _t, sql in rows
               if typ == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")}
    shadows = {v + s for v in virtual for s in _FTS_SHADOW}
    for typ, name, tbl, sql in rows:
        if name.startswith("sqlite_") or name in shadows or tbl in shadows or \
                tbl == "documents":
            continue
        conn.execute(sql)


def _copy_documents(conn) -> None:
    conn.execute("CREATE TABLE main.documents_backup AS SELECT * FROM src.documents WHERE 0")
    cols = [r[1] for r in conn.execute("PRAGMA src.table_info(documents)")]
    kept = _evidence_documents_sql("src")
    names = ", ".join(f'"{c}"' for c in cols)
    conn.execute(f"INSERT INTO main.documents_backup ({names}) SELECT {names} FROM src.documents "
                 f"WHERE id IN ({kept})")
    trimmed = {
        "path": "CASE WHEN s.path IS NOT NULL AND d.path = rtrim(s.path, '/') || '/' || "
                "d.rel_path THEN NULL ELSE d.path END",
        "name": "CASE WHEN d.member = '' THEN NULL ELSE d.name END",
        "title": "NULL", "size": "NULL", "mtime": "NULL", "sha256": "NULL", "indexed_at": "NULL",
        "pages": "NULL",
    }
    select = ", ".join(trimmed.get(c, f'd."{c}"') for c in cols)
    conn.execute(f"INSERT INTO main.documents_backup ({names}) SELECT {select} FROM src.documents "
                 f"d LEFT JOIN src.sources s ON s.id = d.source_id WHERE d.id NOT IN ({kept})")


def is_slim(db) -> bool:
    return db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                           "'documents_backup'").fetchone() is not None


def unpack_slim(ws) -> None:
    """A slim backup just became the database: rebuild the documents table from
    `documents_backup` (paths and names derived back), then both full-text indexes (names for
    every document, passages for the kept text). Documents whose text was not kept wait, as
    `pending`, for the indexer to read them again."""
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    db = ws.db
    conn = db.conn
    with transaction(db):
        row = conn.execute("SELECT value FROM meta WHERE key = 'backup.documents_schema'"
                           ).fetchone()
        schema = json.loads(row[0]) if row else []
        if not any(s.lstrip().upper().startswith("CREATE TABLE") for s in schema):
            raise WorkspaceError("This backup does not say how to rebuild its document records; "
                                 "it was not installed.")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
            conn.execute("DROP TABLE documents")
        tables = [s for s in schema if s.lstrip().upper().startswith("CREATE TABLE")]
        rest = [s for s in schema if s not in tables]
        for sql in tables:
            conn.execute(sql)
        cols = [r[1] for r in conn.execute("PRAGMA table_info(documents_backup)")]
        sources = dict(conn.execute("SELECT id, path FROM sources").fetchall())
        ip, iname, irel, isrc, imember = (cols.index(c) for c in
                                          ("path", "name", "rel_path", "source_id", "member"))
        rows = []
        for r in conn.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM "
                              "documents_backup ORDER BY id"):
            r = list(r)
            if r[ip] is None:
                base = sources.get(r[isrc]) or ""
                r[ip] = os.path.join(base, *r[irel].split("/"))
            if r[iname] is None:
                r[iname] = os.path.basename(r[ip]) if not r[imember] else r[imember]
            rows.append(r)
        conn.executemany(f"INSERT INTO documents ({', '.join(chr(34) + c + chr(34) for c in cols)})"
                         f" VALUES ({', '.join('?' * len(cols))})", rows)
        for sql in rest:
            conn.execute(sql)
        conn.execute("DROP TABLE documents_backup")
        kept = "SELECT DISTINCT document_id FROM chunks"
        conn.execute(
            f"UPDATE documents SET status = 'pending', reason = 'Waiting to be read again after "
            f"a restore (its text was not in the backup).' WHERE status = 'ok' AND id NOT IN "
            f"({kept})")
        conn.execute("INSERT INTO names_fts(names_fts) VALUES('rebuild')")
        conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")
        conn.execute("DELETE FROM meta WHERE key LIKE 'backup.%'")


def _common_columns(conn, table: str) -> str:
    main = [r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')]
    src = {r[1] for r in conn.execute(f'PRAGMA src.table_info("{table}")')}
    return ", ".join(f'"{c}"' for c in main if c in src)


def complete_after_install(ws) -> int:
    """After a backup became the database: unpack a slim one, then queue every file to be read
    again (the documents whose text the backup did not keep are parsed, not skipped as
    unchanged). Returns how many files were queued. Names are searchable at once; passages come
    back as the indexer reads the sources, in the background."""
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    db = ws.db
    if is_slim(db):
        unpack_slim(ws)
    with transaction(db):
        kept = "SELECT DISTINCT document_id FROM chunks"
        # an attachment whose text was not kept: its parent file must be parsed again too
        db.conn.execute(
            f"UPDATE documents SET sha256 = NULL WHERE member = '' AND id IN (SELECT parent_id "
            f"FROM documents WHERE member != '' AND status = 'pending' AND id NOT IN ({kept}))")
        rows = db.conn.execute("SELECT path, source_id FROM documents WHERE member = '' AND "
                               "source_id IS NOT NULL AND status != 'missing'").fetchall()
        db.conn.execute("UPDATE documents SET mtime = NULL WHERE member = ''")
        db.conn.executemany("INSERT OR IGNORE INTO index_queue(path, source_id, enqueued_at) "
                            "VALUES (?,?,?)", [(r[0], r[1], clock.now_iso()) for r in rows])
    return len(rows)
