"""The crash journal's picture of a pack import: every item, case and bundle it touched, so a
crash mid-import replays to the state the import left."""
from __future__ import annotations

from evidence_app.core.store import packs as store


def snapshot(db, import_uuid: str) -> dict:
    """The journal's state for a pack import: every item and case it touched, in the shape of
    journal.entity_state (read in a few queries, not three per item)."""
    # start-up: loaded only when this runs
    from evidence_app.core.safety.journal import entity_state

    touched = store.import_touched(db.conn, import_uuid)
    ents = store.item_states(db.conn, touched.get("items", []))
    for uuid in touched.get("cases", []):
        ents.append(entity_state(db, "case", uuid))
    for uuid in touched.get("bundles", []):
        ents.append(entity_state(db, "bundle", uuid))
    return {"entities": ents}


def register_journal() -> None:
    from evidence_app.core.safety import journal  # start-up: loaded only when this runs

    journal.SNAPSHOTS.setdefault("pack", snapshot)
