"""Small file-system guarantees shared by the journal, backups and exports."""
from __future__ import annotations

import os
from pathlib import Path
import stat


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable (POSIX; a no-op where folders can't be
    opened, e.g. Windows, whose NTFS journals the rename itself)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(str(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


# -- private by default (POSIX permissions) ------------------------------------------------------
# The workspace holds children's records: its folder is 0700 and every file the app writes in it
# (database, WAL/SHM, backups, journal, logs, markers) is 0600, whatever the umask. Files are
# created with the mode they need (os.open's mode can only lose bits to the umask, and fchmod then
# sets it exactly); files SQLite creates itself (WAL, SHM) take the database file's own mode.
# Exports are not made here: they follow the user's umask because they are meant to be shared.
INTEGRITY_STATE = ".integrity-check.json"  # the last whole-file check (core/safety/integrity.py)
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
# folders of a workspace whose content is private (exports/ is not: see above)
PRIVATE_SUBDIRS = ("backups", "journal", "logs", "damaged", ".encrypting")


def is_posix() -> bool:
    return os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed; make it 0700 (POSIX)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if is_posix():
        try:
            os.chmod(path, PRIVATE_DIR)
        except OSError:
            pass
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (used before SQLite or VACUUM INTO write
    it, so the database and its WAL/SHM are private from their first byte)."""
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 PRIVATE_FILE)
    try:
        if is_posix():
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def make_private(path: Path) -> None:
    """Take away group and other permissions (never adds any: a file the person made read-only
    stays read-only)."""
    if not is_posix():
        return
    try:
        st = os.lstat(path)
    except OSError:
        return

    if stat.S_ISLNK(st.st_mode):
        return
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        try:
            os.chmod(path, mode & ~0o077)
        except OSError:
            pass


def tighten_workspace(root: Path) -> None:
    """An existing workspace made before files were private: the folder, its database files and
    private sub-folders lose group/other access. Cheap: a few dozen chmods, no walk of exports."""
    if not is_posix():
        return
    root = Path(root)
    make_private(root)
    try:
        top = list(os.scandir(root))
    except OSError:
        return
    for entry in top:
        if entry.name == "exports":
            continue
        make_private(Path(entry.path))
        if entry.name in PRIVATE_SUBDIRS and entry.is_dir(follow_symlinks=False):
            try:
                for sub in os.scandir(entry.path):
                    make_private(Path(sub.path))
            except OSError:
                pass


def shred(path: Path) -> None:
    """Overwrite a file with zeros, fsync, then delete it (plaintext copies after encrypting).
    On SSDs and copy-on-write file systems the old blocks may survive: the README says so."""
    zero_fill(path)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def zero_fill(path: Path) -> None:
    """Zeros over a file's whole content, fsynced (before it is deleted or replaced)."""
    try:
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            block = b"\0" * (1024 * 1024)
            left = size
            while left > 0:
                n = min(left, len(block))
                f.write(block[:n])
                left -= n
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
