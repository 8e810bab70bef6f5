"""Walking source folders: which entries exist now, with their size and modification time.

Pure reading; nothing is opened but folders. Every entry gets an outcome: a regular file is a
`SeenFile` to index; anything else that is not hidden or ignored is a `SeenFile` with a
`skip_reason` (recorded as `skipped`, never opened):

- named pipes, sockets and devices: opening a FIFO blocks the reader forever;
- symbolic links (and Windows junctions) are never followed, wherever they lead. The reason says
  what the link is: to a place inside the source (indexed there, at its own path), outside it
  (never read: a link must not smuggle /etc or another person's folder into the index), a loop,
  or broken;
- a folder that cannot be opened (permissions), with the system's reason.

The same rules serve the full walk (`walk_source`) and the watcher's single paths (`stat_one`).
The workspace folder is skipped if it sits inside a source. Path tests compare whole path
components (`inside`), so /x/ws_src is not taken for part of /x/ws.
"""
from __future__ import annotations

import errno
import os
import stat
from typing import Iterator

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.fsnames import to_store
from evidence_app.core.index.sources import _IGNORED, Source, wants

_IGNORED_MATCH = _IGNORED.match

_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


@frozen
class SeenFile:
    path: str  # absolute, disk form (see fsnames)
    rel_path: str  # relative to the source, POSIX separators
    source: Source
    size: int | None
    mtime: float | None
    skip_reason: str | None = None  # set: record as skipped, never open
    kind: str = "file"  # file | folder | link | fifo | socket | device


def inside(path: str, root: str) -> bool:
    """True if `path` is `root` or below it, comparing whole path components."""
    root = root.rstrip(os.sep) or os.sep
    if path == root:
        return True
    return path.startswith(root if root.endswith(os.sep) else root + os.sep)


def _rel(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def _special(mode: int) -> tuple[str, str] | None:
    """(kind, reason) for a file-system object that is not a regular file, folder or link."""
    if stat.S_ISFIFO(mode):
        what, kind = "a named pipe (FIFO)", "fifo"
    elif stat.S_ISSOCK(mode):
        what, kind = "a socket", "socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what, kind = "a device", "device"
    elif stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return None
    else:
        what, kind = "a special file", "device"
    return kind, f"Skipped: not a regular file ({what}); it was never opened."


def is_link(path: str, st: os.stat_result | None = None) -> bool:
    """A symbolic link, or on Windows any reparse point (junction, mount point)."""
    try:
        st = st or os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return True
    return bool(getattr(st, "st_file_attributes", 0) & _REPARSE_POINT)


def link_reason(path: str, root: str) -> str:
    """Why a link inside a source is not followed, in words a person understands."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "A link that leads round in a loop; it was not followed."
        return "A broken link (what it points to does not exist); it was not followed."
    target = os.path.realpath(path)
    if not inside(target, root):
        return ("A link to a place outside this source folder; links are never followed, so "
                "what it points to is not indexed. Add that folder as a source to index it.")
    if inside(os.path.dirname(path), target):
        return "A link back to a folder above it (a loop); it was not followed."
    return (f"A link to '{_rel(target, root)}' in this source folder; links are not followed, "
            "so that is indexed at its own place.")


def _skipped(path: str, root: str, source: Source, st: os.stat_result | None, kind: str,
             reason: str) -> SeenFile:
    size = st.st_size if st is not None and kind not in ("folder",) else None
    mtime = st.st_mtime if st is not None else None
    return SeenFile(path, _rel(path, root), source, size, mtime, reason, kind)


def walk_source(source: Source, skip: object = None, start: str | None = None
                ) -> Iterator[SeenFile]:
    """Every wanted entry under the source (or under `start`, a folder inside it)."""
    root = str(source.path)
    skip_str = str(skip) if skip else None
    stack = [start or root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except FileNotFoundError:
            continue  # vanished meanwhile: the next scan reconciles it
        except OSError as exc:
            if folder == root and not os.path.isdir(root):
                continue  # the source itself is gone (an unplugged drive): nothing to report
            yield _skipped(folder, root, source, _lstat(folder), "folder",
                           f"The folder could not be opened ({exc.strerror or exc}); the files "
                           "in it are not indexed.")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                seen = _classify(entry, root, source, skip_str)
            except OSError:
                continue  # vanished between listing and stat: the next scan reconciles it
            if seen is None:
                continue
            if seen == "descend":
                stack.append(entry.path)
                continue
            yield seen


def scan_source(source: Source, skip: object = None, skip_dirs: frozenset[str] = frozenset()
                ) -> Iterator[tuple[str, int, float, SeenFile | None]]:
    """The full walk at speed, for comparing a whole source with what is stored: every wanted
    entry as (path, size, mtime, None) for a regular file, or (path, size, mtime, SeenFile with
    a skip_reason) for anything else; the same rules as `walk_source`.

    Entries come in the order the database sorts their stored paths (each folder's entries
    sorted by stored name, a folder's name with a separator after it), so the caller can compare
    them with the stored rows in one pass (`indexer.plan_full`). No object is made for a regular
    file, and on POSIX a folder costs no stat (its type comes with the listing): at 100,000
    files this walk is most of a rescan. `skip_dirs`: folders not to enter (other sources
    inside this one, walked on their own)."""
    root = str(source.path)
    cut = len(root.rstrip(os.sep)) + 1
    skip_str = str(skip) if skip else None
    posix = os.name == "posix"
    sep = os.sep
    ignored = _IGNORED_MATCH

    def wanted(rel: str, name: str) -> bool:
        return wants(source, rel, name)

    plain = not source.include and not source.exclude
    isreg = stat.S_ISREG

    def listing(folder: str):
        try:
            with os.scandir(folder) as it:
                items = []
                for e in it:
                    name = e.name
                    if name.startswith("."):
                        continue
                    key = name if name.isascii() else to_store(name)
                    if posix and e.is_dir(follow_symlinks=False):
                        items.append((key + sep, True, e))
                    else:
                        items.append((key, False, e))
        except FileNotFoundError:
            return ()
        except OSError as exc:
            if folder == root and not os.path.isdir(root):
                return ()
            return [("", None, exc)]
        items.sort(key=_first)
        return items

    stack = [(root, iter(listing(root)))]
    while stack:
        folder, items = stack[-1]
        for _key, is_dir, e in items:
            if is_dir is None:  # the folder could not be opened
                yield folder, None, None, _skipped(
                    folder, root, source, _lstat(folder), "folder",
                    f"The folder could not be opened ({e.strerror or e}); the files in it are "
                    "not indexed.")
                continue
            if is_dir:
                if e.path != skip_str and e.path not in skip_dirs:
                    stack.append((e.path, iter(listing(e.path))))
                    break
                continue
            try:
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat: the next scan reconciles it
            if isreg(st.st_mode) and not (not posix and is_link(e.path, st)):
                name = e.name
                if plain:
                    if ignored(name):
                        continue
                else:
                    rel = e.path[cut:]
                    if not wanted(rel if posix else rel.replace(sep, "/"), name):
                        continue
                yield e.path, st.st_size, st.st_mtime, None
                continue
            try:
                seen = _classify(e, root, source, skip_str, st)
            except OSError:
                continue
            if seen is None:
                continue
            if seen == "descend":  # a folder (Windows, or a file system without types)
                if e.path not in skip_dirs:
                    stack.append((e.path, iter(listing(e.path))))
                    break
                continue
            yield seen.path, seen.size, seen.mtime, seen
        else:
            stack.pop()


def _first(item: tuple) -> str:
    return item[0]


def seen_from_stat(path: str, source: Source, size: int | None, mtime: float | None
                   ) -> SeenFile | None:
    """The SeenFile of a regular file below `source` whose stat is known, or None if the
    path is not below it."""
    root = str(source.path)
    if not inside(path, root) or path == root:
        return None
    rel = path[len(root.rstrip(os.sep)) + 1:]
    return SeenFile(path, rel.replace(os.sep, "/") if os.sep != "/" else rel, source, size, mtime)


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _classify(entry: os.DirEntry, root: str, source: Source, skip_str: str | None,
              st: os.stat_result | None = None):
    """A SeenFile, "descend" for a folder to walk, or None for an entry we ignore."""
    st = st or entry.stat(follow_symlinks=False)
    rel = entry.path[len(root.rstrip(os.sep)) + 1:]  # (os.path.relpath is 10x slower)
    if os.sep != "/":
        rel = rel.replace(os.sep, "/")
    if is_link(entry.path, st):
        if not wants(source, rel, entry.name):
            return None
        return _skipped(entry.path, root, source, st, "link", link_reason(entry.path, root))
    if stat.S_ISDIR(st.st_mode):
        return None if entry.path == skip_str else "descend"
    if not wants(source, rel, entry.name):
        return None
    special = _special(st.st_mode)
    if special:
        return _skipped(entry.path, root, source, st, special[0], special[1])
    return SeenFile(entry.path, rel, source, st.st_size, st.st_mtime)


def stat_one(path: str, sources: list[Source]) -> SeenFile | None:
    """The SeenFile for one path (used by the watcher), or None if gone, a folder, or not
    wanted. Same rules as `walk_source`: a path reached through a linked folder is not wanted."""
    for source in sources:
        root = str(source.path)
        if path == root or not inside(path, root):
            continue
        rel = _rel(path, root)
        if any(part.startswith(".") for part in rel.split("/")):
            return None
        parent = os.path.dirname(path)
        if parent != root and not _same(os.path.realpath(parent), parent):
            return None  # below a linked folder (or the folder is gone): never followed
        st = _lstat(path)
        if st is None:
            return None
        name = os.path.basename(path)
        if is_link(path, st):
            if not wants(source, rel, name):
                return None
            return _skipped(path, root, source, st, "link", link_reason(path, root))
        if stat.S_ISDIR(st.st_mode) or not wants(source, rel, name):
            return None
        special = _special(st.st_mode)
        if special:
            return _skipped(path, root, source, st, special[0], special[1])
        return SeenFile(path, rel, source, st.st_size, st.st_mtime)
    return None


def _same(a: str, b: str) -> bool:
    return os.path.normcase(a) == os.path.normcase(b)


def source_for(path: str, sources: list[Source]) -> Source | None:
    for source in sources:
        if inside(path, str(source.path)) and path != str(source.path):
            return source
    return None
