"""Engine benchmark: full index, rescans, live update latency, search latency at 5k and 100k.

Usage: python tests/benchmarks/bench_index.py [--documents 5000] [--jobs 2] [--big 100000]
       python tests/benchmarks/bench_index.py --rescan-workspace WS --rescan-corpus DIR [--runs 3]
Prints figures; asserts nothing (targets are in the issue and the README).

The second form measures "rescan after 1% changed" on a real generated corpus (e.g. 100,000 files:
python -m evidence_app.samples DIR -n 100000, indexed into WS with `evidence-app index`): each
run rewrites 1% of the files (content, not just the time) and times the whole `evidence-app
index` process, counting the CPU of its extraction workers too (they are children of a fork
server the app never waits for, so this script reaps them as a subreaper). Work on copies: the
corpus and the workspace are changed. The package is byte-compiled first, as an installed app
is (with PYTHONDONTWRITEBYTECODE set and no __pycache__, every process, the fork server too,
compiled the app's modules from source: ~0.1 s of each run). Then one more run prints where
its time goes (`phases`): when the walk starts, finds its first changed file and ends, when the
first and the last result come back, and when the process ends.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import PeakMemory, corpus, machine, summary_ms  # noqa: E402

QUERIES = [
    "child", "plan", "visit", "the", "social worker", '"child protection"', "voice of the child",
    "supervis*", "assessment NOT initial", "strategy OR conference", "case:CH-000001 visit",
    "kind:policies oversight", "type:pdf school", '"section 47"', "grandmother", "neglect",
    "after:01/01/2025 review", "pathway plan", "management oversight", "IRO",
]


def timed_searches(ws, queries, repeat=5) -> list[float]:
    from evidence_app.core.search.search import search

    out = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            search(ws, q, limit=20)
            out.append((time.perf_counter() - t) * 1000)
    return out


def grow_to(ws, target_docs: int) -> None:
    """Replicate the indexed documents (and their chunks) until there are target_docs: search
    behaviour at 100k documents without generating 100k files."""
    import uuid as _uuid

    from evidence_app.core.store.db import transaction

    db = ws.db
    base = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    copies = max(0, (target_docs - base) // base)
    docs = db.execute("SELECT id, source_id, path, rel_path, name, title, format, size, mtime, "
                      "sha256, status, pages, chars, case_ref, member FROM documents").fetchall()
    chunks: dict[int, list] = {}
    for row in db.execute("SELECT document_id, seq, page, heading, start, text FROM chunks"):
        chunks.setdefault(row[0], []).append(row[1:])
    conn = db.conn
    for k in range(copies):
        with transaction(db):
            for d in docs:
                cur = conn.execute(
                    "INSERT INTO documents (uuid, source_id, path, member, rel_path, name, title, "
                    "format, size, mtime, sha256, status, pages, chars, case_ref, first_seen) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'x')",
                    [str(_uuid.uuid4()), d[1], f"{d[2]}.copy{k}", d[14], d[3], d[4], d[5], d[6],
                     d[7], d[8], d[9], d[10], d[11], d[12], d[13]])
                new_id = cur.lastrowid
                conn.execute("INSERT INTO names_fts(rowid, title, name) VALUES (?, ?, ?)",
                             [new_id, d[5], d[4]])
                for seq, page, heading, start, text in chunks.get(d[0], []):
                    c = conn.execute("INSERT INTO chunks (document_id, seq, page, heading, start, "
                                     "text) VALUES (?,?,?,?,?,?)",
                                     [new_id, seq, page, heading, start, text])
                    conn.execute("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)",
                                 [c.lastrowid, text])
    conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")


def _cpu() -> float:
    """CPU seconds of this process, of its finished children and of the extraction workers.

    On Linux the workers are children of the fork server, which reaps them: they never show in
    this process's RUSAGE_CHILDREN, so the fork server's own CPU and its reaped children's are
    added (without this the full-index figure left out every worker: 3.5 s where the whole
    process tree used 17.6 s at 5,000 documents)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime + _fork_server_cpu()


def _fork_server_cpu() -> float:
    """CPU of the extraction workers' fork server and of the workers it has reaped."""
    try:
        import psutil
        from multiprocessing import forkserver

        pid = forkserver._forkserver._forkserver_pid  # noqa: SLF001 - no public way to ask
        if not pid:
            return 0.0
        t = psutil.Process(pid).cpu_times()
        return t.user + t.system + t.children_user + t.children_system
    except Exception:  # noqa: BLE001 - no server (yet), or not Linux
        return 0.0


def _whole_process(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU of the app's process, CPU of every other process it started), the
    latter reaped here as orphans: Linux only (PR_SET_CHILD_SUBREAPER)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(1)
        os.open(os.devnull, os.O_WRONLY)
        os.execvp(cmd[0], cmd)
    wall, app, others = 0.0, 0.0, 0.0
    while True:
        try:
            done, _status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu = usage.ru_utime + usage.ru_stime
        if done == pid:
            wall, app = time.perf_counter() - started, cpu
        else:
            others += cpu
    return wall, app, others


def _byte_compile() -> None:
    """Compile the app's modules as an installer does (see the module note)."""
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[2] / "evidence_app"), quiet=1)


PHASES = ("imports done", "workspace open", "walk starts", "first changed file found",
          "first result back", "walk ends", "last result back", "results written",
          "end of run (tidy, counts)", "workspace closed")


def phases_child(workspace: Path, jobs: int) -> None:
    """One whole `index` in this (fresh) process with a time stamp at each phase: seconds since
    the process started, and this process's CPU (not the workers') at that moment."""
    def since_start() -> float:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            up = float(f.read().split()[0])
        return up - ticks / os.sysconf("SC_CLK_TCK")

    t0 = time.perf_counter() - since_start()
    stamps: list[tuple[str, float, float]] = []

    def stamp(what: str) -> None:
        if what not in (s[0] for s in stamps):
            stamps.append((what, time.perf_counter() - t0, time.process_time()))

    from evidence_app.core.index import extract_pool, full_scan, indexer
    from evidence_app.core.workspace import Workspace

    stamp("imports done")
    ws = Workspace.open(workspace, background_check=False)
    stamp("workspace open")
    real_changed, real_collect = full_scan.FullScan.changed, extract_pool.ExtractPool._collect
    real_read, real_tidy = indexer.Indexer._read, indexer.Indexer._tidy_index

    def changed(self):
        stamp("walk starts")
        for item in real_changed(self):
            stamp("first changed file found")
            yield item
        stamp("walk ends")

    def collect(self, *a):
        out = real_collect(self, *a)
        stamp("first result back")
        stamps.append(("last result back", time.perf_counter() - t0, time.process_time()))
        return out

    def read(self, *a, **k):
        real_read(self, *a, **k)
        stamp("results written")

    def tidy(self, written):
        real_tidy(self, written)
        stamp("end of run (tidy, counts)")

    full_scan.FullScan.changed, extract_pool.ExtractPool._collect = changed, collect
    indexer.Indexer._read, indexer.Indexer._tidy_index = read, tidy
    with indexer.Indexer(ws, jobs=jobs) as ix:
        summary = ix.run()
    ws.close()
    stamp("workspace closed")
    last = {}
    for what, wall, cpu in stamps:
        last[what] = (wall, cpu)
    print(f"  phases of one run ({summary.indexed} files read; seconds since the process "
          "started, and the app's own CPU by then):")
    for what in PHASES:
        if what in last:
            print(f"    {last[what][0]:6.2f} s  (CPU {last[what][1]:5.2f} s)  {what}")


def rescan_big(workspace: Path, corpus_dir: Path, runs: int, jobs: int) -> None:
    """Median of `runs` whole-process rescans after 1% of the corpus changed."""
    import statistics
    import subprocess

    from evidence_app.samples import modify_some

    print(machine())
    _byte_compile()
    cmd = [sys.executable, "-m", "evidence_app", "--workspace", str(workspace), "index",
           "--no-ocr", "--jobs", str(jobs)]
    _whole_process(cmd)  # bring the index in step first (and warm the file cache)
    rows = []
    for k in range(runs):
        changed = modify_some(corpus_dir, 0.01, seed=1000 + k)
        load = os.getloadavg()[0]
        wall, app, others = _whole_process(cmd)
        rows.append((wall, app, others))
        print(f"  run {k + 1}: {len(changed)} files changed; wall {wall:.2f} s, CPU "
              f"{app + others:.2f} s (app {app:.2f} s, extraction workers {others:.2f} s); "
              f"load average {load:.1f}", flush=True)
    wall = statistics.median(r[0] for r in rows)
    cpu = statistics.median(r[1] + r[2] for r in rows)
    app = statistics.median(r[1] for r in rows)
    print(f"rescan after 1% changed, whole `evidence-app index`, median of {runs}: wall "
          f"{wall:.2f} s, CPU {cpu:.2f} s (app {app:.2f} s) on {os.cpu_count()} cores, load "
          f"average {os.getloadavg()[0]:.1f} (target <= 2 s)", flush=True)
    if sys.platform.startswith("linux"):
        modify_some(corpus_dir, 0.01, seed=2000 + runs)
        subprocess.run([sys.executable, __file__, "--phases-of", str(workspace), "--jobs",
                        str(jobs)], check=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--big", type=int, default=100_000, help="documents for the large search test (0: skip)")
    ap.add_argument("--rescan-workspace", type=Path, help="an indexed workspace of a generated "
                    "corpus: measure only the rescan after 1%% changed (see the module note)")
    ap.add_argument("--rescan-corpus", type=Path, help="the corpus that workspace indexes")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--phases-of", type=Path, help=argparse.SUPPRESS)  # one run, with its phases
    args = ap.parse_args()
    if args.phases_of:
        phases_child(args.phases_of, args.jobs)
        return
    if args.rescan_workspace:
        rescan_big(args.rescan_workspace, args.rescan_corpus, args.runs, args.jobs)
        return

    from evidence_app.core.index.indexer import Indexer, index_workspace
    from evidence_app.samples import modify_some
    from evidence_app.core.search.search import search
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.index.watcher import watch_forever
    from evidence_app.core.workspace import Workspace

    print(machine())
    src = corpus(args.documents)
    work = Path(tempfile.mkdtemp(prefix="evbench-"))
    data = work / "data"
    shutil.copytree(src, data)  # rescans modify files: work on a copy of the cached corpus
    n_files = sum(1 for p in data.rglob("*") if p.is_file() and not p.name.startswith("."))
    ws = Workspace.create(work / "ws", "Bench")
    for sub, kind in (("case-files", "case-files"), ("policies", "policies"),
                      ("performance", "other")):
        if (data / sub).is_dir():
            add_source(ws, data / sub, kind)

    cpu0 = _cpu()
    with PeakMemory() as mem:
        s = index_workspace(ws, jobs=args.jobs)
    cpu = _cpu() - cpu0
    print(f"full index: {n_files} files in {s.seconds:.2f} s ({n_files / s.seconds:.0f} files/s); "
          f"peak RSS {mem.peak / 2**20:.0f} MiB (parent {mem.peak_parent / 2**20:.0f} MiB + workers)")
    if cpu:
        # CPU seconds hardly depend on what else the machine runs; wall time does
        print(f"  CPU: {cpu:.1f} s, app and workers together ({cpu / n_files * 1000:.2f} ms a "
              "file)")
    print(f"  statuses: {s.by_status}")
    db_size = os.path.getsize(ws.db_path) + (os.path.getsize(str(ws.db_path) + "-wal")
                                             if os.path.exists(str(ws.db_path) + "-wal") else 0)
    print(f"  database: {db_size / 2**20:.0f} MiB")

    s = index_workspace(ws, jobs=args.jobs)
    print(f"rescan, nothing changed: {s.seconds * 1000:.0f} ms")
    changed = modify_some(data, 0.01, seed=7)
    s = index_workspace(ws, jobs=args.jobs)
    print(f"rescan after 1% changed ({len(changed)} files): {s.seconds * 1000:.0f} ms "
          f"(indexed {s.indexed})")
    with Indexer(ws, jobs=args.jobs) as ix:
        ix.run()  # warm pool
        t = time.perf_counter()
        s = ix.run()
        print(f"rescan with a warm pool (the window's case), nothing changed: "
              f"{(time.perf_counter() - t) * 1000:.0f} ms")
        warm = []
        for k in range(3):
            modify_some(data, 0.01, seed=70 + k)
            t = time.perf_counter()
            s = ix.run()
            warm.append((time.perf_counter() - t) * 1000)
        print(f"rescan with a warm pool after 1% changed: {summary_ms(warm)}")

    lat = timed_searches(ws, QUERIES)
    print(f"search at {args.documents} documents: {summary_ms(lat)}")

    # live update: a saved file becomes searchable
    stop = threading.Event()

    def watch():
        tws = Workspace.open(ws.root)
        with Indexer(tws, jobs=args.jobs) as ix:
            watch_forever(tws, ix, lambda _s: None, stop)
        tws.close()

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    time.sleep(1.0)
    delays = []
    target_dir = data / "case-files"
    for i in range(10):
        word = f"zqxlive{i}"
        p = target_dir / f"live note {i}.txt"
        t = time.perf_counter()
        p.write_text(f"FICTIONAL TEST DATA. Visit note {word}.")
        while not search(ws, word).hits:
            time.sleep(0.005)
            if time.perf_counter() - t > 10:
                break
        delays.append((time.perf_counter() - t) * 1000)
        time.sleep(0.2)
    stop.set()
    th.join(5)
    print(f"saved file searchable after: {summary_ms(delays)}")

    if args.big:
        t = time.perf_counter()
        grow_to(ws, args.big)
        n = ws.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        print(f"grew the index to {n} documents in {time.perf_counter() - t:.0f} s")
        lat = timed_searches(ws, QUERIES, repeat=3)
        print(f"first page at {n} documents: {summary_ms(lat)}")
        worst = max(QUERIES, key=lambda q: timed_searches(ws, [q], 1)[0])
        t = time.perf_counter()
        r = search(ws, worst, limit=20, exact=True)
        print(f"  full exact ranking of the slowest query ({worst!r}): "
              f"{(time.perf_counter() - t) * 1000:.0f} ms for {r.total} documents")
    ws.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
