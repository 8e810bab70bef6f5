"""The SQLite database inside an evidence pack (core/packs/): what travels, one table per kind
of record. Its SQL lives here, in the store, like the workspace's own.

JSON columns hold records whose shape is the pack format's, not this workspace's schema, so a
receiving workspace with a later schema still reads them. `info` repeats the sender's workspace
id so a payload cannot be swapped between two manifests unnoticed.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE items (uuid TEXT PRIMARY KEY, heads TEXT NOT NULL, fixed TEXT NOT NULL);
CREATE TABLE documents (key TEXT PRIMARY KEY, facts TEXT NOT NULL, file TEXT);
CREATE TABLE chunks (doc_key TEXT NOT NULL, seq INTEGER NOT NULL, page INTEGER, heading TEXT,
                     start INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE cases (ref TEXT PRIMARY KEY, fields TEXT NOT NULL, readiness TEXT NOT NULL,
                    created_at TEXT);
CREATE TABLE requests (id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE framework (id TEXT PRIMARY KEY, kind TEXT NOT NULL, area_id TEXT, area_title TEXT,
                        title TEXT NOT NULL, prompt TEXT);
CREATE TABLE bundles (uuid TEXT PRIMARY KEY, state TEXT NOT NULL);
"""


def _j(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def doc_key(facts: dict) -> str | None:
    """How a pack names a document: its file hash, else its text hash."""
    if facts.get("sha256"):
        return facts["sha256"]
    if facts.get("text_sha256"):
        return "text:" + facts["text_sha256"]
    return None


class PayloadWriter:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.executescript(SCHEMA)
        self.conn.execute("BEGIN")

    def info(self, **values) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)",
                              [(k, _j(v)) for k, v in values.items()])

    def items(self, rows) -> None:
        self.conn.executemany("INSERT INTO items VALUES (?, ?, ?)",
                              [(u, _j(h), _j(f)) for u, h, f in rows])

    def document(self, key: str, facts: dict, file_sha: str | None) -> None:
        self.conn.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?)",
                          [key, _j(facts), file_sha])

    def chunks(self, key: str, chunks) -> None:
        self.conn.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?)",
                              [(key, *c) for c in chunks])

    def case(self, ref: str, fields: dict, readiness: list, created_at: str | None) -> None:
        self.conn.execute("INSERT INTO cases VALUES (?,?,?,?)",
                          [ref, _j(fields), _j(readiness), created_at])

    def request(self, ident: str, row: dict) -> None:
        self.conn.execute("INSERT INTO requests VALUES (?, ?)", [ident, _j(row)])

    def framework(self, rows: list[dict]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO framework VALUES (?,?,?,?,?,?)",
                              [(r["id"], r["kind"], r.get("area_id"), r.get("area_title"),
                                r["title"], r.get("prompt")) for r in rows])

    def bundles(self, states: dict[str, dict]) -> None:
        self.conn.executemany("INSERT INTO bundles VALUES (?, ?)",
                              [(u, _j(st)) for u, st in sorted(states.items())])

    def close(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()


class PayloadReader:
    """Reads a checked payload. Malformed rows raise ValueError (the pack is then refused)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)

    def info(self) -> dict:
        return {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM info")}

    def items(self) -> list[tuple[str, list[dict], dict]]:
        return [(u, json.loads(h), json.loads(f)) for u, h, f in
                self.conn.execute("SELECT uuid, heads, fixed FROM items ORDER BY uuid")]

    def documents(self) -> dict[str, tuple[dict, str | None]]:
        return {k: (json.loads(f), s) for k, f, s in
                self.conn.execute("SELECT key, facts, file FROM documents")}

    def chunks(self, key: str) -> list[tuple]:
        return self.conn.execute("SELECT seq, page, heading, start, text FROM chunks WHERE "
                                 "doc_key = ? ORDER BY seq", [key]).fetchall()

    def cases(self) -> list[tuple[str, dict, list, str | None]]:
        return [(r, json.loads(f), json.loads(t), c) for r, f, t, c in self.conn.execute(
            "SELECT ref, fields, readiness, created_at FROM cases ORDER BY ref")]

    def requests(self) -> list[tuple[str, dict]]:
        return [(i, json.loads(r)) for i, r in
                self.conn.execute("SELECT id, row FROM requests ORDER BY id")]

    def framework(self) -> list[dict]:
        cur = self.conn.execute("SELECT id, kind, area_id, area_title, title, prompt FROM "
                                "framework ORDER BY id")
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def bundles(self) -> list[tuple[str, dict]]:
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'bundles'").fetchone():
            return []
        return [(u, json.loads(st)) for u, st in
                self.conn.execute("SELECT uuid, state FROM bundles ORDER BY uuid")]

    def close(self) -> None:
        self.conn.close()


PAYLOAD_TABLES = {"info", "items", "documents", "chunks", "cases", "requests", "framework"}


def is_complete(path: Path) -> bool:
    """The payload is an intact SQLite database with every table the format has (raises
    sqlite3.DatabaseError when it is not a database at all)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    return ok == "ok" and PAYLOAD_TABLES <= tables
