"""Source folders: where the case files and policies live, and how their files are chosen.

The app only ever reads a source folder. Each source has a kind (`case-files`, `policies`,
`other`) and include/exclude globs over paths relative to the folder. Office lock and temp files
are always ignored.
"""
from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import os

from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.base.fsnames import display, to_store
from evidence_app.core.store import sources as store
from evidence_app.core.store.records import Source

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

KINDS = ("case-files", "policies", "other")

# Files nobody means as evidence: Office owner/lock files, temp files, OS litter.
ALWAYS_IGNORED = ("~$*", "*.tmp", ".~lock*", "~*.tmp", "Thumbs.db", "desktop.ini", ".DS_Store",
                  "*.crdownload", "*.part")

_IGNORED = re.compile("|".join(fnmatch.translate(p) for p in ALWAYS_IGNORED), re.IGNORECASE)

# Child case references found in a path. CH-123456 anywhere; a bare 6–8 digit number (LCS/Mosaic
# person IDs) only as a whole folder name or at the start of one ("1234567 Smith"), so dates and
# version numbers in file names are not mistaken for cases.
DEFAULT_CASE_PATTERNS = (r"\b(CH-\d{6})\b", r"^(\d{6,8})(?:$|[ _-])")


def wants(source: Source, rel_posix: str, name: str) -> bool:
    """Should this file (path relative to the source, POSIX separators) be indexed?"""
    if _IGNORED.match(name):
        return False
    if source.include and not any(_glob(rel_posix, name, pat) for pat in source.include):
        return False
    return not any(_glob(rel_posix, name, pat) for pat in source.exclude)


def _glob(rel_posix: str, name: str, pattern: str) -> bool:
    if "/" in pattern:
        return fnmatch.fnmatch(rel_posix, pattern) or fnmatch.fnmatch(rel_posix, pattern.lstrip("/"))
    return fnmatch.fnmatch(name, pattern)


# Folders that hold the operating system, never case files: indexing them would read devices,
# other users' secrets or millions of program files. A drive root (`/`, the system drive) too.
SYSTEM_FOLDERS_POSIX = ("/proc", "/sys", "/dev", "/run", "/boot", "/etc", "/bin", "/sbin",
                        "/lib", "/lib32", "/lib64", "/usr", "/var/run", "/var/lib", "/System",
                        "/Library", "/private/etc", "/private/var/db", "/cores")
SYSTEM_FOLDERS_WINDOWS = ("Windows", "Program Files", "Program Files (x86)", "ProgramData",
                          "$Recycle.Bin", "System Volume Information", "Recovery")


def refuse_unsuitable(path: str | Path) -> Path:
    """The folder a source path names, or InvalidInput saying plainly why it cannot be one."""
    text = str(path) if path is not None else ""
    if not text.strip():
        raise InvalidInput("Give the folder to add as a source (the path was empty).")
    folder = Path(text).expanduser().resolve()
    if folder.parent == folder:
        raise InvalidInput(f"{folder} is the top of a whole drive; add the folder that holds "
                           "the case files or policies instead.")
    system = _system_folder(folder)
    if system:
        raise InvalidInput(f"{folder} is a system folder ({system}); it holds the operating "
                           "system, not case files, and cannot be a source.")
    return folder


def _system_folder(folder: Path) -> str | None:
    if os.name == "nt":
        drive = Path(os.environ.get("SystemDrive", "C:") + "\\")
        for name in SYSTEM_FOLDERS_WINDOWS:
            base = drive / name
            if _under(folder, base):
                return str(base)
        root = Path(os.environ.get("SystemRoot", str(drive / "Windows")))
        return str(root) if _under(folder, root) else None
    for base in SYSTEM_FOLDERS_POSIX:
        if _under(folder, Path(base)):
            return base
    return None


def _under(folder: Path, base: Path) -> bool:
    try:
        return folder == base or folder.is_relative_to(base) or (
            str(folder).lower() == str(base).lower()
            or str(folder).lower().startswith(str(base).lower().rstrip("\\/") + "\\"))
    except ValueError:
        return False


def add_source(ws: Workspace, path: str | Path, kind: str, include: list[str] | None = None,
               exclude: list[str] | None = None) -> Done[Source]:
    """Index a folder from now on (or change the kind and patterns of one already added).
    Undone: a new source is removed again (its documents, if any were read, stay, marked
    missing, as after `remove_source`); a changed one gets its old kind and patterns back."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown source kind {kind!r}: use one of {', '.join(KINDS)}.")
    folder = refuse_unsuitable(path)
    if not folder.is_dir():
        raise InvalidInput(f"{display(str(folder))} is not a folder that exists.")
    if folder.is_relative_to(ws.root):
        raise InvalidInput("A source folder cannot be inside the workspace folder.")
    before = store.by_path(ws.conn, to_store(str(folder)))
    with _transaction(ws):
        store.save(ws.db, to_store(str(folder)), kind, include or [], exclude or [])
    source = get_source(ws, folder)
    if before is None:
        undo = lambda w: remove_source(w, folder)  # noqa: E731
    else:
        undo = lambda w: add_source(w, folder, before.kind, list(before.include),  # noqa: E731
                                    list(before.exclude))
    return Done(source, Changes.of("sources", ids=(("source", source.uuid),)), undo,
                f"Add source {display(str(folder))}")


def get_source(ws: Workspace, path: str | Path) -> Source:
    if not str(path).strip():
        raise InvalidInput("Give the source folder (the path was empty).")
    folder = Path(path).expanduser().resolve()
    source = store.by_path(ws.conn, to_store(str(folder)))
    if source is None:
        raise NotFound(f"{display(str(folder))} is not a source of this workspace.")
    return source


def list_sources(ws: Workspace) -> list[Source]:
    return store.all_sources(ws.conn)


def remove_source(ws: Workspace, path: str | Path) -> Done[Source]:
    """Stop indexing a folder. Its documents stay (evidence may point at them), marked missing.
    Undone: the folder is a source again with its kind and patterns, and its documents get back
    the statuses they had (the next index run checks them against the disk as usual)."""
    source = get_source(ws, path)
    # start-up: loaded only when this runs
    from evidence_app.core.store import documents as docstore

    with _transaction(ws):
        states = store.document_states(ws.db, source.id)
        docstore.mark_source_removed(ws.db, source.id)

    def undo(w: Workspace) -> Done[Source]:
        with _transaction(w):
            store.save(w.db, to_store(str(source.path)), source.kind, list(source.include),
                       list(source.exclude))
            again = store.by_path(w.conn, to_store(str(source.path)))
            store.reattach_documents(w.db, again.id, states)
        return Done(again, Changes.of("sources", "documents"),
                    lambda w2: remove_source(w2, source.path),
                    f"Remove source {display(str(source.path))}")

    return Done(source, Changes.of("sources", "documents"), undo,
                f"Remove source {display(str(source.path))}")


def _transaction(ws: Workspace):  # noqa: ANN202 - a context manager (store/db.transaction)
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    return transaction(ws.db)


def case_patterns(ws: Workspace) -> list[re.Pattern[str]]:
    raw = ws.get_meta("case_patterns")
    patterns = json.loads(raw) if raw else list(DEFAULT_CASE_PATTERNS)
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def set_case_patterns(ws: Workspace, patterns: list[str]) -> Done[int]:
    """Use these patterns to find case references in paths, and relink every document under a
    case-files source (not those linked by hand). Its value is how many documents changed case;
    undone, the old patterns come back and the documents are linked by them again."""
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise InvalidInput(f"The case pattern {p!r} is not a valid regular expression: {exc}.")
    old = ws.get_meta("case_patterns")
    with _transaction(ws):
        ws.set_meta("case_patterns", json.dumps(patterns))
        moved = relink_cases(ws)

    def undo(w: Workspace) -> Done[int]:
        back = set_case_patterns(w, json.loads(old) if old else list(DEFAULT_CASE_PATTERNS))
        return Done(back.value, back.changes, lambda w2: set_case_patterns(w2, patterns),
                    "Change case patterns")

    return Done(moved, Changes.of("documents", "cases"), undo, "Change case patterns")


def relink_cases(ws: Workspace) -> int:
    """Recompute the case of every document under a case-files source (not those linked by hand).
    Returns how many documents changed case."""
    from evidence_app.core.store.db import transaction  # start-up: loaded only when this runs

    patterns = case_patterns(ws)
    rows = store.case_file_documents(ws.conn)
    changes = [(new, doc_id) for doc_id, rel, old in rows
               if (new := case_ref_for(rel.split("#", 1)[0], patterns)) != old]
    with transaction(ws.db):
        store.set_case_refs(ws.db, changes)
    return len(changes)


def case_ref_for(rel_posix: str, patterns: list[re.Pattern[str]]) -> str | None:
    """The child's case reference in a path relative to a case-files source, if any.

    Folders are tried from the top, so `CH-004512/Visits/...` links to CH-004512 even when the
    file name mentions another child.
    """
    parts = rel_posix.split("/")
    for part in parts:
        for pat in patterns:
            m = pat.search(part)
            if m:
                return (m.group(1) if m.groups() else m.group(0)).upper()
    return None
