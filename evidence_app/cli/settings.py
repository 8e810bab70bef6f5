"""Workspace settings: `settings` shows or changes them (your name and team, the default
marking for new bundles, the limits on reading one file); core/settings.py owns every key."""
from __future__ import annotations

import argparse
import time

from evidence_app.cli.common import Context, emit_json
from evidence_app.cli.options import command, json_option


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "settings", cmd_settings,
                help="show or change workspace settings (your name, team, default marking)")
    p.add_argument("--author", metavar="NAME",
                   help="your name: 'Prepared by' on bundles, and recorded on your evidence")
    p.add_argument("--team", metavar="TEAM", help="your team, printed after your name ('' clears)")
    p.add_argument("--marking", metavar="MARKING",
                   help="default protective marking for new bundles (e.g. OFFICIAL)")
    p.add_argument("--time-limit", metavar="SECONDS",
                   help="time limit for reading one file (1-3600; from the next index run)")
    p.add_argument("--memory-limit", metavar="MB",
                   help="memory limit for reading one file (128-16384 MB)")
    p.add_argument("--ocr", choices=["on", "off"],
                   help="read scanned pages and pictures with OCR after indexing (default on)")
    p.add_argument("--ocr-page-cap", metavar="N",
                   help="scanned pages read by OCR per document at most (1-5000, default 200)")
    json_option(p)


def cmd_settings(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core import settings  # start-up: only the command that runs loads it

    changes = {"author": args.author, "team": args.team, "default_marking": args.marking,
               "time_limit_s": args.time_limit, "memory_limit_mb": args.memory_limit,
               "ocr": args.ocr, "ocr_page_cap": args.ocr_page_cap}
    changes = {k: v for k, v in changes.items() if v is not None}
    # every value is checked before any is stored: one refused value changes nothing
    data = (settings.save(ctx.ws, **changes).value if changes else settings.load(ctx.ws)).as_json()
    if args.json:
        emit_json(data)
    else:
        print(f"author: {data['author'] or '(not set: ' + settings.SET_NAME_HINT + ')'}")
        print(f"team: {data['team'] or '(not set)'}")
        print(f"default marking: {data['default_marking']}")
        print(f"framework: {data['framework_version'] or '(not set up yet)'}")
        print(f"reading limits: {data['time_limit_s']:g} s and {data['memory_limit_mb']} MB "
              "per file")
        print(f"ocr: {'on' if data['ocr'] else 'off'} (at most {data['ocr_page_cap']:,} "
              "scanned pages a document)")
    return 0
