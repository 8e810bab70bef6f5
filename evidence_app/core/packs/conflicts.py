"""Conflicts and likely duplicates left by merged packs, and a person's choice for each.

A conflict is an item changed here and in a pack since they last agreed: both versions are kept
(the most recent shown) until someone chooses `mine` (the version that was here), `theirs` (the
pack's) or `both` (mine stays; theirs becomes a second item whose note starts "Copy from
<sender>."). The choice is a new version replacing both, so it travels in the next pack and
settles the same conflict in other workspaces; two people choosing the same way agree.
Each choice is one undoable change (its `Done`): undo reopens the conflict as it was.

A likely duplicate (ids D1, D2…) is two items quoting the same passage: `both` keeps both and
clears the flag; `mine` keeps the item that was here first and deletes the other; `theirs` keeps
the other and deletes the first (deletions are ordinary, audited and undoable).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import uuid as uuidlib

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.packs import local_state
from evidence_app.core.packs.revisions import Head, replacing, shown
from evidence_app.core.safety import audit
from evidence_app.core.safety.row_undo import recording, undoable
from evidence_app.core.settings import author
from evidence_app.core.store import packs as store
from evidence_app.core.store.db import transaction
from evidence_app.core.packs.revisions import canonical

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

CHOICES = ("mine", "theirs", "both")
_COPIES = uuidlib.UUID("6f1d1f4e-8d1a-4c55-9b7e-5d3c0e7a9a10")


@frozen
class Resolution:
    kind: str  # "conflict" or "duplicate"
    id: int
    choice: str
    item_id: int | None
    copy_id: int | None = None
    deleted_id: int | None = None

    def line(self) -> str:
        if self.kind == "duplicate":
            if self.choice == "both":
                return f"Kept both items of likely duplicate D{self.id}."
            return f"Kept item {self.item_id} and deleted item {self.deleted_id} (D{self.id})."
        if self.choice == "both":
            return (f"Conflict {self.id}: kept your version as item {self.item_id} and theirs as "
                    f"a new item {self.copy_id}.")
        which = "your version" if self.choice == "mine" else "their version"
        return f"Conflict {self.id}: kept {which} of item {self.item_id}."

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _versions(conn, item_uuid: str) -> dict[str, dict]:
    return {h["rev"]: h for h in store.heads(conn, [item_uuid]).get(item_uuid, [])}


def list_conflicts(ws: Workspace, include_resolved: bool = False) -> list[store.Conflict]:
    conn = ws.db.conn
    out = []
    for r in store.conflict_rows(conn, include_resolved):
        versions = _versions(conn, r["item_uuid"])
        mine, theirs = versions.get(r["mine_rev"]), versions.get(r["theirs_rev"])
        out.append(store.Conflict(
            r["id"], r["item_uuid"], r["item_id"], r["mine_rev"], r["theirs_rev"],
            mine["content"] if mine else None, theirs["content"] if theirs else None,
            r["sender"], r["found_at"], r["resolved_at"], r["resolved_by"], r["resolution"]))
    return out


def list_duplicates(ws: Workspace, include_decided: bool = False) -> list[store.Duplicate]:
    return [store.Duplicate(r["id"], r["item_a"], r["item_b"], r["id_a"], r["id_b"], r["sender"],
                            r["found_at"], r["decided_at"], r["decision"])
            for r in store.duplicate_rows(ws.db.conn, include_decided)]


def resolve(ws: Workspace, ident: str | int, choice: str) -> Done[Resolution]:
    """Settle a conflict (3, C3) or a likely duplicate (D3). The `Done`'s undo reopens it as it
    was (the item's versions, the copy made for `both`, a deletion), unless the items it
    changed have been changed since."""
    choice = (choice or "").strip().lower()
    if choice not in CHOICES:
        raise InvalidInput(f"'{choice}' is not a choice: use mine, theirs or both.")
    key = str(ident).strip().upper()
    if key.startswith("D") and key[1:].isdigit():
        settle, name = (lambda: _duplicate(ws, int(key[1:]), choice)), f"likely duplicate {key}"
    else:
        if key.startswith("C"):
            key = key[1:]
        if not key.isdigit() or len(key) > 12:
            raise InvalidInput(f"'{ident}' is not a conflict id: see 'evidence-app pack "
                               "conflicts'.")
        settle, name = (lambda: _conflict(ws, int(key), choice)), f"conflict {int(key)}"
    with recording(ws) as rec:
        res = settle()
    return undoable(res, rec.rows, Changes.of("evidence", "packs"),
                    f"Settle {name} ({choice})", f"Settling {name}", "pack-resolve")


def _conflict(ws: Workspace, conflict_id: int, choice: str) -> Resolution:
    conn = ws.db.conn
    row = store.conflict_row(conn, conflict_id)
    if row is None:
        raise NotFound(f"There is no conflict {conflict_id}. See 'evidence-app pack conflicts'.")
    if row["resolved_at"]:
        raise InvalidInput(f"Conflict {conflict_id} was already settled ({row['resolution']}, "
                           f"{row['resolved_at']}).")
    me, now = author(ws), clock.now_iso()
    copy_id = None
    with transaction(ws.db):
        items = store.item_rows(conn, [row["item_uuid"]])
        if not items:
            raise NotFound(f"The item of conflict {conflict_id} is no longer here.")
        heads = local_state.local_heads(conn, items, write=True)[row["item_uuid"]]
        by_rev = {h.rev: h for h in heads}
        mine, theirs = by_rev.get(row["mine_rev"]), by_rev.get(row["theirs_rev"])
        if mine is None or theirs is None:
            store.close_conflict(conn, conflict_id, now, me, "settled")
            raise InvalidInput(f"Conflict {conflict_id} was settled by a later change; nothing "
                               "to choose.")
        keep = theirs if choice == "theirs" else mine
        new = replacing(heads, keep.content)
        item_id = items[0]["id"]
        _show(conn, item_id, new, heads)
        store.put_heads(conn, row["item_uuid"], [(new.rev, _c(new.content), _c(sorted(
            new.history)))], new.rev, None, now)
        for other in store.open_conflict_rows(conn, [row["item_uuid"]]):
            store.close_conflict(conn, other["id"], now, me,
                                 choice if other["id"] == conflict_id else "settled")
        if choice == "both":
            copy_id = _copy(ws, items[0], theirs, row, now)
        audit.record(ws, f"pack-resolve-{choice}", "evidence", row["item_uuid"], str(item_id),
                     {"conflict": conflict_id}, {"kept": choice, "copy": copy_id})
    return Resolution("conflict", conflict_id, choice, item_id, copy_id)


def _show(conn, item_id: int, head: Head, heads: list[Head]) -> None:
    before = shown(heads).content
    c = head.content
    store.update_item(conn, item_id, {k: c[k] for k in ("note", "strength", "kind", "case_ref",
                                                          "updated_at", "deleted_at",
                                                          "deleted_by")})
    if c["enquiries"] != before["enquiries"] or c["requests"] != before["requests"]:
        store.set_links(conn, item_id, c["enquiries"], c["requests"])


def _copy(ws: Workspace, row: dict, theirs: Head, conflict: dict, now: str) -> int:
    """Their version as a second item (same passage), marked as a copy from the sender."""
    conn = ws.db.conn
    sender = conflict["sender"] or "another workspace"
    copy_uuid = str(uuidlib.uuid5(_COPIES, row["uuid"] + theirs.rev))
    existing = store.item_ids(conn, [copy_uuid])
    if copy_uuid in existing:
        return existing[copy_uuid]
    content = {**theirs.content, "note": f"Copy from {sender}. {theirs.content['note']}".strip()}
    values = {"uuid": copy_uuid, "document_id": row["document_id"],
              "document_uuid": row["doc_uuid"], **{k: content[k] for k in (
                  "note", "strength", "kind", "case_ref", "updated_at", "deleted_at",
                  "deleted_by")},
              **{k: row[k] for k in ("quote", "context_before", "context_after", "start", "end",
                                     "page", "author", "created_at")},
              "current_quote": row["quote"], "anchor": "anchored" if row["quote"] else "document",
              "similarity": 1.0 if row["quote"] else None, "text_version": row["doc_text_version"],
              "anchored_at": now}
    copy_id = store.insert_item(conn, values)
    store.set_links(conn, copy_id, content["enquiries"], content["requests"])
    head = Head.first(content)
    store.put_heads(conn, copy_uuid, [(head.rev, _c(content), "[]")], head.rev,
                    conflict["sender"], now)
    fixed = store.fixed(conn, [row["uuid"]]).get(row["uuid"]) or {}
    store.put_fixed(conn, copy_uuid, fixed.get("doc") or {}, conflict["sender"], None, now)
    audit.record(ws, "pack-copy", "evidence", copy_uuid, str(copy_id), None,
                 {"copy_of": row["uuid"], "from": sender})
    return copy_id


def _duplicate(ws: Workspace, dup_id: int, choice: str) -> Resolution:
    from evidence_app.core.evidence import evidence  # start-up: loaded only when this runs

    conn = ws.db.conn
    rows = [r for r in store.duplicate_rows(conn, include_decided=True) if r["id"] == dup_id]
    if not rows:
        raise NotFound(f"There is no likely duplicate D{dup_id}. See 'evidence-app pack "
                       "conflicts'.")
    r = rows[0]
    if r["decided_at"]:
        raise InvalidInput(f"D{dup_id} was already decided ({r['decision']}).")
    first, second = sorted(i for i in (r["id_a"], r["id_b"]) if i is not None) + [None] * (
        2 - len([i for i in (r["id_a"], r["id_b"]) if i is not None]))
    keep, drop = (first, second) if choice == "mine" else (second, first)
    with transaction(ws.db):
        if choice != "both" and drop is not None:
            try:
                evidence.delete(ws, drop, force=True)
            except NotFound:
                pass
        store.decide_duplicate(conn, dup_id, clock.now_iso(), author(ws), choice)
    if choice == "both":
        return Resolution("duplicate", dup_id, choice, first)
    return Resolution("duplicate", dup_id, choice, keep, deleted_id=drop)


def _c(data) -> str:
    return canonical(data)
