"""The documents a pack's items quote: matched by file hash, then extracted-text hash, to files
indexed here; otherwise a carried copy (--with-files) kept in the workspace's pack-files/ folder
(never a source folder), or a reference "not on this machine" the indexer adopts later."""
from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path

from evidence_app.core.base.fsnames import to_store
from evidence_app.core.base.fsutil import private_dir
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.packs import local_state
from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.store import packs as store
from evidence_app.core.store.pack_payload import doc_key

PACK_FILES = "pack-files"
_Chunk = namedtuple("_Chunk", "seq page heading start text")


def _lookup(ws, state: MergeState, doc: dict) -> tuple[tuple | None, str]:
    conn = ws.db.conn
    key = doc_key(doc)
    if key is None:
        return None, "none"
    if key in state.docs:
        return state.docs[key]
    found, how = None, "not_here"
    if doc.get("sha256"):
        found = store.docs_by_sha(conn, [doc["sha256"]]).get(doc["sha256"])
        how = "matched_file"
        if found is not None and store.doc_by_path(conn, "evpack:" + key) == found:
            how = "not_here"  # the reference made by an earlier pack
    if found is None and doc.get("text_sha256"):
        if not state.text_hashed and conn.in_transaction:
            local_state.fill_text_hashes(conn)
            state.text_hashed = True
        found = store.docs_by_text_sha(conn, [doc["text_sha256"]]).get(doc["text_sha256"])
        how = "matched_text"
    if found is None:
        found, how = store.doc_by_path(conn, "evpack:" + key), "not_here"
    result = (found, how if found is not None else "not_here")
    if found is not None:
        state.docs[key] = result
    return result


def classify_doc(ws, state: MergeState, doc: dict, documents: dict, report) -> None:
    found, how = _lookup(ws, state, doc)
    if how == "none":
        return
    if found is None and (documents.get(doc_key(doc)) or ({}, None))[1]:
        how = "carried"
    _count_doc(report, how, doc)


def _count_doc(report, how: str, doc: dict) -> None:
    key = doc_key(doc)
    if key in report.counted_documents:
        return
    report.counted_documents.append(key)
    if how in report.documents:
        report.documents[how] += 1
    if how == "not_here":
        name = doc.get("title") or doc.get("name") or doc_key(doc)
        if name not in report.not_here:
            report.not_here.append(name)


def resolve_doc(ws, state: MergeState, pack, reader, documents, doc: dict, report,
                 now) -> tuple[int | None, str | None, int | None]:
    """The local document for an item's document facts (creating a carried copy or a
    reference when there is none). Returns (id, uuid, text version to trust or None)."""
    found, how = _lookup(ws, state, doc)
    key = doc_key(doc)
    if how == "none":
        return None, None, None
    if found is None:
        carried = (documents.get(key) or ({}, None))[1]
        if carried and carried in pack.files:
            found = _carry(ws, pack, reader, key, doc, carried, now)
            how = "carried"
        else:
            found = _reference(ws, pack, key, doc, now)
        state.docs[key] = (found, how)
    _count_doc(report, how, doc)
    doc_id, doc_uuid, version = found
    same_text = how in ("matched_text", "carried") or (
        doc.get("text_sha256") is not None and
        local_state.text_sha(ws.db.conn, doc_id, version) == doc.get("text_sha256"))
    return doc_id, doc_uuid, version if same_text else None


def _carry(ws, pack, reader, key, doc, sha, now) -> tuple[int, str, int]:
    """Store a pack-carried copy inside the workspace (never in a source folder) and index the
    text the pack carried with it."""
    # start-up: loaded only when this runs
    from evidence_app.core.store.documents import insert_chunks

    folder = ws.root / PACK_FILES / sha[:2]
    private_dir(ws.root / PACK_FILES)
    private_dir(folder)
    name = _safe_name(doc.get("name") or sha)
    target = folder / f"{sha[:16]}-{name}"
    if not target.exists():
        data = pack.read_file(sha)
        tmp = target.with_name(target.name + ".tmp")
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    chunks = [_Chunk(*c) for c in reader.chunks(key)]
    doc_uuid = new_uuid()
    doc_id = store.insert_document(ws.db.conn, {
        "uuid": doc_uuid, "source_id": None, "path": to_store(str(target)), "member": "",
        "rel_path": doc.get("rel_path") or name, "name": doc.get("name") or name,
        "title": doc.get("title"), "format": doc.get("format") or "unknown",
        "size": target.stat().st_size, "mtime": target.stat().st_mtime, "sha256": sha,
        "status": "indexed" if chunks else "empty",
        "reason": f"A copy carried in {pack.sender}'s evidence pack.",
        "pages": doc.get("pages"), "chars": sum(len(c.text) for c in chunks),
        "case_ref": doc.get("case_ref"), "text_version": 1, "first_seen": now,
        "indexed_at": now})
    insert_chunks(ws.db.conn, doc_id, chunks)
    return doc_id, doc_uuid, 1


def _reference(ws, pack, key, doc, now) -> tuple[int, str, int]:
    """A document that is not on this machine: a reference the indexer adopts (by its file
    hash) when the file is indexed here."""
    doc_uuid = new_uuid()
    name = doc.get("name") or key
    doc_id = store.insert_document(ws.db.conn, {
        "uuid": doc_uuid, "source_id": None, "path": "evpack:" + key, "member": "",
        "rel_path": doc.get("rel_path") or name, "name": name, "title": doc.get("title"),
        "format": doc.get("format") or "unknown", "sha256": doc.get("sha256"),
        "status": "missing",
        "reason": f"Not on this machine: evidence in {pack.sender}'s pack points at it. It links "
                  "up by itself when the file is indexed here.",
        "pages": doc.get("pages"), "case_ref": doc.get("case_ref"), "text_version": 0,
        "first_seen": now, "missing_since": now})
    return doc_id, doc_uuid, 0


def _safe_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w .()-]+", "_", base).strip(" .") or "file"
    return base[:120]
