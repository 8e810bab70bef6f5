"""The row recorder under any mix of writes (inserts, updates, deletes, cascades, upserts,
INSERT OR REPLACE, tables keyed by rowid, by an integer key or WITHOUT ROWID, blobs): putting
the rows back gives the tables exactly as they were, doing it again gives them as the write
left them, and a revert that would reach rows changed since refuses with nothing written."""
from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from evidence_app.core.store.row_changes import ChangedSince, Recorder, revert

SCHEMA = """
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER);
CREATE TABLE child (id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, v TEXT);
CREATE TABLE link (a INTEGER, b TEXT, note TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE loose (x TEXT, y BLOB);
"""
KEY = st.integers(1, 6)
OPS = st.lists(st.one_of(
    st.tuples(st.just("parent"), KEY, st.integers(0, 9)),
    st.tuples(st.just("parent-n"), KEY, st.integers(0, 9)),
    st.tuples(st.just("parent-del"), KEY, st.none()),
    st.tuples(st.just("parent-replace"), KEY, st.integers(0, 9)),
    st.tuples(st.just("child"), KEY, st.text(max_size=5)),
    st.tuples(st.just("child-v"), KEY, st.text(max_size=5)),
    st.tuples(st.just("child-del"), KEY, st.none()),
    st.tuples(st.just("link"), KEY, st.sampled_from(["x", "y", "z"])),
    st.tuples(st.just("link-del"), KEY, st.sampled_from(["x", "y", "z"])),
    st.tuples(st.just("loose"), KEY, st.binary(max_size=4)),
    st.tuples(st.just("loose-del"), KEY, st.none()),
), max_size=25)


def connect() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(SCHEMA)
    return conn


def apply(conn, ops) -> None:
    for op, k, v in ops:
        try:
            if op == "parent":
                conn.execute("INSERT INTO parent (id, name, n) VALUES (?, ?, ?)",
                             [k, f"p{k}", v])
            elif op == "parent-n":
                conn.execute("UPDATE parent SET n = ? WHERE id = ?", [v, k])
            elif op == "parent-del":
                conn.execute("DELETE FROM parent WHERE id = ?", [k])
            elif op == "parent-replace":
                conn.execute("INSERT OR REPLACE INTO parent (id, name, n) VALUES (?, ?, ?)",
                             [k, f"p{k}", v])
            elif op == "child":
                conn.execute("INSERT INTO child (parent_id, v) VALUES (?, ?)", [k, v])
            elif op == "child-v":
                conn.execute("UPDATE child SET v = ? WHERE id = ?", [v, k])
            elif op == "child-del":
                conn.execute("DELETE FROM child WHERE id = ?", [k])
            elif op == "link":
                conn.execute("INSERT INTO link (a, b, note) VALUES (?, ?, 'n') ON CONFLICT(a, b) "
                             "DO UPDATE SET note = note || '+'", [k, v])
            elif op == "link-del":
                conn.execute("DELETE FROM link WHERE a = ? AND b = ?", [k, v])
            elif op == "loose":
                conn.execute("INSERT INTO loose (x, y) VALUES (?, ?)", [str(k), v])
            elif op == "loose-del":
                conn.execute("DELETE FROM loose WHERE rowid = ?", [k])
        except sqlite3.IntegrityError:
            pass  # a child of no parent, a duplicate: the write simply does not happen


def tables(conn) -> dict:
    return {t: sorted(conn.execute(f"SELECT rowid, * FROM {t}" if t != "link" else
                                   f"SELECT * FROM {t}").fetchall(), key=repr)
            for t in ("parent", "child", "link", "loose")}


def recorded(conn, ops):
    conn.execute("BEGIN")
    with Recorder(conn) as rec:
        apply(conn, ops)
    conn.execute("COMMIT")
    return rec.changes


def reverted(conn, changes):
    conn.execute("BEGIN")
    try:
        back = revert(conn, changes)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return back


@settings(max_examples=150, deadline=None)
@given(OPS, OPS)
def test_any_write_is_put_back_exactly_and_done_again(setup, write):
    conn = connect()
    apply(conn, setup)
    before = tables(conn)
    changes = recorded(conn, write)
    after = tables(conn)
    assert bool(changes) == (after != before)
    back = reverted(conn, changes)
    assert tables(conn) == before
    again = reverted(conn, back)
    assert tables(conn) == after
    reverted(conn, again)
    assert tables(conn) == before
    assert not conn.execute("SELECT name FROM temp.sqlite_master").fetchall()  # nothing left


@settings(max_examples=100, deadline=None)
@given(OPS, OPS, OPS)
def test_later_work_is_never_lost_an_undo_is_refused_instead(setup, write, later):
    """After the write, more work; reverting the write either keeps every row the later work
    touched as it left it, or refuses with the tables untouched."""
    conn = connect()
    apply(conn, setup)
    changes = recorded(conn, write)
    later_changes = recorded(conn, later)
    now = tables(conn)
    try:
        reverted(conn, changes)
    except ChangedSince:
        assert tables(conn) == now
        return
    for t in later_changes.tables:  # every row the later work left is still as it left it
        cols, key = t.columns, t.key
        for _before, after in t.rows:
            if after is None:
                continue
            where = " AND ".join(f'"{cols[i]}" IS ?' for i in key)
            row = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} '
                               f'FROM {t.table} WHERE {where}', [after[i] for i in key]).fetchone()
            assert row is not None and tuple(row) == after


def test_a_cascade_into_later_work_is_refused():
    conn = connect()
    changes = recorded(conn, [("parent", 1, 0)])
    apply(conn, [("child", 1, "made since")])
    now = tables(conn)
    with pytest.raises(ChangedSince) as err:
        reverted(conn, changes)
    assert err.value.reach and err.value.table == "child"
    assert tables(conn) == now
