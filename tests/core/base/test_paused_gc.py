"""The collector pause around big results (core/base/paused_gc.py): whatever happens inside, in
however many threads, the cycle collector is running again afterwards if it was before; cycles
made meanwhile are still collected then."""
from __future__ import annotations

import gc
import sqlite3
import threading
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.base.paused_gc import paused_gc


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_the_collector_waits_inside_and_runs_again_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        ref = weakref.ref(_Node())
    assert gc.isenabled()
    gc.collect()
    assert ref() is None


def test_an_error_inside_still_restarts_the_collector():
    with pytest.raises(RuntimeError):
        with paused_gc():
            raise RuntimeError("the work failed")
    assert gc.isenabled()


def test_a_collector_someone_stopped_stays_stopped():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_overlapping_pauses_in_threads_always_leave_it_running(plan):  # noqa: ANN001
    """Threads enter and leave pauses in any order (some failing): it ends running."""
    start = threading.Barrier(len(plan))

    def work(spins: int, fail: bool) -> None:
        start.wait()
        try:
            with paused_gc():
                for _ in range(spins):
                    threading.Event().wait(0.001)
                if fail:
                    raise ValueError
        except ValueError:
            pass

    threads = [threading.Thread(target=work, args=p) for p in plan]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert gc.isenabled()


def test_coverage_leaves_the_collector_running(tmp_path):  # noqa: ANN001
    from evidence_app.core.evidence import coverage, evidence
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws", "T")
    try:
        assert coverage.coverage(ws, by="case").rows and evidence.list_items(ws) == []
        assert gc.isenabled()
        # a damaged database fails inside the pause: the collector runs again all the same
        ws.conn.execute("ALTER TABLE evidence_enquiries RENAME TO evidence_links_lost")
        with pytest.raises(sqlite3.OperationalError):
            coverage.coverage(ws, by="case")
        assert gc.isenabled()
    finally:
        ws.close()
