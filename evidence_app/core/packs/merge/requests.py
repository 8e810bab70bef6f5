"""Week-one requests the sender owns: the newer change to their status and fields wins."""
from __future__ import annotations

from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.packs.revisions import canonical
from evidence_app.core.store import packs as store


def merge_request(ws, state: MergeState, ident: str, local_id: str, row: dict, report,
                  write) -> None:
    conn = ws.db.conn
    have = store.request_row(conn, local_id)
    if have is None:
        return
    fields = [k for k in store.REQUEST_SYNC]
    inc = (row.get("updated_at") or "", canonical({k: row.get(k) for k in fields}))
    cur = (have.get("updated_at") or "", canonical({k: have.get(k) for k in fields}))
    if inc <= cur or all(row.get(k) == have.get(k) for k in fields):
        return
    changes = {k: row.get(k) for k in fields if row.get(k) != have.get(k)}
    report.requests_updated.append({"id": local_id, "fields": sorted(changes),
                                    "status": row.get("status")})
    if write:
        store.update_request(conn, local_id, changes)
