"""Evidence items: a whole document, or an exact passage, filed under lines of enquiry and/or
week-one requests, with a note, a strength and a kind.

Items point at documents by id (documents keep their id when a file moves: the indexer matches
it by hash) and copy the document's uuid so they can travel. Nothing here or in the indexer ever
removes an item: re-indexing only re-anchors it (`reanchor`), a missing file shows as anchor
`missing` (derived when reading, so it is right the moment the indexer marks the file), and a
person's own delete is a soft delete recorded in the audit log.

Every write returns a `Done` (core/base/changes.py) with its undo; the SQL is in
`core/store/evidence.py` and items are `EvidenceItem` records. The vocabularies (STRENGTHS, KINDS,
ANCHORS) live here; the migration that created the tables keeps its own frozen copy.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from evidence_app.core.evidence import anchoring, framework
from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.evidence.cases import norm_ref, sensitive_terms
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.settings import author as current_author
from evidence_app.core.store import evidence as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import Document, EvidenceItem
from evidence_app.core.store.updates import set_fields
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.base.fsnames import display, to_store
from pathlib import Path

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

STRENGTHS = ("strong", "moderate", "weak")
KINDS = ("strength", "development", "impact")
ANCHORS = ("document", "anchored", "moved", "orphaned", "missing")
KIND_WORDS = {"strength": "strength", "development": "development",
              "area for development": "development", "impact": "impact",
              "impact for the child": "impact"}
KIND_LABELS = {"strength": "Strength", "development": "Area for development",
               "impact": "Impact for the child"}
SYSTEM = "Evidence Organiser (re-indexing)"


def norm_kind(kind: str | None) -> str:
    key = " ".join((kind or "strength").lower().split())
    if key not in KIND_WORDS:
        raise InvalidInput(f"'{kind}' is not a kind of evidence: use strength, development "
                           "(area for development) or impact (impact for the child).")
    return KIND_WORDS[key]


def norm_strength(strength: str | None) -> str:
    s = (strength or "moderate").strip().lower()
    if s not in STRENGTHS:
        raise InvalidInput(f"'{strength}' is not a strength: use strong, moderate or weak.")
    return s


def get_item(ws: Workspace, item_id: int | str) -> EvidenceItem:
    item = store.get(ws.db.conn, item_id)
    if item is None:
        raise NotFound(f"There is no evidence item {str(item_id).strip()}. "
                       "See 'evidence-app evidence'.")
    return item


def list_items(ws: Workspace, enquiry: str | None = None, request: str | None = None,
               case: str | None = None, document_id: int | None = None,
               anchor: str | None = None, bundle_id: int | None = None,
               sender: str | None = None) -> list[EvidenceItem]:
    """Items not deleted, in id order; each filter given narrows the list. `sender`: only the
    items from that person (see senders.py; this workspace's person: the items made here too)."""
    from evidence_app.core.evidence import senders  # start-up: loaded only when this runs

    wanted = senders.item_ids(ws, sender) if sender is not None else None
    items = store.select(ws.db.conn, enquiry=enquiry.strip().upper() if enquiry else None,
                         request=request.strip().upper() if request else None,
                         case=norm_ref(case) if case else None, document_id=document_id,
                         anchor=anchor, bundle_id=bundle_id)
    return items if wanted is None else [i for i in items if i.id in wanted]


# -- documents and their text ------------------------------------------------------------------
@dataclass
class DocText:
    text: str
    starts: list[int] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        return anchoring.page_at(self.starts, self.pages, offset)


def document_text(ws: Workspace, doc_id: int) -> DocText:
    """The document's full text as the index holds it: chunks joined by the chunk separator."""
    from evidence_app.core.index.chunking import SEPARATOR  # start-up: loaded only when this runs

    rows = store.chunks(ws.db.conn, doc_id)
    return DocText(SEPARATOR.join(r[2] for r in rows), [r[0] for r in rows], [r[1] for r in rows])


def resolve_document(ws: Workspace, path_or_id: str | int) -> Document:
    """A document by id, absolute or relative path, or path relative to a source folder."""
    # start-up: loaded only when this runs
    from evidence_app.core.store.document_reads import find_by_path, get_document

    key = str(path_or_id).strip()
    is_id = key.isascii() and key.isdigit() and len(key) <= 18  # larger overflow SQLite
    doc = get_document(ws.db, int(key)) if is_id else None
    if doc is None:
        try:
            absolute = str(Path(key).expanduser().resolve())
        except (OSError, ValueError, RuntimeError):  # a NUL, a loop: not a path we can know
            absolute = key
        doc = find_by_path(ws.db, absolute) or find_by_path(ws.db, key)
    if doc is None:
        ids = store.document_ids_by_rel_path(ws.db.conn, to_store(key.replace("\\", "/")))
        if len(ids) == 1:
            doc = get_document(ws.db, ids[0])
    if doc is None:
        raise NotFound(f"'{display(key)}' is not in the index. Add its folder with "
                       "'evidence-app source add' and run 'evidence-app index', or give a "
                       "document id from 'evidence-app documents --json'.")
    return doc


# -- tagging -----------------------------------------------------------------------------------
def tag(ws: Workspace, document: str | int, enquiries: list[str] | None = None,
        requests: list[str] | None = None, quote: str | None = None, note: str = "",
        strength: str = "moderate", kind: str = "strength", case_ref: str | None = None,
        author: str | None = None) -> Done[EvidenceItem]:
    """File a document (no quote) or a passage of it as evidence. The new item is the value;
    undoing deletes it (and redoing brings the same item back, same id and uuid)."""
    enq = framework.resolve_enquiries(ws, enquiries or [])
    req = framework.resolve_requests(ws, requests or [])
    if not enq and not req:
        raise InvalidInput("Say which line of enquiry (--enquiry) or week-one request (--request) "
                           "this is evidence for. See 'evidence-app framework list'.")
    strength, kind = norm_strength(strength), norm_kind(kind)
    doc = resolve_document(ws, document)
    now = clock.now_iso()
    values = {"uuid": new_uuid(), "document_id": doc.id, "document_uuid": doc.uuid,
              "case_ref": norm_ref(case_ref) if case_ref else None, "anchor": "document",
              "note": (note or "").strip(), "strength": strength, "kind": kind,
              "author": author or current_author(ws), "created_at": now, "updated_at": now,
              "text_version": doc.text_version}
    if quote is not None and quote.strip():
        values.update(_anchor_new(ws, doc, quote))
        values["anchored_at"] = now
    with transaction(ws.db):
        item_id = store.insert(ws.db.conn, values)
        store.set_links(ws.db.conn, item_id, enq, req)
        item = get_item(ws, item_id)
        audit.record(ws, "tag", "evidence", item.uuid, str(item_id), None, _for_audit(ws, item))
    return Done(item, _changes(item_id), lambda ws: delete(ws, item_id, force=True),
                f"Tag evidence for {', '.join(item.links)}")


def _changes(item_id: int) -> Changes:
    return Changes.of("evidence", ids=(("evidence", int(item_id)),))


def _anchor_new(ws: Workspace, doc: Document, quote: str) -> dict:
    name = doc.label
    if doc.status == "missing":
        raise InvalidInput(f"{name} is missing from its folder, so a passage cannot be checked; "
                           "tag the whole document instead (leave out --quote).")
    dt = document_text(ws, doc.id)
    if not dt.text.strip():
        raise InvalidInput(f"{name} has no text in the index to quote from; tag the whole "
                           "document instead (leave out --quote).")
    spans = anchoring.find_exact(dt.text, quote)
    if not spans:
        raise InvalidInput(f"The quote was not found in {name}. Copy the passage exactly "
                           "(differences in spaces and line breaks do not matter).")
    start, end = spans[0]
    before, after = anchoring.context(dt.text, start, end)
    return {"quote": dt.text[start:end], "current_quote": dt.text[start:end],
            "context_before": before, "context_after": after, "start": start, "end": end,
            "page": dt.page_at(start), "anchor": "anchored", "similarity": 1.0}


AUDITED = ("document_uuid", "path", "quote", "current_quote", "context_before", "context_after",
           "start", "end", "page", "anchor", "similarity", "note", "strength", "kind", "author",
           "case_ref", "enquiries", "requests", "deleted_at")


def _for_audit(ws: Workspace, item: EvidenceItem, keys=AUDITED) -> dict:
    data = {k: getattr(item, k) for k in keys if hasattr(item, k)}
    for k in ("enquiries", "requests"):
        if k in data:
            data[k] = list(data[k])
    return audit.scrub_evidence(data, sensitive_terms(ws, item.case_ref))


def edit(ws: Workspace, item_id: int | str, *, note: str | None = None,
         strength: str | None = None, kind: str | None = None,
         enquiries: list[str] | None = None, requests: list[str] | None = None,
         add_enquiries: list[str] | None = None, remove_enquiries: list[str] | None = None,
         add_requests: list[str] | None = None, remove_requests: list[str] | None = None,
         case_ref: str | None = None) -> Done[EvidenceItem]:
    """Change an item's note, strength, kind, links or case. Lists given replace; add/remove
    edit them. An empty `case_ref` ("") goes back to the document's case. Undoing puts back
    what was there before (links included)."""
    before = get_item(ws, item_id)
    cols: dict = {}
    if note is not None:
        cols["note"] = note.strip()
    if strength is not None:
        cols["strength"] = norm_strength(strength)
    if kind is not None:
        cols["kind"] = norm_kind(kind)
    if case_ref is not None:
        cols["case_ref"] = norm_ref(case_ref) if case_ref.strip() else None
    enq = _edit_list(before.enquiries, enquiries, add_enquiries, remove_enquiries)
    req = _edit_list(before.requests, requests, add_requests, remove_requests)
    enq = framework.resolve_enquiries(ws, [e for e in enq if e not in before.enquiries]) + \
        [e for e in enq if e in before.enquiries]
    req = framework.resolve_requests(ws, [r for r in req if r not in before.requests]) + \
        [r for r in req if r in before.requests]
    if not enq and not req:
        raise InvalidInput("An item must stay filed under at least one line of enquiry or "
                           "request; delete it instead if it is not evidence.")
    return _put(ws, before, cols, tuple(sorted(enq)), tuple(sorted(req)))


def _put(ws: Workspace, before: EvidenceItem, cols: dict, enq: tuple[str, ...],
         req: tuple[str, ...]) -> Done[EvidenceItem]:
    """Write checked values over an item; the undo writes the old ones back the same way (so
    it never fails on a line of enquiry retired since)."""
    item_id = before.id
    relink = enq != before.enquiries or req != before.requests
    with transaction(ws.db):
        if relink:
            store.set_links(ws.db.conn, item_id, enq, req)
        if cols or relink:
            audit.update_and_record(ws, "evidence_items", item_id, cols, action="edit",
                                    entity_type="evidence", entity_uuid=before.uuid,
                                    entity_ref=str(item_id), log=lambda: _edit_log(ws, before))
        after = get_item(ws, item_id)
    old = {"note": before.note, "strength": before.strength, "kind": before.kind,
           "case_ref": before.case_ref_set}
    old = {k: v for k, v in old.items() if k in cols}
    return Done(after, _changes(item_id),
                lambda ws: _put(ws, get_item(ws, item_id), old, before.enquiries,
                                before.requests),
                f"Edit evidence item {item_id}")


def _edit_log(ws: Workspace, before: EvidenceItem) -> tuple[dict, dict] | None:
    after = get_item(ws, before.id)
    changed = [k for k in AUDITED if getattr(before, k) != getattr(after, k)]
    if not changed:
        return None
    return _for_audit(ws, before, changed), _for_audit(ws, after, changed)


def _edit_list(current, replace, add, remove) -> list[str]:
    """The links after an edit: each id once, however often it was typed."""
    out = [x.strip().upper() for x in replace] if replace is not None else list(current)
    out += [x.strip().upper() for x in add or []]
    drop = {x.strip().upper() for x in remove or []}
    return [x for x in dict.fromkeys(out) if x not in drop]


def delete(ws: Workspace, item_id: int | str, force: bool = False) -> Done[EvidenceItem]:
    """A person removes their own tag (a soft delete, audited). `force` lets a manager remove
    someone else's. The value is the item as it was; undoing restores it."""
    item = get_item(ws, item_id)
    me = current_author(ws)
    if item.author != me and not force:
        raise InvalidInput(f"Item {item.id} was tagged by {item.author}; only they can delete "
                           "it (a manager can use --force).")
    now = clock.now_iso()
    audit.update_and_record(ws, "evidence_items", item.id, {"deleted_at": now, "deleted_by": me},
                            action="delete", entity_type="evidence", entity_uuid=item.uuid,
                            entity_ref=str(item.id),
                            log=(_for_audit(ws, item), {"deleted_at": now, "deleted_by": me}))
    return Done(item, _changes(item.id), lambda ws: restore(ws, item.id),
                f"Delete evidence item {item.id}")


def restore(ws: Workspace, item_id: int | str) -> Done[EvidenceItem]:
    """Bring back a deleted tag, same id and uuid (undo of a delete, redo of a tag). Audited.
    Undoing deletes it again."""
    state = store.deleted_state(ws.db.conn, int(item_id))
    if state is None:
        raise NotFound(f"There is no evidence item {item_id}.")
    uuid, deleted_at = state
    if deleted_at is not None:
        audit.update_and_record(ws, "evidence_items", int(item_id),
                                {"deleted_at": None, "deleted_by": None}, action="restore",
                                entity_type="evidence", entity_uuid=uuid, entity_ref=str(item_id),
                                log=({"deleted_at": deleted_at}, {"deleted_at": None}))
    item = get_item(ws, item_id)
    return Done(item, _changes(item.id), lambda ws: delete(ws, item.id, force=True),
                f"Restore evidence item {item.id}")


# -- re-anchoring ------------------------------------------------------------------------------
def reanchor(ws: Workspace, doc_ids: list[int]) -> dict[str, int]:
    """Find each passage of these documents (and their attachments) again after re-indexing.

    Called by the indexer inside its write transaction; cheap when no evidence points there."""
    if not doc_ids:
        return {}
    return _reanchor_items(ws, store.stale_passages(ws.db.conn, list(doc_ids)))


def reanchor_stale(ws: Workspace) -> dict[str, int]:
    """Safety net: re-anchor every passage whose document text changed since it was anchored."""
    return _reanchor_items(ws, store.stale_passages(ws.db.conn))


def _reanchor_items(ws: Workspace, item_ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    if not item_ids:
        return counts
    texts: dict[int, DocText] = {}
    keys = ("anchor", "start", "end", "page", "similarity", "current_quote")
    with transaction(ws.db):
        for item_id in item_ids:
            item = get_item(ws, item_id)
            doc_id = item.document_id
            version = store.text_version(ws.db.conn, doc_id)
            dt = texts.get(doc_id) or texts.setdefault(doc_id, document_text(ws, doc_id))
            found = anchoring.locate(dt.text, item.quote, item.context_before or "",
                                     item.context_after or "", item.start)
            new = {"anchor": found.state, "similarity": found.similarity,
                   "text_version": version, "anchored_at": clock.now_iso()}
            if found.start is None:
                new["current_quote"] = None  # last position kept in start/end as a hint
            else:
                new.update(start=found.start, end=found.end, page=dt.page_at(found.start),
                           current_quote=found.text(dt.text))
                if found.state == "anchored":
                    new["context_before"], new["context_after"] = anchoring.context(
                        dt.text, found.start, found.end)
            # derived from the document's text, not a person's edit: updated_at stays
            set_fields(ws.db.conn, "evidence_items", item_id, new, now=None)
            counts[found.state] = counts.get(found.state, 0) + 1
            after = replace(item, **{k: v for k, v in new.items() if k != "anchored_at"})
            if any(getattr(item, k) != getattr(after, k) for k in keys):
                audit.record(ws, "reanchor", "evidence", item.uuid, str(item_id),
                             _for_audit(ws, item, keys), _for_audit(ws, after, keys), who=SYSTEM)
    return counts
