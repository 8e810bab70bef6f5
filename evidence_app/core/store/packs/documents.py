"""Documents as the pack merge matches them: by content hash, by text hash, by path."""
from __future__ import annotations

import sqlite3

from evidence_app.core.store.packs._sql import _chunks, _marks
from evidence_app.core.store.updates import insert_row


def docs_by_sha(conn: sqlite3.Connection, shas: list[str]) -> dict[str, tuple[int, str, int]]:
    """file SHA-256 -> (id, uuid, text_version) of a document here, present files first."""
    out: dict[str, tuple[int, str, int]] = {}
    for part in _chunks(shas):
        for sha, did, duuid, tv in conn.execute(
                f"SELECT sha256, id, uuid, text_version FROM documents WHERE sha256 IN "
                f"({_marks(part)}) ORDER BY (status = 'missing') DESC, id DESC", part):
            out[sha] = (did, duuid, tv)  # the last written wins: present, lowest id
    return out


def docs_needing_text_hash(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    return conn.execute(
        "SELECT d.id, d.text_version FROM documents d LEFT JOIN pack_text_hashes h "
        "ON h.document_id = d.id WHERE d.chars > 0 AND (h.document_id IS NULL OR "
        "h.text_version != d.text_version)").fetchall()


def chunk_texts(conn: sqlite3.Connection, doc_id: int) -> list[tuple]:
    """(seq, page, heading, start, text) in order."""
    return conn.execute("SELECT seq, page, heading, start, text FROM chunks WHERE document_id = ?"
                        " ORDER BY seq", [doc_id]).fetchall()


def put_text_hash(conn: sqlite3.Connection, doc_id: int, text_version: int, sha: str) -> None:
    conn.execute("INSERT INTO pack_text_hashes (document_id, text_version, sha256) VALUES "
                 "(?,?,?) ON CONFLICT(document_id) DO UPDATE SET text_version = "
                 "excluded.text_version, sha256 = excluded.sha256", [doc_id, text_version, sha])


def text_hash_of(conn: sqlite3.Connection, doc_id: int, text_version: int) -> str | None:
    row = conn.execute("SELECT sha256 FROM pack_text_hashes WHERE document_id = ? AND "
                       "text_version = ?", [doc_id, text_version]).fetchone()
    return row[0] if row else None


def docs_by_text_sha(conn: sqlite3.Connection, shas: list[str]) -> dict[str, tuple[int, str, int]]:
    out: dict[str, tuple[int, str, int]] = {}
    for part in _chunks(shas):
        for sha, did, duuid, tv in conn.execute(
                f"SELECT h.sha256, d.id, d.uuid, d.text_version FROM pack_text_hashes h JOIN "
                f"documents d ON d.id = h.document_id AND d.text_version = h.text_version "
                f"WHERE h.sha256 IN ({_marks(part)}) ORDER BY (d.status = 'missing') DESC, "
                f"d.id DESC", part):
            out[sha] = (did, duuid, tv)
    return out


def doc_by_path(conn: sqlite3.Connection, path: str) -> tuple[int, str, int] | None:
    row = conn.execute("SELECT id, uuid, text_version FROM documents WHERE path = ? AND "
                       "member = ''", [path]).fetchone()
    return (row[0], row[1], row[2]) if row else None


def insert_document(conn: sqlite3.Connection, values: dict) -> int:
    """A document that came in a pack (a carried copy, or a reference to a file not here)."""
    doc_id = insert_row(conn, "documents", values)
    conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, ?, ?)",
                 [doc_id, values.get("title"), values["name"]])
    return doc_id
