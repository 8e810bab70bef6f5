"""`@frozen` behaves as `@dataclass(frozen=True)`: every record the store hands out is made by it,
so a difference here would be a difference in every `--json`, every comparison of records and
every "record changed?" check. Each test builds the same class both ways and compares."""
from __future__ import annotations

import copy
import keyword
import pickle
from dataclasses import FrozenInstanceError, asdict, astuple, dataclass, field, fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.base.frozen import frozen

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s) and s != "self")
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                   st.floats(allow_nan=False), st.tuples(st.integers(), st.text(max_size=3)))


def both(names: list[str], n_defaults: int, default=0, factory: bool = False,  # noqa: ANN001
         options: dict | None = None):  # noqa: ANN201
    """The same class as a real frozen dataclass and as `@frozen` (`options`: a field's
    `compare`/`hash`/`repr`)."""
    def namespace() -> dict:
        ns = {"__annotations__": {n: "object" for n in names}, "__module__": __name__}
        for i, n in enumerate(names):
            extra = (options or {}).get(n, {})
            if i >= len(names) - n_defaults:
                ns[n] = (field(default_factory=list, **extra) if factory
                         else field(default=default, **extra))
            elif extra:
                ns[n] = field(**extra)
        return ns

    return (dataclass(frozen=True)(type("Rec", (), namespace())),
            frozen(type("Rec", (), namespace())))


def outcome(make):  # noqa: ANN001, ANN201
    try:
        return ("ok", make())
    except TypeError as exc:
        return ("TypeError", str(exc))


OPTIONS = st.fixed_dictionaries({}, optional={"compare": st.booleans(), "repr": st.booleans(),
                                              "hash": st.sampled_from([None, True, False])})
specs = st.lists(NAMES, min_size=0, max_size=6, unique=True).flatmap(
    lambda names: st.tuples(st.just(names), st.integers(0, len(names)),
                            st.dictionaries(st.sampled_from(names or ["x"]), OPTIONS)))


@settings(max_examples=300, deadline=None)
@given(specs, st.data())
def test_construction_repr_equality_and_hash_match_dataclass(spec, data) -> None:  # noqa: ANN001
    names, n_defaults, options = spec
    real, ours = both(names, n_defaults, options=options)
    n_pos = data.draw(st.integers(0, len(names) + 1), label="positional")
    args = data.draw(st.lists(VALUES, min_size=n_pos, max_size=n_pos), label="args")
    kw_names = data.draw(st.lists(st.one_of(st.sampled_from(names or ["x"]), NAMES),
                                  unique=True, max_size=4), label="keywords")
    kwargs = {k: data.draw(VALUES) for k in kw_names}
    r = outcome(lambda: real(*args, **kwargs))
    o = outcome(lambda: ours(*args, **kwargs))
    assert r[0] == o[0]
    if r[0] == "TypeError":
        assert o[1] == r[1]  # the same words for the same mistake
        return
    a, b = r[1], o[1]
    assert repr(a) == repr(b)
    assert astuple(a) == astuple(b) and asdict(a) == asdict(b)
    assert list(vars(a)) == list(vars(b)) == names  # fields in declared order
    assert hash(a) == hash(b)
    twin = ours(**asdict(b))
    assert twin == b and hash(twin) == hash(b) and twin is not b
    assert (b == a) is False  # another class is never equal
    if names:
        other = data.draw(VALUES)
        assert (replace(b, **{names[0]: other}) == b) == (replace(a, **{names[0]: other}) == a)
        assert hash(replace(b, **{names[0]: other})) == hash(replace(a, **{names[0]: other}))


@settings(max_examples=100, deadline=None)
@given(specs, NAMES)
def test_frozen_refuses_assignment_and_deletion_in_the_same_words(spec, name) -> None:  # noqa: ANN001
    names, n_defaults, options = spec
    real, ours = both(names, n_defaults, options=options)
    args = list(range(len(names)))
    a, b = real(*args), ours(*args)
    for target in (names[:1] + [name]):
        with pytest.raises(FrozenInstanceError) as r:
            setattr(a, target, 1)
        with pytest.raises(FrozenInstanceError) as o:
            setattr(b, target, 1)
        assert str(o.value) == str(r.value)
        with pytest.raises(FrozenInstanceError) as r:
            delattr(a, target)
        with pytest.raises(FrozenInstanceError) as o:
            delattr(b, target)
        assert str(o.value) == str(r.value)
    assert astuple(b) == tuple(args)  # nothing changed


def test_defaults_factories_subclasses_copies_and_pickles() -> None:
    real, ours = both(["a", "items"], 1, factory=True)
    x, y = ours(1), ours(1)
    assert x.items == [] and x.items is not y.items  # a fresh list each time, as dataclass
    assert real(1).items == []

    @frozen
    class Base:
        a: int
        b: str = "b"

    @frozen
    class Child(Base):
        c: int = 3

    child = Child(1, c=4)
    assert [f.name for f in fields(Child)] == ["a", "b", "c"]
    assert repr(child) == "test_defaults_factories_subclasses_copies_and_pickles.<locals>." \
                          "Child(a=1, b='b', c=4)"
    assert child != Base(1) and Base(1) == Base(1, "b")
    with pytest.raises(FrozenInstanceError):
        child.a = 2
    assert pickle.loads(pickle.dumps(PickledRecord(1, "x"))) == PickledRecord(1, "x")
    assert copy.deepcopy(child) == child and copy.copy(child) == child


@frozen
class PickledRecord:
    n: int
    s: str


def test_post_init_runs_after_the_fields_are_set() -> None:
    seen = []

    @frozen
    class Checked:
        n: int

        def __post_init__(self) -> None:
            seen.append(self.n)

    Checked(5)
    assert seen == [5]


@pytest.mark.parametrize("annotation, spec", [("int", field(default=1, init=False)),
                                              ("int", field(default=1, kw_only=True)),
                                              ("InitVar[int]", 1)])
def test_fields_it_cannot_honour_are_refused_when_the_class_is_defined(annotation, spec) -> None:  # noqa: ANN001, E501
    with pytest.raises(TypeError, match="fields set by __init__ only"):
        frozen(type("Odd", (), {"__annotations__": {"x": annotation}, "x": spec,
                                "__module__": "dataclasses"}))  # where InitVar is a name


def test_a_class_writing_its_own_equality_is_refused() -> None:
    with pytest.raises(TypeError, match="defines __eq__"):
        frozen(type("Own", (), {"__annotations__": {"x": "int"},
                                "__eq__": lambda self, other: True}))
