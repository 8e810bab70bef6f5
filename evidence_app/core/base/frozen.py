"""`@frozen`: a frozen dataclass whose methods are shared closures, not code compiled per class.

Why: Python 3.11's `@dataclass(frozen=True)` writes the source of six methods for every class
and compiles each with `exec`: 0.84 ms for a class of eight fields on this 2-core machine,
0.19 ms with `frozen`. The typed records of issue #12 added about 50 such classes to what the
window imports before it shows: importing the records alone took 85 ms, 22 ms with `frozen`.

`frozen` lets `dataclass` do its bookkeeping (fields, defaults and their checks,
`dataclasses.fields`, `replace`, `asdict`, `is_dataclass`, `__match_args__`) and then gives
the class `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and `__delattr__` made from
closures over its field names. They behave as `@dataclass(frozen=True)`'s do: the same
equality (same class, compared fields equal in order), hash, repr, argument errors and
`FrozenInstanceError`, which tests/core/base/test_frozen.py checks against real frozen
dataclasses with generated classes and values. Fields may have defaults, default factories,
`compare`, `hash`, `repr` and `metadata`; a class asking for more (`field(init=False)`,
`kw_only`, `InitVar`, its own `__eq__` …) is refused when it is defined, not mis-built.
"""
from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, Callable, TypeVar

T = TypeVar("T", bound=type)


def frozen(cls: T) -> T:
    """Decorate a class as `@dataclass(frozen=True)` would, without compiling code for it."""
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: @frozen does not support __slots__")
    cls = dataclass(cls, init=False, repr=False, eq=False)  # bookkeeping only: nothing compiled
    specs = fields(cls)
    initvar = getattr(dataclasses, "_FIELD_INITVAR", None)
    for f in cls.__dataclass_fields__.values():
        if f._field_type is initvar or (f in specs and (not f.init or f.kw_only)):
            raise TypeError(f"{cls.__qualname__}.{f.name}: @frozen supports fields set by "
                            "__init__ only (use @dataclass(frozen=True) for this class)")
    names = tuple(f.name for f in specs)
    compared = _tuple_getter(tuple(f.name for f in specs if f.compare))
    hashed = _tuple_getter(tuple(f.name for f in specs
                                 if (f.compare if f.hash is None else f.hash)))
    methods = {
        "__init__": _init(cls, specs),
        "__repr__": _repr(tuple(f.name for f in specs if f.repr)),
        "__eq__": _eq(compared),
        "__hash__": _hash(hashed),
        "__setattr__": _setattr(cls, frozenset(names)),
        "__delattr__": _delattr(cls, frozenset(names)),
    }
    for name, method in methods.items():
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: @frozen writes its own")
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The fields' values as a tuple, in order (attrgetter gives a bare value for one name)."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _init(cls: type, specs: tuple) -> Callable:
    names = tuple(f.name for f in specs)
    known = frozenset(names)
    width = len(names)
    required = tuple(f.name for f in specs
                     if f.default is MISSING and f.default_factory is MISSING)
    defaults = tuple((f.name, f.default, f.default_factory) for f in specs
                     if f.default is not MISSING or f.default_factory is not MISSING)
    post_init = getattr(cls, "__post_init__", None) is not None
    put = object.__setattr__
    qual = cls.__qualname__
    takes = (f"from {width - len(defaults) + 1} to {width + 1} positional arguments" if defaults
             else f"{width + 1} positional argument{'s' if width else ''}")  # Python's wording

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if not args and tuple(kwargs) == names:  # the common call: every field by name, in
            put(self, "__dict__", kwargs)  # order (the call made this dict; nobody else has it)
        elif not args and kwargs.keys() == known:  # every field by name, in another order
            put(self, "__dict__", {n: kwargs[n] for n in names})
        elif not kwargs and len(args) == width:  # or every field in order
            put(self, "__dict__", dict(zip(names, args)))
        else:
            put(self, "__dict__", bind(args, kwargs))
        if post_init:
            self.__post_init__()

    def bind(args: tuple, kwargs: dict) -> dict:
        """The fields' values from any other call, or the error Python gives for it."""
        values = dict(zip(names, args))
        if kwargs:
            for key, value in kwargs.items():
                if key in values:
                    raise TypeError(f"{qual}.__init__() got multiple values for argument "
                                    f"'{key}'")
                if key not in known:
                    raise TypeError(f"{qual}.__init__() got an unexpected keyword argument "
                                    f"'{key}'")
                values[key] = value
        if len(args) > width:  # checked after the keywords, as Python does
            raise TypeError(f"{qual}.__init__() takes {takes} but {len(args) + 1} were given")
        if len(values) != width:
            missing = [n for n in required if n not in values]
            if missing:
                quoted = [repr(n) for n in missing]
                listed = (" and ".join(quoted) if len(quoted) < 3
                          else ", ".join(quoted[:-1]) + ", and " + quoted[-1])
                raise TypeError(f"{qual}.__init__() missing {len(missing)} required "
                                f"positional argument{'s' if len(missing) > 1 else ''}: "
                                f"{listed}")
            for name, default, factory in defaults:
                if name not in values:
                    values[name] = factory() if factory is not MISSING else default
        return {n: values[n] for n in names}  # fields in their declared order

    return __init__


def _repr(names: tuple[str, ...]) -> Callable:
    parts = tuple((f"{n}=", attrgetter(n)) for n in names)

    @recursive_repr()
    def __repr__(self) -> str:  # noqa: N807
        return (self.__class__.__qualname__ + "("
                + ", ".join(label + repr(get(self)) for label, get in parts) + ")")

    return __repr__


def _eq(values: Callable[[Any], tuple]) -> Callable:
    def __eq__(self, other: object) -> bool:  # noqa: N807
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], tuple]) -> Callable:
    def __hash__(self) -> int:  # noqa: N807
        return hash(values(self))

    return __hash__


def _setattr(cls: type, names: frozenset[str]) -> Callable:
    def __setattr__(self, name: str, value: Any) -> None:  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _delattr(cls: type, names: frozenset[str]) -> Callable:
    def __delattr__(self, name: str) -> None:  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
