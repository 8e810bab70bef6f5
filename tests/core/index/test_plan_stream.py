"""The full scan compares the walk with the stored rows in one streamed pass (indexer.plan_full):
whatever the names (spaces, dashes and dots that sort before the separator, non-ASCII, bytes that
are not UTF-8, a folder and a file of the same stem, a source inside another), it must queue
exactly the new and changed files and mark exactly the vanished ones missing, like a plain
comparison of two sets would."""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.index.extractors.base import EMPTY, Extracted
from evidence_app.core.base.fsnames import to_disk, to_store
from evidence_app.core.index.indexer import Indexer, IndexSummary
from evidence_app.core.index.sources import add_source
from evidence_app.core.store import documents as docstore
from evidence_app.core.store.db import transaction

# Characters that sort before and after the separator, and names that are prefixes of others.
NAME_CHARS = " -.!_(0aZé~" + ("\udcff" if sys.platform.startswith("linux") else "")
names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=4).filter(
    lambda n: not n.startswith((".", "~")) and n.strip() == n and n not in (".", ".."))
rel_paths = st.lists(names, min_size=1, max_size=3).map(lambda parts: os.path.join(*parts))


def _make(root, rels):
    made = set()
    for rel in sorted(rels):
        path = os.path.join(root, rel)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            continue  # a file where a folder is wanted (or the other way round): not made
        made.add(path)
    return {p for p in made if os.path.isfile(p)}


def _record_as_indexed(ws, indexer, files):
    """Store every file as the indexer would after reading it (empty text is enough here)."""
    sources = {str(s.path): s for s in indexer_sources(ws)}
    with transaction(ws.db):
        for path in files:
            root = max((r for r in sources if path.startswith(r + os.sep)), key=len)
            st_ = os.lstat(path)
            facts = docstore.FileFacts(path, sources[root].id, os.path.relpath(path, root),
                                       os.path.basename(path), None, st_.st_size,
                                       st_.st_mtime, "x" * 64)
            docstore.write_extraction(ws.db, facts, Extracted(EMPTY, "", "txt"))
        ws.db.conn.execute("DELETE FROM index_queue")


def indexer_sources(ws):
    from evidence_app.core.index.sources import list_sources

    return list_sources(ws)


def _queue(ws):
    return {to_disk(r[0]) for r in ws.db.conn.execute("SELECT path FROM index_queue")}


def _missing(ws):
    return {to_disk(r[0]) for r in ws.db.conn.execute(
        "SELECT path FROM documents WHERE status = 'missing' AND member = ''")}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=st.sets(rel_paths, min_size=1, max_size=25),
       added=st.sets(rel_paths, max_size=8),
       data=st.data())
def test_the_streamed_plan_queues_and_misses_exactly_what_a_set_comparison_does(
        tmp_path_factory, monkeypatch, before, added, data):
    from evidence_app.core.index import indexer
    from evidence_app.core.workspace import Workspace

    # queue in small batches, committed while the stored rows are still being read
    monkeypatch.setattr(indexer, "ENQUEUE_EVERY", data.draw(st.sampled_from([1, 3, 2000])))

    base = tmp_path_factory.mktemp("plan")
    root = str(base / "src")
    os.makedirs(root)
    ws = Workspace.create(base / "ws", "Plan")
    try:
        add_source(ws, root, "case-files")
        inner = None
        if data.draw(st.booleans(), label="a source inside the other"):
            inner = os.path.join(root, "-inner")
            os.makedirs(inner)
            add_source(ws, inner, "policies")
        files = _make(root, before)
        if inner:
            files |= _make(inner, {"a", "a b", "a-b/c"})
        with Indexer(ws, jobs=1) as ix:
            ix.plan_full(IndexSummary())
            assert _queue(ws) == files  # a first scan queues everything
            _record_as_indexed(ws, ix, files)

            ordered = sorted(files)
            removed = set(data.draw(st.lists(st.sampled_from(ordered), max_size=5),
                                    label="removed"))
            changed = set(data.draw(st.lists(st.sampled_from(ordered), max_size=5),
                                    label="changed")) - removed
            for p in removed:
                os.remove(p)
            for p in changed:
                with open(p, "a", encoding="utf-8") as f:
                    f.write(" and more")
                os.utime(p, (1, 1))
            new = _make(root, {a for a in added if not os.path.lexists(os.path.join(root, a))
                               and os.path.join(root, a) not in removed})
            summary = IndexSummary()
            ix.plan_full(summary)
            assert _queue(ws) == changed | new
            assert _missing(ws) == removed
            assert summary.scanned == len(files - removed | new)
    finally:
        ws.close()


def test_stored_order_is_the_order_of_the_walk(tmp_path):
    """The walk's order is the database's order of stored paths (so the comparison never has to
    hold rows back); checked on names that sort around the separator."""
    from evidence_app.core.index.scan import scan_source
    from evidence_app.core.index.sources import Source
    from pathlib import Path

    root = tmp_path / "s"
    for rel in ("a/x", "a-b", "a.b", "a b/y", "ab", "a0", "é/z", "A"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    source = Source(1, "u", Path(root), "other", (), ())
    walked = [to_store(p) for p, *_ in scan_source(source)]
    assert walked == sorted(walked)
    assert len(walked) == 8
