"""The audit log: `audit` lists every change (who, when, what) and `--verify` checks its hash
chain (core/safety/audit.py)."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "audit", cmd_audit, help="the audit log of every change")
    p.add_argument("--limit", type=int, metavar="N", help="only the last N entries")
    p.add_argument("--type", dest="entity_type", metavar="TYPE",
                   help="evidence, case, enquiry, request, framework, ...")
    p.add_argument("--verify", action="store_true", help="check the log's hash chain")
    json_option(p)


def cmd_audit(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.safety import audit  # start-up: only the command that runs loads it

    if args.verify:
        result = audit.verify(ctx.ws)
        if args.json:
            emit_json(result.__dict__)
        else:
            say(result.line())
        return 0 if result.ok else 1
    entries = audit.entries(ctx.ws, entity_type=args.entity_type, limit=args.limit)
    if args.json:
        emit_json(entries)
        return 0
    for e in entries:
        print(f"{e['at']}  {e['who']:<20} {e['action']:<14} {e['entity_type']:<12} "
              f"{e['entity_ref'] or ''}")
    return 0
