"""Framework files: the shipped defaults, export for a team, import that merges by id.

One file format for all three (`evidence-organiser/framework`, version 1): judgement areas with
their lines of enquiry, and the week-one requests. The shipped files in `resources/framework/`
are written from the project's ILACS research; the app never reads that research at run time.

Import merges by the stable ids (`LEAD-01`, `AA-L08`): new ids are added, fields present in the
file overwrite local ones, and nothing absent from the file is removed (a manager's file cannot
delete a colleague's evidence target). The report says exactly what changed.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_app.core import settings
from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.evidence.framework_schema import validate
from evidence_app.core.index.regular_file import read_capped
from evidence_app.core.store import framework as store
from evidence_app.core.base.user_text import clean_text, printable
from evidence_app.core.base.ids import new_uuid
from evidence_app.paths import resources_dir

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

FORMAT = "evidence-organiser/framework"
DEFAULT_VERSION = "ilacs-2026-04"
AREA_FIELDS = ("title", "short_title", "position", "retired")
ENQUIRY_FIELDS = ("area_id", "title", "prompt", "position", "retired", "confirmed")
REQUEST_FIELDS = ("title", "description", "kind", "ofsted_ref", "period", "position", "retired")
MAX_FILE_BYTES = 20 * 1024 * 1024  # the real framework is ~100 KB


@dataclass
class ImportReport:
    version: str | None = None
    added: list[str] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # {"id": ..., "fields": [...]}
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{self.unchanged} unchanged"]
        if self.not_in_file:
            parts.append(f"{len(self.not_in_file)} kept (not in the file)")
        return "Framework import: " + ", ".join(parts) + "."


def framework_dir() -> Path:
    return resources_dir() / "framework"


def available_versions() -> list[str]:
    return sorted((p.stem for p in framework_dir().glob("*.json")), reverse=True)


def load_version(version: str) -> dict:
    path = framework_dir() / f"{version}.json"
    if not path.is_file():
        raise NotFound(f"There is no framework version '{version}'. Available: "
                       f"{', '.join(available_versions()) or 'none (the app is incomplete)'}.")
    return json.loads(path.read_text(encoding="utf-8"))


def read_file(path: str | Path) -> dict:
    """A framework file, read only if it is a regular file of at most MAX_FILE_BYTES, parsed
    without trusting its nesting, and validated (framework_schema.py) before it is used."""
    name = clean_text(Path(path).name) or "the file"
    raw = read_capped(path, MAX_FILE_BYTES, "framework file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not a framework file: it is not UTF-8 text.") from None
    except RecursionError:
        raise InvalidInput(f"{name} is not a framework file: it is nested too deeply.") from None
    except ValueError as exc:  # json.JSONDecodeError, or a number too long to convert
        raise InvalidInput(f"{name} is not a framework file (it is not readable JSON: "
                           f"{printable(exc, 120)}).") from None
    return normalise(data, name)


def normalise(data, name: str = "the file") -> dict:
    """Check a framework document's shape; accept the research file's shape too."""
    validate(data, name)
    if isinstance(data, dict) and "judgements" in data and "areas" not in data:
        data = _from_research(data)
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise InvalidInput(f"{name} is not a framework file: it has no list of judgement areas.")
    if data.get("format") not in (None, FORMAT):
        raise InvalidInput(f"{name} is a '{data.get('format')}' file, not a framework file.")
    seen: set[str] = set()
    for area in data["areas"]:
        _need(area, ("id", "title"), name, "judgement area")
        for line in area.get("enquiries", []):
            _need(line, ("id", "title"), name, "line of enquiry")
            _unique(line["id"], seen, name)
    for req in data.get("requests", []):
        _need(req, ("id", "title"), name, "request")
        _unique(req["id"], seen, name)
        if req.get("kind", "document") not in ("data-list", "document", "other"):
            raise InvalidInput(f"{name}: request {req['id']} has kind '{req['kind']}'; use "
                               "data-list, document or other.")
    return data


def _need(obj, keys, name, what) -> None:
    if not isinstance(obj, dict) or any(not str(obj.get(k) or "").strip() for k in keys):
        raise InvalidInput(f"{name}: a {what} has no {' or '.join(keys)}.")
    obj["id"] = str(obj["id"]).strip().upper()


def _unique(ident: str, seen: set[str], name: str) -> None:
    if ident in seen:
        raise InvalidInput(f"{name}: the id {ident} is used twice.")
    seen.add(ident)


def _from_research(data: dict) -> dict:
    version = data.get("default_version")
    return {"format": FORMAT, "version": version, "areas": [
        {"id": j["id"], "title": j["title"], "short_title": j.get("short_title"),
         "enquiries": [{"id": e["id"], "title": e["title"], "prompt": e.get("prompt", "")}
                       for e in j.get("lines_of_enquiry", [])]}
        for j in data["judgements"] if not version or version in j.get("in_versions", [version])],
        "requests": data.get("week_one_requests", [])}


# -- merging -----------------------------------------------------------------------------------
def merge(ws: Workspace, data: dict, *, audit_each: bool = True) -> ImportReport:
    """Apply a (normalised) framework document. Call inside a transaction."""
    report = ImportReport(version=data.get("version"))
    now = clock.now_iso()
    in_file: set[str] = set()
    for i, area in enumerate(data["areas"]):
        _merge_area(ws, area, i, now, report, audit_each)
        for line in area.get("enquiries", []):
            in_file.add(line["id"])
            values = {"area_id": area["id"], "title": line["title"],
                      "prompt": line.get("prompt", "") or "", **_opt(line, ("position", "retired"))}
            if "confirmed" in line:
                values["confirmed"] = int(bool(line["confirmed"]))
            _merge_row(ws, "enquiries", "enquiry", line["id"], values, ENQUIRY_FIELDS, now,
                       report, audit_each, custom=int(bool(line.get("custom"))),
                       scope=("area_id", area["id"]))
    for req in data.get("requests", []):
        in_file.add(req["id"])
        values = {"title": req["title"], "description": req.get("description", "") or "",
                  "kind": req.get("kind", "document"), "ofsted_ref": req.get("ofsted_ref"),
                  "period": req.get("period"), **_opt(req, ("position", "retired"))}
        _merge_row(ws, "requests", "request", req["id"], values, REQUEST_FIELDS, now, report,
                   audit_each, custom=int(bool(req.get("custom"))))
    known = store.all_ids(ws.db.conn)
    report.not_in_file = sorted(set(known) - in_file)
    return report


def _opt(obj: dict, keys) -> dict:
    out = {}
    for k in keys:
        if k in obj and obj[k] is not None:
            out[k] = int(obj[k]) if k != "retired" else int(bool(obj[k]))
    return out


def _merge_area(ws, area, index, now, report, audit_each) -> None:
    values = {"title": area["title"], "short_title": area.get("short_title"),
              **_opt(area, ("position", "retired"))}
    if not store.exists(ws.db.conn, "judgement_areas", area["id"]):
        store.insert(ws.db.conn, "judgement_areas", {
            "id": area["id"], "uuid": new_uuid(), "title": values["title"],
            "short_title": values["short_title"], "position": values.get("position", index + 1),
            "retired": values.get("retired", 0), "custom": int(bool(area.get("custom"))),
            "updated_at": now})
        return
    _apply_changes(ws, "judgement_areas", "area", area["id"], values, AREA_FIELDS, now, report,
                   audit_each)


def _merge_row(ws, table, entity, ident, values, fields, now, report, audit_each, *, custom,
               scope=None) -> None:
    conn = ws.db.conn
    if store.exists(conn, table, ident):
        _apply_changes(ws, table, entity, ident, values, fields, now, report, audit_each)
        return
    other = "requests" if table == "enquiries" else "enquiries"
    if store.exists(conn, other, ident):
        raise InvalidInput(f"The id {ident} is already used by a "
                           f"{'request' if other == 'requests' else 'line of enquiry'}.")
    if "position" not in values:
        values["position"] = store.next_position(conn, table, scope[1] if scope else None)
    values = {**values, "id": ident, "uuid": new_uuid(), "custom": custom, "created_at": now,
              "updated_at": now}
    store.insert(conn, table, values)
    report.added.append(ident)
    if audit_each:
        audit.record(ws, "add", entity, values["uuid"], ident, None, values)


def _apply_changes(ws, table, entity, ident, values, fields, now, report, audit_each) -> None:
    conn = ws.db.conn
    before = store.row(conn, table, ident)
    changed = [f for f in fields if f in values and values[f] != before.get(f)]
    if not changed:
        if table != "judgement_areas":
            report.unchanged += 1
        return
    store.update(conn, table, ident, {f: values[f] for f in changed}, now)
    report.changed.append({"id": ident, "fields": changed})
    if audit_each:
        audit.record(ws, "update", entity, before["uuid"], ident,
                     {f: before.get(f) for f in changed}, {f: values[f] for f in changed})


# -- export ------------------------------------------------------------------------------------
def export_data(ws: Workspace) -> dict:
    stored_areas, stored_lines, stored_requests = store.export_rows(ws.conn)
    areas = []
    for a in stored_areas:
        lines = [{"id": e["id"], "title": e["title"], "prompt": e["prompt"],
                  "position": e["position"], "retired": bool(e["retired"]),
                  "custom": bool(e["custom"]), "confirmed": bool(e["confirmed"])}
                 for e in stored_lines.get(a["id"], [])]
        areas.append({"id": a["id"], "title": a["title"], "short_title": a["short_title"],
                      "position": a["position"], "retired": bool(a["retired"]),
                      "custom": bool(a["custom"]), "enquiries": lines})
    requests = [{"id": r["id"], "ofsted_ref": r["ofsted_ref"], "title": r["title"],
                 "description": r["description"], "kind": r["kind"], "period": r["period"],
                 "position": r["position"], "retired": bool(r["retired"]),
                 "custom": bool(r["custom"])}
                for r in stored_requests]
    return {"format": FORMAT, "format_version": 1, "version": settings.load(ws).framework_version,
            "exported_at": clock.now_iso(), "exported_from": ws.name, "areas": areas,
            "requests": requests}


def write_export(ws: Workspace, path: str | Path) -> Path:
    path = Path(path)
    data = export_data(ws)
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(f"Cannot write {path}: {exc.strerror}.") from None
    return path
