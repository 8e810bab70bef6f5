"""The week-one request tracker: owner, due date, status, linked evidence and documents, and a
"sent" stamp proving what was sent.

The stamp is a SHA-256: of the file actually uploaded (`send(ws, id, file)`), or, with no file, of
the sorted list of the linked documents' own SHA-256 hashes — so anyone can later check that the
set of documents has not changed since it was sent.
Due dates are local wall-clock times (inspections run on UK time) stored as "YYYY-MM-DDTHH:MM".
Every write returns a `Done` with its undo; the SQL is in `core/store/requests.py`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.evidence import framework
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.settings import author
from evidence_app.core.store import requests as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import Request
from evidence_app.core.base.fsnames import display
from evidence_app.core.index.regular_file import check_regular

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

REQUEST_STATUSES = ("not started", "in progress", "ready", "sent")
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


def list_requests(ws: Workspace, include_retired: bool = False) -> list[Request]:
    """The tracker: every request in framework order with its linked evidence and documents."""
    framework.ensure(ws)
    return store.select(ws.db.conn, include_retired)


def get_request(ws: Workspace, ident: str) -> Request:
    framework.ensure(ws)
    found = store.get(ws.db.conn, (ident or "").strip().upper())
    if found is not None:
        return found
    _, line = framework.get(ws, ident)  # says "no such id" when it is neither
    raise NotFound(f"{line.id} is a line of enquiry, not a week-one request. See "
                   "'evidence-app request list'.")


def _changes(ident: str) -> Changes:
    return Changes.of("requests", ids=(("request", ident),))


def update(ws: Workspace, ident: str, status: str | None = None, owner: str | None = None,
           due: str | None = None) -> Done[Request]:
    """Set a request's status, owner or due time (dd/mm/yyyy HH:MM; "" clears owner and due).
    Undoing puts back what was there."""
    row = get_request(ws, ident)
    changes: dict = {}
    if status is not None:
        changes["status"] = norm_status(status)
    if owner is not None:
        changes["owner"] = " ".join(owner.split()) or None
    if due is not None:
        changes["due_at"] = parse_due(due) if due.strip() else None
    return _put(ws, row, changes, "update", f"Set {', '.join(changes) or 'nothing'} of {row.id}")


def _put(ws: Workspace, row: Request, changes: dict, action: str, label: str) -> Done[Request]:
    """Write fields that changed (audited); the undo writes the old values back."""
    changes = {k: v for k, v in changes.items() if getattr(row, k) != v}
    old = {k: getattr(row, k) for k in changes}
    if changes:
        audit.update_and_record(ws, "requests", row.id, changes, action=action,
                                entity_type="request", entity_uuid=row.uuid, entity_ref=row.id,
                                log=(old, changes))
    after = get_request(ws, row.id)
    return Done(after, _changes(row.id),
                lambda ws: _put(ws, get_request(ws, row.id), old, "update", label), label)


def link_document(ws: Workspace, ident: str, doc_id: int, unlink: bool = False) -> Done[Request]:
    """Link a document to the request (or unlink it); undoing does the opposite."""
    row = get_request(ws, ident)
    doc_uuid = store.document_uuid(ws.db.conn, doc_id)
    if doc_uuid is None:
        raise NotFound(f"There is no document {doc_id}. See 'evidence-app documents'.")
    was = store.is_linked(ws.db.conn, row.id, doc_id)
    with transaction(ws.db):
        if unlink:
            store.unlink(ws.db.conn, row.id, doc_id)
        else:
            store.link(ws.db.conn, row.id, doc_id, clock.now_iso())
        audit.record(ws, "unlink-document" if unlink else "link-document", "request",
                     row.uuid, row.id, None, {"document_uuid": doc_uuid})
    label = f"{'Unlink' if unlink else 'Link'} document {doc_id} {'from' if unlink else 'to'} {row.id}"
    undo = None if was != unlink else \
        (lambda ws: link_document(ws, row.id, doc_id, unlink=not unlink))
    return Done(get_request(ws, row.id), _changes(row.id) | Changes.of("documents"), undo, label)


def linked_hashes(ws: Workspace, ident: str) -> list[str]:
    """SHA-256 of every document linked to the request, directly or through its evidence."""
    return store.linked_hashes(ws.db.conn, ident)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def send(ws: Workspace, ident: str, file: str | Path | None = None) -> Done[Request]:
    """Stamp the request as sent now, with the SHA-256 of what was sent. Undoing (a stamp made
    by mistake) puts back the status and stamp it had; both are in the audit log."""
    row = get_request(ws, ident)
    if file is not None:
        path = check_regular(Path(file).expanduser(), "file")  # a pipe would block the hash

        # shown to people and kept as a record; a name that is not UTF-8 is stored readably
        digest, sent_file = file_sha256(path), display(str(path.resolve()))
    else:
        hashes = linked_hashes(ws, row.id)
        if not hashes:
            raise InvalidInput(f"{row.id} has no linked evidence or documents to send; give "
                               f"the file you sent: 'evidence-app request send {row.id} FILE'.")
        digest, sent_file = hashlib.sha256("\n".join(hashes).encode()).hexdigest(), None
    changes = {"status": "sent", "sent_at": clock.now_iso(), "sent_sha256": digest,
               "sent_by": author(ws), "sent_file": sent_file}
    old = {k: getattr(row, k) for k in changes}
    audit.update_and_record(ws, "requests", row.id, changes, action="send",
                            entity_type="request", entity_uuid=row.uuid, entity_ref=row.id,
                            log=(old, changes))
    label = f"Mark {row.id} as sent"
    return Done(get_request(ws, row.id), _changes(row.id),
                lambda ws: _put(ws, get_request(ws, row.id), old, "unsend", label), label)
