"""Time to the first window shown (offscreen), warm, on an existing workspace.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_startup.py [--runs 5]

Each run is a fresh process (the way a person starts the app). Two figures per run: the whole
process (from starting Python to the window exposed) and in-process (from importing the window's
module to the window exposed). The first run warms the OS file cache and is not counted.
Target: first window <= 0.5 s warm.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def child(workspace: str) -> None:
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from evidence_app.ui.launch import Shell, create_application

    app = create_application()
    shell = Shell()
    window = shell.start(workspace)
    while not (window.isVisible() and window.windowHandle() and window.windowHandle().isExposed()):
        app.processEvents()
    app.processEvents()  # the first paint
    shown = time.perf_counter()
    print(json.dumps({"in_process_s": shown - t0, "shown_at": time.time(),
                      "modules": len(sys.modules),
                      "extractors_loaded": sorted(m for m in sys.modules if m in (
                          "docx", "openpyxl", "pypdfium2", "lxml", "extract_msg", "odf",
                          "striprtf"))}), flush=True)
    shell.shutdown()
    QApplication.quit()
    os._exit(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        env["EVIDENCE_APP_HOME"] = str(Path(tmp) / "home")
        from evidence_app.core.workspace import Workspace

        Workspace.create(Path(tmp) / "ws", "Benchmark").close()
        totals, inner = [], []
        for run in range(args.runs + 1):
            started = time.time()
            out = subprocess.run([sys.executable, __file__, "--child", str(Path(tmp) / "ws")],
                                 capture_output=True, text=True, env=env, cwd=str(ROOT),
                                 timeout=120)
            line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
            if not line:
                print(out.stderr)
                raise SystemExit("the child did not report")
            data = json.loads(line[-1])
            total = data["shown_at"] - started
            label = "warm-up" if run == 0 else f"run {run}"
            print(f"{label:8s} whole process {total * 1000:6.0f} ms   in-process "
                  f"{data['in_process_s'] * 1000:6.0f} ms   modules {data['modules']}   "
                  f"extraction libraries loaded: {data['extractors_loaded'] or 'none'}")
            if run:
                totals.append(total)
                inner.append(data["in_process_s"])
        print(f"median: whole process {statistics.median(totals) * 1000:.0f} ms, in-process "
              f"{statistics.median(inner) * 1000:.0f} ms (target <= 500 ms)")


if __name__ == "__main__":
    main()
