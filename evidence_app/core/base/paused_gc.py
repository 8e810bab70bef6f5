"""Python's cyclic garbage collector paused while a big result is built.

Building thousands of small containers (an export's lxml proxies, the heat map's cells) makes
the collector run every 700 allocations, and each run walks everything still young: repeated
passes over objects that hold no cycles and will live on as the result. Measure before using
it: for the evidence list (one record per row, nothing else kept) pausing was no faster, since
the one pass when the pause ends walks the whole result anyway. Reference counting still frees everything as usual; only the search for cycles waits,
and it runs again as soon as the block ends, whether it succeeded or not.

A flag shared by the whole process: a block restores the collector only if it found it running,
so overlapping blocks in two threads always leave it running (the worst case is a block that
runs with the collector on).
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
