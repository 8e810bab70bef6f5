"""CLI: python -m evidence_app.samples OUT_DIR --documents 500 --seed 1"""
from __future__ import annotations

import argparse
import sys

from evidence_app.samples import FORMATS, generate_corpus, modify_some


def _cases(value: str):
    """'12' -> 12; 'CH-004512,CH-007788' -> those references (the README's examples use them)."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    refs = [v.strip() for v in value.split(",") if v.strip()]
    if not refs:
        raise argparse.ArgumentTypeError("give a number of cases or case references")
    return refs


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m evidence_app.samples",
                                description="Generate a corpus of FICTIONAL case files and policies.")
    p.add_argument("out_dir")
    p.add_argument("--documents", "-n", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--formats", help=f"comma-separated subset of: {','.join(FORMATS)}")
    p.add_argument("--cases", type=_cases,
                   help="number of case folders (default: documents/12), or their references "
                        "separated by commas (CH-004512,CH-007788)")
    p.add_argument("--workers", type=int, default=1, help="processes (output is identical)")
    p.add_argument("--modify", type=float, metavar="FRACTION",
                   help="instead of generating, change this fraction of an existing corpus")
    a = p.parse_args(argv)
    if a.modify is not None:
        changed = modify_some(a.out_dir, a.modify, a.seed)
        print(f"changed {len(changed)} files")
        return 0
    info = generate_corpus(a.out_dir, a.documents, seed=a.seed, formats=a.formats, cases=a.cases,
                           workers=a.workers)
    for fmt, n in info.counts.items():
        print(f"{fmt:5} {n:6}")
    print(f"{len(info.documents)} documents in {len(info.cases)} case folders, "
          f"{info.total_bytes / 1e6:.1f} MB, {info.seconds:.2f} s -> {info.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
