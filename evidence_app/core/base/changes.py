"""What a core write changed, and how to take it back: the one shape every write returns.

A write (tag, edit, tick, move, import…) returns a `Done`: its value (the new or changed record),
the `Changes` it made (which areas of the workspace a view showing them must refresh) and `undo`,
the core operation that takes it back. Undoing returns a `Done` too, whose own `undo` does the
write again, so a window's undo stack only ever calls `done.undo(ws)` and pushes what comes back.
Views never build undo steps themselves (Anki's `OpChanges` is the model).

The list of areas lives here, in the core, so the window and the CLI name them the same way.
"""
from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from evidence_app.core.base.frozen import frozen

if TYPE_CHECKING:  # the workspace sits above every stage; only its type is needed here
    from evidence_app.core.workspace import Workspace

AREAS = ("documents", "sources", "evidence", "cases", "framework", "requests", "bundles",
         "settings", "sef", "packs")

T = TypeVar("T")


@frozen
class Changes:
    """The areas a write touched (a subset of AREAS) and, where known, the ids it touched."""

    areas: frozenset[str] = frozenset()
    ids: frozenset[tuple[str, Any]] = frozenset()

    def __post_init__(self) -> None:
        unknown = set(self.areas) - set(AREAS)
        if unknown:
            raise ValueError(f"unknown change area(s): {', '.join(sorted(unknown))}")

    @classmethod
    def of(cls, *areas: str, ids: tuple[tuple[str, Any], ...] = ()) -> Changes:
        return cls(frozenset(areas), frozenset(ids))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas, self.ids | other.ids)

    def __bool__(self) -> bool:
        return bool(self.areas)

    def touches(self, *areas: str) -> bool:
        return bool(self.areas.intersection(areas))


NOTHING = Changes()


@frozen
class Done(Generic[T]):
    """A write that has happened: its value, what it changed, and how to take it back.

    `label` names it for a person ("Tag E-12 to L1.2"); `undo` is None when the write cannot be
    taken back (it is then in the audit log only)."""

    value: T
    changes: Changes
    undo: Callable[[Workspace], Done[Any]] | None = field(default=None, compare=False)
    label: str = ""


# How a long job (an export reading thousands of rows, writing a file for seconds) makes its few
# writes: `write(fn)` runs `fn(ws)` and returns its value. From the window, a background job is
# given the window's one serial writer (the job waits; the writer runs `fn` on its own thread and
# connection between the indexer's batches); elsewhere (the CLI, a script) `on_this_thread(ws)`.
Writes = Callable[[Callable[["Workspace"], T]], T]


def on_this_thread(ws: Workspace) -> Writes:
    """Make the writes on the caller's own connection (no window, so no other writer)."""
    return lambda fn: fn(ws)
