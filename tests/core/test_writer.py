"""The one serial writer (core/store/writer.py): writes run one at a time on one thread and one
connection, a person's write goes before the indexer's queued work, nothing queued is lost when
it stops, and the indexer's whole merge is many short steps ending in one segment."""
from __future__ import annotations

import threading
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.core.store.writer import Writer, WriterClosed
from evidence_app.core.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws", "Writer test")
    yield w
    w.close()


def _note(ws: Workspace, key: str, value: str) -> str:
    ws.set_meta(key, value)
    return threading.current_thread().name


def test_jobs_run_on_one_thread_with_one_connection_and_return_values(ws):
    writer = Writer(ws)
    try:
        names = {writer.call(lambda w, i=i: _note(w, f"k{i}", str(i))) for i in range(20)}
        conns = {writer.call(lambda w: id(w.conn)) for _ in range(5)}
    finally:
        writer.stop()
    assert names == {"evidence-writer"}
    assert len(conns) == 1
    assert [ws.get_meta(f"k{i}") for i in range(20)] == [str(i) for i in range(20)]


def test_errors_reach_the_caller_and_the_writer_goes_on(ws):
    writer = Writer(ws)
    try:
        with pytest.raises(ZeroDivisionError):
            writer.call(lambda w: 1 / 0)
        assert writer.call(lambda w: _note(w, "after", "yes")) == "evidence-writer"
    finally:
        writer.stop()
    assert ws.get_meta("after") == "yes"


def test_a_persons_write_goes_before_queued_indexer_work(ws):
    writer = Writer(ws)
    order: list[str] = []
    gate = threading.Event()
    try:
        first = writer.submit(lambda w: gate.wait(5), bulk=True)  # the writer is busy
        time.sleep(0.05)
        bulk = [writer.submit(lambda w, i=i: order.append(f"bulk{i}"), bulk=True)
                for i in range(3)]
        person = writer.submit(lambda w: order.append("person"))
        gate.set()
        for f in [first, person, *bulk]:
            f.result(5)
    finally:
        writer.stop()
    assert order == ["person", "bulk0", "bulk1", "bulk2"]
    people = [j for j in writer.history if not j.bulk]
    assert len(people) == 1


def test_stop_finishes_what_is_queued_then_refuses(ws):
    writer = Writer(ws)
    futures = [writer.submit(lambda w, i=i: _note(w, f"q{i}", "x"), bulk=i % 2 == 0)
               for i in range(30)]
    writer.stop()
    assert all(f.done() and f.exception() is None for f in futures)
    assert all(ws.get_meta(f"q{i}") == "x" for i in range(30))
    with pytest.raises(WriterClosed):
        writer.submit(lambda w: None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), min_size=1, max_size=25),
       st.integers(1, 4))
def test_writes_from_many_threads_never_overlap_and_none_is_lost(ws, jobs, threads):
    """Whatever mix of people's and bulk writes comes from however many threads, each runs
    alone (no two jobs' run times overlap) and every one lands."""
    writer = Writer(ws)
    run = uuid.uuid4().hex[:8]  # examples share the workspace: keys of their own
    keys = [f"h{run}-{n}" for n in range(len(jobs))]

    def work(w: Workspace, key: str, pause: int) -> None:
        w.set_meta(key, "1")
        time.sleep(pause / 1000)

    def client(part: list[int]) -> None:
        for n in part:
            bulk, pause = jobs[n]
            writer.call(lambda w, n=n, pause=pause: work(w, keys[n], pause), bulk=bulk)

    parts = [list(range(len(jobs)))[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=client, args=(p,)) for p in parts]
    for t in workers:
        t.start()
    for t in workers:
        t.join(30)
    writer.stop()
    runs = sorted((j.started, j.finished) for j in writer.history)
    assert len(runs) == len(jobs)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(runs, runs[1:]))
    assert len({j.thread for j in writer.history}) == 1
    assert all(ws.get_meta(k) == "1" for k in keys)


def test_peoples_writes_reach_the_database_file_without_the_indexer(ws, tmp_path):
    """No commit of the writer copies the WAL (so a tag never pays for the index's pages): the
    checkpointer does, on its own thread, so the work still reaches the database file and the
    WAL does not grow all session."""
    import shutil
    import sqlite3

    from evidence_app.core.evidence import cases
    from evidence_app.core.store import writer as writer_mod
    from evidence_app.core.store.writer import Writer

    w = Writer(ws)
    try:
        for i in range(writer_mod.CHECKPOINT_EVERY * 3):
            w.call(lambda x, i=i: cases.add_case(x, f"CH-{i:06d}"))
        found, deadline = None, time.monotonic() + 10
        while found != writer_mod.CHECKPOINT_EVERY * 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # the checkpoint runs after the last job's result is handed back
            copy = tmp_path / f"main-file-only-{time.monotonic_ns()}.db"
            shutil.copy(ws.root / "evidence.db", copy)  # without the -wal beside it
            conn = sqlite3.connect(copy)
            try:
                found = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
            except sqlite3.DatabaseError:  # copied while the checkpoint was writing: again
                found = None
            finally:
                conn.close()
        assert found == writer_mod.CHECKPOINT_EVERY * 3
        assert w._checkpoints.done >= 1
    finally:
        w.stop()
