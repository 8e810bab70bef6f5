"""Writing a pack: everything, or chosen cases and/or lines of enquiry, from this workspace.

What goes in: the evidence items (every version held, deletions as tombstones), their documents
as hashes and names (with --with-files, copies of the files and their extracted text), the cases
field by field with when each changed (with --no-names, no real names, other names, relatives,
dates of birth or redaction terms), readiness ticks with who and when, the week-one requests the
sender owns, and the framework entries those use. The file is written under a temporary name and
renamed (atomic), then logged: children's data leaving the machine is recorded with who, what
and the pack's SHA-256 (pack_exports and the audit log).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import tempfile
from pathlib import Path

from evidence_app.core.base.frozen import frozen
from evidence_app import __version__
from evidence_app.core.base import clock
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.progress import Progress, ProgressCallback, no_progress
from evidence_app.core.packs import local_state, pack_file
from evidence_app.core.store.pack_payload import PayloadWriter, doc_key
from evidence_app.core.packs.revisions import Head, shown
from evidence_app.core.base.changes import Writes, on_this_thread
from evidence_app.core.safety import audit
from evidence_app.core.settings import author, person_name, team
from evidence_app.core.store import packs as store
from evidence_app.core.store.db import transaction
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.base.fsnames import to_disk
import json

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


@frozen
class ExportResult:
    path: str
    sha256: str
    size: int
    items: int
    deleted: int
    cases: int
    files: int
    requests: int
    no_names: bool
    since: str | None
    bundles: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)

    def line(self) -> str:
        what = f"{self.items} evidence items" + (f" ({self.deleted} deletions)"
                                                 if self.deleted else "")
        extra = f", {self.files} files" if self.files else ""
        extra += f", {self.bundles} bundles" if self.bundles else ""
        names = " without real names" if self.no_names else ""
        return (f"Wrote {self.path}: {what}, {self.cases} cases{extra}{names} "
                f"(SHA-256 {self.sha256[:12]}…).")


def export_pack(ws: Workspace, out: str | Path, cases: list[str] | None = None,
                enquiries: list[str] | None = None, with_files: bool = False,
                no_names: bool = False, since_last: bool = False, force: bool = False,
                on_progress: ProgressCallback = no_progress,
                write: Writes | None = None) -> ExportResult:
    """Write the pack. Its two writes (bringing the items' change heads up to date, then the
    export log) go through `write` (see core/base/changes.Writes); the rest only reads."""
    write_on = write or on_this_thread(ws)
    out = Path(out)
    if out.suffix.lower() != pack_file.SUFFIX:
        raise InvalidInput(f"An evidence pack's name ends in {pack_file.SUFFIX} "
                           f"(e.g. {out.stem}{pack_file.SUFFIX}).")
    pack_file.check_target(out, force)
    from evidence_app.core.evidence.cases import norm_ref  # start-up: loaded only when this runs

    refs = {norm_ref(c) for c in cases or []}
    enq = {e.strip().upper() for e in enquiries or [] if e.strip()}
    conn = ws.db.conn
    me = author(ws)
    on_progress(Progress(0, 4, "Reading the evidence"))
    def state(w: Workspace, write: bool):  # noqa: ANN202 - the rows, heads and stamps read
        c = w.db.conn
        with _maybe_transaction(w, write):
            rows = store.item_rows(c)
            heads = local_state.local_heads(c, rows, write=write)
            stamps = local_state.case_stamps(c, write=write, by=me)
            fixed = store.fixed(c) if write else {}
            since = store.last_export_at(c) if since_last else None
            changed = store.changed_since(c, since) if since else None
            if not write:
                fixed = {r["uuid"]: {"doc": local_state.doc_facts(c, r)} for r in rows}
        return rows, heads, stamps, fixed, since, changed

    rows, heads, stamps, fixed, since, changed = (
        state(ws, False) if ws.readonly else write_on(lambda w: state(w, True)))
    for ref in refs:
        if ref not in stamps:
            raise InvalidInput(f"There is no case {ref} in this workspace (see 'evidence-app "
                               "case list').")
    on_progress(Progress(1, 4, "Choosing what to send"))
    chosen: list[tuple[dict, list[Head], dict]] = []
    for row in rows:
        hs = heads[row["uuid"]]
        top = shown(hs).content
        doc = (fixed.get(row["uuid"]) or {}).get("doc") or {}
        case = (top.get("case_ref") or doc.get("case_ref") or "").upper()
        if refs and case not in refs:
            continue
        if enq and not enq & set(top.get("enquiries") or []):
            continue
        if changed is not None and row["uuid"] not in changed:
            continue
        chosen.append((row, hs, doc))
    case_refs = sorted(refs) if refs else sorted(
        {(shown(h).content.get("case_ref") or d.get("case_ref") or "").upper()
         for _, h, d in chosen} - {""}) if enq else sorted(stamps)
    if since and not refs:
        case_refs = [r for r in case_refs
                     if any(f["at"] >= since for f in stamps.get(r, {}).values())]
    with tempfile.TemporaryDirectory(prefix="evpack-out-") as tmp:
        payload = Path(tmp) / pack_file.PAYLOAD
        w = PayloadWriter(payload)
        files: dict[str, Path] = {}
        ids_enq: set[str] = set()
        ids_req: set[str] = set()
        item_rows = []
        for row, hs, doc in chosen:
            for h in hs:
                ids_enq |= set(h.content.get("enquiries") or [])
                ids_req |= set(h.content.get("requests") or [])
            if no_names and doc.get("rel_path"):
                # case folders are often named after the child: only the file's own name goes
                doc = {**doc, "rel_path": doc.get("name") or ""}
            item_rows.append((row["uuid"], [h.to_json() for h in hs],
                              {**local_state.fixed_of(row), "doc": doc}))
            key = doc_key(doc)
            if key is None:
                continue
            file_sha = None
            if with_files and row.get("document_id") is not None and \
                    row.get("doc_status") not in ("missing", None) and row.get("doc_sha256"):
                src = _disk_path(row["doc_path"])
                if src is not None and row["doc_sha256"] not in files:
                    files[row["doc_sha256"]] = src
                    w.chunks(key, store.chunk_texts(conn, row["document_id"]))
                file_sha = row["doc_sha256"] if src is not None else None
            w.document(key, doc, file_sha)
        w.items(item_rows)
        on_progress(Progress(2, 4, "Adding the cases"))
        for ref in case_refs:
            fields = {k: v for k, v in stamps.get(ref, {}).items()
                      if not (no_names and k in local_state.NAME_FIELDS)}
            case = store.case_rows(conn, [ref])
            ticks = []
            created = None
            if case:
                created = case[0]["created_at"]
                ticks = [{"item": k, "by": t["by"], "at": t["at"]} for k, t in sorted(
                    store.readiness_ticks(conn, case[0]["id"]).items()) if t["done"]]
            w.case(ref, fields, ticks, created)
        owned = store.requests_owned(conn, person_name(ws) or me)
        for r in owned:
            w.request(r["id"], r)
            ids_req.add(r["id"])
        w.framework(store.framework_rows(conn, sorted(ids_enq), sorted(ids_req)))
        bundles = {} if (refs or enq) else store.bundle_states(conn)
        if since:
            bundles = {u: b for u, b in bundles.items()
                       if b["fields"]["updated_at"][:19] >= since[:19]}
        w.bundles(bundles)
        ws_id = ws.get_meta("uuid")
        w.info(workspace_id=ws_id, created_at=clock.now_iso())
        w.close()
        manifest = _manifest(ws, me, ws_id, refs, enq, with_files, no_names, since,
                             len(item_rows), len(case_refs), len(files))
        on_progress(Progress(3, 4, "Writing the pack"))
        sha, size = pack_file.write_pack(out, manifest, payload, files, force=force)
    deleted = sum(1 for _, hs, _ in chosen if shown(hs).content.get("deleted_at"))
    result = ExportResult(str(out), sha, size, len(chosen), deleted, len(case_refs), len(files),
                          len(owned), no_names, since, len(bundles))
    if not ws.readonly:
        write_on(lambda w: _log(w, me, result, refs, enq, with_files))
    on_progress(Progress(4, 4, "Done"))
    return result


def _manifest(ws, me, ws_id, refs, enq, with_files, no_names, since, items, cases, files) -> dict:
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.framework import VERSION_KEY
    from evidence_app.core.store import migrations

    return {"format": pack_file.FORMAT, "format_version": pack_file.FORMAT_VERSION,
            "app_version": __version__, "schema": migrations.migrations.names()[-1],
            "sender": {"name": person_name(ws) or me, "team": team(ws), "workspace_id": ws_id,
                       "workspace_name": ws.name},
            "created_at": clock.now_iso(), "framework_version": ws.get_meta(VERSION_KEY),
            "filters": {"cases": sorted(refs), "enquiries": sorted(enq)},
            "with_files": with_files, "no_names": no_names, "since": since,
            "counts": {"items": items, "cases": cases, "files": files}}


def _log(ws: Workspace, me: str, result: ExportResult, refs, enq, with_files) -> None:
    with transaction(ws.db):
        store.insert_export(ws.db.conn, {
            "uuid": new_uuid(), "at": store.precise_now(), "who": me, "path": result.path,
            "sha256": result.sha256, "size": result.size, "items": result.items,
            "cases": result.cases, "files": result.files, "no_names": int(result.no_names),
            "since": result.since, "filters": json.dumps({"cases": sorted(refs),
                                                          "enquiries": sorted(enq),
                                                          "with_files": with_files})})
        audit.record(ws, "pack-export", "pack-export", None, Path(result.path).name, None,
                     {"sha256": result.sha256, "items": result.items, "cases": result.cases,
                      "files": result.files, "no_names": result.no_names,
                      "cases_chosen": sorted(refs), "enquiries_chosen": sorted(enq)})


def _disk_path(stored: str | None) -> Path | None:
    if not stored:
        return None

    path = Path(to_disk(stored))
    return path if path.is_file() else None


class _maybe_transaction:
    def __init__(self, ws: Workspace, write: bool) -> None:
        self.cm = transaction(ws.db) if write else None

    def __enter__(self):
        return self.cm.__enter__() if self.cm else None

    def __exit__(self, *exc):
        return self.cm.__exit__(*exc) if self.cm else False
