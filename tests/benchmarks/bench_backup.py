"""Backups sized to people's work, and start-up cost, on a large workspace (issue 9, points 9-10).

    .venv/bin/python tests/benchmarks/bench_backup.py [--documents 100000] [--evidence 2000]

How the workspace is built (say so when quoting figures): document and chunk rows are written
*directly through the store* (`store.documents.write_extraction`, the indexer's own write path,
FTS included) for the database-size dimension, not by extracting 100,000 real files. Paths, names
and case folders come from the sample generator's plan (`core.samples`), and the text of each
document is one of 400 generated prose documents (the same generator), so rows, chunks and the
full-text index have the sizes a real generated corpus gives. Then `--evidence` passages are
tagged through `core.evidence.tag` (people's work: evidence with quotes and context, cases,
a bundle). The workspace is cached in bench-out/ (EVIDENCE_BENCH_DIR) and reused.

Prints: database size; backup time and size (median of 3, `core.backup.backup_now`); the full
`VACUUM INTO` copy the app used to make, for comparison; opening the workspace in-process;
whole-process `status --json` and `search WORD --json` (median of 5, warm); and a restore from
the backup followed by the by-name search that must work at once.
Targets at 100,000 documents: backup <= 1 s and <= 50 MB; opening <= 0.5 s.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.common import CACHE  # noqa: E402

MB = 1024 * 1024


def _text_pool(n: int = 400) -> list[list[str]]:
    """Generated prose documents (pages of text), from the sample generator."""
    from evidence_app.samples import _KINDS, _TABULAR, _plan
    from evidence_app.samples import text as T

    specs, profiles = _plan(n * 2, 7, None, None)
    pool = []
    for s in specs:
        if s.kind in _TABULAR:
            continue
        rng = random.Random(f"bench:{s.index}")
        case = profiles[s.case] if s.case is not None else None
        doc = T.build_doc(_KINDS[s.kind], "txt", s.title, case, s.date, s.pages, rng)
        pool.append([p for p in doc.plain_text().split("\f") if p.strip()])
        if len(pool) >= n:
            break
    return pool


def build(root: Path, n: int, n_evidence: int) -> None:
    """A workspace of n documents written through the store (see the module notes)."""
    from evidence_app.core.bundles import bundles
    from evidence_app.core.evidence import cases, evidence, framework
    from evidence_app.core.index.extractors.base import OK, Extracted, Section
    from evidence_app.core.index.extract_worker import prechunk
    from evidence_app.samples import _plan
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.store import documents as docstore
    from evidence_app.core.store.db import transaction
    from evidence_app.core.workspace import Workspace

    shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    src = root.parent / (root.name + "-src")  # a source folder that does not exist any more
    src.mkdir(parents=True, exist_ok=True)
    ws = Workspace.create(root, "Bench Borough")
    source = add_source(ws, src, "case-files").value
    sid = source["id"] if isinstance(source, dict) else source.id
    pool = _text_pool()
    specs, _profiles = _plan(n, 0, None, None)
    ws.db.conn.execute("PRAGMA synchronous = OFF")
    for start in range(0, n, 2000):
        with transaction(ws.db):
            for s in specs[start:start + 2000]:
                pages = pool[s.index % len(pool)]
                sections = [Section(f"{s.title}\n{p}", page=i + 1) for i, p in enumerate(pages)]
                path = str(src / s.rel)
                facts = docstore.FileFacts(path, sid, s.rel, os.path.basename(s.rel),
                                           s.rel.split("/")[1] if s.in_case_folder else None,
                                           sum(len(p) for p in pages), 1.7e9 + s.index,
                                           f"{s.index:064x}")
                docstore.write_extraction(ws.db, facts, prechunk(Extracted(
                    OK, format=s.fmt, title=s.title, sections=sections, pages=len(pages))))
        if start % 20000 == 0:
            print(f"  {start + 2000:,} documents written ({time.perf_counter() - t0:.0f} s)",
                  flush=True)
    ws.db.conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")
    ws.db.conn.execute("PRAGMA synchronous = FULL")
    framework.ensure(ws)
    rng = random.Random(1)
    ids = [r[0] for r in ws.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    refs = sorted({r[0] for r in ws.db.conn.execute(
        "SELECT case_ref FROM documents WHERE case_ref IS NOT NULL")})[:200]
    for ref in refs:
        cases.add_case(ws, ref, name=f"Child {ref}", sampled=True)
    enq = [e.id for e in framework.enquiries(ws)]
    for i in range(n_evidence):
        doc = rng.choice(ids)
        text = ws.db.conn.execute("SELECT text FROM chunks WHERE document_id = ? ORDER BY seq "
                                  "LIMIT 1", [doc]).fetchone()[0]
        a = rng.randrange(0, max(1, len(text) - 120))
        evidence.tag(ws, doc, enquiries=[rng.choice(enq)], quote=text[a:a + 80].strip() or None,
                     note=f"bench evidence {i}").value
    bundles.create_bundle(ws, "Bench bundle", enquiries=[enq[0]]).value
    ws.close()
    for p in root.joinpath("backups").glob("*"):
        p.unlink()
    (root / ".bench-complete").write_text(str(n))
    print(f"built {n:,} documents + {n_evidence:,} evidence items in "
          f"{time.perf_counter() - t0:.0f} s -> {root}")


def _size(path: Path) -> int:
    return sum(Path(str(path) + s).stat().st_size for s in ("", "-wal")
               if Path(str(path) + s).exists())


def _whole_process(root: Path, *args: str, runs: int = 5) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files
    cmd = [sys.executable, "-m", "evidence_app", "-w", str(root), *args]
    subprocess.run(cmd, env=env, capture_output=True)  # warm the file cache
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        out.append(time.perf_counter() - t)
        if r.returncode != 0:
            print(f"  ({' '.join(args)} exited {r.returncode}: {r.stderr.strip()[:200]})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--evidence", type=int, default=2_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from evidence_app.core.safety import backup
    from evidence_app.core.workspace import Workspace

    root = CACHE / f"backup-ws-{args.documents}"
    marker = root / ".bench-complete"
    if not marker.exists() or marker.read_text() != str(args.documents):
        build(root, args.documents, args.evidence)
    db_size = _size(root / "evidence.db")
    print(f"workspace: {args.documents:,} documents, database {db_size / MB:,.0f} MB "
          "(rows written through the store; see the module notes)")

    t = time.perf_counter()
    ws = Workspace.open(root, background_check=False)  # the window starts the daily check in a
    opened = time.perf_counter() - t                    # thread when it is due: not timed here
    print(f"opening the workspace (in-process, first opener: checks + journal compare): "
          f"{opened * 1000:.0f} ms  (target <= 500 ms)")
    ws.close()
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        Workspace.open(root, access="read", background_check=False).close()
        warm.append(time.perf_counter() - t)
    print(f"  warm openings: median {statistics.median(warm) * 1000:.0f} ms, max "
          f"{max(warm) * 1000:.0f} ms")
    import sqlite3

    t = time.perf_counter()
    c = sqlite3.connect(root / "evidence.db")
    c.execute("PRAGMA quick_check").fetchone()
    c.close()
    print(f"  for comparison, the whole-file quick_check every command used to run: "
          f"{time.perf_counter() - t:.2f} s (now once a day, in the background)")
    ws = Workspace.open(root, background_check=False)
    times, sizes = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        info = backup.backup_now(ws, "manual")
        times.append(time.perf_counter() - t)
        sizes.append(info.size)
    print(f"backup (backup_now): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s, size {statistics.median(sizes) / MB:.1f} MB  "
          "(target <= 1 s, <= 50 MB)")
    full = root / "backups" / "full-copy-for-comparison.tmp"
    t = time.perf_counter()
    ws.db.conn.execute("VACUUM INTO ?", [str(full)])
    print(f"for comparison, a full VACUUM INTO copy: {time.perf_counter() - t:.2f} s, "
          f"{full.stat().st_size / MB:,.0f} MB")
    full.unlink()
    n_items = ws.db.conn.execute("SELECT COUNT(*) FROM evidence_items").fetchone()[0]
    ws.close()

    for label, cmd in (("status --json", ("status", "--json")),
                       ("search WORD --json", ("search", "supervision", "--json"))):
        runs = _whole_process(root, *cmd)
        print(f"whole-process `{label}`: median {statistics.median(runs) * 1000:.0f} ms, "
              f"min {min(runs) * 1000:.0f} ms (n={len(runs)})")

    # restore the backup into a copy of the workspace: names searchable at once, evidence intact
    copy = root.parent / (root.name + "-restore")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    ws = Workspace.open(copy, background_check=False)
    newest = backup.newest(ws, ("manual",))
    t = time.perf_counter()
    done = backup.restore(ws, newest.path.name)
    restored = time.perf_counter() - t
    from evidence_app.core.search.search import search

    t = time.perf_counter()
    hits = search(ws, "Supervision").hits
    searched = time.perf_counter() - t
    items = ws.db.conn.execute("SELECT COUNT(*) FROM evidence_items").fetchone()[0]
    print(f"restore from that backup: {restored:.2f} s ({done.get('files_queued', 0):,} files "
          f"queued for the background rebuild); a by-name search right after: {len(hits)} hits "
          f"in {searched * 1000:.0f} ms; evidence items {items:,} of {n_items:,}")
    ws.close()
    shutil.rmtree(copy, ignore_errors=True)


if __name__ == "__main__":
    main()
