"""The quick path for the read-only commands run most often: `search` and `status`.

A whole `evidence-app search WORD --json` is held to twice the time of recoll's `recollq` (issue
9). Building the full parser (argparse, the command's part with every option given a checking
type, the safety part wrapping every command) cost more than the search itself on an ordinary
workspace, and so did the full opening of the workspace (pathlib, typing, the crypto, lock and
journal modules, every migration). For a command line of the usual shape this module reads the
arguments itself and runs the very same handler (cli/search.py, cli/workspace.py) with the same
outcome handling (cli/common.py):

- `search` on a plain, healthy workspace (cli/fast_open.py says which) is opened here with `os`
  and `sqlite3` alone: nothing is loaded that the answer does not need;
- anything else about the workspace (encrypted, read-only media, a synchronised folder, an older
  schema, work to replay, `status`, the default workspace) is opened the usual way
  (cli/safety.py), so every warning, refusal and repair is the full path's own.

It only ever takes a command line that the full parser would accept and pass on unchanged: the
whole option names, values its checks (cli/argtypes.py) would leave as they are. Anything else
(help, an abbreviated or unknown option, a value that would be cleaned or refused, a word after
an option, `--`) returns None and goes to the full command line, which answers as it always has.
tests/cli/test_quick_path.py and test_fast_*.py check that both ways print the same bytes.
"""
from __future__ import annotations

import os
import sys

from evidence_app.cli.limits import MAX_LIMIT, MAX_TEXT

SORTS = ("relevance", "date")
FLAGS = {
    "search": ("--json", "--exact", "--allow-synced-folder"),
    "status": ("--json", "--allow-synced-folder"),
}
VALUES = {"search": ("--limit", "--sort"), "status": ()}


class Args:
    """What argparse would have made of the same command line (the handlers read attributes)."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def parse(argv: list[str]) -> tuple[str, Args] | None:
    """(command, arguments) for a command line of the usual shape, else None."""
    i, workspace = 0, None
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg in ("-w", "--workspace") and i + 1 < len(argv) and \
                not argv[i + 1].startswith("-"):
            workspace, i = argv[i + 1], i + 2
        elif arg.startswith("--workspace="):
            workspace, i = arg[len("--workspace="):], i + 1
        else:
            return None
    if i >= len(argv) or argv[i] not in FLAGS:
        return None
    command, rest = argv[i], argv[i + 1:]
    if workspace is not None and not _plain_workspace(workspace):
        return None
    values: dict[str, object] = {"workspace": workspace, "self_test": False, "command": command,
                                 "json": False, "allow_synced_folder": False}
    if command == "search":
        values.update(exact=False, limit=20, sort="relevance")
    words: list[str] = []
    words_ended = False
    j = 0
    while j < len(rest):
        arg = rest[j]
        if not arg.startswith("-"):
            if words_ended or command != "search" or not _plain_text(arg):
                return None
            words.append(arg)
        elif arg in FLAGS[command]:
            values[arg[2:].replace("-", "_")] = True
            words_ended = bool(words)
        else:
            name, eq, value = arg.partition("=")
            if name not in VALUES[command]:
                return None
            if not eq:
                if j + 1 >= len(rest) or rest[j + 1].startswith("-"):
                    return None
                j, value = j + 1, rest[j + 1]
            if name == "--limit":
                if not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_LIMIT):
                    return None
                values["limit"] = int(value)
            elif value in SORTS:
                values["sort"] = value
            else:
                return None
            words_ended = bool(words)
        j += 1
    if command == "search":
        if not words:
            return None
        values["query"] = words
    return command, Args(**values)


def _plain_text(value: str) -> bool:
    """A word that argtypes.nonempty_text would pass on unchanged: not blank, not too long, no
    space around it and nothing that user_text.clean_text replaces (control characters, lone
    surrogates). Checked by hand: clean_text's patterns cost a millisecond to compile."""
    if not value.strip() or len(value) > MAX_TEXT or value.strip() != value:
        return False
    return not any(c < " " or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" or
                   "\ud800" <= c <= "\udfff" for c in value)


def _plain_workspace(value: str) -> bool:
    """A folder that argtypes.workspace_dir would accept."""
    return bool(value.strip()) and "\x00" not in value and \
        (os.path.isdir(value) or not os.path.exists(value))


def run(argv: list[str]) -> int | None:
    """The command's exit code, or None if it is not one for the quick path."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, args = parsed
    for stream in (sys.stdout, sys.stderr):  # odd file names must not end a command
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if command == "search":
        code = _search_plain_workspace(args, argv)
        if code is not None:
            return code
    # start-up: only the command that runs loads it
    from evidence_app.cli.common import run_handler
    from evidence_app.cli.safety import DAILY_CHECK_AFTER, READ, _opening

    if command == "search":
        # start-up: only the command that runs loads it
        from evidence_app.cli.search import cmd_search as handler
    else:
        # start-up: only the command that runs loads it
        from evidence_app.cli.workspace import cmd_status as handler
    here = (command,)
    wrapped = _opening(handler, "reader" if here in READ else "write", command,
                       here in DAILY_CHECK_AFTER)
    return run_handler(wrapped, args, argv)


def _search_plain_workspace(args: Args, argv: list[str]) -> int | None:
    """`search` on a plain, healthy workspace, opened by cli/fast_open.py; None for any other
    (the caller then opens it the usual way)."""
    root = workspace_folder(getattr(args, "workspace", None))
    if root is None:
        return None
    # start-up: only the command that runs loads it
    from evidence_app.cli.fast_open import open_plain

    ws = open_plain(root)
    if ws is None:
        return None
    # start-up: only the command that runs loads it
    from evidence_app.cli.common import Context, run_handler
    from evidence_app.cli.search import cmd_search

    def handler(args: Args, ctx: Context) -> int | None:
        try:
            return cmd_search(args, ctx)  # type: ignore[arg-type]
        except Exception as exc:
            _disk_full_instead(exc, ctx)
            raise

    return run_handler(handler, args, argv, Context(args, root, ws))  # type: ignore[arg-type]


def workspace_folder(given: str | None) -> str | None:
    """The folder paths.resolve_workspace gives for `--workspace` or $EVIDENCE_WORKSPACE, with
    os.path (no pathlib); None for the default workspace (its folder comes from platformdirs:
    the usual way finds it)."""
    value = given or os.environ.get("EVIDENCE_WORKSPACE")
    if not value:
        return None
    return os.path.realpath(os.path.expanduser(value))


def _disk_full_instead(exc: BaseException, ctx: object) -> None:
    """A full disk is one line, as cli/safety.py's opening says it for every other command."""
    # start-up: loaded already by the search (the C module, store/dbapi.py)
    from evidence_app.core.store.dbapi import DatabaseError

    if not isinstance(exc, (OSError, DatabaseError)):
        return
    # start-up: only a failing command loads it
    from evidence_app.core.safety.backup import DiskFull, disk_full_message, is_disk_full

    if is_disk_full(exc):
        raise DiskFull(disk_full_message("the command", getattr(ctx, "workspace_path"))) from exc
