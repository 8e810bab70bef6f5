"""Argument types for every command: checked at the door, refused in one line.

Every number, id, text and path a person (or a script, or a file system) can type goes through
one of these before a command runs, so a bad value is one readable `error:` line and exit code 2,
never a traceback further in (a 23-digit id overflowing SQLite, `--limit -1` dropping a hit,
`--jobs 500` starting 500 workers, `-w ""` silently meaning the default workspace, `--quote ""`
silently tagging the whole document).

`harden(parser)` runs once over the finished parser: arguments a command registered without a
type get one chosen by their name (TYPE_BY_DEST), plain `int` arguments get bounded ones, and
every parser prints its errors as a single line. Commands may also use these types directly.
Text is made storable (`core.user_text.clean_text`: bytes that are not UTF-8 are re-read as
Windows-1252, control characters dropped); paths are left exactly as the file system gave them.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from evidence_app.core.base.user_text import clean_text, printable
from evidence_app.core.base.errors import EvidenceError, InvalidInput
from evidence_app.cli.limits import MAX_LIMIT, MAX_TEXT  # noqa: F401 - re-exported: the bounds

MAX_ID = 2 ** 63 - 1  # SQLite's largest integer
MAX_POSITION = 1_000_000


def max_jobs() -> int:
    """Extraction workers worth starting here: 4 per processor, never more than 32."""
    return max(1, min(32, 4 * (os.cpu_count() or 1)))


class OneLineParser(argparse.ArgumentParser):
    """argparse, but every error is one `error:` line (the usage text is for --help).

    A value refused by one of the types below exits 1, like any other refusal of bad input; a
    malformed command line (unknown option, missing argument) exits 2, as argparse does."""

    def error(self, message: str):  # noqa: D401 - argparse's signature
        handling = sys.exc_info()[1]  # argparse calls error() while handling ArgumentError
        if isinstance(getattr(handling, "__context__", None), argparse.ArgumentTypeError):
            self.exit(1, f"error: {printable(message, 500)}\n")
        hint = f" (see '{self.prog} --help')" if self.prog else ""
        self.exit(2, f"error: {printable(message, 300)}{hint}\n")


def _fail(message: str):
    raise argparse.ArgumentTypeError(message)


# -- numbers and ids ---------------------------------------------------------------------------
def _whole_number(value: str) -> int | None:
    value = clean_text(value).strip().replace(",", "").replace("_", "")
    if value.startswith("+"):
        value = value[1:]
    negative = value.startswith("-")
    digits = value[1:] if negative else value
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 30:
        return None
    return -int(digits) if negative else int(digits)


def bounded_int(low: int, high: int, what: str = "a number") -> Callable[[str], int]:
    def parse(value: str) -> int:
        n = _whole_number(value)
        if n is None or not low <= n <= high:
            _fail(f"'{printable(value, 40)}' is not {what}: use a whole number from {low:,} to "
                  f"{high:,}")
        return n

    parse.__name__ = "number"
    return parse


positive_int = bounded_int(1, MAX_LIMIT, "a count")
position_int = bounded_int(1, MAX_POSITION, "a position")


def jobs_int(value: str) -> int:
    cap = max_jobs()
    n = _whole_number(value)
    if n is None or not 1 <= n <= cap:
        _fail(f"'{printable(value, 40)}' workers: use 1 to {cap} on this computer "
              f"({os.cpu_count() or 1} processors)")
    return n


def item_id(value: str) -> str:
    """An evidence item, bundle or document id (1 … 2**63-1) or a uuid."""
    key = clean_text(value).strip()
    if not key:
        _fail("the id is empty")
    if key.isascii() and key.isdigit():
        if not 1 <= int(key[:30]) <= MAX_ID or len(key) > 19:
            _fail(f"'{printable(key, 40)}' is not an id: ids are whole numbers from 1 to "
                  f"{MAX_ID}")
        return str(int(key))
    if len(key) > 64 or not all(c.isalnum() or c in "-_" for c in key):
        _fail(f"'{printable(key, 40)}' is not an id (a number, or a uuid)")
    return key


def document_ref(value: str) -> str:
    """A document id, or a path (left as the file system gave it)."""
    if not value.strip():
        _fail("the document is empty: give its path or its id from 'evidence-app documents'")
    key = value.strip()
    if key.isascii() and key.isdigit() and not os.path.exists(key):
        return item_id(key)
    return value


# -- text --------------------------------------------------------------------------------------
def text(value: str) -> str:
    """One-line text (names, titles, owners, patterns): may be empty ('' clears a field)."""
    if len(value) > MAX_TEXT:
        _fail(f"the text is too long ({len(value):,} characters; at most {MAX_TEXT:,})")
    return clean_text(value).strip()


def long_text(value: str) -> str:
    """Multi-line text (notes, prompts, descriptions): line breaks kept."""
    if len(value) > MAX_TEXT:
        _fail(f"the text is too long ({len(value):,} characters; at most {MAX_TEXT:,})")
    return clean_text(value, multiline=True).strip()


def nonempty_text(value: str) -> str:
    cleaned = text(value)
    if not cleaned:
        _fail("this must not be empty")
    return cleaned


def quote_text(value: str) -> str:
    cleaned = long_text(value)
    if not cleaned:
        _fail("the quote is empty: give the exact passage, or leave out --quote to tag the "
              "whole document")
    return cleaned


# -- paths -------------------------------------------------------------------------------------
def path_arg(value: str) -> str:
    if not value.strip():
        _fail("the path is empty")
    if "\x00" in value:
        _fail("the path contains a NUL character")
    return value


def workspace_dir(value: str) -> str:
    if not value.strip():
        _fail("the workspace folder is empty: give a folder, or leave out --workspace to use "
              "the default one")
    path_arg(value)
    if os.path.exists(value) and not os.path.isdir(value):
        _fail(f"{printable(value)} is a file, not a workspace folder")
    return value


def backup_ref(value: str) -> str:
    """A backup's name from 'backups', or a path; a path that exists must be an ordinary file
    (restoring from a pipe or a device would hang or read garbage)."""
    path_arg(value)
    if os.path.exists(value) and not os.path.isfile(value):
        existing_regular_file(value)
    return value


def existing_regular_file(value: str) -> str:
    path_arg(value)
    # start-up: only a command given a file reads this (it loads the date handling)
    from evidence_app.core.index.regular_file import check_regular

    try:
        check_regular(value)
    except EvidenceError as exc:
        _fail(str(exc))
    return value


def output_path(value: str) -> str:
    """A file to write: not a folder itself, and not inside something that is not a folder.
    (Whether an existing file may be replaced depends on --force: see `check_new_output`.)"""
    path_arg(value)
    path = Path(value).expanduser()
    if path.is_dir():
        _fail(f"{printable(value)} is a folder: give a file name inside it")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                _fail(f"{printable(parent)} is a file, so nothing can be written inside it")
            break
    return value


def check_new_output(path: str | os.PathLike, force: bool) -> None:
    """Refuse to replace an existing file unless --force was given."""
    p = Path(path)
    if p.is_dir():
        raise InvalidInput(f"{printable(p)} is a folder: give a file name inside it.")
    if (p.exists() or p.is_symlink()) and not force:
        raise InvalidInput(f"{printable(p)} already exists; add --force to replace it.")
    if p.exists() and not p.is_file():
        raise InvalidInput(f"{printable(p)} is not an ordinary file; it was not replaced.")


# -- applying them -----------------------------------------------------------------------------
# Arguments registered without a type get one by their destination name; any other string
# argument is one-line `text`. Paths are never cleaned: they must reach the file system as given.
TYPE_BY_DEST: dict[str, Callable[[str], object]] = {
    "workspace": workspace_dir,
    "path": path_arg, "out": output_path, "rejected_csv": output_path, "backup": backup_ref,
    "document": document_ref,
    "item": item_id, "id": item_id, "ident": nonempty_text, "ref": nonempty_text,
    "title": nonempty_text, "name": text, "query": nonempty_text, "version": nonempty_text,
    "patterns": nonempty_text,
    "quote": quote_text, "note": long_text, "prompt": long_text, "description": long_text,
    "purpose": long_text,
}
INT_BY_DEST: dict[str, Callable[[str], int]] = {
    "jobs": jobs_int, "limit": positive_int, "position": position_int,
}
FILE_DESTS = {"file"}  # read (import, send) or written (export): decided per command below
OUTPUT_DESTS = {"out", "rejected_csv"}  # files a command writes: never replaced without --force
WRITES = {("framework", "export")}


def _never_replace(parser: argparse.ArgumentParser, dest: str) -> None:
    """A command that writes the file named by `dest` refuses to replace one without --force
    (added if the command forgot it), whatever its own code does."""
    if not any("--force" in a.option_strings for a in parser._actions):
        parser.add_argument("--force", action="store_true", help="replace an existing file")
    handler = parser._defaults.get("handler")
    if handler is None or getattr(handler, "_never_replaces", False):
        return

    def run(args, ctx):  # noqa: ANN001, ANN202 - a handler's signature
        target = getattr(args, dest, None)
        if target is not None:  # an optional output left out: the command picks a new name
            check_new_output(target, bool(getattr(args, "force", False)))
        return handler(args, ctx)

    run.__wrapped__ = handler
    run._never_replaces = True
    parser.set_defaults(handler=run)


def harden(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Give every argument of every (sub)command a checking type (see the module docstring)."""
    for action in parser._actions:
        if action.dest in OUTPUT_DESTS or (action.dest in FILE_DESTS and path in WRITES):
            _never_replace(parser, action.dest)
            break
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                harden(sub, path + (name,))
            continue
        if not isinstance(action, (argparse._StoreAction, argparse._AppendAction)):
            continue
        if action.choices is not None:
            continue
        if action.type is int:
            action.type = INT_BY_DEST.get(action.dest, bounded_int(-MAX_POSITION, MAX_POSITION))
        elif action.type is None:
            if action.dest in FILE_DESTS:
                action.type = output_path if path in WRITES else existing_regular_file
            else:
                action.type = TYPE_BY_DEST.get(action.dest, text)

