"""One checked pack applied to this workspace in order (framework ids, items, cases, requests,
bundles), or with write=False what applying it would do: the preview runs the same code."""
from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_app.core.base import clock
from evidence_app.core.base.progress import Progress, ProgressCallback, no_progress
from evidence_app.core.packs.merge.bundles import fill_pending_bundles, merge_bundle
from evidence_app.core.packs.merge.cases import merge_case
from evidence_app.core.packs.merge.check import check_payload
from evidence_app.core.packs.merge.framework_ids import apply_framework
from evidence_app.core.packs.merge.items import merge_item
from evidence_app.core.packs.merge.report import MergeReport
from evidence_app.core.packs.merge.requests import merge_request
from evidence_app.core.packs.merge.state import MergeState
from evidence_app.core.packs.pack_file import OpenedPack
from evidence_app.core.store import packs as store
from evidence_app.core.store.pack_payload import PayloadReader

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace


def merge_pack(ws: Workspace, pack: OpenedPack, state: MergeState, maps: dict[str, str],
               write: bool, on_progress: ProgressCallback = no_progress) -> MergeReport:
    """Apply one checked pack (write) or say what applying it would do (preview)."""
    m = pack.manifest
    # start-up: loaded only when this runs
    from evidence_app.core.evidence.framework import VERSION_KEY

    here_version = ws.get_meta(VERSION_KEY)
    report = MergeReport(pack.path.name, pack.sha256, pack.sender, pack.sender_workspace,
                         m.get("created_at"), m.get("framework_version"),
                         bool(m.get("framework_version")) and bool(here_version)
                         and m.get("framework_version") != here_version,
                         bool(m.get("no_names")), store.imported_sha(ws.db.conn, pack.sha256))
    reader = PayloadReader(pack.payload_path)
    try:
        if getattr(pack, "records", None) is None:
            check_payload(pack)
        items, cases, requests, frame, documents, bundles = pack.records
        now = clock.now_iso()
        apply_framework(ws, state, frame, items, requests, maps, report, write)
        on_progress(Progress(0, len(items) or 1, f"Merging {pack.path.name}"))
        for n, (uuid, heads_json, fixed) in enumerate(items):
            merge_item(ws, state, pack, reader, documents, uuid, heads_json, fixed, maps,
                       report, write, now)
            if n % 200 == 199:
                on_progress(Progress(n + 1, len(items), f"Merging {pack.path.name}"))
        for ref, fields, ticks, created in cases:
            merge_case(ws, state, ref, fields, ticks, created, report, write, pack.sender)
        for ident, row in requests:
            merge_request(ws, state, ident, maps.get(ident, ident), row, report, write)
        for uuid, bundle in bundles:
            merge_bundle(ws, state, uuid, bundle, report, write, pack.sender)
        if write:
            fill_pending_bundles(ws, state)
        if write and state.reanchor:
            # start-up: loaded only when this runs
            from evidence_app.core.evidence.evidence import reanchor

            reanchor(ws, sorted(state.reanchor))
            state.reanchor.clear()
    finally:
        reader.close()
    return report
