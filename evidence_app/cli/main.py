"""The command line: every capability of the core, for scripts and for people at a terminal.

`evidence-app [--workspace DIR] COMMAND ...`. Output for scripts goes to stdout (`--json`);
progress and messages go to stderr; a failure is one readable line on stderr and exit code 1.
Each area of the app registers its commands from a module in `cli/`.

Start-up is kept short (a search is typed and run from scripts many times): only the part that
defines the command given is imported and registered (building every subcommand's parser costs
tens of milliseconds), and each handler imports what it needs when it runs.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import TYPE_CHECKING, Any

from evidence_app import __version__
from evidence_app.cli.argtypes import OneLineParser
from evidence_app.cli.common import Context, run_handler, say
from evidence_app.cli.argtypes import harden
import os

if TYPE_CHECKING:
    from typing import Callable

# Modules that add subcommands: each has register(subparsers) and handlers taking (args, ctx).
# `safety` comes last: it decides how every command registered before it opens the workspace.
PARTS = ["workspace", "sources", "index", "ocr", "search", "evidence", "cases", "framework",
         "requests", "settings", "audit", "bundles", "sef", "packs", "safety"]
# Which part registers each top-level command, so only that part is loaded. A command missing
# here still works (every part is loaded then); tests/cli/test_startup.py keeps this true.
COMMAND_PARTS = {
    "init": "workspace", "status": "workspace",
    "source": "sources",
    "index": "index", "documents": "index", "problems": "index", "ocr": "ocr",
    "search": "search", "saved-search": "search",
    "tag": "evidence", "evidence": "evidence", "coverage": "evidence",
    "caseloads": "cases", "case": "cases",
    "framework": "framework",
    "request": "requests",
    "settings": "settings",
    "audit": "audit",
    "bundle": "bundles", "export": "bundles",
    "sef": "sef",
    "pack": "packs",
    "backup": "safety", "backups": "safety", "restore": "safety", "check": "safety",
    "passphrase": "safety",
}


def command_word(argv: list[str]) -> str | None:
    """The top-level command in argv (after the global options); None if there is none or help
    is asked for before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--workspace", "-w"):
            skip = True
        elif arg in ("-h", "--help"):
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def parts_for(argv: list[str]) -> list[str]:
    """The cli modules needed to parse argv: the command's own part (and safety, which
    wraps it), or all of them for help, an unknown command or a mistyped one."""
    part = COMMAND_PARTS.get(command_word(argv) or "")
    if part is None or part not in PARTS:
        return list(PARTS)
    return [p for p in PARTS if p in (part, "safety")]


class _Formatter(argparse.HelpFormatter):
    """Help text at the terminal's width, measured once (argparse makes a formatter for every
    argument it registers, and each asks the terminal for its size)."""

    width: int | None = None

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if _Formatter.width is None:
            _Formatter.width = max(40, _terminal_columns() - 2)
        super().__init__(prog, indent_increment, max_help_position, width or _Formatter.width)


def _terminal_columns() -> int:
    """As shutil.get_terminal_size (COLUMNS, else the terminal, else 80), without importing
    shutil (which loads the zlib, bz2 and lzma modules)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(OneLineParser):
    """OneLineParser (and, through add_subparsers, every subcommand's) using _Formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _english_only() -> None:
    """The app speaks English only; argparse would look for a translation catalogue (several
    file-system checks) for every string it handles: ~50 ms of each command's start-up."""
    argparse._ = lambda message: message  # type: ignore[attr-defined]
    argparse.ngettext = (  # type: ignore[attr-defined]
        lambda singular, plural, n: singular if n == 1 else plural)


def build_parser(parts: list[str] | None = None) -> argparse.ArgumentParser:
    _english_only()
    parser = _Parser(
        prog="evidence-app",
        description="Evidence Organiser: index, search, tag and bundle evidence for an Ofsted "
                    "ILACS inspection. With no command, opens the window.")
    parser.add_argument("--workspace", "-w", metavar="DIR",
                        help="workspace folder (default: $EVIDENCE_WORKSPACE or your data folder)")
    parser.add_argument("--version", action="version", version=f"evidence-app {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation end to end in a temporary folder (no "
                             "window, no network); prints one line per step, exit code 0 if OK")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for part in (PARTS if parts is None else parts):
        importlib.import_module(f"evidence_app.cli.{part}").register(sub)
    harden(parser)  # every argument checked at the door (cli/argtypes.py)
    return parser


def run(argv: list[str], self_test: "Callable[[], int] | None" = None) -> int:
    """Run one command. `self_test` is what `--self-test` runs: the app root (app.py) passes it,
    since the self-test also checks the window, which the command line never imports."""
    for stream in (sys.stdout, sys.stderr):  # odd file names must not end a command
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser(parts_for(argv))
    args = parser.parse_args(argv)
    if args.self_test:
        if self_test is None:
            say("error: the self-test runs from the program: evidence-app --self-test")
            return 2
        return self_test()
    handler: Callable[[argparse.Namespace, Context], int | None] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    return run_handler(handler, args, argv)
