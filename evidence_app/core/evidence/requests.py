"""The week-one request tracker: owner, due date, status, linked evidence and documents, and a
"sent" stamp proving what was sent.

The stamp is a SHA-256: of the file actually uploaded (`send(ws, id, file)`), or, with no file, of
the sorted list of the linked documents' own SHA-256 hashes — so anyone can later check that the
set of documents has not changed since it was sent.
Due dates are local wall-clock times (inspections run on UK time) stored as "YYYY-MM-DDTHH:MM".
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.evidence import framework
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.settings import author
from evidence_app.core.store.db import transaction
from evidence_app.core.store.m002_evidence import REQUEST_STATUSES
from evidence_app.core.base.fsnames import display
from evidence_app.core.index.regular_file import check_regular

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M", "%d/%m/%y", "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")


def parse_due(value: str) -> str:
    """dd/mm/yyyy [HH:MM] or ISO -> 'YYYY-MM-DDTHH:MM' (a date alone means 17:00 that day)."""
    text = " ".join((value or "").split())
    for fmt in _FORMATS:
        try:
            when = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%H" not in fmt:
            when = when.replace(hour=17)
        return when.strftime("%Y-%m-%dT%H:%M")
    raise InvalidInput(f"'{value}' is not a date and time: use dd/mm/yyyy HH:MM "
                       "(e.g. 12/05/2026 17:00) or 2026-05-12T17:00.")


def norm_status(value: str) -> str:
    s = " ".join((value or "").lower().replace("-", " ").replace("_", " ").split())
    if s not in REQUEST_STATUSES:
        raise InvalidInput(f"'{value}' is not a request status: use "
                           f"{', '.join(repr(x) for x in REQUEST_STATUSES)}.")
    return s


def _counts(ws: Workspace) -> tuple[dict[str, int], dict[str, int]]:
    items = dict(ws.db.conn.execute(
        "SELECT r.request_id, COUNT(*) FROM evidence_requests r JOIN evidence_items e "
        "ON e.id = r.item_id WHERE e.deleted_at IS NULL GROUP BY r.request_id").fetchall())
    docs = dict(ws.db.conn.execute(
        "SELECT request_id, COUNT(*) FROM request_documents GROUP BY request_id").fetchall())
    return items, docs


def list_requests(ws: Workspace, include_retired: bool = False) -> list[dict]:
    items, docs = _counts(ws)
    out = []
    for r in framework.requests(ws, include_retired):
        out.append({k: r[k] for k in ("id", "uuid", "ofsted_ref", "title", "kind", "period",
                                      "owner", "due_at", "status", "sent_at", "sent_sha256",
                                      "sent_by", "sent_file", "retired", "custom")}
                   | {"evidence": items.get(r["id"], 0), "documents": docs.get(r["id"], 0)})
    return out


def get_request(ws: Workspace, ident: str) -> dict:
    kind, row = framework.get(ws, ident)
    if kind != "request":
        raise NotFound(f"{row['id']} is a line of enquiry, not a week-one request. See "
                       "'evidence-app request list'.")
    return row


def update(ws: Workspace, ident: str, status: str | None = None, owner: str | None = None,
           due: str | None = None) -> dict:
    row = get_request(ws, ident)
    changes: dict = {}
    if status is not None:
        changes["status"] = norm_status(status)
    if owner is not None:
        changes["owner"] = " ".join(owner.split()) or None
    if due is not None:
        changes["due_at"] = parse_due(due) if due.strip() else None
    changes = {k: v for k, v in changes.items() if row[k] != v}
    if changes:
        with transaction(ws.db):
            ws.db.conn.execute(
                f"UPDATE requests SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? "
                "WHERE id = ?", [*changes.values(), clock.now_iso(), row["id"]])
            audit.record(ws, "update", "request", row["uuid"], row["id"],
                         {k: row[k] for k in changes}, changes)
    return get_request(ws, row["id"])


def link_document(ws: Workspace, ident: str, doc_id: int, unlink: bool = False) -> None:
    row = get_request(ws, ident)
    doc = ws.db.conn.execute("SELECT id, uuid FROM documents WHERE id = ?", [doc_id]).fetchone()
    if doc is None:
        raise NotFound(f"There is no document {doc_id}. See 'evidence-app documents'.")
    with transaction(ws.db):
        if unlink:
            ws.db.conn.execute("DELETE FROM request_documents WHERE request_id = ? AND "
                               "document_id = ?", [row["id"], doc[0]])
        else:
            ws.db.conn.execute("INSERT OR IGNORE INTO request_documents (request_id, document_id,"
                               " added_at) VALUES (?,?,?)", [row["id"], doc[0], clock.now_iso()])
        audit.record(ws, "unlink-document" if unlink else "link-document", "request",
                     row["uuid"], row["id"], None, {"document_uuid": doc[1]})


def linked_hashes(ws: Workspace, ident: str) -> list[str]:
    """SHA-256 of every document linked to the request, directly or through its evidence."""
    rows = ws.db.conn.execute(
        "SELECT d.sha256 FROM documents d WHERE d.id IN ("
        " SELECT e.document_id FROM evidence_requests r JOIN evidence_items e ON e.id = r.item_id"
        " WHERE r.request_id = ? AND e.deleted_at IS NULL"
        " UNION SELECT document_id FROM request_documents WHERE request_id = ?)",
        [ident, ident]).fetchall()
    return sorted({r[0] for r in rows if r[0]})


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def send(ws: Workspace, ident: str, file: str | Path | None = None) -> dict:
    """Stamp the request as sent now, with the SHA-256 of what was sent."""
    row = get_request(ws, ident)
    if file is not None:
        path = check_regular(Path(file).expanduser(), "file")  # a pipe would block the hash

        # shown to people and kept as a record; a name that is not UTF-8 is stored readably
        digest, sent_file = file_sha256(path), display(str(path.resolve()))
    else:
        hashes = linked_hashes(ws, row["id"])
        if not hashes:
            raise InvalidInput(f"{row['id']} has no linked evidence or documents to send; give "
                               f"the file you sent: 'evidence-app request send {row['id']} FILE'.")
        digest, sent_file = hashlib.sha256("\n".join(hashes).encode()).hexdigest(), None
    changes = {"status": "sent", "sent_at": clock.now_iso(), "sent_sha256": digest,
               "sent_by": author(ws), "sent_file": sent_file}
    with transaction(ws.db):
        ws.db.conn.execute(
            f"UPDATE requests SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? "
            "WHERE id = ?", [*changes.values(), changes["sent_at"], row["id"]])
        audit.record(ws, "send", "request", row["uuid"], row["id"],
                     {k: row[k] for k in changes}, changes)
    return get_request(ws, row["id"])
