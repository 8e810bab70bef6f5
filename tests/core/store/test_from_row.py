"""records.from_row, the one "row → record" step of the store families, on rows read from a real
SQLite file: by position (a SELECT in the record's field order) and by column name (a row as a
mapping, with columns the record does not have)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import FrozenInstanceError, dataclass, fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.store.records import adopt, build, from_row, row_maker


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


# -- the fast way (a row of every field, `build`): the same record as the constructor's --------
@dataclass(frozen=True)
class Checked:
    """A record that checks itself: always made by its constructor."""

    id: str
    title: str

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("an id is needed")


_values = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.booleans())


@given(st.tuples(st.text(max_size=10), st.text(max_size=30), st.integers(0, 1), _values))
@settings(max_examples=200, deadline=None)
def test_a_full_row_gives_exactly_the_record_the_constructor_gives(row):  # noqa: ANN001
    made = from_row(Line, row, retired=bool)
    expected = Line(row[0], row[1], bool(row[2]), row[3])
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert replace(made, title="x") == replace(expected, title="x")
    with pytest.raises(FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del made.id  # type: ignore[misc]


@given(st.dictionaries(st.sampled_from(["id", "title", "retired", "report", "other"]), _values))
@settings(max_examples=200, deadline=None)
def test_build_makes_the_record_or_refuses_as_the_constructor_does(values):  # noqa: ANN001
    try:
        expected = Line(**values)
    except TypeError:
        with pytest.raises(TypeError):
            build(Line, values)
        return
    made = build(Line, values)
    assert made == expected and hash(made) == hash(expected)
    with pytest.raises(FrozenInstanceError):
        made.retired = True  # type: ignore[misc]


def test_a_record_that_checks_itself_is_still_checked():
    with pytest.raises(ValueError):
        from_row(Checked, ("", "untitled"))
    with pytest.raises(ValueError):
        build(Checked, {"id": "", "title": "untitled"})
    assert build(Checked, {"id": "A", "title": "t"}) == Checked("A", "t")


def test_evidence_items_read_from_a_real_workspace_equal_the_constructors(tmp_path):  # noqa: ANN001
    from evidence_app.core.evidence import evidence
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.store.records import EvidenceItem
    from evidence_app.core.workspace import Workspace

    src = tmp_path / "src"
    src.mkdir()
    (src / "visit.txt").write_text("The child was seen alone and said she feels safe at home.",
                                   encoding="utf-8")
    ws = Workspace.create(tmp_path / "ws", "T")
    try:
        add_source(ws, src, "case-files")
        index_workspace(ws, jobs=1)
        evidence.tag(ws, str(src / "visit.txt"), ["LEAD-01", "LEAD-02"], quote="feels safe")
        evidence.tag(ws, str(src / "visit.txt"), ["LEAD-01"], note="whole file")
        for item in evidence.list_items(ws):
            again = EvidenceItem(**{f.name: getattr(item, f.name) for f in fields(item)})
            assert item == again and hash(item) == hash(again)
            assert isinstance(item.enquiries, tuple) and item.links == again.links
            assert vars(item) == vars(again)
    finally:
        ws.close()


@given(st.dictionaries(st.sampled_from(["id", "title", "retired", "report", "other"]), _values))
@settings(max_examples=200, deadline=None)
def test_adopt_makes_the_record_or_refuses_as_the_constructor_does(values):  # noqa: ANN001
    try:
        expected = Line(**values)
    except TypeError:
        with pytest.raises(TypeError):
            adopt(Line, dict(values))
        return
    made = adopt(Line, dict(values))
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    with pytest.raises(FrozenInstanceError):
        made.title = "changed"  # type: ignore[misc]


def test_adopt_copies_what_is_not_a_plain_dict_of_its_fields():
    from types import MappingProxyType

    values = {"id": "A", "title": "t", "retired": False, "report": None}
    shown = MappingProxyType(values)
    made = adopt(Line, shown)
    values["title"] = "changed later"
    assert made.title == "t"


@given(st.one_of(st.tuples(st.text(max_size=10), st.text(max_size=30), st.integers(0, 1),
                           _values),
                 st.tuples(st.text(max_size=10), st.text(max_size=30), st.integers(0, 1)),
                 st.lists(_values, min_size=4, max_size=4)))
@settings(max_examples=200, deadline=None)
def test_a_prepared_row_maker_gives_what_from_row_gives(row):  # noqa: ANN001
    make = row_maker(Line, retired=bool)
    made, expected = make(row), from_row(Line, row, retired=bool)
    assert made == expected and hash(made) == hash(expected) and type(made) is Line
    with pytest.raises(FrozenInstanceError):
        made.id = "changed"  # type: ignore[misc]
    with pytest.raises(ValueError):
        row_maker(Checked)(("", "untitled"))
