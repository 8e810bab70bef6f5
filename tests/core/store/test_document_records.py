"""Documents, chunks and problems travel as records, and their `--json` shape is the one the
dicts gave: the witness below is the code `documents --json` used while rows were dicts (it read
`SELECT * FROM documents` by column name), kept here to prove the record changed nothing."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
from dataclasses import fields
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.base.fsnames import display, to_store
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.store import document_reads
from evidence_app.core.store.records import (Document, Problem, as_json, document_as_json,
                                             problem_as_json)
from tests.factories import write_pdf, write_text


def old_document_json(d: dict) -> dict:
    """`documents --json` as it was built from a dict row (before the records)."""
    return {"id": d["id"], "uuid": d["uuid"], "path": display(d["path"]),
            "member": d["member"] or None,
            "rel_path": d["rel_path"], "title": d["title"], "format": d["format"],
            "status": d["status"], "reason": d["reason"], "stale": bool(d["stale"]),
            "pages": d["pages"], "chars": d["chars"], "size": d["size"], "sha256": d["sha256"],
            "case_ref": d["case_ref"], "indexed_at": d["indexed_at"]}


def _dict_rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:  # noqa: ANN001
    cur = conn.execute(sql, params)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row)) for row in cur]


def _dumped(value) -> str:  # noqa: ANN001
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@pytest.fixture
def indexed(ws, cases_dir):
    """A workspace whose documents cover every shape: read, empty, damaged, missing, an
    attachment, a page count, a case reference, and (on POSIX) a name that is not UTF-8."""
    write_pdf(cases_dir / "CH-000123" / "Review.pdf", ["Review one", "IRO review of the plan"])
    write_text(cases_dir / "CH-000123" / "note é.txt", "worker note about the visit")
    write_text(cases_dir / "empty.txt", "")
    (cases_dir / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    gone = write_text(cases_dir / "gone.txt", "soon gone")
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "a@example.org", "b@example.org", "Minutes"
    m.set_content("See the minutes.")
    m.add_attachment(b"Strategy meeting minutes.", maintype="text", subtype="plain",
                     filename="minutes.txt")
    (cases_dir / "CH-000123" / "mail.eml").write_bytes(bytes(m))
    if sys.platform != "win32":
        with open(os.fsencode(cases_dir) + b"/Caf\xe9 notes.txt", "wb") as f:
            f.write(b"odd name, ordinary words")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws, jobs=1)
    gone.unlink()
    index_workspace(ws, jobs=1)
    return ws


def test_every_document_record_gives_the_json_its_dict_gave(indexed):
    rows = _dict_rows(indexed.db.conn, "SELECT * FROM documents ORDER BY path, member")
    records = document_reads.documents(indexed.db)
    assert len(records) == len(rows) >= 7
    assert {r.status for r in records} >= {"ok", "empty", "damaged", "missing"}
    assert any(r.member for r in records) and any(r.pages for r in records)
    for row, record in zip(rows, records):
        assert _dumped(as_json(record)) == _dumped(old_document_json(row))
        assert as_json(record) == document_as_json(record)
    by_id = {r["id"]: r for r in rows}
    for record in records:  # the single lookups give the same record as the listing
        assert document_reads.get_document(indexed.db, record.id) == record
        assert old_document_json(by_id[record.id]) == as_json(record)
        if not record.member:
            assert document_reads.find_by_path(indexed.db, record.disk_path) == record


def test_documents_json_from_the_command_is_the_dict_shape(indexed):
    """The command, run as a person runs it, prints what the dict code printed."""
    from tests.conftest import Cli

    rows = _dict_rows(indexed.db.conn, "SELECT * FROM documents ORDER BY path, member")
    root = indexed.root
    indexed.close()
    out = Cli(root)("documents", "--json").stdout
    expected = json.dumps([old_document_json(r) for r in rows], ensure_ascii=False, indent=2,
                          default=str)
    assert out == expected + "\n"


def test_chunks_are_the_text_in_reading_order(indexed):
    doc = next(d for d in document_reads.documents(indexed.db) if d.name == "Review.pdf")
    chunks = document_reads.document_chunks(indexed.db, doc.id)
    assert [c.page for c in chunks] == [1, 2] and [c.seq for c in chunks] == [0, 1]
    assert "IRO review" in chunks[1].text and chunks[1].start > chunks[0].start
    assert as_json(chunks[1])["text"] == chunks[1].text
    assert document_reads.document_chunks(indexed.db, 10**9) == []
    assert document_reads.get_document(indexed.db, 10**9) is None


def test_the_overview_counts_files_attachments_and_folders(indexed):
    ov = document_reads.overview(indexed.db)
    assert ov.count("missing") == 1 and ov.count("damaged") == 1 and ov.folders == 1
    assert ov.attachments == 1
    assert ov.searchable_documents == ov.present_files + 1
    assert ov.present_files == sum(n for s, n in ov.files if s != "missing")


def test_a_document_says_what_a_person_calls_it(indexed):
    docs = {d.name: d for d in document_reads.documents(indexed.db)}
    assert docs["note é.txt"].label == "note é.txt"  # no title: its file name
    assert docs["Review.pdf"].is_readable and not docs["broken.pdf"].is_readable
    assert docs["minutes.txt"].is_attachment and not docs["mail.eml"].is_attachment
    if sys.platform != "win32":
        odd = next(d for d in docs.values() if d.name.startswith("Caf"))
        assert odd.shown_path.endswith("Café notes.txt")
        assert os.fsencode(odd.disk_path).endswith(b"/Caf\xe9 notes.txt")


# -- any values at all ----------------------------------------------------------------------
_text = st.text(max_size=30)
_odd_path = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                    max_size=30) | st.binary(min_size=1, max_size=20).map(os.fsdecode)
_opt_int = st.none() | st.integers(min_value=0, max_value=2**53)


@st.composite
def documents(draw) -> tuple[Document, dict]:  # noqa: ANN001
    """A document record and the dict row the database would have given for it."""
    values = {}
    for f in fields(Document):
        if f.name == "path":
            values[f.name] = to_store(draw(_odd_path))
        elif f.name in ("id", "chars", "text_version", "stale", "case_ref_manual"):
            values[f.name] = draw(st.integers(min_value=0, max_value=2**53))
        elif f.name in ("source_id", "parent_id", "size", "pages"):
            values[f.name] = draw(_opt_int)
        elif f.name == "mtime":
            values[f.name] = draw(st.none() | st.floats(allow_nan=False, allow_infinity=False))
        elif f.name in ("uuid", "member", "rel_path", "name", "format", "status"):
            values[f.name] = draw(_text)
        else:
            values[f.name] = draw(st.none() | _text)
    return Document(**values), values


@given(documents())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_document_gives_the_dict_shape_and_valid_json(pair):
    record, row = pair
    assert as_json(record) == old_document_json(row)
    assert list(as_json(record)) == list(old_document_json(row))  # the same order of keys
    json.dumps(as_json(record), ensure_ascii=False).encode("utf-8")  # never a lone surrogate


@given(st.integers(min_value=1), _odd_path, _text, st.sampled_from(
    ["empty", "damaged", "missing", "scan_hard_to_read"]), st.none() | _text,
    st.integers(0, 1))
@settings(max_examples=200, deadline=None)
def test_any_problem_gives_its_json_shape(doc_id, path, member, status, reason, stale):
    p = Problem(doc_id, to_store(path), member, status, reason, stale)
    assert problem_as_json(p) == as_json(p) == {
        "id": doc_id, "path": display(to_store(path)), "member": member or None,
        "status": status, "reason": reason, "stale": bool(stale)}
    json.dumps(as_json(p), ensure_ascii=False).encode("utf-8")
    name = Path(display(to_store(path))).name
    assert p.shown_name == name + (f" › {member}" if member else "")


def test_documents_by_id_gives_those_that_exist_however_many_are_asked(indexed):
    records = {d.id: d for d in document_reads.documents(indexed.db)}
    asked = list(records) + list(range(10**6, 10**6 + 40000))  # more than SQLite's parameters
    assert document_reads.documents_by_id(indexed.db, asked) == records
    assert document_reads.documents_by_id(indexed.db, []) == {}
