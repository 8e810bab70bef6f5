"""records.from_row, the one "row → record" step of the store families, on rows read from a real
SQLite file: by position (a SELECT in the record's field order) and by column name (a row as a
mapping, with columns the record does not have)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

import pytest

from evidence_app.core.store.records import from_row


@dataclass(frozen=True)
class Line:
    id: str
    title: str
    retired: bool
    report: dict | None = None


@pytest.fixture
def conn(tmp_path):  # noqa: ANN001, ANN201
    c = sqlite3.connect(tmp_path / "t.db")
    c.execute("CREATE TABLE lines (id TEXT, title TEXT, retired INTEGER, report TEXT, "
              "touched TEXT)")
    c.execute("INSERT INTO lines VALUES ('LEAD-01', 'Leaders know their services', 1, "
              "'{\"added\": 3}', 'x')")
    return c


def test_a_row_in_field_order_becomes_the_record_with_its_values_turned(conn):  # noqa: ANN001
    row = conn.execute("SELECT id, title, retired FROM lines").fetchone()
    line = from_row(Line, row, retired=bool)
    assert line == Line("LEAD-01", "Leaders know their services", True)
    assert line.retired is True


def test_a_row_by_name_leaves_out_columns_the_record_lacks(conn):  # noqa: ANN001
    cur = conn.execute("SELECT * FROM lines")
    names = [c[0] for c in cur.description]
    row = dict(zip(names, cur.fetchone()))
    line = from_row(Line, row, retired=bool, report=json.loads)
    assert line.report == {"added": 3} and line.retired is True
    assert not hasattr(line, "touched")


def test_a_short_row_leaves_defaults_and_a_missing_required_field_is_an_error(conn):  # noqa: ANN001
    assert from_row(Line, ("CIC-02", "Care plans", 0)).report is None
    with pytest.raises(TypeError):
        from_row(Line, ("CIC-02", "Care plans"))
