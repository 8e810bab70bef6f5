"""The shared INSERT and UPDATE (core/store/updates.py) on a real SQLite file: the row a store
family writes is the row it reads back, and a name that is not a plain SQL identifier is refused
before any SQL runs (names come from code, but a mistake must not become an injection)."""
from __future__ import annotations

import sqlite3
import string

import pytest
from hypothesis import given, settings, strategies as st

from evidence_app.core.store.updates import insert_row, set_fields


def _db(path) -> sqlite3.Connection:  # noqa: ANN001
    conn = sqlite3.connect(path / "t.db")
    conn.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, "end" INTEGER, '
                 "updated_at TEXT)")
    return conn


def test_insert_row_returns_the_new_id_and_writes_every_value(tmp_path):
    conn = _db(tmp_path)
    first = insert_row(conn, "notes", {"title": "Chronology", "end": 12})
    second = insert_row(conn, "notes", {"title": "Plan"})
    assert second == first + 1
    assert conn.execute("SELECT title, \"end\" FROM notes WHERE id = ?", [first]).fetchone() \
        == ("Chronology", 12)


def test_insert_row_with_columns_leaves_out_what_the_table_does_not_hold(tmp_path):
    conn = _db(tmp_path)
    row = insert_row(conn, "notes", {"title": "Visit", "alias": "Child A"},
                     columns=("id", "title"))
    assert conn.execute("SELECT title FROM notes WHERE id = ?", [row]).fetchone() == ("Visit",)


def test_set_fields_stamps_updated_at_only_when_asked(tmp_path):
    conn = _db(tmp_path)
    row = insert_row(conn, "notes", {"title": "Old"})
    assert set_fields(conn, "notes", row, {"title": "New"}, now=None) == 1
    assert conn.execute("SELECT title, updated_at FROM notes").fetchone() == ("New", None)
    set_fields(conn, "notes", row, {}, now="2026-03-01T10:00:00")
    assert conn.execute("SELECT updated_at FROM notes").fetchone() == ("2026-03-01T10:00:00",)
    assert set_fields(conn, "notes", row, {}, now=None) == 0


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + ' _"();-\'', min_size=1,
               max_size=12))
def test_a_column_name_is_used_only_when_it_is_a_plain_identifier(tmp_path_factory, name):
    conn = _db(tmp_path_factory.mktemp("n"))
    plain = name.isidentifier() and name.isascii()
    try:
        insert_row(conn, "notes", {name: "x"})
    except ValueError as exc:
        assert not plain and "plain SQL name" in str(exc)
    except sqlite3.DatabaseError:
        assert plain              # a well-formed name the table lacks, or its INTEGER key (ID)
    else:
        assert plain
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["notes"]
