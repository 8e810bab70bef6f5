"""Self-evaluation export benchmark: a self-evaluation of 200 claims with 1,000 citations (800
evidence citations over 300 real tagged items, plus figures and saved searches), exported to
Word plain, with its evidence bundle, and pseudonymised; also how long reading the document
(`sef show`'s work) takes.

Usage: python tests/benchmarks/bench_sef.py [--repeat 3]
Prints figures; asserts nothing (target: the plain export <= 2 s on a 2-core machine).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import machine  # noqa: E402

AREAS = ("OVERVIEW", "LEAD", "HP", "CIC", "CL")
FIGURES = ("sampled-cases-ready", "caseload-per-worker-by-team", "evidence-by-enquiry",
           "open-cases")


def build(root: Path):
    """A workspace with 60 documents, 300 evidence items, 20 cases and the 200-claim SEF."""
    from evidence_app.core import settings
    from evidence_app.core.evidence import cases, evidence, framework
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.search import saved_searches
    from evidence_app.core.sef import actions, claims
    from evidence_app.core.workspace import Workspace

    src = root / "files"
    for k in range(60):
        ref = f"CH-{100000 + k % 20}"
        folder = src / ref
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"record {k}.txt").write_text(
            f"Record {k}. The social worker saw the child alone and recorded their views. "
            "The team manager reviewed the plan and the chronology is up to date. " * 3)
    ws = Workspace.create(root / "ws", "Benchmark Borough")
    settings.set_person(ws, "Priya Shah", "Quality Assurance")
    add_source(ws, src, "case-files")
    index_workspace(ws)
    for c in range(20):
        cases.add_case(ws, f"CH-{100000 + c}", name=f"Firstname{c} Surname{c}",
                       alias=f"Child {chr(65 + c)}", worker=f"Worker {c % 7}",
                       team=("Assessment", "CIC team", "Leaving care")[c % 3], sampled=c % 2 == 0)
    lines = [e.id for e in framework.enquiries(ws)]
    docs = [r[0] for r in ws.db.conn.execute("SELECT id FROM documents ORDER BY id")]
    items = []
    t = time.perf_counter()
    for n in range(300):
        done = evidence.tag(ws, docs[n % len(docs)], [lines[n % len(lines)]],
                            strength=("strong", "moderate", "weak")[n % 3])
        v = getattr(done, "value", done)
        items.append(v.id)
    tag_s = time.perf_counter() - t
    for k in range(10):
        saved_searches.save(ws, f"Search {k}", "child alone", None)
    t = time.perf_counter()
    cites = 0
    for n in range(200):
        evid = [f"E-{items[(n * 4 + j) % len(items)]}" for j in range(4)]   # 800 in all
        extra = [f"search:Search {n % 10}"] if n % 2 else []                # 100
        figs = [FIGURES[n % len(FIGURES)]] if n % 2 == 0 else []             # 100
        cites += len(evid) + len(extra) + len(figs)
        kind = "development" if n % 10 == 0 else "strength"
        c = claims.add(ws, AREAS[n % 5], ("know", "how", "plans")[n % 3],
                       f"Claim {n}: practice is consistently good and leaders know it, as "
                       "audits and children's feedback show.", type=kind,
                       enquiries=[lines[n % len(lines)]], cites=evid + extra, figures=figs).value
        if kind == "development":
            actions.add(ws, c.id, f"Action for claim {n}", owner="Head of Service",
                        due="2027-03-31")
    write_s = time.perf_counter() - t
    return ws, cites, tag_s, write_s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ.setdefault("EVIDENCE_APP_HOME", tempfile.mkdtemp(prefix="bench-sef-home-"))
    from evidence_app.core.sef import document, export

    root = Path(tempfile.mkdtemp(prefix="bench-sef-"))
    ws, cites, tag_s, write_s = build(root)
    doc = document.read(ws.db)
    print(f"self-evaluation: {len(doc.claims)} claims, {cites} citations "
          f"({sum(len(v.claim.citations) for v in doc.claims)} stored), {len(doc.plan)} actions; "
          f"300 items tagged in {tag_s:.1f} s, claims written in {write_s:.1f} s")
    reads = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        document.read(ws.db)
        reads.append(time.perf_counter() - t)
    print(f"read the whole document (sef show): median {statistics.median(reads) * 1000:.0f} ms")
    for label, kw in (("plain", {}), ("with its evidence bundle", {"with_bundle": True}),
                      ("pseudonymised, with bundle", {"with_bundle": True,
                                                      "pseudonymise": True})):
        times = []
        for k in range(args.repeat):
            t = time.perf_counter()
            r = export.export(ws, root / f"out-{k}.docx", force=True, **kw)
            times.append(time.perf_counter() - t)
        print(f"export {label}: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
              f"({r.claims} claims, {r.citations} citations, {r.size // 1024} KiB"
              + (f", bundle {r.bundle_items} items" if r.bundle else "") + ")"
              + ("   target <= 2 s" if not kw else ""))
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    ws.close()


if __name__ == "__main__":
    main()
