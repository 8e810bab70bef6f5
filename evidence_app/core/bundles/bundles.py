"""Bundles: the evidence a manager assembles for inspectors, in sections, in order.

A bundle is generated from the framework (one section per line of enquiry, judgement area or
week-one request), from cases (one section per child), or started empty (custom), then edited:
items added, removed, reordered, moved between sections. Each evidence item appears once per
bundle, so it has one evidence number. Every change is one transaction with its audit entry.
Turning a bundle into a document is `bundle_data.py`'s job; this module only keeps its shape.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.evidence import framework
from evidence_app.core.evidence.cases import list_cases, norm_ref
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence.evidence import list_items
from evidence_app.core.settings import author, default_marking, normalise_marking
from evidence_app.core.store.db import transaction
from evidence_app.core.store.m003_bundles import GROUPINGS
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.evidence.evidence import get_item

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

OTHER = "Other evidence"


# -- reading -----------------------------------------------------------------------------------
def _bundle_row(ws: Workspace, ident) -> dict:
    key = str(ident).strip()
    col = "id" if key.isdigit() else "uuid"
    rows = list(ws.db.query(f"SELECT * FROM bundles WHERE {col} = ?", [key]))
    if not rows:
        raise NotFound(f"There is no bundle {key}. See 'evidence-app bundle list'.")
    return rows[0]


def _settings(row: dict) -> dict:
    external = bool(row["external"])
    pseud = row["pseudonymise"]
    return {"marking": row["marking"], "external": external,
            "pseudonymise": external if pseud is None else bool(pseud),
            "append_sources": bool(row["append_sources"])}


def get_bundle(ws: Workspace, ident) -> dict:
    """The bundle with its sections in order, each with its evidence item ids in order."""
    row = _bundle_row(ws, ident)
    sections = list(ws.db.query("SELECT id, uuid, position, kind, ref, title, intro FROM "
                                "bundle_sections WHERE bundle_id = ? ORDER BY position",
                                [row["id"]]))
    placed: dict[int, list[int]] = {s["id"]: [] for s in sections}
    for section_id, item_id in ws.db.conn.execute(
            "SELECT b.section_id, b.item_id FROM bundle_items b JOIN evidence_items e "
            "ON e.id = b.item_id WHERE b.bundle_id = ? AND e.deleted_at IS NULL "
            "ORDER BY b.position", [row["id"]]):
        placed[section_id].append(item_id)
    for s in sections:
        s["items"] = placed[s["id"]]
    return {"id": row["id"], "uuid": row["uuid"], "title": row["title"],
            "purpose": row["purpose"], "grouping": row["grouping"],
            "inspection": row["inspection"], "prepared_by": row["prepared_by"],
            "created_by": row["created_by"], "created_at": row["created_at"],
            "updated_at": row["updated_at"], **_settings(row), "sections": sections,
            "items": sum(len(s["items"]) for s in sections)}


def list_bundles(ws: Workspace) -> list[dict]:
    sql = ("SELECT b.*, (SELECT COUNT(*) FROM bundle_sections s WHERE s.bundle_id = b.id) AS n_sec,"
           " (SELECT COUNT(*) FROM bundle_items i JOIN evidence_items e ON e.id = i.item_id "
           "  WHERE i.bundle_id = b.id AND e.deleted_at IS NULL) AS n_items,"
           " (SELECT MAX(at) FROM bundle_exports x WHERE x.bundle_id = b.id) AS exported_at "
           "FROM bundles b ORDER BY b.id")
    return [{"id": r["id"], "uuid": r["uuid"], "title": r["title"], "grouping": r["grouping"],
             "sections": r["n_sec"], "items": r["n_items"], "exported_at": r["exported_at"],
             "updated_at": r["updated_at"], **_settings(r)} for r in ws.db.query(sql)]


def exports(ws: Workspace, ident) -> list[dict]:
    row = _bundle_row(ws, ident)
    out = list(ws.db.query("SELECT * FROM bundle_exports WHERE bundle_id = ? ORDER BY id",
                           [row["id"]]))
    for r in out:
        r["sources"] = json.loads(r["sources"])
        r["redactions"] = json.loads(r["redactions"])
        r["pseudonymised"] = bool(r["pseudonymised"])
        r["append_sources"] = bool(r["append_sources"])
    return out


# -- creating ----------------------------------------------------------------------------------
def _plan(ws: Workspace, by: str, enquiries: list[str], requests: list[str],
          cases: list[str]) -> list[tuple[str, str | None, str, list[int]]]:
    """Sections (kind, ref, title, item ids) for a generated bundle. An item goes to the first
    section it belongs to, in framework order; items that fit none go to 'Other evidence'."""
    enquiries = framework.resolve_enquiries(ws, enquiries) if enquiries else []
    requests = framework.resolve_requests(ws, requests) if requests else []
    cases = [norm_ref(c) for c in cases]
    items = list_items(ws)
    if enquiries:
        items = [i for i in items if set(i["enquiries"]) & set(enquiries)]
    if requests:
        items = [i for i in items if set(i["requests"]) & set(requests)]
    if cases:
        wanted = {c.lower() for c in cases}
        items = [i for i in items if (i["case_ref"] or "").lower() in wanted]

    if by == "enquiry":
        groups = [(e.id, f"{e.id} {e.title}", {e.id}) for e in framework.enquiries(ws, True)
                  if not enquiries or e.id in enquiries]
        key = "enquiries"
    elif by == "area":
        enq = framework.enquiries(ws, True)
        groups = [(a.id, a.title, {e.id for e in enq if e.area_id == a.id})
                  for a in framework.areas(ws, True)]
        key = "enquiries"
    elif by == "request":
        groups = [(r["id"], f"{r['id']} {r['title']}", {r["id"]})
                  for r in framework.requests(ws, True) if not requests or r["id"] in requests]
        key = "requests"
    elif by == "case":
        alias = {c.ref.lower(): c.alias for c in list_cases(ws)}
        refs = cases or sorted({i["case_ref"] for i in items if i["case_ref"]},
                               key=lambda r: (len(alias.get(r.lower()) or r),
                                              alias.get(r.lower()) or r))
        known = {c.ref.lower(): c for c in list_cases(ws)}
        groups = []
        for ref in refs:
            c = known.get(ref.lower())
            title = f"{c.alias} (case {c.ref})" if c and c.alias else f"Case {ref}"
            groups.append((ref, title, {ref.lower()}))
        key = "case"
    else:
        return [("custom", None, "Evidence", [i["id"] for i in items])]

    sections = [(by, ref, title, []) for ref, title, _ in groups]
    other: list[int] = []
    for item in items:
        have = {(item["case_ref"] or "").lower()} if key == "case" else set(item[key])
        for (ref, _, members), section in zip(groups, sections):
            if have & members:
                section[3].append(item["id"])
                break
        else:
            other.append(item["id"])
    # generated sections without evidence are kept only when someone asked for them by name
    asked = bool(enquiries if by == "enquiry" else requests if by == "request" else cases)
    sections = [s for s in sections if s[3] or (asked and by != "area")]
    if other:
        sections.append(("custom", None, OTHER, other))
    return sections


def create_bundle(ws: Workspace, title: str, by: str | None = None, *,
                  enquiries: list[str] | None = None, requests: list[str] | None = None,
                  cases: list[str] | None = None, purpose: str = "",
                  marking: str | None = None, external: bool = False) -> dict:
    """A new bundle. Without a marking it gets the workspace's default marking (Settings)."""
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("A bundle needs a title, e.g. \"Leadership: self-evaluation\".")
    enquiries, requests, cases = enquiries or [], requests or [], cases or []
    by = by or ("enquiry" if enquiries else "request" if requests else "case" if cases
                else "enquiry")
    if by not in GROUPINGS:
        raise InvalidInput(f"A bundle can be grouped by {', '.join(GROUPINGS)}, not '{by}'.")
    plan = _plan(ws, by, enquiries, requests, cases)
    now, who = clock.now_iso(), author(ws)
    with transaction(ws.db):
        cur = ws.db.conn.execute(
            "INSERT INTO bundles (uuid, title, purpose, grouping, marking, external, created_by, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            [new_uuid(), title, purpose, by,
             default_marking(ws) if marking is None else _marking(marking), int(external), who,
             now, now])
        bundle_id = int(cur.lastrowid)
        for pos, (kind, ref, stitle, item_ids) in enumerate(plan, start=1):
            sid = _insert_section(ws, bundle_id, pos, kind, ref, stitle)
            ws.db.conn.executemany(
                "INSERT INTO bundle_items (bundle_id, section_id, item_id, position, added_at) "
                "VALUES (?,?,?,?,?)",
                [(bundle_id, sid, item_id, n, now) for n, item_id in enumerate(item_ids, 1)])
        bundle = get_bundle(ws, bundle_id)
        audit.record(ws, "create", "bundle", bundle["uuid"], title, None,
                     {"grouping": by, "sections": len(plan), "items": bundle["items"],
                      "enquiries": enquiries, "requests": requests, "cases": cases})
    return bundle


def _insert_section(ws: Workspace, bundle_id: int, pos: int, kind: str, ref: str | None,
                    title: str) -> int:
    cur = ws.db.conn.execute(
        "INSERT INTO bundle_sections (uuid, bundle_id, position, kind, ref, title) "
        "VALUES (?,?,?,?,?,?)", [new_uuid(), bundle_id, pos, kind, ref, title])
    return int(cur.lastrowid)


def _marking(value: str) -> str:
    return normalise_marking(value)


def delete_bundle(ws: Workspace, ident) -> None:
    row = _bundle_row(ws, ident)
    with transaction(ws.db):
        ws.db.conn.execute("DELETE FROM bundles WHERE id = ?", [row["id"]])
        audit.record(ws, "delete", "bundle", row["uuid"], row["title"], {"title": row["title"]})


# -- editing -----------------------------------------------------------------------------------
def resolve_item(ws: Workspace, bundle: dict, ident) -> int:
    """An item in a bundle by its evidence number ('E-003', the order shown) or item id."""
    key = str(ident).strip().upper()
    order = [i for s in bundle["sections"] for i in s["items"]]
    if key.startswith("E-") and key[2:].isdigit():
        n = int(key[2:])
        if not 1 <= n <= len(order):
            raise NotFound(f"Bundle {bundle['id']} has no evidence {key} (it has {len(order)}).")
        return order[n - 1]
    if not key.isdigit():
        raise InvalidInput(f"'{ident}' is not an evidence item: give its id or its number in "
                           "the bundle (E-003).")
    return int(key)


def resolve_section(bundle: dict, ident) -> dict:
    """A section by its id, its number (S2), its ref (LEAD-01, a case ref) or its title."""
    key = str(ident).strip()
    low = key.lower()
    for s in bundle["sections"]:
        if (low in (f"s{s['position']}", (s["ref"] or "").lower(), s["title"].lower())
                or (key.isdigit() and int(key) == s["id"])):
            return s
    names = ", ".join(f"S{s['position']} {s['title']}" for s in bundle["sections"])
    raise NotFound(f"Bundle {bundle['id']} has no section '{key}'. Its sections: {names}.")


def _renumber(ws: Workspace, section_id: int, order: list[int]) -> None:
    ws.db.conn.executemany("UPDATE bundle_items SET section_id = ?, position = ? "
                           "WHERE bundle_id = (SELECT bundle_id FROM bundle_sections WHERE id = ?)"
                           " AND item_id = ?",
                           [(section_id, n, section_id, item) for n, item in enumerate(order, 1)])


def _touch(ws: Workspace, bundle_id: int) -> None:
    ws.db.conn.execute("UPDATE bundles SET updated_at = ? WHERE id = ?",
                       [clock.now_iso(), bundle_id])


def add_item(ws: Workspace, ident, item, section=None, position: int | None = None) -> dict:
    bundle = get_bundle(ws, ident)
    ev = get_item(ws, item)
    if any(ev["id"] in s["items"] for s in bundle["sections"]):
        raise InvalidInput(f"Evidence item {ev['id']} is already in bundle {bundle['id']}; "
                           "use 'bundle move' to put it elsewhere.")
    with transaction(ws.db):
        if section is not None:
            target = resolve_section(bundle, section)
        elif bundle["sections"]:
            target = bundle["sections"][-1]
        else:
            sid = _insert_section(ws, bundle["id"], 1, "custom", None, "Evidence")
            target = {"id": sid, "items": []}
        ws.db.conn.execute("INSERT INTO bundle_items (bundle_id, section_id, item_id, position, "
                           "added_at) VALUES (?,?,?,?,?)",
                           [bundle["id"], target["id"], ev["id"], 10**9, clock.now_iso()])
        order = list(target["items"])
        at = len(order) if position is None else max(0, min(len(order), position - 1))
        order.insert(at, ev["id"])
        _renumber(ws, target["id"], order)
        _touch(ws, bundle["id"])
        audit.record(ws, "add-item", "bundle", bundle["uuid"], bundle["title"], None,
                     {"item": ev["uuid"], "section": target["id"]})
    return get_bundle(ws, bundle["id"])


def remove_item(ws: Workspace, ident, item) -> dict:
    bundle = get_bundle(ws, ident)
    item_id = resolve_item(ws, bundle, item)
    with transaction(ws.db):
        cur = ws.db.conn.execute("DELETE FROM bundle_items WHERE bundle_id = ? AND item_id = ?",
                                 [bundle["id"], item_id])
        if not cur.rowcount:
            raise NotFound(f"Evidence item {item_id} is not in bundle {bundle['id']}.")
        _touch(ws, bundle["id"])
        audit.record(ws, "remove-item", "bundle", bundle["uuid"], bundle["title"],
                     {"item": item_id}, None)
    return get_bundle(ws, bundle["id"])


def move_item(ws: Workspace, ident, item, to) -> dict:
    """Move an item: `to` is a position in its section (3), a section (S2, LEAD-01, a title), or
    both as SECTION:POSITION (LEAD-02:1). Positions start at 1."""
    bundle = get_bundle(ws, ident)
    item_id = resolve_item(ws, bundle, item)
    current = next((s for s in bundle["sections"] if item_id in s["items"]), None)
    if current is None:
        raise NotFound(f"Evidence item {item_id} is not in bundle {bundle['id']}; add it with "
                       "'bundle add'.")
    target_key, _, pos_key = str(to).strip().rpartition(":")
    if not target_key and not pos_key.isdigit():
        target_key, pos_key = pos_key, ""
    if pos_key and not pos_key.isdigit():
        raise InvalidInput(f"'{to}' is not a position or section: use 3, S2, LEAD-01 or LEAD-01:1.")
    target = resolve_section(bundle, target_key) if target_key else current
    order = [i for i in target["items"] if i != item_id]
    at = len(order) if not pos_key else max(0, min(len(order), int(pos_key) - 1))
    order.insert(at, item_id)
    with transaction(ws.db):
        if target["id"] != current["id"]:
            _renumber(ws, current["id"], [i for i in current["items"] if i != item_id])
        _renumber(ws, target["id"], order)
        _touch(ws, bundle["id"])
        audit.record(ws, "move-item", "bundle", bundle["uuid"], bundle["title"],
                     {"item": item_id, "section": current["id"]},
                     {"item": item_id, "section": target["id"], "position": at + 1})
    return get_bundle(ws, bundle["id"])


def add_section(ws: Workspace, ident, title: str) -> dict:
    bundle = get_bundle(ws, ident)
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("A section needs a title.")
    with transaction(ws.db):
        _insert_section(ws, bundle["id"], len(bundle["sections"]) + 1, "custom", None, title)
        _touch(ws, bundle["id"])
        audit.record(ws, "add-section", "bundle", bundle["uuid"], bundle["title"], None,
                     {"section": title})
    return get_bundle(ws, bundle["id"])


SETTABLE = ("title", "purpose", "inspection", "prepared_by", "marking", "external",
            "pseudonymise", "append_sources")


def set_settings(ws: Workspace, ident, **changes) -> dict:
    """Change title, purpose, inspection, prepared_by, marking, external, pseudonymise
    (True/False, or None to follow `external`) or append_sources. None leaves a value as is,
    except for pseudonymise, where it is only applied when passed explicitly."""
    row = _bundle_row(ws, ident)
    unknown = set(changes) - set(SETTABLE)
    if unknown:
        raise InvalidInput(f"A bundle has no setting {', '.join(sorted(unknown))}.")
    values = {}
    for key, value in changes.items():
        if value is None and key != "pseudonymise":
            continue
        if key == "marking":
            value = _marking(value)
        elif key in ("external", "append_sources"):
            value = int(bool(value))
        elif key == "pseudonymise":
            value = None if value is None else int(bool(value))
        elif key == "title":
            value = " ".join(value.split())
            if not value:
                raise InvalidInput("A bundle needs a title.")
        if row[key] != value:
            values[key] = value
    if values:
        with transaction(ws.db):
            ws.db.conn.execute(
                f"UPDATE bundles SET {', '.join(f'{k} = ?' for k in values)}, updated_at = ? "
                "WHERE id = ?", [*values.values(), clock.now_iso(), row["id"]])
            audit.record(ws, "update", "bundle", row["uuid"], row["title"],
                         {k: row[k] for k in values}, values)
    return get_bundle(ws, row["id"])


def record_export(ws: Workspace, ident, result, *, append_sources: bool) -> dict:
    """Keep the export in the bundle's records and the audit log, in one transaction."""
    row = _bundle_row(ws, ident)
    entry = {"uuid": new_uuid(), "bundle_id": row["id"], "at": clock.now_iso(), "who": author(ws),
             "path": str(result.path), "manifest": str(result.manifest),
             "sha256": result.sha256, "size": result.size, "items": result.items,
             "pseudonymised": int(result.pseudonymised), "append_sources": int(append_sources),
             "sources": json.dumps(result.sources, ensure_ascii=False),
             "redactions": json.dumps([e.to_json() for e in result.redactions]),
             "seconds": round(result.seconds, 3)}
    with transaction(ws.db):
        ws.db.conn.execute(f"INSERT INTO bundle_exports ({', '.join(entry)}) VALUES "
                           f"({', '.join('?' for _ in entry)})", list(entry.values()))
        audit.record(ws, "export", "bundle", row["uuid"], row["title"], None,
                     {"path": entry["path"], "sha256": entry["sha256"], "size": entry["size"],
                      "manifest": entry["manifest"], "items": entry["items"],
                      "pseudonymised": bool(entry["pseudonymised"]),
                      "sources": [{"sha256": s["sha256"], "evidence": s["evidence"]}
                                  for s in result.sources],
                      "redactions": sum(e.count for e in result.redactions)})
    return entry
