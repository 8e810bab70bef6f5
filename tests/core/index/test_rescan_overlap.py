"""A full rescan reads changed files while its walk goes on (core/index/full_scan.py).

What must still hold however the reading and the walk interleave: every file ends with its
status, a file moved during the pass keeps its record (and the evidence on it) instead of being
marked missing, deleted files are marked missing, nothing stays queued, and a rescan that finds
nothing changed starts no extraction process at all."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base.fsnames import to_store
from evidence_app.core.index import full_scan, indexer
from evidence_app.core.index.indexer import Indexer
from evidence_app.core.index.sources import add_source
from evidence_app.core.store.documents import find_by_path


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _row(ws, path):
    return find_by_path(ws.db, str(path))


def _queued(ws):
    return ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]


def test_a_file_moved_early_in_the_walk_keeps_its_record_while_later_files_are_read(
        ws, cases_dir, monkeypatch):
    """The moved file's new place comes first in the walk, so its result is written while the
    walk still has changed files ahead (every result is written at once here); its old place is
    only known to be gone when the walk ends. It must not then be marked missing."""
    monkeypatch.setattr(indexer, "COMMIT_EVERY_S", 0.0)
    moved = _write(cases_dir / "m" / "Plan.txt", "The plan is reviewed monthly by the IRO.")
    later = [_write(cases_dir / "z" / f"note {i:03}.txt", f"Visit note {i} about school.")
             for i in range(40)]
    add_source(ws, cases_dir, "case-files")
    with Indexer(ws, jobs=1) as ix:
        ix.run()
        before = _row(ws, moved)
        target = cases_dir / "a" / "Plan (final).txt"
        target.parent.mkdir()
        os.rename(moved, target)
        for i, p in enumerate(later):
            p.write_text(f"Visit note {i} about school, updated after the review.")
        summary = ix.run()
    after = _row(ws, target)
    assert after.id == before.id and after.uuid == before.uuid
    assert after.status == "ok" and after.missing_since is None
    assert _row(ws, moved) is None
    assert summary.missing == 0 and summary.indexed == 41  # the moved one is read again
    assert _queued(ws) == 0


def test_reading_starts_before_the_walk_ends(ws, cases_dir, monkeypatch):
    """The first changed file is written while the walk has not yet reached the last ones."""
    monkeypatch.setattr(indexer, "COMMIT_EVERY_S", 0.0)
    files = [_write(cases_dir / f"f{i:04}.txt", f"Case record number {i}.") for i in range(300)]
    add_source(ws, cases_dir, "case-files")
    seen_written: list[bool] = []
    real = full_scan.scan_source
    first = files[0]

    def watched(*args, **kwargs):
        for entry in real(*args, **kwargs):
            row = ws.db.conn.execute("SELECT text_version FROM documents WHERE path = ?",
                                     [to_store(str(first))]).fetchone()
            seen_written.append(bool(row and row[0] > 1))
            yield entry

    with Indexer(ws, jobs=1) as ix:
        ix.run()
        for i, p in enumerate(files):
            if i % 10 == 0:
                p.write_text(f"Case record number {i}, with a new paragraph.")
        monkeypatch.setattr(full_scan, "scan_source", watched)
        summary = ix.run()
    assert summary.indexed == 30
    assert seen_written[0] is False and seen_written[-1] is True  # written mid-walk
    assert _row(ws, first).status == "ok"


def test_the_walk_goes_on_while_the_workers_read(tmp_path):
    """With read_ahead the pool takes further tasks from a slow source (the walk) while no
    result is back, instead of waiting for the workers: every task is taken before the second
    result arrives (a started worker needs far longer for its first file than taking 60 tasks
    does). Without it, task k waited for result k - 2 (prefetch 1, one worker)."""
    from evidence_app.core.index.extract_pool import ExtractPool
    from evidence_app.core.index.extract_worker import Task

    files = [_write(tmp_path / f"f{i:03}.txt", f"Visit note {i}.") for i in range(60)]
    results_when_taken: list[int] = []
    results = 0

    def walk():
        for p in files:
            results_when_taken.append(results)
            yield Task(str(p))

    with ExtractPool(1) as pool:
        for outcome in pool.run(walk(), prefetch=1, read_ahead=100):
            assert outcome.result.status == "ok"
            results += 1
    assert results == 60
    assert max(results_when_taken) <= 1

    results_when_taken.clear()
    results = 0
    with ExtractPool(1) as pool:
        for outcome in pool.run(walk(), prefetch=1):
            results += 1
    assert results == 60 and max(results_when_taken) >= 50  # the old way: in step


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")
def test_workers_run_below_the_app(tmp_path):
    """The app's thread walks, hands out files and writes every result: workers that take the
    CPU from it soon wait for it. They lower their own priority (while reading, they have the
    parsers of the common formats already loaded by the fork server)."""
    from evidence_app.core.index.extract_pool import ExtractPool
    from evidence_app.core.index.extract_worker import Task

    p = _write(tmp_path / "a.txt", "Visit note.")
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    with ExtractPool(1) as pool:
        outcomes = list(pool.run([Task(str(p))]))
        worker = pool._workers[0].proc.pid
        assert os.getpriority(os.PRIO_PROCESS, worker) > mine or mine >= 19
    assert outcomes[0].result.status == "ok"


def test_a_rescan_that_finds_nothing_changed_starts_no_worker(ws, cases_dir):
    for i in range(20):
        _write(cases_dir / f"n{i}.txt", f"Note {i}.")
    add_source(ws, cases_dir, "case-files")
    with Indexer(ws, jobs=2) as ix:
        ix.run()
    with Indexer(ws, jobs=2) as ix:
        summary = ix.run()
        assert summary.scanned == 20 and summary.indexed == 0 and summary.queued == 0
        assert ix.pool._workers == []  # no extraction process was started


names = st.text(alphabet="abc -é", min_size=1, max_size=3).filter(
    lambda n: n.strip() == n)
rels = st.lists(names, min_size=1, max_size=2).map(lambda parts: os.path.join(*parts) + ".txt")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=st.sets(rels, min_size=1, max_size=14), added=st.sets(rels, max_size=5),
       data=st.data())
def test_however_reading_and_walking_interleave_every_file_ends_right(
        tmp_path_factory, monkeypatch, before, added, data):
    from evidence_app.core.workspace import Workspace

    monkeypatch.setattr(indexer, "COMMIT_EVERY_S", data.draw(st.sampled_from([0.0, 0.25])))
    base = tmp_path_factory.mktemp("overlap")
    root = base / "src"
    made = {}
    for n, rel in enumerate(sorted(before)):
        try:
            made[rel] = _write(root / rel, f"Record {n}: {rel}")
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            pass
    made = {r: p for r, p in made.items() if p.is_file()}
    ws = Workspace.create(base / "ws", "Overlap")
    try:
        add_source(ws, root, "case-files")
        with Indexer(ws, jobs=1) as ix:
            ix.run()
            ids = {r: _row(ws, p).id for r, p in made.items()}
            order = sorted(made)
            removed = set(data.draw(st.lists(st.sampled_from(order), max_size=3), label="rm"))
            edited = set(data.draw(st.lists(st.sampled_from(order), max_size=4),
                                   label="edited")) - removed
            moved = set(data.draw(st.lists(st.sampled_from(order), max_size=3),
                                  label="moved")) - removed - edited
            for r in removed:
                os.remove(made[r])
            for r in edited:
                made[r].write_text(f"Edited: {r}, a new paragraph.", encoding="utf-8")
                os.utime(made[r], (1, 1))
            moves = {}
            for k, r in enumerate(sorted(moved)):
                target = root / f"moved {k}" / os.path.basename(r)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(made[r], target)
                moves[r] = target
            new = []
            for n, rel in enumerate(sorted(added)):
                p = root / "new" / rel
                try:
                    new.append(_write(p, f"New record {n}: {rel}"))
                except (IsADirectoryError, NotADirectoryError, FileExistsError):
                    pass
            summary = ix.run()
        assert summary.missing == len(removed)  # a moved file is never reported missing
        for r, p in made.items():
            if r in removed:
                assert _row(ws, p).status == "missing"
            elif r in moves:
                assert _row(ws, p) is None
                row = _row(ws, moves[r])
                assert row.id == ids[r] and row.status == "ok"  # the same record
            else:
                row = _row(ws, p)
                assert row.status == "ok" and row.size == os.path.getsize(p)
        for p in new:
            if p.is_file():
                assert _row(ws, p).status == "ok"
        assert _queued(ws) == 0
    finally:
        ws.close()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["add", "change", "drop"])),
                      min_size=1, max_size=12), data=st.data())
def test_full_text_changes_made_together_per_batch_keep_the_index_exact(
        tmp_path_factory, monkeypatch, edits, data):
    """A batch's removals and additions reach the full-text index together, in rowid order
    (documents.FtsChanges). Whatever the edits (passages added, changed, dropped; a chunk id
    freed by one file and taken by the next), the index must match the stored text exactly:
    FTS5's own integrity check passes, new words are found, removed words are not."""
    from evidence_app.core.search.search import search
    from evidence_app.core.workspace import Workspace

    monkeypatch.setattr(indexer, "COMMIT_EVERY_S", data.draw(st.sampled_from([0.0, 30.0])))
    base = tmp_path_factory.mktemp("fts")
    root = base / "src"
    paras = {i: [f"Record {i} passage {k} about schooling." + " word" * 700 for k in range(3)]
             for i in range(12)}
    for i, ps in paras.items():
        _write(root / f"r{i:02}.txt", "\n\n".join(ps))
    ws = Workspace.create(base / "ws", "Fts")
    try:
        add_source(ws, root, "case-files")
        with Indexer(ws, jobs=1) as ix:
            ix.run()
            for n, (i, how) in enumerate(edits):
                if how == "add":
                    paras[i].append(f"Added zqadd{n}x passage." + " word" * 700)
                elif how == "change" and paras[i]:
                    paras[i][0] = f"Changed zqchange{n}x passage." + " word" * 700
                elif paras[i]:
                    paras[i].pop()
                _write(root / f"r{i:02}.txt", "\n\n".join(paras[i]) or "empty now")
            ix.run()
        conn = ws.db.conn
        conn.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
        text = {i: "\n\n".join(ps) for i, ps in paras.items()}
        for n, (_i, how) in enumerate(edits):
            word = f"zq{how}{n}x"
            if how == "drop":
                continue
            expected = {f"r{i:02}.txt" for i, t in text.items() if word in t}
            assert {h.name for h in search(ws, word).hits} == expected
    finally:
        ws.close()
