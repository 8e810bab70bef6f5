"""The options many commands share, defined once: `--json`, `--force`, the repeatable lists
(`--case A B --case C`) and `--pseudonymise`, and `command`, which makes a subcommand with its
handler.

Every part of cli/ registers its commands with these, so an option means the same and reads the
same in every command's --help (the command-line contract in README "Command line" and
../shared/design/CLI.md), and a change to one is made in one place.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing (the quick path of `search`)
if TYPE_CHECKING:
    import argparse
    from typing import Any, Callable


def command(sub: "argparse._SubParsersAction", name: str, handler: "Callable[..., Any]", *,
            help: str, **defaults: Any) -> "argparse.ArgumentParser":  # noqa: A002
    """A subcommand `name` whose handler (and any other `defaults`) is set; add its arguments
    to the parser returned."""
    parser = sub.add_parser(name, help=help)
    parser.set_defaults(handler=handler, **defaults)
    return parser


def json_option(parser: "argparse.ArgumentParser") -> None:
    """--json: the result as JSON on stdout (added last, after the command's other options)."""
    parser.add_argument("--json", action="store_true")


def force_option(parser: "argparse.ArgumentParser",
                 help: str = "replace an existing file") -> None:  # noqa: A002
    """--force: a command that writes a file never replaces one without it."""
    parser.add_argument("--force", action="store_true", help=help)


def repeatable(parser: "argparse.ArgumentParser", flag: str, metavar: str, help: str,
               **kwargs: Any) -> None:  # noqa: A002
    """A list option that takes one or more values and may be given again: `--case A B --case
    C` is [A, B, C]; none given is []."""
    parser.add_argument(flag, action="extend", nargs="+", default=[], metavar=metavar,
                        help=help, **kwargs)


def pseudonymise_option(parser: "argparse.ArgumentParser", help: str,
                        **kwargs: Any) -> None:  # noqa: A002
    """--pseudonymise: children's names to aliases and identifiers to [REDACTED] in what the
    command writes (each command says what else it checks)."""
    parser.add_argument("--pseudonymise", action="store_true", help=help, **kwargs)
