"""This workspace's evidence items and cases as the packs see them: versions and fixed facts.

People edit items and cases through the ordinary commands, which know nothing of packs. Before a
pack is written or merged, `sync` compares each item with the version packs last recorded for it:
a difference is a local edit, recorded as a new revision descending from that version (several
edits between two packs become one revision). Cases get a stamp per field the same way.
"""
from __future__ import annotations

import hashlib
import json

from evidence_app.core.base import clock
from evidence_app.core.packs.revisions import VERSIONED, Head
from evidence_app.core.store import packs as store

CASE_FIELDS = ("name", "alias", "worker", "team", "status", "sampled", "open", "redact",
               "other_names", "relatives", "dob")
# a field still at its default when first seen was never set: it never wins over a value
UNSET = {"name": None, "worker": None, "team": None, "status": None, "dob": None,
         "redact": "[]", "other_names": "[]", "relatives": "[]", "sampled": 0, "open": 1}
# left out of a pack made with --no-names: real names and what identifies the child
NAME_FIELDS = ("name", "other_names", "relatives", "dob", "redact")


def content_of(row: dict) -> dict:
    """The versioned fields of an item row (see revisions.VERSIONED)."""
    out = {k: row.get(k) for k in VERSIONED if k not in ("enquiries", "requests")}
    out["enquiries"] = sorted((row.get("enquiries") or "").split())
    out["requests"] = sorted((row.get("requests") or "").split())
    return out


def fixed_of(row: dict) -> dict:
    """What was fixed when the item was made (it never changes, and travels unversioned)."""
    return {k: row.get(k) for k in ("quote", "context_before", "context_after", "start", "end",
                                    "page", "author", "created_at")}


def text_sha(conn, doc_id: int, text_version: int) -> str | None:
    """SHA-256 of a document's extracted text (cached per text version)."""
    if doc_id is None:
        return None
    cached = store.text_hash_of(conn, doc_id, text_version)
    if cached:
        return cached
    from evidence_app.core.index.chunking import SEPARATOR  # start-up: loaded only when this runs

    chunks = store.chunk_texts(conn, doc_id)
    if not chunks:
        return None
    sha = hashlib.sha256(SEPARATOR.join(c[4] for c in chunks).encode("utf-8")).hexdigest()
    if not conn.in_transaction:
        return sha
    store.put_text_hash(conn, doc_id, text_version, sha)
    return sha


def fill_text_hashes(conn) -> None:
    """Hash the text of every document not hashed at its current version (matching by text)."""
    for doc_id, version in store.docs_needing_text_hash(conn):
        text_sha(conn, doc_id, version)


def doc_facts(conn, row: dict) -> dict:
    """The document an item points at, as hashes and names that mean something elsewhere."""
    if row.get("document_id") is None:
        return {}
    return {"sha256": row.get("doc_sha256"),
            "text_sha256": text_sha(conn, row["document_id"], row.get("doc_text_version") or 0),
            "name": row.get("doc_name"), "title": row.get("doc_title"),
            "rel_path": row.get("doc_rel_path"), "format": row.get("doc_format"),
            "case_ref": row.get("doc_case_ref"), "pages": row.get("doc_pages")}


def local_heads(conn, rows: list[dict], write: bool) -> dict[str, list[Head]]:
    """item uuid -> its heads, with edits made here since the last pack recorded as new
    revisions (written when `write`, else only in memory: a preview writes nothing)."""
    held = store.heads(conn, [r["uuid"] for r in rows] if len(rows) < 5000 else None)
    known_fixed = set(store.fixed(conn, [r["uuid"] for r in rows]).keys()) if write else set()
    now = clock.now_iso()
    out: dict[str, list[Head]] = {}
    for row in rows:
        c = content_of(row)
        mine = held.get(row["uuid"], [])
        heads = [Head(h["rev"], h["content"], frozenset(h["history"])) for h in mine]
        current = next((h for h, m in zip(heads, mine) if m["current"]), None)
        if current is None:
            new = Head.first(c)
            heads = [new]
        elif current.content != c:
            new = current.child(c)
            heads = [h for h in heads if h.rev != current.rev] + [new]
        else:
            new = None
        out[row["uuid"]] = heads
        if write and new is not None:
            store.put_heads(conn, row["uuid"], [(h.rev, _j(h.content), _j(sorted(h.history)))
                                                for h in heads], new.rev, None, now,
                            first=current is None)
        if write and row["uuid"] not in known_fixed:
            store.put_fixed(conn, row["uuid"], doc_facts(conn, row), None, None, None)
    return out


def case_stamps(conn, write: bool, by: str | None) -> dict[str, dict[str, dict]]:
    """ref -> field -> {value, at, by}: each field's value and when it last changed. A field
    changed here since the last stamp is stamped with the case's `updated_at`; a field first
    seen at its default is stamped "" (never set, so it never overwrites a value)."""
    stamps = store.case_stamps(conn)
    for case in store.case_rows(conn):
        ref = case["ref"].upper()
        mine = stamps.setdefault(ref, {})
        for field in CASE_FIELDS:
            value = case.get(field)
            old = mine.get(field)
            if old is not None and old["value"] == value:
                continue
            if old is None and field in UNSET and value == UNSET[field]:
                at = ""  # never set here: any value set elsewhere wins
            elif old is None or case["updated_at"] > old["at"]:
                at = case["updated_at"]
            else:
                at = clock.now_iso()
            mine[field] = {"value": value, "at": at, "by": by}
            if write:
                store.put_case_stamp(conn, ref, field, value, at, by)
    return stamps


def _j(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
