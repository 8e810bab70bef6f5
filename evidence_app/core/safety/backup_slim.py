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
import json
import os
from pathlib import Path

from evidence_app.core.base import clock
from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.base.fsutil import create_private_file
from evidence_app.core.store import backup_slim as store
from evidence_app.core.store import integrity as integrity_store
from evidence_app.core.store import meta as meta_store
from evidence_app.core.store import queue as queue_store
from evidence_app.core.store.backup_slim import sql_path  # noqa: F401 (re-exported)

SLIM_FORMAT = "slim-1"
# full-text tables' shadow tables: never copied (rebuilt on install)
_FTS_SHADOW = ("_data", "_idx", "_docsize", "_config", "_content")
# tables copied only for the documents evidence or a request points at (their text)
_EVIDENCE_ONLY = {"chunks"}
# document fields the indexer finds again when it reads the file: left out of the backup
FOUND_AGAIN = ("title", "size", "mtime", "sha256", "indexed_at", "pages")
PENDING_REASON = "Waiting to be read again after a restore (its text was not in the backup)."


def vacuum_into(conn, target: Path) -> None:
    """A whole copy (before a migration): private from its first byte."""
    create_private_file(target)
    store.vacuum_into(conn, target)


def write_slim_copy(ws, tmp: Path) -> None:
    """Fill `tmp` (created 0600) with the backup described in the module notes."""
    from evidence_app.core.store.db import raw_connect  # start-up: loaded only when this runs

    key = getattr(ws, "passphrase", None)
    create_private_file(tmp)
    conn = raw_connect(tmp, key)
    try:
        store.tune_for_bulk_fill(conn)
        with store.live_snapshot(conn, ws.db_path, key):
            schema = store.live_schema(conn)
            virtual = {e.name for e in schema if e.is_virtual_table}
            shadows = {v + s for v in virtual for s in _FTS_SHADOW}
            _copy_schema(conn, schema, shadows)
            both = store.table_names(conn, "main") & store.table_names(conn, store.LIVE)
            for table in sorted(both):
                if table in virtual or table in shadows or (table.startswith("sqlite_") and
                                                            table != "sqlite_sequence"):
                    continue
                store.copy_table(conn, table, evidence_documents_only=table in _EVIDENCE_ONLY)
            store.copy_documents(conn, FOUND_AGAIN)
            marks = {"backup.format": SLIM_FORMAT,
                     "backup.made_at": dt.datetime.now().isoformat(),
                     "backup.documents_schema": json.dumps(store.documents_schema(conn))}
            for k, v in marks.items():
                meta_store.put(conn, k, v)
    finally:
        conn.close()


def _copy_schema(conn, schema: list[store.SchemaEntry], shadows: set[str]) -> None:
    """The live database's schema (tables, indexes, triggers, full-text tables), except the
    documents table, whose records go to `documents_backup`. Faster than running the
    migrations, and exactly what the live database has."""
    for e in schema:
        if e.name.startswith("sqlite_") or e.name in shadows or e.table in shadows or \
                e.table == "documents":
            continue
        store.run_schema(conn, e.sql)


def is_slim(db) -> bool:
    return meta_store.has_table(db.conn, "documents_backup")


def _derive(path: str | None, name: str | None, rel_path: str, source: str,
            member: str) -> tuple[str, str]:
    """A document's path and name as the backup left them out: the path from its source folder
    and relative path, the name from the path (or the attachment's member name)."""
    if path is None:
        path = os.path.join(source, *rel_path.split("/"))
    if name is None:
        name = os.path.basename(path) if not member else member
    return path, name


def unpack_slim(ws) -> None:
    """A slim backup just became the database: rebuild the documents table from
    `documents_backup` (paths and names derived back), then both full-text indexes (names for
    every document, passages for the kept text). Documents whose text was not kept wait, as
    `pending`, for the indexer to read them again."""
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    db = ws.db
    conn = db.conn
    with transaction(db):
        saved = meta_store.get(conn, "backup.documents_schema")
        schema = json.loads(saved) if saved else []
        if not any(s.lstrip().upper().startswith("CREATE TABLE") for s in schema):
            raise WorkspaceError("This backup does not say how to rebuild its document records; "
                                 "it was not installed.")
        store.drop_documents_table(conn)
        tables = [s for s in schema if s.lstrip().upper().startswith("CREATE TABLE")]
        for sql in tables:
            store.run_schema(conn, sql)
        store.restore_documents(conn, _derive)
        for sql in schema:
            if sql not in tables:
                store.run_schema(conn, sql)
        store.drop_backup_table(conn)
        store.mark_unkept_pending(conn, PENDING_REASON)
        integrity_store.fts_rebuild(conn)
        store.forget_marks(conn)


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
        store.forget_parents_of_unread_attachments(db.conn)
        files = store.files_to_read_again(db.conn)
        store.forget_file_times(db.conn)
        at = clock.now_iso()
        queue_store.enqueue(db.conn, [(f.path, f.source_id, at) for f in files])
    return len(files)
