"""The command line: every capability of the core, for scripts and for people at a terminal.

`evidence-app [--workspace DIR] COMMAND ...`. Output for scripts goes to stdout (`--json`);
progress and messages go to stderr; a failure is one readable line on stderr and exit code 1.
Each area of the app registers its commands from a module in `cli_parts/`.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any, Callable

from . import __version__
from .core.errors import EvidenceError
from .paths import resolve_workspace

# Modules that add subcommands: each has register(subparsers) and handlers taking (args, ctx).
PARTS = ["engine", "evidence", "bundles", "safety"]


class Context:
    """What a command handler needs: the workspace, opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.workspace_path = resolve_workspace(getattr(args, "workspace", None))
        self._ws = None

    @property
    def ws(self):
        if self._ws is None:
            from .core.workspace import Workspace

            self._ws = Workspace.open(self.workspace_path)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays clean for scripts)."""
    print(message, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    from .cli_parts.argtypes import OneLineParser, harden

    parser = OneLineParser(
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
    for part in PARTS:
        importlib.import_module(f".cli_parts.{part}", __package__).register(sub)
    harden(parser)  # every argument checked at the door (cli_parts/argtypes.py)
    return parser


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from .selftest import run as self_test

        return self_test()
    handler: Callable[[argparse.Namespace, Context], int | None] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    ctx = Context(args)
    try:
        return int(handler(args, ctx) or 0)
    except EvidenceError as exc:
        from .core.user_text import printable

        say(f"error: {printable(exc, 2000)}")  # one line, whatever the message quotes
        return 1
    except KeyboardInterrupt:
        say("stopped.")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: logged in full, one line here
        from .cli_parts.unexpected import report

        say(report(exc, ctx, argv))
        return 1
    finally:
        ctx.close()
