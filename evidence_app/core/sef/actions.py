"""The improvement plan: actions under areas for development (what, owner, due date, status).

An action belongs to a claim of type "area for development": the plan follows from what the
service says it must improve. An action is overdue when its due date has passed and it is not
done. Every write returns a `Done` whose undo puts the action back as it was.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.user_text import clean_text
from evidence_app.core.safety import audit
from evidence_app.core.sef import claims
from evidence_app.core.sef.model import action_ref, claim_ref, norm_status, parse_ref
from evidence_app.core.store import sef as store
from evidence_app.core.store.records import SefAction
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.store.db import transaction

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

ENTITY = "sef-action"
MAX_WHAT = 2_000


def _changes(action_id: int) -> Changes:
    return Changes.of("sef", ids=(("sef-action", action_id),))


def today() -> dt.date:
    return clock.now().astimezone().date()


def overdue(a: SefAction, on: dt.date | None = None) -> bool:
    if not a.due or a.status == "done":
        return False
    try:
        return dt.date.fromisoformat(a.due[:10]) < (on or today())
    except ValueError:
        return False


def norm_due(value: str | None) -> str | None:
    """A due date as YYYY-MM-DD, from 2027-03-31, 31/03/2027, 31-03-2027 or 31.03.2027 ('' clears)."""
    text = (value or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            break
        return day.isoformat()
    raise InvalidInput(f"'{value}' is not a date: give it as 2027-03-31 or 31/03/2027.")


def _one_line(text: str | None) -> str:
    return " ".join(clean_text(text or "").split())


def _what(text: str | None) -> str:
    value = _one_line(text)
    if not value:
        raise InvalidInput("Say what the action is (--what).")
    if len(value) > MAX_WHAT:
        raise InvalidInput(f"An action is at most {MAX_WHAT:,} characters.")
    return value


def get(ws: Workspace, ident: int | str) -> SefAction:
    action_id = parse_ref(ident, "A", "action")
    found = store.action(ws.db, action_id)
    if found is None or found.deleted_at:
        raise NotFound(f"There is no action {action_ref(action_id)} in the improvement plan. "
                       "See 'evidence-app sef show'.")
    return found


def _audit_view(a: SefAction) -> dict:
    return {"claim": claim_ref(a.claim_id), "what_chars": len(a.what), "owner": a.owner,
            "due": a.due, "status": a.status, "deleted_at": a.deleted_at}


def add(ws: Workspace, claim: int | str, what: str, *, owner: str = "", due: str | None = None,
        status: str = "not started") -> Done[SefAction]:
    """A new action under an area-for-development claim."""
    c = claims.get(ws, claim)
    if c.type != "development":
        raise InvalidInput(f"Claim {claim_ref(c.id)} is a {c.type}; improvement actions belong "
                           "to areas for development (change its type with 'sef claim edit "
                           f"{claim_ref(c.id)} --type development').")
    values = {"uuid": new_uuid(), "claim_id": c.id, "what": _what(what),
              "owner": _one_line(owner), "due_at": norm_due(due),
              "status": norm_status(status or "not started")}
    now = clock.now_iso()
    with transaction(ws.db):
        action_id = store.insert_action(ws.db, {**values, "created_at": now, "updated_at": now})
        made = store.action(ws.db, action_id)
        audit.record(ws, "add", ENTITY, made.uuid, action_ref(action_id), None, _audit_view(made))
    gone = replace(made, deleted_at=now)
    return Done(made, _changes(action_id), lambda w: put(w, gone),
                f"Add action {action_ref(action_id)}")


def set_action(ws: Workspace, ident: int | str, *, what: str | None = None,
               owner: str | None = None, due: str | None = None, status: str | None = None,
               claim: int | str | None = None) -> Done[SefAction]:
    """Change an action's text, owner, due date ('' clears it), status or claim."""
    before = get(ws, ident)
    new = before
    if what is not None:
        new = replace(new, what=_what(what))
    if owner is not None:
        new = replace(new, owner=_one_line(owner))
    if due is not None:
        new = replace(new, due=norm_due(due))
    if status is not None:
        new = replace(new, status=norm_status(status))
    if claim is not None:
        c = claims.get(ws, claim)
        if c.type != "development":
            raise InvalidInput(f"Claim {claim_ref(c.id)} is not an area for development.")
        new = replace(new, claim_id=c.id)
    if new == before:
        return Done(before, Changes(), None, "Nothing to change")
    done = put(ws, new, action="set")
    return replace(done, label=f"Change action {action_ref(before.id)}")


def delete(ws: Workspace, ident: int | str) -> Done[SefAction]:
    before = get(ws, ident)
    done = put(ws, replace(before, deleted_at=clock.now_iso()), action="delete")
    return replace(done, label=f"Delete action {action_ref(before.id)}")


def put(ws: Workspace, state: SefAction, *, action: str = "undo") -> Done[SefAction]:
    """Make the stored action equal to `state`; the undo puts back what was there."""
    before = store.action(ws.db, state.id)
    if before is None:
        raise NotFound(f"There is no action {action_ref(state.id)}.")
    fields = {"claim_id": state.claim_id, "what": state.what, "owner": state.owner,
              "due_at": state.due, "status": state.status, "deleted_at": state.deleted_at}
    with transaction(ws.db):
        store.update_action(ws.db, state.id, fields, clock.now_iso())
        after = store.action(ws.db, state.id)
        audit.record(ws, action, ENTITY, after.uuid, action_ref(after.id), _audit_view(before),
                     _audit_view(after))
    return Done(after, _changes(state.id), lambda w: put(w, before),
                f"Undo on action {action_ref(state.id)}")
