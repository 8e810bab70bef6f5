"""Undo and redo for the writes that touch too much to retrace by hand (a pack import, a conflict
resolved, a case list imported): the write runs under a row recorder (store/row_changes.py), and
its `Done`'s undo puts back exactly the rows it changed; that undo's `Done` does them again.

An undo is refused with one line a person can act on (nothing written) when a row the write
changed has been changed again since: taking the write back would lose that later work. Work
on other rows is never touched. Each undo and redo is an audited change of its own, and its
journal line holds the state of every item, case, bundle and framework entry it touched (so a
replay after a restore ends where the undo did).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator

from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.safety import audit, journal
from evidence_app.core.store.db import transaction
from evidence_app.core.store.row_changes import ChangedSince, Recorder, RowChanges, revert

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

# what a person calls the rows of a table, in a refusal
WORDS = {"evidence_items": "evidence items", "evidence_enquiries": "evidence items' links",
         "evidence_requests": "evidence items' links", "cases": "cases",
         "case_readiness": "readiness ticks", "documents": "documents", "chunks": "documents",
         "bundles": "bundles", "bundle_items": "bundle entries", "bundle_sections": "bundles",
         "requests": "week-one requests", "enquiries": "lines of enquiry",
         "judgement_areas": "judgement areas", "pack_item_heads": "evidence items' versions",
         "pack_items": "evidence items", "pack_conflicts": "conflicts",
         "pack_duplicates": "likely duplicates", "pack_case_fields": "cases",
         "pack_bundles": "bundles", "pack_imports": "pack imports", "meta": "settings"}
_PENDING: dict[str, RowChanges] = {}  # undo uuid -> rows, read by the journal's snapshot


class Recorded:
    """What `recording` saw: `rows` once the block has ended."""

    rows: RowChanges = RowChanges()


@contextmanager
def recording(ws: Workspace) -> Iterator[Recorded]:
    """`with recording(ws) as rec:` around a write, inside its transaction (or as its
    transaction): `rec.rows` then holds every row it changed."""
    out = Recorded()
    with transaction(ws.db) as conn:
        with Recorder(conn) as rec:
            yield out
    out.rows = rec.changes


def undoable(value: Any, rows: RowChanges, changes: Changes, label: str, what: str,
             action: str, hint: str = "") -> Done:
    """The `Done` of a recorded write: `what` names it in a refusal ("The import of x.evpack"),
    `hint` ends the refusal with what is safe instead, `action` names it in the audit log
    ("pack-import" gives "pack-import-undo" and "pack-import-redo")."""
    flip = _flip(value, rows, changes, label, (what, hint), action, undoing=True) \
        if rows else None
    return Done(value, changes, flip, label)


def _flip(value, rows: RowChanges, changes: Changes, label: str, what: tuple[str, str],
          action: str, undoing: bool):  # noqa: ANN202
    def run(ws: Workspace) -> Done:
        journal.SNAPSHOTS.setdefault("undo", _snapshot)
        key = new_uuid()
        with transaction(ws.db):
            try:
                back = revert(ws.db.conn, rows)
            except ChangedSince as exc:
                raise InvalidInput(refusal(what, exc, undoing)) from None
            _PENDING[key] = rows
            try:
                audit.record(ws, f"{action}-{'undo' if undoing else 'redo'}", "undo", key, label,
                             None, {"rows": rows.count()})
            finally:
                _PENDING.pop(key, None)
        return Done(None if undoing else value, changes,
                    _flip(value, back, changes, label, what, action, not undoing), label)
    return run


def refusal(what: tuple[str, str], exc: ChangedSince, undoing: bool) -> str:
    """One line: why the undo (or redo) cannot be done, and what is safe instead."""
    name, hint = what
    words = WORDS.get(exc.table, f"records ({exc.table})")
    verb, doing = ("undone", "undoing") if undoing else ("done again", "redoing")
    if exc.reach:
        line = (f"{name} cannot be {verb}: {exc.count} of the {words} made or changed since "
                f"depend on what it changed (take those back first).")
    else:
        line = (f"{name} cannot be {verb}: {exc.count} of the {words} it changed "
                f"{'have' if exc.count != 1 else 'has'} been changed since, and {doing} it "
                "would lose that work.")
    return f"{line} {hint}".strip()


def _snapshot(db, key: str) -> dict:
    """The journal's state after an undo or redo: every journaled entity whose rows moved."""
    rows = _PENDING.get(key)
    if rows is None:
        return {"entities": []}
    by_table = {table: kind for kind, (table, _children) in journal.SPECS.items()}
    ents = []
    for t in rows.tables:
        kind = by_table.get(t.table)
        if kind is None or "uuid" not in t.columns:
            continue
        for uuid in sorted(u for u in t.column("uuid") if u):
            ents.append(journal.entity_state(db, kind, uuid))
    return {"entities": ents}
