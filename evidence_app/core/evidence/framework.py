"""The inspection framework: judgement areas, lines of enquiry and week-one requests.

The workspace holds one editable copy, seeded on first use from the shipped default version
(`ilacs-2026-04`: no overall effectiveness). Switching to `ilacs-2023-01` (for an inspection
before April 2026, or an old bundle) merges that version in and retires the areas it lacks;
areas are retired, never removed, because evidence may point at their lines.

Staff may add, rename, reorder and retire lines of enquiry and requests. Deleting is allowed only
for a custom line nothing points at; everything else is retired. Every change is audited.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.fsnames import display
from evidence_app.core.base.user_text import printable
from evidence_app.core.evidence.framework_io import (
    DEFAULT_VERSION, ENQUIRY_FIELDS, REQUEST_FIELDS, ImportReport, _merge_row, available_versions,
    load_version, merge, normalise, read_file, write_export,
)
from evidence_app.core.settings import FRAMEWORK_VERSION_KEY
from evidence_app.core.store import framework as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import (
    Enquiry, FrameworkArea, FrameworkEdit, FrameworkRequest,
)

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

__all__ = ["ensure", "current_version", "use_version", "areas", "enquiries", "requests",
           "get", "resolve_enquiries", "resolve_requests", "add_enquiry", "add_request",
           "rename", "move", "retire", "delete", "export_framework", "import_framework",
           "available_versions", "ImportReport"]

VERSION_KEY = FRAMEWORK_VERSION_KEY  # owned by core.settings with every other setting
_TABLE = {"enquiry": "enquiries", "request": "requests"}


def _changes(*ids: str, kind: str = "enquiry") -> Changes:
    """A framework change; a week-one request's also shows in the requests tracker."""
    areas = ("framework", "requests") if kind == "request" else ("framework",)
    return Changes.of(*areas, ids=tuple(("framework", i) for i in ids))


def ensure(ws: Workspace) -> None:
    """Seed the default framework the first time a workspace needs it."""
    if ws.get_meta(VERSION_KEY):
        return
    with transaction(ws.db):
        if ws.get_meta(VERSION_KEY):
            return
        data = normalise(load_version(DEFAULT_VERSION), DEFAULT_VERSION)
        merge(ws, data, audit_each=False)
        ws.set_meta(VERSION_KEY, DEFAULT_VERSION)
        audit.record(ws, "seed", "framework", None, DEFAULT_VERSION, None,
                     {"version": DEFAULT_VERSION}, who="Evidence Organiser")


def current_version(ws: Workspace) -> str:
    ensure(ws)
    return ws.get_meta(VERSION_KEY) or DEFAULT_VERSION


def use_version(ws: Workspace, version: str) -> Done[ImportReport]:
    """Switch the framework version; areas not in it are retired (kept for old evidence).
    Undoing switches back to the version before."""
    ensure(ws)
    data = normalise(load_version(version), version)
    keep = {a["id"] for a in data["areas"]}
    with transaction(ws.db):
        before = ws.get_meta(VERSION_KEY)
        report = merge(ws, data)
        store.retire_areas_outside(ws.db.conn, keep, clock.now_iso())
        ws.set_meta(VERSION_KEY, version)
        audit.record(ws, "switch-version", "framework", None, version, {"version": before},
                     {"version": version})
    undo = (lambda w: use_version(w, before)) if before and before != version else None
    return Done(report, _changes(kind="request"), undo, f"Switch framework to {version}")


# -- reading -----------------------------------------------------------------------------------
def areas(ws: Workspace, include_retired: bool = False) -> list[FrameworkArea]:
    ensure(ws)
    return [FrameworkArea(r["id"], r["uuid"], r["title"], r["short_title"], r["position"],
                          bool(r["retired"]), bool(r["custom"]))
            for r in store.area_rows(ws.conn, include_retired)]


def enquiries(ws: Workspace, include_retired: bool = False, area: str | None = None) -> list[Enquiry]:
    ensure(ws)
    return [Enquiry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]))
            for r in store.enquiry_rows(ws.conn, include_retired,
                                        area.strip().upper() if area else None)]


def requests(ws: Workspace, include_retired: bool = False) -> list[FrameworkRequest]:
    """The week-one requests as the framework lists them (the tracker's view: requests.py)."""
    ensure(ws)
    return store.requests(ws.conn, include_retired)


def get(ws: Workspace, ident: str) -> tuple[str, Enquiry | FrameworkRequest]:
    """('enquiry', line) or ('request', request) for an id, case-insensitively, retired or
    not."""
    ensure(ws)
    ident = (ident or "").strip().upper()
    line = store.enquiry(ws.conn, ident)
    if line is not None:
        return "enquiry", line
    request = store.request(ws.conn, ident)
    if request is not None:
        return "request", request
    raise _not_found(ident)


def _stored(ws: Workspace, ident: str) -> tuple[str, dict]:
    """('enquiry' | 'request', every stored column): what an edit compares, logs and puts back
    on undo (a whole row, so a dict of its columns)."""
    ensure(ws)
    ident = (ident or "").strip().upper()
    for kind, table in _TABLE.items():
        row = store.row(ws.conn, table, ident)
        if row is not None:
            return kind, row
    raise _not_found(ident)


def _not_found(ident: str) -> NotFound:
    """One line whatever was typed: control characters shown escaped, a long id cut."""
    return NotFound(f"There is no line of enquiry or request '{printable(ident, 60)}'. See the "
                    "ids with 'evidence-app framework list' (requests: 'evidence-app request "
                    "list').")


def _resolve(ws: Workspace, ids: list[str], table: str, what: str, hint: str) -> list[str]:
    ensure(ws)
    out: list[str] = []
    for raw in ids or []:
        ident = raw.strip().upper()
        state = store.retired_state(ws.conn, table, ident)
        if state is None:
            raise InvalidInput(f"'{printable(raw, 60)}' is not a {what} id. See the valid ids with "
                               f"'evidence-app {hint}'.")
        if state[0] or state[1]:
            raise InvalidInput(f"The {what} {ident} is retired. Un-retire it with "
                               f"'evidence-app framework retire {ident} --undo' to use it.")
        if ident not in out:
            out.append(ident)
    return out


def resolve_enquiries(ws: Workspace, ids: list[str]) -> list[str]:
    return _resolve(ws, ids, "enquiries", "line of enquiry", "framework list")


def resolve_requests(ws: Workspace, ids: list[str]) -> list[str]:
    return _resolve(ws, ids, "requests", "week-one request", "request list")


# -- editing -----------------------------------------------------------------------------------
def _next_id(ws: Workspace, prefix: str) -> str:
    n = 0
    for ident in store.ids_starting(ws.conn, prefix):
        tail = ident[len(prefix):]
        if tail.isdigit():
            n = max(n, int(tail))
    return f"{prefix}{n + 1:02d}"


def _check_new_id(ws: Workspace, ident: str | None) -> str | None:
    if ident is None:
        return None
    ident = ident.strip().upper()
    if not ident or any(c.isspace() for c in ident) or len(ident) > 30:
        raise InvalidInput("An id must be a short word without spaces, e.g. LEAD-16 or DOC-EXTRA.")
    try:
        _stored(ws, ident)
    except NotFound:
        return ident
    raise InvalidInput(f"The id {ident} is already used.")


def add_enquiry(ws: Workspace, area: str, title: str, prompt: str = "",
                ident: str | None = None) -> Done[str]:
    """A custom line of enquiry at the end of its area; the new id is the value. Undoing
    removes it (nothing can point at it yet); redoing brings back the same line."""
    ensure(ws)
    area = (area or "").strip().upper()
    if not store.exists(ws.conn, "judgement_areas", area):
        valid = ", ".join(a.id for a in areas(ws, include_retired=True))
        raise InvalidInput(f"There is no judgement area '{area}'. Use one of: {valid}.")
    title = _text(title, "title")
    with transaction(ws.db):
        ident = _check_new_id(ws, ident) or _next_id(ws, f"{area}-")
        _merge_row(ws, "enquiries", "enquiry", ident,
                   {"area_id": area, "title": title, "prompt": (prompt or "").strip()},
                   ENQUIRY_FIELDS,
                   clock.now_iso(), ImportReport(), True, custom=1, scope=("area_id", area))
    return Done(ident, _changes(ident), lambda w: _remove(w, "enquiry", ident),
                f"Add line of enquiry {ident}")


def add_request(ws: Workspace, title: str, kind: str = "document", description: str = "",
                ident: str | None = None, ofsted_ref: str | None = None) -> Done[str]:
    """A custom week-one request at the end of the list; the new id is the value."""
    ensure(ws)
    if kind not in ("data-list", "document", "other"):
        raise InvalidInput(f"A request's kind is data-list, document or other, not '{kind}'.")
    title = _text(title, "title")
    with transaction(ws.db):
        ident = _check_new_id(ws, ident) or _next_id(ws, "REQ-")
        _merge_row(ws, "requests", "request", ident,
                   {"title": title, "description": (description or "").strip(), "kind": kind,
                    "ofsted_ref": ofsted_ref}, REQUEST_FIELDS, clock.now_iso(), ImportReport(),
                   True, custom=1)
    return Done(ident, _changes(ident, kind="request"),
                lambda w: _remove(w, "request", ident), f"Add request {ident}")


def _text(value: str | None, what: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"The {what} cannot be empty.")
    return value


def _update(ws: Workspace, ident: str, changes: dict, action: str) -> Done[FrameworkEdit]:
    kind, row = _stored(ws, ident)
    changes = {k: v for k, v in changes.items() if row.get(k) != v}
    if changes:
        audit.update_and_record(ws, _TABLE[kind], row["id"], changes, action=action,
                                entity_type=kind, entity_uuid=row["uuid"], entity_ref=row["id"],
                                log=({k: row[k] for k in changes}, changes))
    value = FrameworkEdit(row["id"], kind, tuple(sorted(changes)))
    if not changes:
        return Done(value, Changes(), None, f"Change {row['id']}")
    previous = {k: row[k] for k in changes}
    return Done(value, _changes(row["id"], kind=kind),
                lambda w: _update(w, row["id"], previous, _reverse(action)),
                f"{action.capitalize()} {row['id']}")


def _reverse(action: str) -> str:
    return {"retire": "unretire", "unretire": "retire"}.get(action, action)


def rename(ws: Workspace, ident: str, title: str | None = None,
           prompt: str | None = None) -> Done[FrameworkEdit]:
    """New title and/or prompt (for a request, the prompt is its description). Undoing puts the
    old words back."""
    kind, _ = _stored(ws, ident)
    changes: dict = {}
    if title is not None:
        changes["title"] = _text(title, "title")
    if prompt is not None:
        changes["prompt" if kind == "enquiry" else "description"] = prompt.strip()
    return _update(ws, ident, changes, "rename")


def retire(ws: Workspace, ident: str, retired: bool = True) -> Done[FrameworkEdit]:
    """Retire (or restore) a line or request; its evidence is kept. Undoing restores it."""
    return _update(ws, ident, {"retired": int(retired)}, "retire" if retired else "unretire")


def move(ws: Workspace, ident: str, position: int) -> Done[FrameworkEdit]:
    """Put a line (within its area) or a request (within the list) at 1-based `position`.
    Undoing puts it back where it was."""
    kind, row = _stored(ws, ident)
    table = _TABLE[kind]
    order = store.order(ws.conn, table, row["area_id"] if kind == "enquiry" else None)
    was = order.index(row["id"]) + 1
    order.remove(row["id"])
    pos = max(1, min(int(position), len(order) + 1))
    order.insert(pos - 1, row["id"])
    with transaction(ws.db):
        store.set_positions(ws.db.conn, table, order)
        audit.record(ws, "move", kind, row["uuid"], row["id"], {"position": row["position"]},
                     {"position": pos})
    return Done(FrameworkEdit(row["id"], kind, ("position",), pos), _changes(row["id"], kind=kind),
                lambda w: move(w, row["id"], was), f"Move {row['id']}")


def delete(ws: Workspace, ident: str) -> Done[None]:
    """Remove a custom line or request that nothing points at; otherwise say to retire it.
    Undoing brings back the same line (id, uuid, words and place)."""
    kind, row = _stored(ws, ident)
    if not row["custom"]:
        raise InvalidInput(f"{row['id']} is part of the shipped framework: retire it instead "
                           f"('evidence-app framework retire {row['id']}').")
    if store.uses(ws.conn, _TABLE[kind], row["id"]):
        raise InvalidInput(f"{row['id']} has evidence or searches pointing at it, so it cannot be "
                           f"deleted: retire it instead ('evidence-app framework retire "
                           f"{row['id']}').")
    return _remove(ws, kind, row["id"])


def _remove(ws: Workspace, kind: str, ident: str) -> Done[None]:
    """Delete a row (checked by the caller) and log it; the undo stores it back as it was."""
    table = _TABLE[kind]
    with transaction(ws.db):
        row = store.row(ws.db.conn, table, ident)
        if row is None:
            raise NotFound(f"There is no line of enquiry or request '{ident}'.")
        if store.uses(ws.db.conn, table, ident):
            raise InvalidInput(f"{ident} has evidence or searches pointing at it now, so it "
                               "cannot be taken back: retire it instead.")
        store.delete(ws.db.conn, table, ident)
        audit.record(ws, "delete", kind, row["uuid"], ident, row, None)
    return Done(None, _changes(ident, kind=kind), lambda w: _restore(w, kind, row),
                f"Delete {ident}")


def _restore(ws: Workspace, kind: str, row: dict) -> Done[str]:
    with transaction(ws.db):
        if store.exists(ws.db.conn, "enquiries", row["id"]) or \
                store.exists(ws.db.conn, "requests", row["id"]):
            raise InvalidInput(f"{row['id']} is already there.")
        store.insert(ws.db.conn, _TABLE[kind], row)
        audit.record(ws, "add", kind, row["uuid"], row["id"], None, row)
    return Done(row["id"], _changes(row["id"], kind=kind), lambda w: _remove(w, kind, row["id"]),
                f"Add {row['id']}")


# -- files -------------------------------------------------------------------------------------
def export_framework(ws: Workspace, path) -> None:
    ensure(ws)
    write_export(ws, path)


def import_framework(ws: Workspace, path) -> Done[ImportReport]:
    """Merge a framework file by id; the report (the value) lists what was added and changed.
    It cannot be undone as one step (the audit log keeps every change)."""
    ensure(ws)
    data = read_file(path)
    with transaction(ws.db):
        report = merge(ws, data)
        audit.record(ws, "import", "framework", None, display(str(path)), None,
                     {"added": report.added, "changed": [c["id"] for c in report.changed]})
    return Done(report, _changes(*report.added, *(c["id"] for c in report.changed),
                                 kind="request"), None, "Import framework")
