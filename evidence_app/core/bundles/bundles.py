"""Bundles: the evidence a manager assembles for inspectors, in sections, in order.

A bundle is generated from the framework (one section per line of enquiry, judgement area or
week-one request), from cases (one section per child), or started empty (custom), then edited:
items added, removed, reordered, moved between sections. Each evidence item appears once per
bundle, so it has one evidence number. Every change is one transaction with its audit entry.
Turning a bundle into a document is `bundle_data.py`'s job; this module only keeps its shape.
Every write returns a `Done` with its undo; the SQL is in `core/store/bundles.py`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from evidence_app.core.base.frozen import frozen
from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.evidence import framework
from evidence_app.core.evidence.cases import list_cases, norm_ref
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence.evidence import get_item, list_items
from evidence_app.core.settings import author, default_marking, normalise_marking
from evidence_app.core.store import bundles as store
from evidence_app.core.store import updates as store_updates
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import (
    Bundle, BundleRow, BundleSection, BundleSummary, ExportLogEntry,
)
from evidence_app.core.bundles.export.model import evidence_number
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.evidence.evidence import get_item

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

GROUPINGS = ("enquiry", "area", "request", "case", "custom")
OTHER = "Other evidence"


# -- reading -----------------------------------------------------------------------------------
def _bundle_row(ws: Workspace, ident) -> dict:
    row = store.raw(ws.db.conn, ident)
    if row is None:
        raise NotFound(f"There is no bundle {str(ident).strip()}. See 'evidence-app bundle list'.")
    return row


def get_bundle(ws: Workspace, ident) -> Bundle:
    """The bundle with its sections in order, each with its evidence item ids in order."""
    bundle = store.get(ws.db.conn, ident)
    if bundle is None:
        raise NotFound(f"There is no bundle {str(ident).strip()}. See 'evidence-app bundle list'.")
    return bundle


def list_bundles(ws: Workspace) -> list[BundleSummary]:
    return store.summaries(ws.db.conn)


def exports(ws: Workspace, ident) -> list[ExportLogEntry]:
    """Every export made of a bundle, oldest first (the log `bundle exports` shows)."""
    return store.exports(ws.db.conn, _bundle_row(ws, ident)["id"])


@frozen
class BundleRows:
    """What a window shows for one bundle: the bundle and its rows by item id (numbered)."""

    bundle: Bundle
    rows: dict[int, BundleRow]


def bundle_rows(ws: Workspace, ident) -> BundleRows:
    """The bundle and only its own items (not every item of the workspace), numbered E-001…
    in the order shown."""
    bundle = get_bundle(ws, ident)
    items = {i.id: i for i in list_items(ws, bundle_id=bundle.id)}
    rows, n = {}, 0
    for s in bundle.sections:
        for pos, item_id in enumerate(s.items, 1):
            if item_id in items:
                n += 1
                rows[item_id] = BundleRow(evidence_number(n), s.id, pos, items[item_id])
    return BundleRows(bundle, rows)


def _changes(bundle_id: int) -> Changes:
    return Changes.of("bundles", ids=(("bundle", int(bundle_id)),))


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
        items = [i for i in items if set(i.enquiries) & set(enquiries)]
    if requests:
        items = [i for i in items if set(i.requests) & set(requests)]
    if cases:
        wanted = {c.lower() for c in cases}
        items = [i for i in items if (i.case_ref or "").lower() in wanted]

    if by == "enquiry":
        groups = [(e.id, f"{e.id} {e.title}", {e.id}) for e in framework.enquiries(ws, True)
                  if not enquiries or e.id in enquiries]
    elif by == "area":
        enq = framework.enquiries(ws, True)
        groups = [(a.id, a.title, {e.id for e in enq if e.area_id == a.id})
                  for a in framework.areas(ws, True)]
    elif by == "request":
        groups = [(r.id, f"{r.id} {r.title}", {r.id})
                  for r in framework.requests(ws, True) if not requests or r.id in requests]
    elif by == "case":
        alias = {c.ref.lower(): c.alias for c in list_cases(ws)}
        refs = cases or sorted({i.case_ref for i in items if i.case_ref},
                               key=lambda r: (len(alias.get(r.lower()) or r),
                                              alias.get(r.lower()) or r))
        known = {c.ref.lower(): c for c in list_cases(ws)}
        groups = []
        for ref in refs:
            c = known.get(ref.lower())
            title = f"{c.alias} (case {c.ref})" if c and c.alias else f"Case {ref}"
            groups.append((ref, title, {ref.lower()}))
    else:
        return [("custom", None, "Evidence", [i.id for i in items])]

    def keys(item) -> set[str]:  # noqa: ANN001
        if by == "case":
            return {(item.case_ref or "").lower()}
        return set(item.requests if by == "request" else item.enquiries)

    sections = [(by, ref, title, []) for ref, title, _ in groups]
    other: list[int] = []
    for item in items:
        have = keys(item)
        for (ref, _, members), section in zip(groups, sections):
            if have & members:
                section[3].append(item.id)
                break
        else:
            other.append(item.id)
    # generated sections without evidence are kept only when someone asked for them by name
    asked = bool(enquiries if by == "enquiry" else requests if by == "request" else cases)
    sections = [s for s in sections if s[3] or (asked and by != "area")]
    if other:
        sections.append(("custom", None, OTHER, other))
    return sections


def create_bundle(ws: Workspace, title: str, by: str | None = None, *,
                  enquiries: list[str] | None = None, requests: list[str] | None = None,
                  cases: list[str] | None = None, purpose: str = "",
                  marking: str | None = None, external: bool = False) -> Done[Bundle]:
    """A new bundle. Without a marking it gets the workspace's default marking (Settings).
    Undoing deletes it (and redoing puts the same bundle back)."""
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
    conn = ws.db.conn
    with transaction(ws.db):
        bundle_id = store.insert_bundle(conn, {
            "uuid": new_uuid(), "title": title, "purpose": purpose, "grouping": by,
            "marking": default_marking(ws) if marking is None else _marking(marking),
            "external": int(external), "created_by": who, "created_at": now, "updated_at": now})
        for pos, (kind, ref, stitle, item_ids) in enumerate(plan, start=1):
            sid = store.insert_section(conn, new_uuid(), bundle_id, pos, kind, ref, stitle)
            store.place_items(conn, bundle_id, sid, item_ids, now)
        bundle = get_bundle(ws, bundle_id)
        audit.record(ws, "create", "bundle", bundle.uuid, title, None,
                     {"grouping": by, "sections": len(plan), "items": bundle.item_count,
                      "enquiries": enquiries, "requests": requests, "cases": cases})
    return Done(bundle, _changes(bundle_id), lambda ws: delete_bundle(ws, bundle_id),
                f"Create bundle “{title}”")


def _marking(value: str) -> str:
    return normalise_marking(value)


def delete_bundle(ws: Workspace, ident) -> Done[None]:
    """Delete a bundle (its evidence items stay). Undoing puts it back exactly, same ids."""
    row = _bundle_row(ws, ident)
    with transaction(ws.db):
        kept = store.snapshot(ws.db.conn, row["id"])
        store.delete_bundle(ws.db.conn, row["id"])
        audit.record(ws, "delete", "bundle", row["uuid"], row["title"], {"title": row["title"]})
    return Done(None, _changes(row["id"]), lambda ws: _put_back(ws, kept),
                f"Delete bundle “{row['title']}”")


def _put_back(ws: Workspace, kept: dict) -> Done[Bundle]:
    row = kept["bundles"][0]
    with transaction(ws.db):
        store.put_back(ws.db.conn, kept)
        audit.record(ws, "restore", "bundle", row["uuid"], row["title"], None,
                     {"title": row["title"]})
    return Done(get_bundle(ws, row["id"]), _changes(row["id"]),
                lambda ws: delete_bundle(ws, row["id"]), f"Restore bundle “{row['title']}”")


# -- editing -----------------------------------------------------------------------------------
def resolve_item(ws: Workspace, bundle: Bundle, ident) -> int:
    """An item in a bundle by its evidence number ('E-003', the order shown) or item id."""
    key = str(ident).strip().upper()
    order = bundle.item_ids
    if key.startswith("E-") and key[2:].isdigit():
        n = int(key[2:])
        if not 1 <= n <= len(order):
            raise NotFound(f"Bundle {bundle.id} has no evidence {key} (it has {len(order)}).")
        return order[n - 1]
    if not key.isdigit():
        raise InvalidInput(f"'{ident}' is not an evidence item: give its id or its number in "
                           "the bundle (E-003).")
    return int(key)


def resolve_section(bundle: Bundle, ident) -> BundleSection:
    """A section by its id, its number (S2), its ref (LEAD-01, a case ref) or its title."""
    key = str(ident).strip()
    low = key.lower()
    for s in bundle.sections:
        if (low in (f"s{s.position}", (s.ref or "").lower(), s.title.lower())
                or (key.isdigit() and int(key) == s.id)):
            return s
    names = ", ".join(f"S{s.position} {s.title}" for s in bundle.sections)
    raise NotFound(f"Bundle {bundle.id} has no section '{key}'. Its sections: {names}.")


def _touch(ws: Workspace, bundle_id: int) -> None:
    store_updates.set_fields(ws.db.conn, "bundles", bundle_id, {}, now=clock.now_iso())


def add_item(ws: Workspace, ident, item, section=None, position: int | None = None
             ) -> Done[Bundle]:
    """Put an evidence item in the bundle (at the end of the last section, or of `section`, or
    at `position` there). Undoing takes it out again."""
    bundle = get_bundle(ws, ident)
    ev = get_item(ws, item)
    if bundle.section_of(ev.id) is not None:
        raise InvalidInput(f"Evidence item {ev.id} is already in bundle {bundle.id}; "
                           "use 'bundle move' to put it elsewhere.")
    conn = ws.db.conn
    with transaction(ws.db):
        if section is not None:
            target = resolve_section(bundle, section)
            target_id, order = target.id, list(target.items)
        elif bundle.sections:
            target_id, order = bundle.sections[-1].id, list(bundle.sections[-1].items)
        else:
            target_id, order = store.insert_section(conn, new_uuid(), bundle.id, 1, "custom",
                                                    None, "Evidence"), []
        store.place_items(conn, bundle.id, target_id, [ev.id], clock.now_iso(), 10**9)
        at = len(order) if position is None else max(0, min(len(order), position - 1))
        order.insert(at, ev.id)
        store.renumber(conn, target_id, order)
        _touch(ws, bundle.id)
        audit.record(ws, "add-item", "bundle", bundle.uuid, bundle.title, None,
                     {"item": ev.uuid, "section": target_id})
    return Done(get_bundle(ws, bundle.id), _changes(bundle.id),
                lambda ws: remove_item(ws, bundle.id, ev.id), f"Add item {ev.id} to the bundle")


def remove_item(ws: Workspace, ident, item) -> Done[Bundle]:
    """Take an item (by id or E-number) out of the bundle; undoing puts it back in its place."""
    bundle = get_bundle(ws, ident)
    item_id = resolve_item(ws, bundle, item)
    section = bundle.section_of(item_id)
    with transaction(ws.db):
        if not store.remove_item(ws.db.conn, bundle.id, item_id):
            raise NotFound(f"Evidence item {item_id} is not in bundle {bundle.id}.")
        _touch(ws, bundle.id)
        audit.record(ws, "remove-item", "bundle", bundle.uuid, bundle.title,
                     {"item": item_id}, None)
    undo = None if section is None else (lambda ws: add_item(
        ws, bundle.id, item_id, section=str(section.id),
        position=section.items.index(item_id) + 1))
    return Done(get_bundle(ws, bundle.id), _changes(bundle.id), undo,
                f"Take item {item_id} out of the bundle")


def move_item(ws: Workspace, ident, item, to) -> Done[Bundle]:
    """Move an item: `to` is a position in its section (3), a section (S2, LEAD-01, a title), or
    both as SECTION:POSITION (LEAD-02:1). Positions start at 1. Undoing moves it back."""
    bundle = get_bundle(ws, ident)
    item_id = resolve_item(ws, bundle, item)
    current = bundle.section_of(item_id)
    if current is None:
        raise NotFound(f"Evidence item {item_id} is not in bundle {bundle.id}; add it with "
                       "'bundle add'.")
    target_key, _, pos_key = str(to).strip().rpartition(":")
    if not target_key and not pos_key.isdigit():
        target_key, pos_key = pos_key, ""
    if pos_key and not pos_key.isdigit():
        raise InvalidInput(f"'{to}' is not a position or section: use 3, S2, LEAD-01 or LEAD-01:1.")
    target = resolve_section(bundle, target_key) if target_key else current
    order = [i for i in target.items if i != item_id]
    at = len(order) if not pos_key else max(0, min(len(order), int(pos_key) - 1))
    order.insert(at, item_id)
    back = f"{current.id}:{current.items.index(item_id) + 1}"
    with transaction(ws.db):
        if target.id != current.id:
            store.renumber(ws.db.conn, current.id, [i for i in current.items if i != item_id])
        store.renumber(ws.db.conn, target.id, order)
        _touch(ws, bundle.id)
        audit.record(ws, "move-item", "bundle", bundle.uuid, bundle.title,
                     {"item": item_id, "section": current.id},
                     {"item": item_id, "section": target.id, "position": at + 1})
    return Done(get_bundle(ws, bundle.id), _changes(bundle.id),
                lambda ws: move_item(ws, bundle.id, item_id, back),
                f"Move item {item_id} in the bundle")


def add_section(ws: Workspace, ident, title: str) -> Done[Bundle]:
    """A new empty section at the end; undoing removes it (while it is still empty)."""
    bundle = get_bundle(ws, ident)
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("A section needs a title.")
    with transaction(ws.db):
        sid = store.insert_section(ws.db.conn, new_uuid(), bundle.id, len(bundle.sections) + 1,
                                   "custom", None, title)
    return _section_added(ws, bundle, sid, title, "add-section")


def _section_added(ws: Workspace, bundle: Bundle, sid: int, title: str, action: str
                   ) -> Done[Bundle]:
    with transaction(ws.db):
        _touch(ws, bundle.id)
        audit.record(ws, action, "bundle", bundle.uuid, bundle.title, None, {"section": title})
    return Done(get_bundle(ws, bundle.id), _changes(bundle.id),
                lambda ws: _remove_section(ws, bundle.id, sid), f"Add section “{title}”")


def _remove_section(ws: Workspace, bundle_id: int, section_id: int) -> Done[Bundle]:
    """Undo of adding a section: only while it is empty (nothing placed in it is dropped)."""
    bundle = get_bundle(ws, bundle_id)
    section = next((s for s in bundle.sections if s.id == section_id), None)
    if section is None:
        raise NotFound(f"Bundle {bundle_id} no longer has that section.")
    if section.items:
        raise InvalidInput(f"The section “{section.title}” has evidence in it now; move or "
                           "remove its items first.")
    with transaction(ws.db):
        kept = store.delete_section(ws.db.conn, section_id)
        _touch(ws, bundle_id)
        audit.record(ws, "remove-section", "bundle", bundle.uuid, bundle.title,
                     {"section": section.title}, None)

    def put_back(ws: Workspace) -> Done[Bundle]:
        with transaction(ws.db):
            store.put_back_section(ws.db.conn, kept)
        return _section_added(ws, get_bundle(ws, bundle_id), section_id, section.title,
                              "restore-section")

    return Done(get_bundle(ws, bundle_id), _changes(bundle_id), put_back,
                f"Remove section “{section.title}”")


SETTABLE = ("title", "purpose", "inspection", "prepared_by", "marking", "external",
            "pseudonymise", "append_sources")


def set_settings(ws: Workspace, ident, **changes) -> Done[Bundle]:
    """Change title, purpose, inspection, prepared_by, marking, external, pseudonymise
    (True/False, or None to follow `external`) or append_sources. None leaves a value as is,
    except for pseudonymise, where it is only applied when passed explicitly. Undoing puts the
    old values back."""
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
        values[key] = value
    return _put(ws, row, values)


def _put(ws: Workspace, row: dict, values: dict) -> Done[Bundle]:
    """Write stored values that differ (audited); the undo writes the old ones back."""
    values = {k: v for k, v in values.items() if row[k] != v}
    old = {k: row[k] for k in values}
    if values:
        audit.update_and_record(ws, "bundles", row["id"], values, action="update",
                                entity_type="bundle", entity_uuid=row["uuid"],
                                entity_ref=row["title"], log=(old, values))
    return Done(get_bundle(ws, row["id"]), _changes(row["id"]),
                lambda ws: _put(ws, _bundle_row(ws, row["id"]), old),
                f"Change {', '.join(values) or 'nothing'} of the bundle")


def record_export(ws: Workspace, ident, result, *, append_sources: bool) -> Done[dict]:
    """Keep the export in the bundle's records and the audit log, in one transaction. A record
    of a file written cannot be undone (the file is on disk); it is in the audit log."""
    row = _bundle_row(ws, ident)
    entry = {"uuid": new_uuid(), "bundle_id": row["id"], "at": clock.now_iso(), "who": author(ws),
             "path": str(result.path), "manifest": str(result.manifest),
             "sha256": result.sha256, "size": result.size, "items": result.items,
             "pseudonymised": int(result.pseudonymised), "append_sources": int(append_sources),
             "sources": json.dumps(result.sources, ensure_ascii=False),
             "redactions": json.dumps([e.to_json() for e in result.redactions]),
             "seconds": round(result.seconds, 3)}
    with transaction(ws.db):
        store.insert_export(ws.db.conn, entry)
        audit.record(ws, "export", "bundle", row["uuid"], row["title"], None,
                     {"path": entry["path"], "sha256": entry["sha256"], "size": entry["size"],
                      "manifest": entry["manifest"], "items": entry["items"],
                      "pseudonymised": bool(entry["pseudonymised"]),
                      "sources": [{"sha256": s["sha256"], "evidence": s["evidence"]}
                                  for s in result.sources],
                      "redactions": sum(e.count for e in result.redactions)})
    return Done(entry, _changes(row["id"]), None, f"Export bundle “{row['title']}”")
