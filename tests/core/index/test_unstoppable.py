"""No single file can stop an index run: text SQLite would refuse, a failure while writing one
file's result, and file names that are not valid Unicode (issue 9, point 2)."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base import fsnames
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source
from evidence_app.core.index.storable import storable
from evidence_app.core.store import documents as docstore
from evidence_app.core.store.document_reads import documents
from evidence_app.core.store.records import as_json
from tests.factories import write_text

posix_bytes_names = pytest.mark.skipif(sys.platform in ("win32", "darwin"),
                                       reason="names that are not UTF-8 need a POSIX file system")

# A character outside the Basic Multilingual Plane written the way RTF writers do: two \u
# escapes, one per UTF-16 half; then one half on its own, as a damaged file has it.
RTF_SURROGATES = (rb"{\rtf1\ansi Contact note: the child drew a smiley \u-10179?\u-8704? and "
                  rb"said zebrafinch. Damaged bit \u-10179? here.}")


def _statuses(ws):
    return {d.name: d for d in documents(ws.db)}


def test_an_rtf_with_split_and_lone_surrogates_is_indexed_and_the_run_goes_on(ws, cases_dir):
    (cases_dir / "a first note.txt").write_text("first note about kinship care")
    (cases_dir / "b surrogates.rtf").write_bytes(RTF_SURROGATES)
    (cases_dir / "c last note.txt").write_text("last note about permanence")
    add_source(ws, cases_dir, "case-files")
    summary = index_workspace(ws)
    docs = _statuses(ws)
    assert summary.indexed == 3 and all(d.status == "ok" for d in docs.values()), docs
    text = " ".join(c.text for c in docstore.document_chunks(ws.db, docs["b surrogates.rtf"].id))
    assert "\U0001F600" in text  # the split pair is joined into the real character
    assert "\ufffd" in text  # the lone half is replaced
    assert search(ws, "zebrafinch").hits and search(ws, "permanence").hits


def test_a_failure_while_writing_one_file_marks_it_damaged_and_the_run_goes_on(
        ws, cases_dir, monkeypatch):
    for i in range(30):
        write_text(cases_dir / f"note {i:02d}.txt", f"visit note number {i} about the garden")
    add_source(ws, cases_dir, "case-files")
    real = docstore.write_extraction
    victim = str(cases_dir / "note 13.txt")

    def flaky(db, facts, result, **kw):
        if facts.path == victim and result.status == "ok":
            raise RuntimeError("injected failure while storing")
        return real(db, facts, result, **kw)

    monkeypatch.setattr(docstore, "write_extraction", flaky)
    summary = index_workspace(ws)
    docs = _statuses(ws)
    assert len(docs) == 30 and summary.indexed == 30
    bad = docs.pop("note 13.txt")
    assert bad.status == "damaged" and "could not be stored" in bad.reason
    assert all(d.status == "ok" for d in docs.values())
    assert len(search(ws, "garden", limit=100).hits) == 29
    # nothing of the failed write was left half-done, and the queue is empty
    assert not docstore.document_chunks(ws.db, bad.id)
    assert ws.db.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0] == 0
    # once the fault is gone, a retry reads it
    monkeypatch.setattr(docstore, "write_extraction", real)
    from evidence_app.core.index.indexer import retry

    assert retry(ws) == 1
    index_workspace(ws)
    assert _statuses(ws)["note 13.txt"].status == "ok"


@posix_bytes_names
def test_names_that_are_not_utf8_are_indexed_searchable_and_listed(ws, tmp_path, cli):
    root = tmp_path / "share"
    os.makedirs(os.fsencode(root / "CH-000321") + b"/Caf\xe9 visits")
    odd_file = os.fsencode(root / "CH-000321") + b"/Caf\xe9 visits/J\xe9r\xf4me note\xff.txt"
    with open(odd_file, "wb") as f:
        f.write(b"The child spoke about the marmalade sandwiches at contact.")
    (root / "plain.txt").write_text("an ordinary note")
    add_source(ws, root, "case-files")
    summary = index_workspace(ws)
    assert summary.indexed == 2
    hits = search(ws, "marmalade").hits
    assert len(hits) == 1
    doc = docstore.get_document(ws.db, hits[0].document_id)
    assert doc.status == "ok" and doc.case_ref == "CH-000321"
    # stored losslessly: the stored path leads back to exactly the same bytes on disk
    assert os.fsencode(fsnames.to_disk(doc.path)) == odd_file
    # shown readably: undecodable bytes read as Windows-1252
    assert doc.name == "Jérôme noteÿ.txt"
    assert search(ws, "Jérôme").hits  # and the readable name is searchable
    # a second pass sees nothing to do (the odd name matches what was stored)
    assert index_workspace(ws).indexed == 0
    # the command line lists it and prints JSON without crashing
    cli("init")
    cli("source", "add", str(root), "--kind", "case-files")
    cli("index")
    docs = cli.json("documents")
    assert {d["status"] for d in docs} == {"ok"} and len(docs) == 2
    found = cli.json("search", "marmalade")
    assert len(found) == 1
    out = cli("documents").stdout
    assert "Jérôme" in out


@posix_bytes_names
def test_a_vanished_odd_name_is_marked_missing_and_found_again_when_moved_back(ws, tmp_path):
    root = tmp_path / "share"
    root.mkdir()
    odd = os.fsencode(root) + b"/R\xe9sum\xe9.txt"
    with open(odd, "wb") as f:
        f.write(b"a resume of the assessment about the allotment")
    add_source(ws, root, "case-files")
    index_workspace(ws)
    away = os.fsencode(tmp_path) + b"/away.txt"
    os.rename(odd, away)
    assert index_workspace(ws).missing == 1
    os.rename(away, odd)
    index_workspace(ws)
    docs = documents(ws.db)
    assert len(docs) == 1 and docs[0].status == "ok"


surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
any_text = st.text(st.one_of(st.characters(), surrogates,
                             st.sampled_from([fsnames.ESC, "\x00", "\U000F0005"])), max_size=40)


@given(any_text)
@settings(max_examples=500)
def test_stored_names_round_trip_exactly_and_are_valid_unicode(name):
    stored = fsnames.to_store(name)
    stored.encode("utf-8")  # SQLite and JSON output can hold it
    assert fsnames.to_disk(stored) == name
    fsnames.display(name).encode("utf-8")


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_ordinary_names_are_stored_unchanged(name):
    if fsnames.ESC not in name:
        assert fsnames.to_store(name) == name


@given(any_text)
@settings(max_examples=500)
def test_storable_text_always_encodes_and_keeps_valid_text(text):
    out = storable(text)
    out.encode("utf-8")
    assert "\x00" not in out
    valid = text.replace("\x00", "")
    try:
        valid.encode("utf-8")
    except UnicodeEncodeError:
        return
    assert out == valid


name_bytes = st.binary(min_size=1, max_size=12).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")).filter(
    lambda b: b not in (b".", b"..") and not b.startswith(b"."))


@posix_bytes_names
@given(st.lists(name_bytes, min_size=1, max_size=6, unique=True))
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_the_file_system_allows_get_indexed(tmp_path_factory, names):
    from evidence_app.core.workspace import Workspace

    base = tmp_path_factory.mktemp("bytes")
    root = base / "src"
    root.mkdir()
    for i, raw in enumerate(names):
        with open(os.fsencode(root) + b"/" + raw + b".txt", "wb") as f:
            f.write(f"note quokka{i} about contact".encode())
    ws = Workspace.create(base / "ws", "Bytes")
    try:
        add_source(ws, root, "other")
        index_workspace(ws, jobs=1)
        docs = documents(ws.db)
        assert len(docs) == len(names)
        assert all(d.status == "ok" for d in docs), docs
        for i in range(len(names)):
            assert search(ws, f"quokka{i}").hits
        # stored and shown forms both encode (no lone surrogate reaches the database or --json)
        json.dumps([asdict(d) for d in docs], ensure_ascii=False).encode("utf-8")
        json.dumps([as_json(d) for d in docs], ensure_ascii=False).encode("utf-8")
    finally:
        ws.close()
