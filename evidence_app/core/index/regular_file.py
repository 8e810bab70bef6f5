"""Reading only regular files: a named pipe, a device or a folder is refused before it is opened.

Opening a FIFO for reading blocks until something writes to it, and a device such as /dev/zero
never ends; both would hang an import. `check_regular` looks with stat (which never blocks);
`open_regular` opens without blocking and checks again, so a file swapped for a pipe in between
is still refused.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.user_text import printable

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path: str | os.PathLike, what: str = "file") -> Path:
    """`path` if it names an existing regular file (symlinks followed), else a clear error."""
    if not str(path).strip():
        raise InvalidInput(f"Give the {what} to read (the path is empty).")
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NotFound(f"There is no file {printable(path)}.") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "the path is not valid"
        raise InvalidInput(f"{printable(path)} cannot be read: {reason}.") from None
    if not stat.S_ISREG(st.st_mode):
        raise InvalidInput(f"{printable(path)} is {_kind(st.st_mode)}, not a {what}; only "
                           "ordinary files are read.")
    return path


def open_regular(path: str | os.PathLike, what: str = "file") -> BinaryIO:
    """Open a regular file for reading in binary, never blocking on a pipe or a device."""
    path = check_regular(path, what)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InvalidInput(f"{printable(path)} cannot be read: {exc.strerror}.") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InvalidInput(f"{printable(path)} is not an ordinary file; only ordinary files "
                               "are read.")
        if getattr(os, "O_NONBLOCK", 0):  # POSIX: back to ordinary reads for a regular file
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: str | os.PathLike, cap: int, what: str = "file") -> bytes:
    """The whole of a regular file, refused (not truncated) when it is larger than `cap`."""
    with open_regular(path, what) as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.safety import size_text

        raise InvalidInput(f"{printable(Path(path).name)} is too large for a {what} (the limit "
                           f"is {size_text(cap)}).")
    return data
