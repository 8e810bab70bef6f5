"""A/B of the first window's start-up between two or more checkouts of this app, interleaved.

Usage: python tests/benchmarks/ab_startup.py before=/path/to/old/checkout now=. [--runs 31]

Each checkout byte-compiles its own code first (this machine may set PYTHONDONTWRITEBYTECODE,
and a tree without .pyc files recompiles every module on every start: that once made an old
tree look 60 ms slower than it was), creates an empty workspace with its own code, then each
run starts one fresh process per checkout showing the window offscreen (each checkout's
`bench_startup.py --child`), who goes first rotating, so a load that comes and goes falls on
every checkout alike. Prints per checkout the medians (and minimum) of the whole process's CPU
(user + system, every thread), the wall time from starting Python to the window shown, the
in-process time, and the modules loaded. Not a test: it asserts nothing. All checkouts run with
this interpreter, so they share its installed libraries.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_of_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def prepare(name: str, tree: Path, tmp: Path) -> tuple[dict, str]:
    """Byte-compile the checkout and make its workspace; returns (environment, workspace)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "evidence_app"], cwd=tree,
                   check=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               EVIDENCE_APP_HOME=str(tmp / f"home-{name}"))
    ws = tmp / f"ws-{name}"
    subprocess.run([sys.executable, "-c",
                    "import sys; sys.path.insert(0, sys.argv[1]); "
                    "from evidence_app.core.workspace import Workspace; "
                    "Workspace.create(sys.argv[2], 'Benchmark').close()", str(tree), str(ws)],
                   cwd=tree, env=env, check=True)
    return env, str(ws)


def one_start(tree: Path, env: dict, ws: str) -> dict:
    before = cpu_of_children()
    started = time.time()
    out = subprocess.run([sys.executable, str(tree / "tests/benchmarks/bench_startup.py"),
                          "--child", ws], cwd=tree, env=env, capture_output=True, text=True,
                         timeout=120)
    cpu = cpu_of_children() - before
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SystemExit(f"{tree}: the child did not report\n{out.stderr}")
    data = json.loads(lines[-1])
    return {"cpu": cpu * 1000, "wall": (data["shown_at"] - started) * 1000,
            "in_process": data["in_process_s"] * 1000, "modules": data["modules"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", nargs="+", help="NAME=PATH of each checkout")
    ap.add_argument("--runs", type=int, default=31)
    args = ap.parse_args()
    trees = {}
    for spec in args.trees:
        name, _, path = spec.partition("=")
        if not path or not (Path(path) / "evidence_app").is_dir():
            raise SystemExit(f"{spec}: give NAME=PATH of a checkout of this app")
        trees[name] = Path(path).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        prepared = {name: prepare(name, tree, Path(tmp)) for name, tree in trees.items()}
        results: dict[str, list[dict]] = {name: [] for name in trees}
        order = list(trees)
        for run in range(args.runs + 1):  # run 0 warms the file cache and is not counted
            k = run % len(order)
            for name in order[k:] + order[:k]:
                figures = one_start(trees[name], *prepared[name])
                if run:
                    results[name].append(figures)
    print(f"{args.runs} runs each, load average {os.getloadavg()[0]:.1f}; medians (min), ms")
    for name, rows in results.items():
        def med(key: str) -> str:
            values = [r[key] for r in rows]
            return f"{statistics.median(values):.0f} ({min(values):.0f})"
        print(f"{name:10s} CPU {med('cpu'):>12s}   whole process to window shown "
              f"{med('wall'):>12s}   in-process {med('in_process'):>12s}   modules "
              f"{statistics.median(r['modules'] for r in rows):.0f}")


if __name__ == "__main__":
    main()
