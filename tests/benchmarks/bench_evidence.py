"""Evidence benchmark: tagging and coverage with 5,000 evidence items (target < 100 ms each).

Usage: python tests/benchmarks/bench_evidence.py [--items 5000] [--documents 400] [--cases 120]
Builds a fresh workspace in a temp folder (documents indexed by the real indexer), tags N items
through `evidence.tag` (mixed passages and whole documents, 1-3 lines of enquiry each), then times
the operations a person waits for. Prints figures; asserts nothing. Each line gives wall times
and, after "cpu", the median CPU time of this process (`time.process_time`): on a shared machine
the wall times follow the load, the CPU times much less (compare code by those).
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

WORDS = ("child plan visit worker review school health voice family carer grandmother safe "
         "supervision oversight assessment strategy meeting conference placement").split()


def ms(values: list[float]) -> str:
    v = sorted(values)
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    return (f"median {statistics.median(v):6.1f} ms  p95 {p95:6.1f} ms  max {v[-1]:6.1f} ms "
            f"(n={len(v)})")


def cpu(values: list[float]) -> str:
    return f"  cpu median {statistics.median(values):6.2f} ms"


class Clock:
    """Wall and CPU milliseconds of each timed call."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __call__(self, fn):  # noqa: ANN001, ANN204
        c0, t0 = time.process_time(), time.perf_counter()
        value = fn()
        self.wall.append((time.perf_counter() - t0) * 1000)
        self.cpu.append((time.process_time() - c0) * 1000)
        return value

    def line(self, last: int | None = None) -> str:
        wall = self.wall[-last:] if last else self.wall
        return ms(wall) + cpu(self.cpu[-last:] if last else self.cpu)


def timed(fn, repeat: int = 20) -> str:
    clock = Clock()
    for _ in range(repeat):
        clock(fn)
    return clock.line()


def build(root: Path, n_docs: int, n_cases: int, seed: int = 1):
    from evidence_app.core.evidence import cases
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace

    rnd = random.Random(seed)
    src = root / "src"
    sentences: dict[str, list[str]] = {}
    for i in range(n_docs):
        ref = f"CH-{i % n_cases:06d}"
        lines = [" ".join(rnd.choice(WORDS) for _ in range(14)) + f" record {i} line {j}."
                 for j in range(30)]
        path = src / ref / f"record-{i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(lines), encoding="utf-8")
        sentences[str(path)] = lines
    ws = Workspace.create(root / "ws", "Benchmark")
    add_source(ws, src, "case-files")
    index_workspace(ws, jobs=2)
    for c in range(n_cases):
        cases.add_case(ws, f"CH-{c:06d}", worker=f"Worker {c % 15}", team=f"Team {c % 4}",
                       status=rnd.choice(list(cases.STATUSES)), sampled=c % 10 == 0)
    return ws, sentences


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--documents", type=int, default=400)
    ap.add_argument("--cases", type=int, default=120)
    a = ap.parse_args()

    from evidence_app.core.evidence import coverage, evidence, framework

    root = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    try:
        t0 = time.perf_counter()
        ws, sentences = build(root, a.documents, a.cases)
        print(f"setup: {a.documents} documents indexed, {a.cases} cases in "
              f"{time.perf_counter() - t0:.1f} s")
        rnd = random.Random(2)
        enquiries = [e.id for e in framework.enquiries(ws)]
        requests = [r.id for r in framework.requests(ws)]
        paths = list(sentences)
        tags = Clock()
        for i in range(a.items):
            path = rnd.choice(paths)
            quote = rnd.choice(sentences[path]) if i % 2 else None
            kwargs = dict(enquiries=rnd.sample(enquiries, rnd.randint(1, 3)),
                          requests=[rnd.choice(requests)] if i % 7 == 0 else [], quote=quote,
                          strength=rnd.choice(["strong", "moderate", "weak"]),
                          kind=rnd.choice(["strength", "development", "impact"]))
            tags(lambda: evidence.tag(ws, path, **kwargs).value)
        print(f"tag (all {a.items}, passages and whole documents): {tags.line()}")
        print(f"tag (last 500, with >= {a.items - 500} items present): {tags.line(500)}")
        extra = Clock()
        for _ in range(50):
            path = rnd.choice(paths)
            line, quote = [rnd.choice(enquiries)], rnd.choice(sentences[path])  # the old order
            extra(lambda: evidence.tag(ws, path, line, quote=quote).value)
        print(f"tag a passage at {a.items}+ items: {extra.line()}")

        for by in coverage.BY:
            print(f"coverage --by {by:<6}: {timed(lambda: coverage.coverage(ws, by=by))}")
        print(f"caseloads        : {timed(lambda: coverage.caseloads(ws))}")
        e0 = enquiries[0]
        print(f"evidence --enquiry {e0}: "
              f"{timed(lambda: evidence.list_items(ws, enquiry=e0))}  "
              f"({len(evidence.list_items(ws, enquiry=e0))} items)")
        print(f"evidence --case CH-000001: "
              f"{timed(lambda: evidence.list_items(ws, case='CH-000001'))}")
        print(f"evidence (all {a.items + 50}): {timed(lambda: evidence.list_items(ws), 5)}")
        doc = evidence.resolve_document(ws, paths[0])
        n = len(evidence.list_items(ws, document_id=doc.id))
        anchors = Clock()
        for _ in range(10):  # the indexer changed its text: each passage is found again
            ws.db.execute("UPDATE documents SET text_version = text_version + 1 WHERE id = ?",
                          [doc.id])
            anchors(lambda: evidence.reanchor(ws, [doc.id]))
        print(f"re-anchor one document with {n} items: {anchors.line()}")
        from evidence_app.core.safety import audit

        t = time.perf_counter()
        v = audit.verify(ws)
        print(f"audit verify ({v.checked} entries): {(time.perf_counter() - t) * 1000:.1f} ms, "
              f"ok={v.ok}")
        ws.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
