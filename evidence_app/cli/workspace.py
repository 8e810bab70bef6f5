"""The workspace itself: `init` creates one (safety.py adds `--encrypt`), `status` says what it
holds (documents by status and by kind, files waiting to be indexed)."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.store.document_reads import counts_by_kind, counts_by_status
from evidence_app.core.store.queue import queued_count


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "init", cmd_init, help="create a workspace")
    p.add_argument("--name", help='authority name, e.g. "Borough Children\'s Services"')

    p = command(sub, "status", cmd_status, help="counts by status and by kind")
    json_option(p)


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(ctx.workspace_path, args.name)
    ctx._ws = ws
    say(f"Workspace ready at {ws.root} ({ws.name}).")
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.ws
    by_status = counts_by_status(ws.conn)
    by_kind = counts_by_kind(ws.conn)
    queued = queued_count(ws.conn)
    data = {"workspace": str(ws.root), "name": ws.name, "documents": sum(by_status.values()),
            "by_status": by_status, "by_kind": by_kind, "queued": queued}
    if args.json:
        emit_json(data)
        return 0
    print(f"{ws.name} — {ws.root}")
    print(f"{data['documents']} documents" + (f", {queued} waiting to be indexed" if queued else ""))
    for k, v in by_status.items():
        print(f"  {k:<12} {v}")
    for k, v in by_kind.items():
        print(f"  {k:<12} {v}")
    return 0
