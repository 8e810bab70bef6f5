"""Bundles by uuid: the most recently changed version wins as a whole; items that arrive later
take their places in a bundle that came before them (unless it changed here since)."""
from __future__ import annotations

from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.packs.revisions import canonical
from evidence_app.core.store import packs as store


def merge_bundle(ws, state: MergeState, uuid: str, incoming: dict, report, write, sender) -> None:
    """Bundles by uuid: the most recently changed version wins as a whole (the version it
    replaced is named in the report; the backup holds it)."""
    conn = ws.db.conn
    local = store.bundle_states(conn, [uuid]).get(uuid)
    title = incoming["fields"]["title"]
    if local is not None:
        kept = dict(store.pending_bundles(conn)).get(uuid)
        if kept is not None and kept["fields"]["updated_at"] == local["fields"]["updated_at"]:
            local = kept  # as the pack gave it, with items that have not arrived yet
        if canonical(incoming) == canonical(local) or (
                incoming["fields"]["updated_at"], canonical(incoming)) <= (
                local["fields"]["updated_at"], canonical(local)):
            return
        report.bundles_updated.append({"uuid": uuid, "title": title,
                                       "at": incoming["fields"]["updated_at"],
                                       "replaced_at": local["fields"]["updated_at"]})
    else:
        report.bundles_added.append(title)
    if write:
        missing = store.replace_bundle(conn, uuid, incoming)
        store.put_pack_bundle(conn, uuid, incoming, missing, sender)
        state.touched_bundles.add(uuid)


def fill_pending_bundles(ws, state: MergeState) -> None:
    """Items that arrived since a bundle did take their places in it (unless it changed here
    since)."""
    conn = ws.db.conn
    for uuid, kept in store.pending_bundles(conn):
        here = store.bundle_states(conn, [uuid]).get(uuid)
        if here is None or here["fields"]["updated_at"] != kept["fields"]["updated_at"]:
            store.forget_pack_bundle(conn, uuid)
            continue
        if len(here["items"]) < len(kept["items"]):
            missing = store.replace_bundle(conn, uuid, kept)
            store.put_pack_bundle(conn, uuid, kept, missing, None)
            state.touched_bundles.add(uuid)
