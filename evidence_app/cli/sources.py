"""Source folders: `source add/list/remove` and `source case-pattern` (how a path names a case).
The app only reads these folders."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.base.fsnames import display


def register(sub: argparse._SubParsersAction) -> None:
    src = sub.add_parser("source", help="folders of case files and policies")
    ssub = src.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    p = command(ssub, "add", cmd_source_add, help="add a folder to index")
    p.add_argument("path")
    p.add_argument("--kind", required=True, choices=["case-files", "policies", "other"])
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="only files matching (repeatable), e.g. '*.docx' or 'Visits/*'")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files matching (repeatable)")
    p = command(ssub, "list", cmd_source_list, help="list source folders")
    json_option(p)
    p = command(ssub, "remove", cmd_source_remove,
                help="stop indexing a folder (its documents stay, marked missing)")
    p.add_argument("path")
    p = command(ssub, "case-pattern", cmd_case_pattern,
                help="how case references are found in paths")
    p.add_argument("patterns", nargs="*", metavar="REGEX",
                   help="regular expressions (group 1 is the reference); none: show them")
    p.add_argument("--reset", action="store_true", help="back to the defaults")


def cmd_source_add(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.sources import add_source

    s = add_source(ctx.ws, args.path, args.kind, args.include, args.exclude).value

    say(f"Added {display(str(s.path))} as {s.kind}. Run 'evidence-app index' to read it.")
    return 0


def cmd_source_list(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.sources import list_sources

    sources = list_sources(ctx.ws)
    if args.json:
        # start-up: only --json needs the record's shape
        from evidence_app.core.store.records import source_as_json

        emit_json([source_as_json(s) for s in sources])
    else:
        for s in sources:
            extra = ""
            if s.include:
                extra += f"  include {', '.join(s.include)}"
            if s.exclude:
                extra += f"  exclude {', '.join(s.exclude)}"
            print(f"{s.kind:<11} {display(str(s.path))}{extra}")
        if not sources:
            say("No source folders yet: add one with 'evidence-app source add PATH --kind ...'.")
    return 0


def cmd_source_remove(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.sources import remove_source

    s = remove_source(ctx.ws, args.path).value
    say(f"Removed {s.path}; its documents stay in the workspace, marked missing.")
    return 0


def cmd_case_pattern(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.sources import (
        DEFAULT_CASE_PATTERNS, case_patterns, set_case_patterns,
    )

    if args.reset:
        set_case_patterns(ctx.ws, list(DEFAULT_CASE_PATTERNS))
    elif args.patterns:
        set_case_patterns(ctx.ws, args.patterns)
        say("Saved; documents already indexed were linked again.")
    for p in case_patterns(ctx.ws):
        print(p.pattern)
    return 0
