"""Walking source folders: which files exist now, with their size and modification time.

Pure reading; symlinked folders are not followed (no loops, no escaping the source). The
workspace folder is skipped if it sits inside a source.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .sources import Source


@dataclass(frozen=True)
class SeenFile:
    path: str  # absolute
    rel_path: str  # relative to the source, POSIX separators
    source: Source
    size: int
    mtime: float


def walk_source(source: Source, skip: Path | None = None) -> Iterator[SeenFile]:
    root = str(source.path)
    skip_str = str(skip) if skip else None
    prefix = len(root.rstrip(os.sep)) + 1
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue  # unreadable folder: nothing to index there, not an error for the run
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.path != skip_str and not entry.name.startswith("."):
                        stack.append(entry.path)
                    continue
                if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                    continue
                rel = entry.path[prefix:]
                if os.sep != "/":
                    rel = rel.replace(os.sep, "/")
                if not source.wants(rel, entry.name):
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat: the next scan reconciles it
            yield SeenFile(entry.path, rel, source, st.st_size, st.st_mtime)


def stat_one(path: str, sources: list[Source]) -> SeenFile | None:
    """The SeenFile for one path (used by the watcher), or None if gone or not wanted."""
    for source in sources:
        root = str(source.path)
        if path == root or not path.startswith(root.rstrip(os.sep) + os.sep):
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if any(part.startswith(".") for part in rel.split("/")[:-1]):
            return None
        name = os.path.basename(path)
        if not source.wants(rel, name):
            return None
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            return None
        if not os.path.isfile(path):
            return None
        return SeenFile(path, rel, source, st.st_size, st.st_mtime)
    return None


def source_for(path: str, sources: list[Source]) -> Source | None:
    for source in sources:
        root = str(source.path).rstrip(os.sep) + os.sep
        if path.startswith(root):
            return source
    return None
