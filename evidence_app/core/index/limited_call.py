"""Run one parse of an untrusted file in a worker process, under extraction's limits.

Imports (a case list, a spreadsheet someone sent) are parsed the way the indexer parses files:
in a separate process whose memory is capped (RLIMIT_AS on POSIX, an RSS watch elsewhere) and
which is killed when it runs past the time limit. A file that would eat the machine costs only
the worker; the caller gets one readable `InvalidInput` instead of a MemoryError or a hang.
The limits and the process start method are extraction's own (`core/index/extract_worker.py`).
"""
from __future__ import annotations

import sys
import time
from typing import Any, Callable

from evidence_app.core.base.errors import EvidenceError, InvalidInput
from evidence_app.core.index.extract_worker import _context, _limit_memory
from evidence_app.core.index.extractors.base import Limits


def _child(conn, fn: Callable, args: tuple, limits: Limits) -> None:
    _limit_memory(limits)
    try:
        result = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except EvidenceError as exc:
        result = ("error", (type(exc), str(exc)))
    except RecursionError:
        result = ("deep", None)
    except BaseException as exc:  # noqa: BLE001 - a parser bug on hostile input: say so calmly
        result = ("crash", f"{type(exc).__name__}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def call_limited(fn: Callable[..., Any], *args: Any, what: str,
                 limits: Limits | None = None) -> Any:
    """`fn(*args)` computed in a worker; `what` names the file in messages ("list.xlsx").

    `fn` must be a module-level function (it is pickled on platforms that spawn).
    EvidenceErrors raised by `fn` come back as they were; running out of memory or time, or the
    worker dying, become InvalidInput with a plain reason.
    """
    limits = limits or Limits()
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, limits), daemon=True,
                       name="evidence-import")
    proc.start()
    child.close()
    deadline = time.monotonic() + limits.time_limit_s
    try:
        while not parent.poll(0.05):
            if time.monotonic() > deadline:
                raise InvalidInput(f"{what} was not read: reading it took longer than "
                                   f"{limits.time_limit_s:g} seconds (split it into smaller "
                                   "files if it is very large).")
            if _over_memory(proc.pid, limits):
                raise InvalidInput(_memory_message(what, limits))
            if not proc.is_alive() and not parent.poll(0):
                raise InvalidInput(f"{what} was not read: the reader stopped unexpectedly; the "
                                   "file may be damaged or deliberately malformed.")
        try:
            kind, value = parent.recv()
        except (EOFError, OSError):
            raise InvalidInput(f"{what} was not read: the reader stopped unexpectedly; the file "
                               "may be damaged or deliberately malformed.") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if kind == "ok":
        return value
    if kind == "memory":
        raise InvalidInput(_memory_message(what, limits))
    if kind == "error":
        cls, message = value
        raise cls(message)
    if kind == "deep":
        raise InvalidInput(f"{what} was not read: it is nested too deeply.")
    raise InvalidInput(f"{what} could not be read ({value}); it may be damaged.")


def _memory_message(what: str, limits: Limits) -> str:
    return (f"{what} was not read: reading it needed more than {limits.memory_limit_mb:,} MB "
            "of memory.")


def _over_memory(pid: int, limits: Limits) -> bool:
    """RSS watch where RLIMIT_AS does not exist (Windows)."""
    if not sys.platform.startswith("win"):
        return False
    try:
        import psutil  # start-up: psutil is loaded only when this runs

        return psutil.Process(pid).memory_info().rss > limits.memory_limit_mb * 1024 * 1024
    except Exception:  # noqa: BLE001
        return False
