"""A/B of the evidence figures between two or more checkouts of this app, interleaved.

Usage: python tests/benchmarks/ab_evidence.py before=/path/to/old/checkout now=. [--items 5000]

Each checkout builds its own workspace with its own code (the same documents, cases and random
tags as bench_evidence.py), then keeps one worker process open on it; every operation is run by
each worker in turn (who goes first rotates), so a load that comes and goes on a shared machine
falls on every checkout alike. Prints the CPU time (`time.process_time`) median and quartiles of
each operation, and the wall median. Not a test: it asserts nothing. Older checkouts (before the
records of issue 12: dicts, no Done) are read through small shims below.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("child plan visit worker review school health voice family carer grandmother safe "
         "supervision oversight assessment strategy meeting conference placement").split()
OPS = {"tag a document": 100, "tag a passage": 100, "re-anchor one document": 30,
       "coverage --by area": 30, "coverage --by case": 30, "coverage --by team": 30,
       "coverage --by worker": 30, "evidence --enquiry LEAD-01": 60,
       "evidence --case CH-000001": 60, "evidence (all)": 15}


def _modules():  # noqa: ANN202 - the checkout's own modules, new layout or old
    try:
        from evidence_app.core.evidence import cases, coverage, evidence, framework
        from evidence_app.core.index.indexer import index_workspace
        from evidence_app.core.index.sources import add_source
    except ImportError:  # before issue 12's restructure
        from evidence_app.core import cases, coverage, evidence, framework
        from evidence_app.core.indexer import index_workspace
        from evidence_app.core.sources import add_source
    return cases, coverage, evidence, framework, index_workspace, add_source


def _id(record) -> int | str:  # noqa: ANN001
    return record["id"] if isinstance(record, dict) else record.id


def build(root: Path, items: int, n_docs: int = 400, n_cases: int = 120) -> None:
    """The benchmark workspace, made by this checkout's code: the documents, cases and tags
    of bench_evidence.py (the same seeds)."""
    from evidence_app.core.workspace import Workspace

    cases, _, evidence, framework, index_workspace, add_source = _modules()
    rnd = random.Random(1)
    src, sentences = root / "src", {}
    for i in range(n_docs):
        lines = [" ".join(rnd.choice(WORDS) for _ in range(14)) + f" record {i} line {j}."
                 for j in range(30)]
        path = src / f"CH-{i % n_cases:06d}" / f"record-{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(lines), encoding="utf-8")
        sentences[str(path)] = lines
    ws = Workspace.create(root / "ws", "Benchmark")
    add_source(ws, src, "case-files")
    index_workspace(ws, jobs=2)
    for c in range(n_cases):
        cases.add_case(ws, f"CH-{c:06d}", worker=f"Worker {c % 15}", team=f"Team {c % 4}",
                       status=rnd.choice(list(cases.STATUSES)), sampled=c % 10 == 0)
    rnd = random.Random(2)
    enquiries = [e.id for e in framework.enquiries(ws)]
    requests = [_id(r) for r in framework.requests(ws)]
    paths = list(sentences)
    for i in range(items):
        path = rnd.choice(paths)
        quote = rnd.choice(sentences[path]) if i % 2 else None
        evidence.tag(ws, path, enquiries=rnd.sample(enquiries, rnd.randint(1, 3)),
                     requests=[rnd.choice(requests)] if i % 7 == 0 else [], quote=quote,
                     strength=rnd.choice(["strong", "moderate", "weak"]),
                     kind=rnd.choice(["strength", "development", "impact"]))
    (root / "paths.txt").write_text("\n".join(paths), encoding="utf-8")
    ws.close()


def serve(root: Path) -> None:
    """Run one operation per line read, printing its CPU and wall milliseconds."""
    from evidence_app.core.workspace import Workspace

    _, coverage, evidence, framework, _, _ = _modules()
    ws = Workspace.open(root / "ws")
    paths = (root / "paths.txt").read_text(encoding="utf-8").splitlines()
    texts = {p: Path(p).read_text(encoding="utf-8").split("\n\n") for p in paths}
    enquiries = [e.id for e in framework.enquiries(ws)]
    rnd = random.Random(7)
    doc = _id(evidence.resolve_document(ws, paths[0]))

    def tag(passage: bool):  # noqa: ANN202
        path, lines = rnd.choice(paths), rnd.sample(enquiries, rnd.randint(1, 3))
        quote = rnd.choice(texts[path]) if passage else None
        return lambda: evidence.tag(ws, path, lines, quote=quote, strength="strong")

    def reanchor():  # noqa: ANN202 - the indexer changed the text: every passage is found again
        ws.db.conn.execute("UPDATE documents SET text_version = text_version + 1 WHERE id = ?",
                           [doc])
        return lambda: evidence.reanchor(ws, [doc])

    ops = {f"coverage --by {by}": (lambda by=by: lambda: coverage.coverage(ws, by=by))
           for by in coverage.BY}
    ops.update({"tag a document": lambda: tag(False), "tag a passage": lambda: tag(True),
                "re-anchor one document": reanchor,
                "evidence --enquiry LEAD-01": lambda: lambda: evidence.list_items(
                    ws, enquiry="LEAD-01"),
                "evidence --case CH-000001": lambda: lambda: evidence.list_items(
                    ws, case="CH-000001"),
                "evidence (all)": lambda: lambda: evidence.list_items(ws)})
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        run = ops[line.strip()]()
        c0, t0 = time.process_time(), time.perf_counter()
        run()
        print(f"{(time.process_time() - c0) * 1000:.4f} {(time.perf_counter() - t0) * 1000:.4f}",
              flush=True)
    ws.close()


def _child(tree: Path, *args: str, **kw) -> subprocess.Popen:  # noqa: ANN003
    env = dict(os.environ, PYTHONPATH=str(tree))  # the checkout's code, in its workers too
    script = str(Path(__file__).resolve())
    return subprocess.Popen([sys.executable, script, *args], env=env, cwd=tree, **kw)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("trees", nargs="*", help="NAME=PATH of each checkout")
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--build", help=argparse.SUPPRESS)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.build:
        return build(Path(a.build), a.items)
    if a.serve:
        return serve(Path(a.serve))
    if not a.trees or any("=" not in t for t in a.trees):
        ap.error("give each checkout as NAME=PATH, e.g. before=../old now=.")
    trees = {n: Path(p).resolve() for n, p in (t.split("=", 1) for t in a.trees)}
    root = Path(tempfile.mkdtemp(prefix="ab-evidence-"))
    workers: dict[str, subprocess.Popen] = {}
    try:
        for name, tree in trees.items():
            (root / name).mkdir()
            if _child(tree, "--build", str(root / name), "--items", str(a.items)).wait():
                raise SystemExit(f"{name}: building its workspace failed")
            workers[name] = _child(tree, "--serve", str(root / name), text=True,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            if workers[name].stdout.readline().strip() != "ready":
                raise SystemExit(f"{name}: its worker did not start")
        names = list(workers)
        got = {op: {n: [] for n in names} for op in OPS}
        for op, times in OPS.items():
            for i in range(times):
                for name in names[i % len(names):] + names[:i % len(names)]:
                    w = workers[name]
                    w.stdin.write(op + "\n")
                    w.stdin.flush()
                    got[op][name].append(tuple(map(float, w.stdout.readline().split())))
        print(f"CPU median (quartiles) / wall median, ms; load average {os.getloadavg()[0]:.1f}")
        print(f"{'':28s}" + "".join(f"{n:>30s}" for n in names))
        for op in OPS:
            cells = []
            for name in names:
                cpu = sorted(c for c, _ in got[op][name])
                q = [cpu[int(f * (len(cpu) - 1))] for f in (0.25, 0.75)]
                wall = statistics.median(w for _, w in got[op][name])
                cells.append(f"{statistics.median(cpu):.2f} ({q[0]:.2f}-{q[1]:.2f}) / {wall:.2f}")
            print(f"{op:28s}" + "".join(f"{c:>30s}" for c in cells))
    finally:
        for w in workers.values():
            if w.poll() is None:
                w.stdin.write("quit\n")
                w.stdin.flush()
                w.wait(60)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
