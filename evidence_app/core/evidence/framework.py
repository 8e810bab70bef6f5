"""The inspection framework: judgement areas, lines of enquiry and week-one requests.

The workspace holds one editable copy, seeded on first use from the shipped default version
(`ilacs-2026-04`: no overall effectiveness). Switching to `ilacs-2023-01` (for an inspection
before April 2026, or an old bundle) merges that version in and retires the areas it lacks;
areas are retired, never removed, because evidence may point at their lines.

Staff may add, rename, reorder and retire lines of enquiry and requests. Deleting is allowed only
for a custom line nothing points at; everything else is retired. Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.fsnames import display
from evidence_app.core.evidence.framework_io import (
    DEFAULT_VERSION, ENQUIRY_FIELDS, REQUEST_FIELDS, ImportReport, _merge_row, available_versions,
    load_version, merge, normalise, read_file, write_export,
)
from evidence_app.core.settings import FRAMEWORK_VERSION_KEY
from evidence_app.core.store.db import transaction

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

__all__ = ["ensure", "current_version", "use_version", "areas", "enquiries", "requests",
           "get", "resolve_enquiries", "resolve_requests", "add_enquiry", "add_request",
           "rename", "move", "retire", "delete", "export_framework", "import_framework",
           "available_versions", "ImportReport"]

VERSION_KEY = FRAMEWORK_VERSION_KEY  # owned by core.settings with every other setting


@dataclass(frozen=True)
class Enquiry:
    id: str
    uuid: str
    area_id: str
    area_title: str
    title: str
    prompt: str
    position: int
    retired: bool
    custom: bool

    def to_json(self) -> dict:
        return dict(self.__dict__)


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


def use_version(ws: Workspace, version: str) -> ImportReport:
    """Switch the framework version; areas not in it are retired (kept for old evidence)."""
    ensure(ws)
    data = normalise(load_version(version), version)
    keep = {a["id"] for a in data["areas"]}
    with transaction(ws.db):
        before = ws.get_meta(VERSION_KEY)
        report = merge(ws, data)
        conn = ws.db.conn
        conn.execute(f"UPDATE judgement_areas SET retired = CASE WHEN id IN "
                     f"({','.join('?' * len(keep))}) THEN 0 ELSE 1 END, updated_at = ? "
                     "WHERE custom = 0", [*keep, clock.now_iso()])
        ws.set_meta(VERSION_KEY, version)
        audit.record(ws, "switch-version", "framework", None, version, {"version": before},
                     {"version": version})
    return report


# -- reading -----------------------------------------------------------------------------------
def areas(ws: Workspace, include_retired: bool = False) -> list[dict]:
    ensure(ws)
    where = "" if include_retired else "WHERE retired = 0"
    return [dict(r, retired=bool(r["retired"])) for r in ws.db.query(
        f"SELECT id, uuid, title, short_title, position, retired FROM judgement_areas {where} "
        "ORDER BY position, id")]


def enquiries(ws: Workspace, include_retired: bool = False, area: str | None = None) -> list[Enquiry]:
    ensure(ws)
    where, params = [], []
    if not include_retired:
        where.append("e.retired = 0 AND a.retired = 0")
    if area:
        where.append("e.area_id = ?")
        params.append(area.strip().upper())
    sql = ("SELECT e.id, e.uuid, e.area_id, a.title, e.title, e.prompt, e.position, "
           "e.retired OR a.retired, e.custom FROM enquiries e JOIN judgement_areas a "
           "ON a.id = e.area_id " + ("WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY a.position, e.position, e.id")
    return [Enquiry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]))
            for r in ws.db.conn.execute(sql, params)]


def requests(ws: Workspace, include_retired: bool = False) -> list[dict]:
    ensure(ws)
    where = "" if include_retired else "WHERE retired = 0"
    rows = list(ws.db.query(f"SELECT * FROM requests {where} ORDER BY position, id"))
    for r in rows:
        r["retired"], r["custom"] = bool(r["retired"]), bool(r["custom"])
    return rows


def get(ws: Workspace, ident: str) -> tuple[str, dict]:
    """('enquiry' | 'request', row) for an id, case-insensitively."""
    ensure(ws)
    ident = (ident or "").strip().upper()
    for table, kind in (("enquiries", "enquiry"), ("requests", "request")):
        rows = list(ws.db.query(f"SELECT * FROM {table} WHERE id = ?", [ident]))
        if rows:
            return kind, rows[0]
    raise NotFound(f"There is no line of enquiry or request '{ident}'. See the ids with "
                   "'evidence-app framework list' (requests: 'evidence-app request list').")


def _resolve(ws: Workspace, ids: list[str], table: str, what: str, hint: str) -> list[str]:
    ensure(ws)
    out: list[str] = []
    for raw in ids or []:
        ident = raw.strip().upper()
        row = ws.db.conn.execute(
            f"SELECT t.retired{', a.retired' if table == 'enquiries' else ', 0'} FROM {table} t "
            + ("JOIN judgement_areas a ON a.id = t.area_id " if table == "enquiries" else "")
            + "WHERE t.id = ?", [ident]).fetchone()
        if row is None:
            raise InvalidInput(f"'{raw}' is not a {what} id. See the valid ids with "
                               f"'evidence-app {hint}'.")
        if row[0] or row[1]:
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
    for (ident,) in ws.db.conn.execute(
            "SELECT id FROM enquiries WHERE id LIKE ? UNION ALL SELECT id FROM requests "
            "WHERE id LIKE ?", [prefix + "%", prefix + "%"]):
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
        get(ws, ident)
    except NotFound:
        return ident
    raise InvalidInput(f"The id {ident} is already used.")


def add_enquiry(ws: Workspace, area: str, title: str, prompt: str = "",
                ident: str | None = None) -> str:
    ensure(ws)
    area = (area or "").strip().upper()
    if not ws.db.conn.execute("SELECT 1 FROM judgement_areas WHERE id = ?", [area]).fetchone():
        valid = ", ".join(a["id"] for a in areas(ws, include_retired=True))
        raise InvalidInput(f"There is no judgement area '{area}'. Use one of: {valid}.")
    title = _text(title, "title")
    with transaction(ws.db):
        ident = _check_new_id(ws, ident) or _next_id(ws, f"{area}-")
        _merge_row(ws, "enquiries", "enquiry", ident,
                   {"area_id": area, "title": title, "prompt": (prompt or "").strip()},
                   ENQUIRY_FIELDS,
                   clock.now_iso(), ImportReport(), True, custom=1, scope=("area_id", area))
    return ident


def add_request(ws: Workspace, title: str, kind: str = "document", description: str = "",
                ident: str | None = None, ofsted_ref: str | None = None) -> str:
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
    return ident


def _text(value: str | None, what: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"The {what} cannot be empty.")
    return value


def _update(ws: Workspace, ident: str, changes: dict, action: str) -> dict:
    kind, row = get(ws, ident)
    table = "enquiries" if kind == "enquiry" else "requests"
    changes = {k: v for k, v in changes.items() if row.get(k) != v}
    if changes:
        with transaction(ws.db):
            ws.db.conn.execute(
                f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? "
                "WHERE id = ?", [*changes.values(), clock.now_iso(), row["id"]])
            audit.record(ws, action, kind, row["uuid"], row["id"],
                         {k: row[k] for k in changes}, changes)
    return {"id": row["id"], "kind": kind, "changed": sorted(changes)}


def rename(ws: Workspace, ident: str, title: str | None = None, prompt: str | None = None) -> dict:
    """New title and/or prompt (for a request, the prompt is its description)."""
    kind, _ = get(ws, ident)
    changes: dict = {}
    if title is not None:
        changes["title"] = _text(title, "title")
    if prompt is not None:
        changes["prompt" if kind == "enquiry" else "description"] = prompt.strip()
    return _update(ws, ident, changes, "rename")


def retire(ws: Workspace, ident: str, retired: bool = True) -> dict:
    return _update(ws, ident, {"retired": int(retired)}, "retire" if retired else "unretire")


def move(ws: Workspace, ident: str, position: int) -> dict:
    """Put a line (within its area) or a request (within the list) at 1-based `position`."""
    kind, row = get(ws, ident)
    table = "enquiries" if kind == "enquiry" else "requests"
    scope, params = ("WHERE area_id = ?", [row["area_id"]]) if kind == "enquiry" else ("", [])
    order = [r[0] for r in ws.db.conn.execute(
        f"SELECT id FROM {table} {scope} ORDER BY position, id", params)]
    order.remove(row["id"])
    pos = max(1, min(int(position), len(order) + 1))
    order.insert(pos - 1, row["id"])
    with transaction(ws.db):
        ws.db.conn.executemany(f"UPDATE {table} SET position = ? WHERE id = ?",
                               [(i + 1, x) for i, x in enumerate(order)])
        audit.record(ws, "move", kind, row["uuid"], row["id"], {"position": row["position"]},
                     {"position": pos})
    return {"id": row["id"], "kind": kind, "position": pos}


def delete(ws: Workspace, ident: str) -> None:
    """Remove a custom line or request that nothing points at; otherwise say to retire it."""
    kind, row = get(ws, ident)
    if not row["custom"]:
        raise InvalidInput(f"{row['id']} is part of the shipped framework: retire it instead "
                           f"('evidence-app framework retire {row['id']}').")
    conn = ws.db.conn
    link = "evidence_enquiries WHERE enquiry_id" if kind == "enquiry" else \
        "evidence_requests WHERE request_id"
    used = conn.execute(f"SELECT COUNT(*) FROM {link} = ?", [row["id"]]).fetchone()[0]
    if kind == "enquiry":
        used += conn.execute("SELECT COUNT(*) FROM saved_searches WHERE enquiry_id = ?",
                             [row["id"]]).fetchone()[0]
    else:
        used += conn.execute("SELECT COUNT(*) FROM request_documents WHERE request_id = ?",
                             [row["id"]]).fetchone()[0]
    if used:
        raise InvalidInput(f"{row['id']} has evidence or searches pointing at it, so it cannot be "
                           f"deleted: retire it instead ('evidence-app framework retire "
                           f"{row['id']}').")
    with transaction(ws.db):
        conn.execute(f"DELETE FROM {'enquiries' if kind == 'enquiry' else 'requests'} "
                     "WHERE id = ?", [row["id"]])
        audit.record(ws, "delete", kind, row["uuid"], row["id"], row, None)


# -- files -------------------------------------------------------------------------------------
def export_framework(ws: Workspace, path) -> None:
    ensure(ws)
    write_export(ws, path)


def import_framework(ws: Workspace, path) -> ImportReport:
    """Merge a framework file by id; the report lists what was added and changed."""
    ensure(ws)
    data = read_file(path)
    with transaction(ws.db):
        report = merge(ws, data)
        audit.record(ws, "import", "framework", None, display(str(path)), None,
                     {"added": report.added, "changed": [c["id"] for c in report.changed]})
    return report
