"""Cases by reference, field by field: the newer change wins and the overwritten value is
reported (real names only as "changed"); readiness ticks are unioned, keeping who ticked first."""
from __future__ import annotations

from evidence_app.core.base import clock
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.packs import local_state
from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.packs.revisions import canonical
from evidence_app.core.store import packs as store

HIDDEN = set(local_state.NAME_FIELDS)


def merge_case(ws, state: MergeState, ref, fields, ticks, created, report, write, sender) -> None:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.cases import next_alias, norm_ref

    conn = ws.db.conn
    ref = norm_ref(ref)
    rows = store.case_rows(conn, [ref])
    mine = state.stamps.setdefault(ref, {})
    now = clock.now_iso()
    if not rows:
        report.cases_added.append(ref)
        for f, inc in fields.items():
            mine[f] = inc
        if not write:
            return
        values = {f: inc["value"] for f, inc in fields.items()}
        alias = values.get("alias")
        if not alias or store.alias_owner(conn, alias):
            if alias:
                report.notes.append(f"case {ref}: the alias {alias} is used here by case "
                                    f"{store.alias_owner(conn, alias)}, so it was given another.")
            values["alias"] = next_alias(ws)
        at = max([inc["at"] for inc in fields.values()] or [created or now])
        values.update({"uuid": new_uuid(), "ref": ref, "created_at": created or at,
                       "updated_at": at})
        for k, default in (("sampled", 0), ("open", 1), ("redact", "[]"), ("other_names", "[]"),
                           ("relatives", "[]")):
            if values.get(k) is None:
                values[k] = default
        case_id = store.insert_case(conn, values)
        for f, inc in fields.items():
            if f != "alias" or values["alias"] == inc["value"]:
                store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
        _ticks(conn, case_id, ticks, report)
        _touch_case(conn, state, ref)
        return
    row = rows[0]
    changes: dict = {}
    for f, inc in sorted(fields.items()):
        have = mine.get(f)
        if have is not None and (inc["at"], canonical(inc["value"])) <= (
                have["at"], canonical(have["value"])):
            continue
        mine[f] = inc
        if row.get(f) == inc["value"]:
            if write:
                store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
            continue
        if f == "alias" and inc["value"] and store.alias_owner(conn, inc["value"]) not in (
                None, ref):
            report.notes.append(f"case {ref}: the alias {inc['value']} is used here by another "
                                "case, so it was kept as it was.")
            continue
        changes[f] = inc["value"]
        shown_old = "changed (not shown: names stay on this machine)" if f in HIDDEN else \
            f"{_show(row.get(f))} replaced by {_show(inc['value'])}"
        report.cases_updated.append({"ref": ref, "field": f, "overwritten": None if f in HIDDEN
                                     else row.get(f), "by": inc.get("by"), "at": inc["at"],
                                     "shown": shown_old})
        if write:
            store.put_case_stamp(conn, ref, f, inc["value"], inc["at"], inc.get("by"))
    if not changes:
        report.cases_unchanged += 1
    if write:
        if changes:
            changes["updated_at"] = max([row["updated_at"]] + [fields[f]["at"] for f in changes
                                                                if f in fields])
            store.update_case(conn, row["id"], changes)
            _touch_case(conn, state, ref)
        if _ticks(conn, row["id"], ticks, report):
            _touch_case(conn, state, ref)
    else:
        have = store.readiness_ticks(conn, row["id"])
        report.ticks_added += sum(1 for t in ticks if not (have.get(t.get("item")) or {}).get(
            "done"))


def _ticks(conn, case_id: int, ticks: list, report) -> bool:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.cases import READINESS_KEYS

    have = store.readiness_ticks(conn, case_id)
    changed = False
    for t in ticks:
        item = t.get("item")
        if item not in READINESS_KEYS:
            continue
        old = have.get(item)
        key = (t.get("at") or "", t.get("by") or "")
        if old and old["done"] and (old["at"] or "", old["by"] or "") <= key:
            continue
        if not (old and old["done"]):
            report.ticks_added += 1
        store.put_tick(conn, case_id, item, t.get("by"), t.get("at"))
        have[item] = {"done": True, "by": t.get("by"), "at": t.get("at")}
        changed = True
    return changed


def _touch_case(conn, state: MergeState, ref: str) -> None:
    state.touched_cases.add(ref)


def _show(value) -> str:
    return "(empty)" if value in (None, "", "[]") else repr(value)
