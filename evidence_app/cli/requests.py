"""The week-one request tracker: `request list/set/send/link`."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.store.records import as_json


def register(sub: argparse._SubParsersAction) -> None:
    rq = sub.add_parser("request", help="the week-one request tracker")
    rsub = rq.add_subparsers(dest="request_command", metavar="ACTION", required=True)
    p = command(rsub, "list", cmd_request_list, help="requests with owner, due date and status")
    p.add_argument("--all", action="store_true", help="include retired ones")
    json_option(p)
    p = command(rsub, "set", cmd_request_set, help="change owner, due date or status")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--status", metavar="S", help="'not started', 'in progress', ready, sent")
    p.add_argument("--owner", metavar="O")
    p.add_argument("--due", metavar="DATETIME", help="dd/mm/yyyy HH:MM or ISO")
    p = command(rsub, "send", cmd_request_send,
                help="stamp as sent, with the SHA-256 of what was sent")
    p.add_argument("ident", metavar="ID")
    p.add_argument("file", nargs="?", metavar="FILE")
    json_option(p)
    p = command(rsub, "link", cmd_request_link, help="link a document to a request")
    p.add_argument("ident", metavar="ID")
    p.add_argument("document", metavar="PATH_OR_DOCUMENT_ID")
    p.add_argument("--unlink", action="store_true")


# -- requests ----------------------------------------------------------------------------------
def cmd_request_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests  # start-up: only the command that runs loads it

    rows = requests.list_requests(ctx.ws, include_retired=args.all)
    if args.json:
        emit_json([as_json(r) for r in rows])
        return 0
    for r in rows:
        due = (r.due_at or "").replace("T", " ")
        print(f"{r.id:<18} {r.status:<12} {r.owner or '-':<18} {due or '-':<17} "
              f"{r.evidence + r.documents:>3} linked  {r.title}")
    return 0


def cmd_request_set(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests  # start-up: only the command that runs loads it

    r = requests.update(ctx.ws, args.ident, status=args.status, owner=args.owner,
                        due=args.due).value
    say(f"{r.id}: {r.status}, owner {r.owner or '-'}, due {(r.due_at or '-').replace('T', ' ')}.")
    return 0


def cmd_request_send(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests  # start-up: only the command that runs loads it

    r = requests.send(ctx.ws, args.ident, args.file).value
    if args.json:
        emit_json({k: as_json(r)[k] for k in ("id", "status", "sent_at", "sent_sha256",
                                              "sent_by", "sent_file")})
    else:
        print(r.sent_sha256)
        say(f"{r.id} marked sent at {r.sent_at}.")
    return 0


def cmd_request_link(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import evidence, requests

    doc = evidence.resolve_document(ctx.ws, args.document)
    requests.link_document(ctx.ws, args.ident, doc.id, unlink=args.unlink)
    say(f"Document {doc.id} {'unlinked from' if args.unlink else 'linked to'} "
        f"{args.ident.upper()}.")
    return 0
