"""Evidence-pack benchmark: merging 30 packs of 200 items each (30 colleagues' workspaces over
the same shared files) into one manager's workspace, with the preview of the same packs; and
exporting a 2,000-item pack (first export, which records every item's revision, and the next);
and undoing and redoing the merge (Ctrl+Z / Ctrl+Y: every row it changed put back).

Usage: python tests/benchmarks/bench_packs.py [--senders 30] [--items 200] [--big 2000]
Prints figures; asserts nothing (targets: merge 30 x 200 <= 5 s; export 2,000 <= 2 s).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import machine  # noqa: E402

ENQUIRIES = ["HP-06", "HP-15", "CIC-02", "CIC-12", "LEAD-03"]


def shared_files(root: Path, n_docs: int = 20) -> list[Path]:
    paths = []
    for d in range(n_docs):
        p = root / f"CH-{d:06d}" / f"record-{d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        sentences = [f"Sentence {s} of record {d}: the worker visited and the child said "
                     f"something about home number {s}." for s in range(40)]
        p.write_text("\n\n".join(sentences), encoding="utf-8")
        paths.append(p)
    return paths


def workspace(root: Path, name: str, source: Path):
    from evidence_app.core import settings
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(root / f"ws-{name}", name)
    ws.journal_enabled = False  # setting up: tags need not be fsynced one by one here
    settings.set_person(ws, name)
    add_source(ws, source, "case-files")
    index_workspace(ws)
    return ws


def tag_many(ws, docs: list[Path], n: int, offset: int) -> None:
    from evidence_app.core.evidence import evidence

    for i in range(n):
        k = i + offset
        evidence.tag(ws, str(docs[k % len(docs)]), [ENQUIRIES[k % len(ENQUIRIES)]],
                     quote=f"Sentence {k % 40} of record {k % len(docs)}:",
                     note=f"item {k} by {ws.name}", strength=("strong", "moderate", "weak")[k % 3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--senders", type=int, default=30)
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--big", type=int, default=2000)
    args = ap.parse_args()
    from evidence_app.core.packs import export, importer

    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs = shared_files(tmp / "shared")
        t = time.perf_counter()
        packs = []
        for s in range(args.senders):
            ws = workspace(tmp, f"Worker {s:02d}", tmp / "shared")
            tag_many(ws, docs, args.items, s * 7)
            p = tmp / f"worker-{s:02d}.evpack"
            export.export_pack(ws, p)
            packs.append(p)
            ws.close()
        print(f"setup: {args.senders} workspaces x {args.items} items tagged and exported in "
              f"{time.perf_counter() - t:.1f} s")
        manager = workspace(tmp, "Manager", tmp / "shared")
        manager.journal_enabled = True
        t = time.perf_counter()
        reports = importer.preview(manager, packs)
        preview_s = time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        done = importer.import_packs(manager, packs)
        result = done.value
        merge_s, merge_cpu = time.perf_counter() - t, time.process_time() - c
        added = sum(len(r.added) for r in result.reports)
        dups = sum(len(r.duplicates) for r in result.reports)
        print(f"preview {args.senders} packs x {args.items} items: {preview_s:.2f} s "
              f"({sum(len(r.added) for r in reports)} to add)")
        print(f"merge   {args.senders} packs x {args.items} items: {merge_s:.2f} s wall, "
              f"{merge_cpu:.2f} s CPU ({added} added, {dups} likely duplicates flagged; "
              f"target <= 5 s); load average {os.getloadavg()[0]:.1f}")
        t = time.perf_counter()
        again = importer.import_packs(manager, packs).value
        print(f"re-import of the same {args.senders} packs (no-op): "
              f"{time.perf_counter() - t:.2f} s, "
              f"{sum(len(r.added) + len(r.updated) for r in again.reports)} changes")
        t, c = time.perf_counter(), time.process_time()
        back = done.undo(manager)  # Ctrl+Z: every row the import changed put back
        undo_s, undo_cpu = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        back.undo(manager)  # Ctrl+Y
        redo_s, redo_cpu = time.perf_counter() - t, time.process_time() - c
        print(f"undo of that merge: {undo_s:.2f} s wall / {undo_cpu:.2f} s CPU; redo "
              f"{redo_s:.2f} s / {redo_cpu:.2f} s CPU")
        manager.close()

        big = workspace(tmp, "Big", tmp / "shared")
        tag_many(big, docs, args.big, 0)
        t, c = time.perf_counter(), time.process_time()
        r = export.export_pack(big, tmp / "big.evpack")
        first, first_cpu = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        export.export_pack(big, tmp / "big2.evpack")
        second, second_cpu = time.perf_counter() - t, time.process_time() - c
        print(f"export {args.big}-item pack: first {first:.2f} s wall / {first_cpu:.2f} s CPU "
              f"(records every revision), next {second:.2f} s / {second_cpu:.2f} s CPU; "
              f"{r.size / 1024:.0f} KB (target <= 2 s); load average {os.getloadavg()[0]:.1f}")
        big.close()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
