"""Helpers shared by the benchmark scripts (not tests): a cached generated corpus, timing, memory."""
from __future__ import annotations

import os
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("EVIDENCE_BENCH_DIR", ROOT / "bench-out"))


def corpus(n: int, seed: int = 0) -> Path:
    """A generated corpus of n documents, made once and reused (deterministic for n and seed)."""
    from evidence_app.samples import DEFAULT_MIX, generate_corpus

    # the generator's format mix is part of the key: a cached corpus of an older mix is not reused
    mix = "".join(sorted(DEFAULT_MIX))
    out = CACHE / f"corpus-{n}-seed{seed}-{len(DEFAULT_MIX)}f{sum(map(ord, mix)) % 1000}"
    marker = out / ".complete"
    if not marker.exists():
        import shutil

        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        generate_corpus(out, n, seed=seed)
        marker.write_text("ok")
        print(f"generated {n} documents in {time.perf_counter() - t:.1f} s -> {out}")
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def summary_ms(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
            f"max {max(values):.1f} ms, mean {statistics.fmean(values):.1f} ms (n={len(values)})")


class PeakMemory:
    """Samples the RSS of this process and all its children every 20 ms; keeps the peak sum."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self.peak_parent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                parent = self.proc.memory_info().rss
                total = parent
                for child in self.proc.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
                self.peak_parent = max(self.peak_parent, parent)
            except Exception:  # noqa: BLE001
                pass
            time.sleep(0.02)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def machine() -> str:
    import platform

    import psutil

    return (f"{platform.node()}: {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
            f"SQLite {__import__('sqlite3').sqlite_version}")
