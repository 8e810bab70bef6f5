"""One app instance per workspace: an operating-system lock on `WORKSPACE/.lock`.

The lock is an OS file lock (`fcntl.flock` on POSIX, `msvcrt.locking` on Windows), not the
existence of a file: when the process holding it dies (crash, kill, power cut) the OS releases it,
so a stale `.lock` left behind is simply taken over by the next opener. The file holds who had it
last (what it is: the window or a named command; pid, host, user, since) so a refusal can say
truthfully what holds the workspace and since when.

Within one process the lock is shared: the window and its worker threads each open the workspace
and the lock is held while any of them has it open (a reference count per folder). Worker
processes forked for extraction close their inherited copy straight away, so a lock never outlives
the app because a parser is still running.

Who takes it (decided here, used by the CLI and the window):
- the window and every CLI command that writes: the lock, exclusively;
- read-only CLI commands (search, status, documents, listings, coverage, check): never. They read
  through their own connection beside whoever writes (SQLite's WAL: readers never wait for the
  writer and the writer never waits for them), so a writer is never refused because someone is
  reading.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from evidence_app.core.base.errors import WorkspaceError
import json

LOCK_NAME = ".lock"
_WIN_LOCK_OFFSET = 1 << 30  # lock a byte far from the info text, so others can still read it


class WorkspaceLocked(WorkspaceError):
    """The workspace is open in another Evidence Organiser instance."""

    def __init__(self, message: str, holder: dict | None = None) -> None:
        super().__init__(message)
        self.holder = holder or {}


_mutex = threading.RLock()
_held: dict[str, list] = {}  # key -> [fd, refcount]
_role: dict[str, str] = {"role": "program", "command": ""}


def set_role(role: str, command: str = "") -> None:
    """Say what this process is, for the note a refusal shows: "window", or "command" with the
    command line (e.g. "index --watch"). Set by the app's entry point before opening."""
    _role["role"], _role["command"] = role, command


def _key(root: Path) -> str:
    return os.path.normcase(os.path.realpath(str(root)))


def lock_path(root: Path) -> Path:
    return Path(root) / LOCK_NAME


def _try_lock(fd: int) -> bool:
    if sys.platform.startswith("win"):
        import msvcrt  # start-up: msvcrt is loaded only when this runs

        try:
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl  # start-up: fcntl is loaded only when this runs

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    try:
        if sys.platform.startswith("win"):
            import msvcrt  # start-up: msvcrt is loaded only when this runs

            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl  # start-up: fcntl is loaded only when this runs

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def read_holder(root: Path) -> dict:
    """Who last took the lock (may be stale when nobody holds it)."""
    try:
        text = lock_path(root).read_text("utf-8", errors="replace")
        return json.loads(text.split("\n", 1)[0] or "{}")
    except (OSError, ValueError):
        return {}


def describe_holder(holder: dict) -> str:
    """What holds the lock, in words: "the command 'evidence-app index --watch'", "an Evidence
    Organiser window", with "(pid N on HOST, since 21:52 today)"."""
    pid, host = holder.get("pid", "?"), holder.get("host") or "this computer"
    role, command = holder.get("role"), holder.get("command") or ""
    if role == "command" and command:
        what = f"the command 'evidence-app {command}'"
    elif role == "window":
        what = "an Evidence Organiser window"
    else:  # an older note without a role, or a script using the library
        what = "another Evidence Organiser program"
    since = _since_words(holder.get("since"))
    return f"{what} (pid {pid} on {host}{', since ' + since if since else ''})"


def _since_words(since: str | None) -> str:
    import datetime as dt  # start-up: datetime is loaded only when this runs

    if not since:
        return ""
    try:
        when = dt.datetime.fromisoformat(since)
    except ValueError:
        return ""
    if when.date() == dt.date.today():
        return f"{when:%H:%M} today"
    return f"{when:%d/%m/%Y %H:%M}"


def locked_message(holder: dict) -> str:
    what = describe_holder(holder)
    if holder.get("role") == "command" and holder.get("command"):
        advice = "Wait for it to finish (or stop it)"
    elif holder.get("role") == "window":
        advice = "Close it there first"
    else:
        advice = "Close it first"
    return (f"This workspace is in use by {what}. {advice}, or use a read-only command such as "
            "'search' or 'status', which work alongside it.")


def acquire(root: Path, wait: float = 0.0) -> bool:
    """Take (or share, within this process) the workspace lock; WorkspaceLocked if still busy
    after `wait` seconds. True when this call took the OS lock (the first opener in this process).

    Writers wait a little because a read-only command (search, status) holds the lock for its
    first moments when it finds it free; the window must not be refused because of that."""
    key = _key(root)
    with _mutex:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
            return False
        path = lock_path(root)
        try:
            fd = os.open(str(path), os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise WorkspaceError(f"Cannot lock the workspace {root}: {exc.strerror}.") from exc
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                holder = read_holder(root)
                raise WorkspaceLocked(locked_message(holder), holder)
            time.sleep(0.05)
        _write_info(fd)
        _held[key] = [fd, 1]
        return True


def count(root: Path) -> int:
    """How many open workspaces of this process share the lock."""
    with _mutex:
        entry = _held.get(_key(root))
        return entry[1] if entry else 0


def _write_info(fd: int) -> None:
    # start-up: datetime is loaded only when this runs
    import datetime as dt
    import getpass
    import socket  # start-up: socket is loaded only when this runs

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001
        user = ""
    info = {"pid": os.getpid(), "host": socket.gethostname(), "user": user,
            "since": dt.datetime.now().isoformat(timespec="seconds"), "app": "Evidence Organiser",
            "role": _role["role"], "command": _role["command"]}
    data = (json.dumps(info) + "\n").encode("utf-8")
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data.ljust(512, b" "))
    except OSError:
        pass  # the lock holds even if the note cannot be written (e.g. disk full)


def release(root: Path) -> bool:
    """Drop one reference; the OS lock goes with the last. True when it was really released."""
    key = _key(root)
    with _mutex:
        entry = _held.get(key)
        if entry is None:
            return False
        entry[1] -= 1
        if entry[1] > 0:
            return False
        del _held[key]
        _unlock(entry[0])
        os.close(entry[0])
        return True


def held(root: Path) -> bool:
    """Does this process hold the lock?"""
    with _mutex:
        return _key(root) in _held


def holder_if_locked(root: Path) -> dict | None:
    """If another process holds the lock, who; else None (and the lock is left free)."""
    if held(root):
        return None
    path = lock_path(root)
    if not path.exists():
        return None
    try:
        fd = os.open(str(path), os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return read_holder(root) or {"pid": "?", "host": "?"}
    finally:
        os.close(fd)


def _close_in_child() -> None:
    """A forked worker must not keep the parent's lock alive after the parent dies."""
    for fd, _count in list(_held.values()):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)
