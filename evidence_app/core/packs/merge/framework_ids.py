"""Framework ids a pack uses that this workspace does not know: mapped (`--map OLD=NEW`) or
added as a custom line of enquiry / request under their own id and title; never dropped."""
from __future__ import annotations

from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.store import packs as store


def apply_framework(ws, state: MergeState, frame, items, requests, maps, report, write) -> None:
    described = {f["id"]: f for f in frame}
    used_enq, used_req = set(), {i for i, _ in requests}
    for _, heads, _ in items:
        for h in heads:
            used_enq |= set(h["content"]["enquiries"])
            used_req |= set(h["content"]["requests"])
    for old, new in maps.items():
        if old in used_enq and new not in state.enquiries:
            raise InvalidInput(f"--map {old}={new}: there is no line of enquiry {new} here "
                               "(see 'evidence-app framework list').")
        if old in used_req and old not in used_enq and new not in state.requests:
            raise InvalidInput(f"--map {old}={new}: there is no request {new} here.")
    for kind, used, known in (("enquiry", used_enq, state.enquiries),
                              ("request", used_req, state.requests)):
        for ident in sorted(used - known):
            d = described.get(ident, {})
            entry = {"id": ident, "kind": "line of enquiry" if kind == "enquiry" else "request",
                     "title": d.get("title"), "area": d.get("area_id")}
            if ident in maps:
                entry["mapped_to"] = maps[ident]
            else:
                entry["mapped_to"] = None
                if write:
                    _add_framework_entry(ws, state, kind, ident, d, report)
                known.add(ident) if write else None
            report.unknown_ids.append(entry)


def _add_framework_entry(ws, state: MergeState, kind: str, ident: str, d: dict, report) -> None:
    from evidence_app.core.evidence import framework  # start-up: loaded only when this runs

    title = d.get("title") or f"{ident} (from {report.sender}'s pack)"
    if kind == "request":
        framework.add_request(ws, title, ident=ident, description=d.get("prompt") or "")
        return
    area = d.get("area_id") or "PACKS"
    if area not in state.areas:
        store.insert_area(ws.db.conn, area, new_uuid(),
                          d.get("area_title") or "Added from evidence packs", clock.now_iso())
        state.areas.add(area)
    framework.add_enquiry(ws, area, title, d.get("prompt") or "", ident=ident)


def mapped(ids: list[str], maps: dict[str, str]) -> list[str]:
    return sorted({maps.get(i, i) for i in ids})
