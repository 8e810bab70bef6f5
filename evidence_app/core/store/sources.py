"""SQL for source folders (the `sources` table), returning typed `Source` records.

The rules (which folders may be sources, which files a source wants, case references in paths)
are in core/index/sources.py; this module only reads and writes the rows. Paths are stored in
their stored form (core/base/fsnames.py) and come back in their disk form.
"""
from __future__ import annotations

import json
from pathlib import Path

from evidence_app.core.base import clock
from evidence_app.core.base.fsnames import to_disk
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.store.records import Source

COLUMNS = "id, uuid, path, kind, include, exclude"


def _record(row: tuple) -> Source:
    return Source(id=row[0], uuid=row[1], path=Path(to_disk(row[2])), kind=row[3],
                  include=tuple(json.loads(row[4] or "[]")),
                  exclude=tuple(json.loads(row[5] or "[]")))


def _conn(db):  # noqa: ANN001, ANN202 - a sqlite-utils Database or a DB-API connection
    return getattr(db, "conn", db)


def save(db, stored_path: str, kind: str, include: list[str], exclude: list[str]) -> None:  # noqa: ANN001
    """Add a source folder, or change the kind and patterns of the one at that path."""
    conn = _conn(db)
    if conn.execute("SELECT 1 FROM sources WHERE path = ?", [stored_path]).fetchone():
        conn.execute("UPDATE sources SET kind = ?, include = ?, exclude = ? WHERE path = ?",
                     [kind, json.dumps(include), json.dumps(exclude), stored_path])
    else:
        conn.execute(
            "INSERT INTO sources(uuid, path, kind, include, exclude, added_at) VALUES (?,?,?,?,?,?)",
            [new_uuid(), stored_path, kind, json.dumps(include), json.dumps(exclude),
             clock.now_iso()])


def by_path(db, stored_path: str) -> Source | None:  # noqa: ANN001
    row = _conn(db).execute(f"SELECT {COLUMNS} FROM sources WHERE path = ?",
                            [stored_path]).fetchone()
    return _record(row) if row else None


def all_sources(db) -> list[Source]:  # noqa: ANN001
    return [_record(r) for r in _conn(db).execute(f"SELECT {COLUMNS} FROM sources ORDER BY path")]


def case_file_documents(db) -> list[tuple[int, str, str | None]]:  # noqa: ANN001
    """(id, rel_path, case_ref) of documents under case-files sources not linked by hand."""
    return _conn(db).execute(
        "SELECT d.id, d.rel_path, d.case_ref FROM documents d JOIN sources s ON s.id = d.source_id "
        "WHERE s.kind = 'case-files' AND d.case_ref_manual = 0").fetchall()


def set_case_refs(db, changes: list[tuple[str | None, int]]) -> None:  # noqa: ANN001
    """(new case reference, document id) pairs."""
    _conn(db).executemany("UPDATE documents SET case_ref = ? WHERE id = ?", changes)


def document_states(db, source_id: int) -> list[tuple[int, str, str, str | None]]:  # noqa: ANN001
    """(id, status, reason, missing_since) of every document of a source, attachments included:
    what removing the source changes, kept so the removal can be taken back exactly."""
    return _conn(db).execute(
        "SELECT id, status, reason, missing_since FROM documents WHERE source_id = ?",
        [source_id]).fetchall()


def reattach_documents(db, source_id: int,  # noqa: ANN001
                       states: list[tuple[int, str, str, str | None]]) -> None:
    """Give documents back to a source with the statuses they had before it was removed."""
    _conn(db).executemany(
        "UPDATE documents SET source_id = ?, status = ?, reason = ?, missing_since = ? "
        "WHERE id = ?", [(source_id, st, reason, since, i) for i, st, reason, since in states])


def journal_rows(db) -> list[dict]:  # noqa: ANN001
    """The source folders as the journal keeps them (configuration the index needs)."""
    cur = _conn(db).execute(
        "SELECT uuid, path, kind, include, exclude, added_at FROM sources ORDER BY id")
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur]


def stored_paths(db) -> dict[int, str]:  # noqa: ANN001
    """Each source folder's id -> path in stored form."""
    return dict(_conn(db).execute("SELECT id, path FROM sources ORDER BY id").fetchall())


def add_journaled(db, row: dict) -> None:  # noqa: ANN001
    """Put back a source folder as the journal recorded it (`journal_rows`' shape)."""
    _conn(db).execute(
        "INSERT INTO sources (uuid, path, kind, include, exclude, added_at) VALUES (?,?,?,?,?,?)",
        [row["uuid"], row["path"], row["kind"], row["include"], row["exclude"], row["added_at"]])
