"""`pack preview` and `pack import`: every pack is checked whole first; the preview writes
nothing; the import takes a backup, applies all the packs in ONE transaction, keeps each pack's
merge report in the workspace and writes an audit entry naming the pack's SHA-256 and sender.

The import returns a `Done` whose undo puts back every row it changed (core/safety/row_undo.py):
refused, nothing written, once anything the import changed has been changed again since (work
on other items is never touched); the backup taken first stays the way back from there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.base import clock
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.progress import Progress, ProgressCallback, no_progress
from evidence_app.core.packs.merge import journal
from evidence_app.core.packs.merge.apply import merge_pack
from evidence_app.core.packs.merge.check import check_all, parse_maps
from evidence_app.core.packs.merge.report import MergeCounts, MergeReport, report_json
from evidence_app.core.packs.merge.state import load_state
from evidence_app.core.safety import audit
from evidence_app.core.safety.row_undo import recording, undoable
from evidence_app.core.settings import author
from evidence_app.core.store import packs as store
from evidence_app.core.base.ids import new_uuid
from evidence_app.core.base.errors import NotFound
from evidence_app.core.base.errors import ReadOnlyWorkspace
import json

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


@dataclass
class ImportResult:
    reports: list[MergeReport]
    backup: str | None
    import_ids: list[int] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"backup": self.backup, "import_ids": self.import_ids,
                "packs": [r.to_json() for r in self.reports],
                "counts": _total([r.counts() for r in self.reports])}

    def tally(self) -> MergeCounts:
        """The counts over every pack imported."""
        return sum((r.tally() for r in self.reports), MergeCounts())


def _total(counts: list[dict]) -> dict:
    out: dict = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


def preview(ws: Workspace, paths: list[str | Path], maps: list[str] | None = None,
            on_progress: ProgressCallback = no_progress) -> list[MergeReport]:
    """What importing these packs (in this order) would do. Nothing is written."""
    mapping = parse_maps(maps)
    packs = check_all(paths)
    try:
        state = load_state(ws, write=False)
        return [merge_pack(ws, p, state, mapping, write=False, on_progress=on_progress)
                for p in packs]
    finally:
        for p in packs:
            p.close()


# what an import can change, for the views showing it
AREAS = Changes.of("evidence", "cases", "framework", "requests", "documents", "bundles", "packs")


def import_packs(ws: Workspace, paths: list[str | Path], maps: list[str] | None = None,
                 on_progress: ProgressCallback = no_progress) -> Done[ImportResult]:
    """Merge the packs (backup first, one transaction). The `Done`'s undo takes the whole
    import back, as long as nothing it changed has been changed since."""
    if ws.readonly:
        raise ReadOnlyWorkspace(ws.readonly_reason or "This workspace is open read-only: packs "
                                "cannot be imported into it.")
    mapping = parse_maps(maps)
    packs = check_all(paths)
    journal.register_journal()
    try:
        from evidence_app.core.safety import backup  # start-up: loaded only when this runs

        on_progress(Progress(0, len(packs), "Backing up the workspace first"))
        info = backup.backup_now(ws, kind="before-pack")
        result = ImportResult([], info.path.name)
        me = author(ws)
        # a new workspace's framework is seeded on first use: not part of the import, so undoing
        # the import never takes away the lines of enquiry later work is filed under
        from evidence_app.core.evidence import framework  # start-up: loaded only when this runs

        framework.ensure(ws)
        with recording(ws) as rec:
            state = load_state(ws, write=True)
            for n, pack in enumerate(packs):
                on_progress(Progress(n, len(packs), f"Merging {pack.path.name}"))
                state.touched_items.clear()
                state.touched_cases.clear()
                state.touched_bundles.clear()
                report = merge_pack(ws, pack, state, mapping, write=True)
                result.reports.append(report)
                if report.already_imported and not report.changes_anything():
                    continue
                result.import_ids.append(_record(ws, pack, report, state, me))
        on_progress(Progress(len(packs), len(packs), "Done"))
        names = ", ".join(p.path.name for p in packs)
        hint = f"The backup {info.path.name} holds the workspace as it was before the import."
        return undoable(result, rec.rows, AREAS, f"Import {names}", f"The import of {names}",
                        "pack-import", hint)
    finally:
        for p in packs:
            p.close()


def _record(ws: Workspace, pack, report: MergeReport, state, me: str) -> int:
    conn = ws.db.conn
    case_uuids = [r["uuid"] for r in store.case_rows(conn, sorted(state.touched_cases))]
    uuid = new_uuid()
    c = report.counts()
    import_id = store.insert_import(conn, {
        "uuid": uuid, "pack_sha256": pack.sha256, "file_name": pack.path.name,
        "sender": pack.sender, "sender_workspace": pack.sender_workspace,
        "pack_created_at": pack.manifest.get("created_at"), "imported_at": clock.now_iso(),
        "imported_by": me, "added": c["added"], "updated": c["updated"] + c["deleted"],
        "unchanged": c["unchanged"], "conflicts": c["conflicts"],
        "duplicates": c["duplicates"], "report": report_json(report),
        "touched": json.dumps({"items": sorted(state.touched_items), "cases": case_uuids,
                               "bundles": sorted(state.touched_bundles)})})
    audit.record(ws, "pack-import", "pack", uuid, pack.path.name, None,
                 {"sha256": pack.sha256, "sender": pack.sender,
                  "sender_workspace": pack.sender_workspace, **c})
    return import_id


def reports(ws: Workspace) -> list[store.PackImport]:
    return store.imports(ws.db.conn)


def get_report(ws: Workspace, key: str) -> store.PackImport:
    found = store.get_import(ws.db.conn, str(key).strip())
    if found is None:
        raise NotFound(f"There is no pack import {key}. See 'evidence-app pack reports'.")
    return found
