"""Writing the self-evaluation's claims: add, edit, delete, and the undo of each.

Every write returns a `Done` (core/base/changes.py) whose `undo` puts the claim back exactly as
it was before (text, type, place, lines of enquiry, citations, deleted or not) and returns a
`Done` that redoes it. Deletes are soft, so an undone delete brings back the same claim, id and
uuid. Every write is audited; the claim's text goes into the audit log only as its SHA-256 and
length (it may name a child), while the journal keeps the full state for replay.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.user_text import clean_text as storable
from evidence_app.core.evidence import framework
from evidence_app.core.safety import audit
from evidence_app.core.sef import areas as sef_areas
from evidence_app.core.sef import citations as cite
from evidence_app.core.sef.model import (
    claim_ref, norm_question, norm_type, parse_ref,
)
from evidence_app.core.settings import author as current_author
from evidence_app.core.store import sef as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import SefCitation, SefClaim
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

MAX_TEXT = 20_000       # characters in one claim: a paragraph, not a report
ENTITY = "sef-claim"


def _changes(claim_id: int) -> Changes:
    return Changes.of("sef", ids=(("sef-claim", claim_id),))


def get(ws: Workspace, ident: int | str) -> SefClaim:
    """A claim in use, by C-7 / 7."""
    claim_id = parse_ref(ident, "C", "claim")
    found = store.claim(ws.db, claim_id)
    if found is None or found.deleted_at:
        raise NotFound(f"There is no claim {claim_ref(claim_id)} in the self-evaluation. See "
                       "'evidence-app sef show'.")
    return found


def clean_text(text: str | None) -> str:
    lines = [" ".join(line.split()) for line in storable(text or "", multiline=True).splitlines()]
    value = "\n".join(line for n, line in enumerate(lines)
                      if line or (n and lines[n - 1])).strip()
    if not value:
        raise InvalidInput("A claim needs its text: one or two sentences saying what the "
                           "service knows.")
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"A claim is at most {MAX_TEXT:,} characters; this one has "
                           f"{len(value):,}. Split it into several claims.")
    return value


def _audit_view(c: SefClaim) -> dict:
    return {"area": c.area, "question": c.question, "type": c.type,
            "text_sha256": hashlib.sha256(c.text.encode("utf-8", "surrogatepass")).hexdigest(),
            "text_chars": len(c.text), "position": c.position,
            "enquiries": list(c.enquiries),
            "citations": [f"{x.kind}:{x.ref}" for x in c.citations], "deleted_at": c.deleted_at}


def _citations(ws: Workspace, cites: Iterable[str], figure_names: Iterable[str]
               ) -> list[SefCitation]:
    out: list[SefCitation] = []
    for text in cites or []:
        out.append(cite.resolve(ws.db, text))
    for name in figure_names or []:
        out.append(cite.resolve(ws.db, name, kind="figure"))
    seen, unique = set(), []
    for c in out:
        if (c.kind, c.ref) not in seen:
            seen.add((c.kind, c.ref))
            unique.append(c)
    return unique


def add(ws: Workspace, area: str, question: str, text: str, *, type: str = "strength",
        enquiries: Iterable[str] = (), cites: Iterable[str] = (),
        figures: Iterable[str] = ()) -> Done[SefClaim]:
    """A new claim at the end of its area's question. Refuses an unknown area, question, type,
    line of enquiry (or a retired one), evidence item, saved search or figure."""
    framework.ensure(ws)
    area_id = sef_areas.resolve(ws.db, area)
    question = norm_question(question)
    kind = norm_type(type)
    body = clean_text(text)
    enq = framework.resolve_enquiries(ws, list(enquiries or []))
    links = _citations(ws, cites, figures)
    now = clock.now_iso()
    with transaction(ws.db):
        claim_id = store.insert_claim(ws.db, {
            "uuid": new_uuid(), "area_id": area_id, "question": question, "type": kind,
            "text": body, "position": store.next_position(ws.db, area_id, question),
            "author": current_author(ws), "created_at": now, "updated_at": now})
        store.set_claim_links(ws.db, claim_id, enq, links)
        made = store.claim(ws.db, claim_id)
        audit.record(ws, "add", ENTITY, made.uuid, claim_ref(claim_id), None, _audit_view(made))
    return Done(made, _changes(claim_id), _undo_to(_deleted(made, now), made),
                f"Add claim {claim_ref(claim_id)}")


def _deleted(c: SefClaim, when: str) -> SefClaim:
    return replace(c, deleted_at=when)


def edit(ws: Workspace, ident: int | str, *, text: str | None = None, type: str | None = None,
         area: str | None = None, question: str | None = None,
         enquiries: Iterable[str] = (), drop_enquiries: Iterable[str] = (),
         cites: Iterable[str] = (), uncite: Iterable[str] = (),
         figures: Iterable[str] = ()) -> Done[SefClaim]:
    """Change a claim: its text, type, place (area, question), add or drop lines of enquiry,
    add citations (`cites`, `figures`) or take them off (`uncite`: what was typed to cite)."""
    before = get(ws, ident)
    new = before
    if text is not None:
        new = replace(new, text=clean_text(text))
    if type is not None:
        new = replace(new, type=norm_type(type))
        if before.type == "development" and new.type != "development" and \
                store.actions(ws.db, claim_ids=[before.id]):
            raise InvalidInput(f"Claim {claim_ref(before.id)} has improvement actions; move or "
                               "delete them before it stops being an area for development.")
    if area is not None or question is not None:
        a = sef_areas.resolve(ws.db, area) if area is not None else before.area
        q = norm_question(question) if question is not None else before.question
        if (a, q) != (before.area, before.question):
            new = replace(new, area=a, question=q,
                          position=store.next_position(ws.db, a, q))
    drop = {e.strip().upper() for e in drop_enquiries or []}
    unknown = drop - set(before.enquiries)
    if unknown:
        raise InvalidInput(f"Claim {claim_ref(before.id)} does not speak to "
                           f"{', '.join(sorted(unknown))}; its lines of enquiry: "
                           f"{', '.join(before.enquiries) or 'none'}.")
    added = [e for e in framework.resolve_enquiries(
        ws, [e for e in enquiries or [] if e.strip().upper() not in before.enquiries])]
    enq = tuple(sorted({*before.enquiries, *added} - drop))
    links = list(before.citations)
    for typed in uncite or []:
        hit = [c for c in links if cite.matches(c, typed)]
        if not hit:
            raise InvalidInput(f"Claim {claim_ref(before.id)} does not cite '{typed}'.")
        links = [c for c in links if c not in hit]
    for c in _citations(ws, cites, figures):
        if all((c.kind, c.ref) != (x.kind, x.ref) for x in links):
            links.append(c)
    new = replace(new, enquiries=enq, citations=tuple(links))
    if _same(new, before):
        return Done(before, Changes(), None, "Nothing to change")
    done = put(ws, new, action="edit")
    return replace(done, label=f"Edit claim {claim_ref(before.id)}")


def delete(ws: Workspace, ident: int | str) -> Done[SefClaim]:
    """Take a claim out of the self-evaluation (and its actions out of the plan); undoable."""
    before = get(ws, ident)
    done = put(ws, _deleted(before, clock.now_iso()), action="delete")
    return replace(done, label=f"Delete claim {claim_ref(before.id)}")


def move(ws: Workspace, ident: int | str, position: int) -> Done[SefClaim]:
    """Put a claim at `position` (1 = first) under its question."""
    before = get(ws, ident)
    siblings = [c for c in store.claims(ws.db) if (c.area, c.question) ==
                (before.area, before.question) and c.id != before.id]
    position = max(1, min(int(position), len(siblings) + 1))
    order = siblings[:position - 1] + [before] + siblings[position - 1:]
    with transaction(ws.db):
        for n, c in enumerate(order, start=1):
            if c.position != n:
                store.update_claim(ws.db, c.id, {"position": n}, c.updated_at)
    after = store.claim(ws.db, before.id)
    return Done(after, _changes(before.id), lambda w: move(w, before.id, before.position),
                f"Move claim {claim_ref(before.id)}")


def _same(a: SefClaim, b: SefClaim) -> bool:
    keys = ("area", "question", "type", "text", "position", "deleted_at", "enquiries")
    return all(getattr(a, k) == getattr(b, k) for k in keys) and \
        [(c.kind, c.ref) for c in a.citations] == [(c.kind, c.ref) for c in b.citations]


def put(ws: Workspace, state: SefClaim, *, action: str = "undo") -> Done[SefClaim]:
    """Make the stored claim `state.id` equal to `state` (its fields, links and deleted mark);
    the undo puts back what was there. The one write behind edit, delete and every undo."""
    before = store.claim(ws.db, state.id)
    if before is None:
        raise NotFound(f"There is no claim {claim_ref(state.id)}.")
    fields = {"area_id": state.area, "question": state.question, "type": state.type,
              "text": state.text, "position": state.position, "deleted_at": state.deleted_at}
    with transaction(ws.db):
        store.update_claim(ws.db, state.id, fields, clock.now_iso())
        store.set_claim_links(ws.db, state.id, state.enquiries, state.citations)
        for place in {(before.area, before.question), (state.area, state.question)}:
            store.renumber(ws.db, *place)
        after = store.claim(ws.db, state.id)
        name = {"undo": "restore" if before.deleted_at and not after.deleted_at else "undo"}
        audit.record(ws, name.get(action, action), ENTITY, after.uuid, claim_ref(after.id),
                     _audit_view(before), _audit_view(after))
    return Done(after, _changes(state.id), _undo_to(before, after),
                f"Undo on claim {claim_ref(state.id)}")


def _undo_to(previous: SefClaim, current: SefClaim):
    """The undo of a write that turned `previous` into `current`."""
    def undo(ws: Workspace) -> Done[SefClaim]:
        return put(ws, previous)
    return undo


def cite_documents(ws: Workspace, ident: int | str, document_ids: Iterable[int]
                   ) -> Done[SefClaim]:
    """What dropping search results on a claim does: cite the evidence already filed from each
    document; a document with none is first tagged whole as evidence under the claim's lines of
    enquiry (moderate, of the claim's type), then cited. One undo takes back the citations and
    the new tags together."""
    from evidence_app.core.evidence import evidence  # start-up: loaded only when this runs

    claim = get(ws, ident)
    tagged: list[Done] = []
    cites: list[str] = []
    for doc_id in dict.fromkeys(int(d) for d in document_ids):
        filed = evidence.list_items(ws, document_id=doc_id)
        if filed:
            cites += [f"E-{i.id}" for i in filed]
            continue
        if not claim.enquiries:
            raise InvalidInput(f"Claim {claim_ref(claim.id)} has no line of enquiry to file the "
                               "document under: give it one, or tag the document first.")
        done = evidence.tag(ws, doc_id, enquiries=list(claim.enquiries), kind=claim.type,
                            note=f"Cited by the self-evaluation, claim {claim_ref(claim.id)}")
        tagged.append(done)
        cites.append(f"E-{done.value.id}")
    edited = edit(ws, claim.id, cites=cites)
    return _together(ws, edited, tagged, f"Cite {len(cites)} item"
                     f"{'s' if len(cites) != 1 else ''} in claim {claim_ref(claim.id)}")


def _together(ws: Workspace, edited: Done, tagged: list[Done], label: str) -> Done:
    """One Done for an edit that followed some tags: undo takes back the edit then the tags
    (newest first); its own undo does them all again."""
    def undo(w: Workspace) -> Done:
        back_edit = edited.undo(w) if edited.undo else edited
        back_tags = [t.undo(w) for t in reversed(tagged)]
        return Done(back_edit.value, edited.changes | Changes.of("evidence"),
                    lambda w2: _redo(w2, back_edit, back_tags, label), f"Undo: {label}")

    return Done(edited.value, edited.changes | (Changes.of("evidence") if tagged else Changes()),
                undo, label)


def _redo(ws: Workspace, back_edit: Done, back_tags: list[Done], label: str) -> Done:
    tags = [t.undo(ws) for t in reversed(back_tags)]
    edit_again = back_edit.undo(ws) if back_edit.undo else back_edit
    return _together(ws, edit_again, tags, label)
