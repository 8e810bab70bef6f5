"""What every record shares: `as_json` (the one `--json` function, each type registering its own
shape beside its class) and the ways a store family makes records from rows: `from_row`,
`row_maker` for a hot read, `build` and `adopt` for values the code made itself. The fast ways
fill a frozen record's fields at once instead of through its `__init__` (one
`object.__setattr__` per field), giving the same record.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields
from functools import cache, singledispatch
from typing import Any


@singledispatch
def as_json(record) -> dict:  # noqa: ANN001
    """The `--json` shape of a record (each type registers its own)."""
    raise TypeError(f"no JSON shape for {type(record).__name__}")


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _field_set(cls: type) -> frozenset[str]:
    return frozenset(_field_names(cls))


@cache
def _fillable(cls: type) -> bool:
    """Can a record of `cls` be made by filling its `__dict__`? Not when it keeps its fields in
    slots, or checks them in `__post_init__` (those always go through `__init__`)."""
    return (not hasattr(cls, "__post_init__")
            and not any("__slots__" in vars(k) for k in cls.__mro__[:-1]))


def _fill(cls: type, values: Iterable[tuple[str, Any]]):  # noqa: ANN202
    """A `cls` record whose fields are exactly these (name, value) pairs, made without running
    the frozen `__init__` (which sets each field through `object.__setattr__`: that cost the
    evidence list and the coverage heat map about a third of their time, see
    tests/benchmarks/bench_evidence.py). The record is the same as `cls(**values)` would give:
    equal, hashed alike, still frozen to every later assignment."""
    record = object.__new__(cls)
    record.__dict__.update(values)
    return record


def build(cls: type, values: Mapping[str, Any]):  # noqa: ANN201
    """`cls(**values)`, faster, for the store's and the core's own values (a count per cell, a
    row per item): `values` must name every field of `cls` once, and nothing else (else the
    ordinary constructor runs, and says what is wrong)."""
    if values.keys() == _field_set(cls) and _fillable(cls):
        return _fill(cls, values.items())
    return cls(**values)


def adopt(cls: type, values: dict[str, Any]):  # noqa: ANN201
    """`build` without copying: the record takes `values` as its own fields. Only for a dict
    made for this record and dropped at once (the heat map's ~5,000 cells of counts, split by
    case): changing it afterwards would change the record. Anything else: `build`."""
    return adopter(cls)(values)


@cache
def adopter(cls: type) -> Callable[[dict[str, Any]], Any]:
    """`adopt` for one class, its checks prepared once (a loop of thousands of cells)."""
    names, new, put = _field_set(cls), object.__new__, object.__setattr__
    if not _fillable(cls):
        return lambda values: cls(**values)

    def make(values: dict[str, Any]):  # noqa: ANN202
        if type(values) is dict and values.keys() == names:
            record = new(cls)
            put(record, "__dict__", values)  # past the frozen __setattr__, once
            return record
        return build(cls, values)

    return make


def from_row(cls: type, row: Sequence | Mapping, **convert: Callable[[Any], Any]):  # noqa: ANN201
    """A `cls` record from one row: a tuple in the order of its fields (the SELECT lists them
    so), or a mapping by column name, whose columns the record lacks are left out. `convert`
    turns a stored value into the field's (`retired=bool`, `report=json.loads`). The one
    "row → record" step of every store family."""
    names = _field_names(cls)
    if type(row) is tuple and len(row) == len(names) and _fillable(cls):  # every field: fast
        record = _fill(cls, zip(names, row))
        values = record.__dict__
        for name, turn in convert.items():
            values[name] = turn(values[name])
        return record
    if isinstance(row, Mapping):
        values = {k: row[k] for k in names if k in row}
    else:
        values = dict(zip(names, row))
    for name, turn in convert.items():
        values[name] = turn(values[name])
    return cls(**values)


def row_maker(cls: type, **convert: Callable[[Any], Any]) -> Callable[[Sequence], Any]:
    """`from_row(cls, row, **convert)` prepared once, for a family's hottest read (thousands of
    evidence items in a list): the class is checked here, not per row. A row that is not a
    tuple of every field goes the ordinary way."""
    names = _field_names(cls)
    if not _fillable(cls):
        return lambda row: from_row(cls, row, **convert)
    width, turns, new = len(names), tuple(convert.items()), object.__new__

    def make(row: Sequence):  # noqa: ANN202
        if type(row) is not tuple or len(row) != width:
            return from_row(cls, row, **convert)
        record = new(cls)
        values = record.__dict__
        values.update(zip(names, row))
        for name, turn in turns:
            values[name] = turn(values[name])
        return record

    return make
