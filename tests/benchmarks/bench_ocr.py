"""OCR benchmark (issue 16): pages a minute for clean and degraded scans with the extraction
workers, the peak memory of one worker, and what scans cost a whole index.

Usage: python tests/benchmarks/bench_ocr.py [--pages 20] [--documents 5000] [--jobs 2]
Prints figures; asserts nothing. `--documents 0` skips the whole-index part (a 5,000-document
corpus with 5% scans takes ~10 minutes of OCR on 2 quiet cores).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import PeakMemory, corpus, machine  # noqa: E402

WORDS = ("the child was seen at home by the social worker and said she felt safe at school "
         "attendance has improved the referral was received and the strategy meeting agreed "
         "the plan with the family contact with grandparents twice monthly").split()


def _pages(rng: random.Random, n: int) -> list[list[str]]:
    return [[" ".join(rng.choice(WORDS) for _ in range(rng.randint(7, 10))) for _ in range(30)]
            for _ in range(n)]


class WorkerPeak:
    """The largest RSS any one child process (an extraction worker) reached."""

    def __init__(self) -> None:
        import psutil

        self.proc, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for child in self.proc.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except Exception:  # noqa: BLE001
                    pass
            time.sleep(0.05)

    def __enter__(self) -> "WorkerPeak":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def pages_per_minute(style: str, n_pages: int, jobs: int, tmp: Path) -> None:
    from evidence_app.core.index.indexer import Indexer
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace
    from evidence_app.samples.writers.scan import write_scanned_pages

    folder = tmp / f"scans-{style}"
    folder.mkdir()
    rng = random.Random(style)
    per_doc = 4
    for d in range(max(1, n_pages // per_doc)):
        (folder / f"scan {d}.pdf").write_bytes(
            write_scanned_pages(_pages(rng, per_doc), style, seed=f"{style}{d}"))
    ws = Workspace.create(tmp / f"ws-{style}", "OCR bench")
    add_source(ws, folder, "other")
    with Indexer(ws, jobs=jobs) as indexer:
        indexer.run()
        cpu0 = os.times()
        with WorkerPeak() as peak:
            run = indexer.read_scans()
        cpu = os.times()
    ws.close()
    children = (cpu.children_user - cpu0.children_user) + (cpu.children_system -
                                                           cpu0.children_system)
    rate = 60 * run.pages_read / run.seconds if run.seconds else 0.0
    print(f"{style:8s} {run.pages_read} pages in {run.seconds:.1f} s: {rate:.1f} pages/min with "
          f"{jobs} workers; peak worker RSS {peak.peak / 2**20:.0f} MiB; "
          f"{run.pages_failed} failed", flush=True)
    del children


def whole_index(n_docs: int, jobs: int, tmp: Path) -> None:
    """The effect of 5% scans on an index of n_docs documents: the fast pass with and without
    them, then the OCR pass that follows."""
    from evidence_app.core.index.indexer import Indexer
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.search.search import search
    from evidence_app.core.workspace import Workspace
    from evidence_app.samples.writers.scan import write_scanned_pages

    base = corpus(n_docs)
    scans = tmp / "scans-5pct"
    scans.mkdir()
    rng = random.Random(5)
    n_scans = max(1, n_docs * 5 // 100)
    styles = ("scan", "scan", "photo", "fax")
    for i in range(n_scans):
        style = styles[i % len(styles)]
        pages = _pages(rng, 1 if style == "photo" else rng.randint(1, 3))
        pages[0][0] = "Scanned letter about the Kestrelmoor family"
        ext = {"scan": "pdf", "photo": "jpg", "fax": "tif"}[style]
        (scans / f"scan {i}.{ext}").write_bytes(write_scanned_pages(pages, style, seed=str(i)))
    for label, folders in (("without scans", [base]), ("with 5% scans", [base, scans])):
        ws = Workspace.create(tmp / f"ws-{label.replace(' ', '-')}", "OCR bench")
        for f in folders:
            add_source(ws, f, "other")
        with PeakMemory() as mem, Indexer(ws, jobs=jobs) as indexer:
            t = time.perf_counter()
            summary = indexer.run()
            fast = time.perf_counter() - t
            found_by_name = bool(search(ws, "scan").hits) if len(folders) > 1 else None
            run = indexer.read_scans()
        line = (f"{n_docs:,} documents {label}: fast pass {fast:.1f} s ({summary.indexed:,} "
                f"files), peak RSS {mem.peak / 2**20:.0f} MiB")
        if len(folders) > 1:
            found = len(search(ws, "Kestrelmoor", limit=n_scans + 10).hits)
            line += (f"; then OCR of {run.pages_read:,} scanned pages in {run.seconds:.1f} s "
                     f"({60 * run.pages_read / max(run.seconds, 1e-9):.1f} pages/min); scans "
                     f"findable by name after the fast pass: {found_by_name}; scans found by a "
                     f"word on their first page after OCR: {found} of {n_scans}")
        print(line, flush=True)
        ws.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    try:
        for style in ("clean", "scan"):
            pages_per_minute(style, a.pages, a.jobs, tmp)
        if a.documents:
            whole_index(a.documents, a.jobs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
