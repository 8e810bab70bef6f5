"""Evidence items: `tag` files a document or a passage, `evidence` lists (and edits or deletes)
items, `coverage` shows how well each line of enquiry is evidenced.

Output shapes for `--json` are part of the contract other tools use: keep keys stable.
"""
from __future__ import annotations

import argparse

from evidence_app.cli.argtypes import long_text, quote_text
from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.store.records import as_json


SENDER_HELP = ("only evidence from this person: a pack's sender, or your own name for the "
               "items made here")


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "tag", cmd_tag, help="file a document or a passage as evidence")
    p.add_argument("document", metavar="PATH_OR_DOCUMENT_ID")
    p.add_argument("--enquiry", action="append", default=[], metavar="ID",
                   help="line of enquiry, e.g. HP-15 (repeatable)")
    p.add_argument("--request", action="append", default=[], metavar="ID",
                   help="week-one request, e.g. AA-L08 (repeatable)")
    p.add_argument("--quote", metavar="TEXT", type=quote_text,
                   help="the exact passage (else the whole document)")
    p.add_argument("--note", default="", metavar="TEXT", type=long_text)
    p.add_argument("--strength", default="moderate", choices=["strong", "moderate", "weak"])
    p.add_argument("--kind", default="strength", choices=["strength", "development", "impact"])
    p.add_argument("--case", metavar="REF", help="the case, when not the document's own")
    json_option(p)

    p = command(sub, "evidence", cmd_evidence, help="list evidence items (or edit/delete one)")
    _list_filters(p)
    esub = p.add_subparsers(dest="evidence_command", metavar="ACTION")
    # `evidence list …` says the same as `evidence …`; SUPPRESS keeps filters given before it
    _list_filters(esub.add_parser("list", help="list evidence items (the default)",
                                  argument_default=argparse.SUPPRESS))
    e = command(esub, "edit", cmd_evidence_edit,
                help="change an item's note, strength, kind or links")
    e.add_argument("item", metavar="ID")
    e.add_argument("--note")
    e.add_argument("--strength", choices=["strong", "moderate", "weak"])
    e.add_argument("--kind", choices=["strength", "development", "impact"])
    e.add_argument("--add-enquiry", action="append", metavar="ID")
    e.add_argument("--remove-enquiry", action="append", metavar="ID")
    e.add_argument("--add-request", action="append", metavar="ID")
    e.add_argument("--remove-request", action="append", metavar="ID")
    e.add_argument("--set-case", metavar="REF", help="the item's case ('' = the document's)")
    e = command(esub, "delete", cmd_evidence_delete,
                help="delete your own tag (recorded in the audit log)")
    e.add_argument("item", metavar="ID")
    e.add_argument("--force", action="store_true", help="delete someone else's tag")

    p = command(sub, "coverage", cmd_coverage, help="how well each line of enquiry is evidenced")
    p.add_argument("--by", default="area", choices=["area", "case", "team", "worker"])
    p.add_argument("--sender", metavar="NAME", help=SENDER_HELP)
    json_option(p)


def _list_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--enquiry", metavar="ID")
    p.add_argument("--request", metavar="ID")
    p.add_argument("--case", metavar="REF")
    p.add_argument("--anchor", choices=["document", "anchored", "moved", "orphaned", "missing"])
    p.add_argument("--sender", metavar="NAME", help=SENDER_HELP)
    json_option(p)


# -- tagging and listing -----------------------------------------------------------------------
def cmd_tag(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import cases, evidence

    if args.case:
        args.case = cases.require_known(ctx.ws, args.case)
    item = evidence.tag(ctx.ws, args.document, args.enquiry, args.request, quote=args.quote,
                        note=args.note, strength=args.strength, kind=args.kind,
                        case_ref=args.case).value
    if args.json:
        emit_json(as_json(item))
    else:
        print(item.id)
        where = f" (page {item.page})" if item.page else ""
        say(f"Tagged {'a passage' if item.quote else 'the whole document'}{where} of "
            f"{item.title} as {item.strength} evidence for {', '.join(item.links)}.")
    return 0


def cmd_evidence(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import evidence  # start-up: only the command that runs loads it

    evidence.reanchor_stale(ctx.ws)  # safety net if files were indexed by an older version
    items = evidence.list_items(ctx.ws, args.enquiry, args.request, args.case,
                                anchor=args.anchor, sender=args.sender)
    if args.json:
        emit_json([as_json(i) for i in items])
        return 0
    if not items:
        say("No evidence matches.")
    for i in items:
        links = ", ".join(i.links)
        flag = "" if i.anchor in ("document", "anchored") else f" [{i.anchor}]"
        print(f"#{i.id} {i.strength:<8} {i.kind:<11} {links}{flag}")
        print(f"    {i.title}" + (f" p.{i.page}" if i.page else "")
              + (f"  ({i.case_ref})" if i.case_ref else ""))
        if i.quote:
            q = " ".join(i.quote.split())
            print(f"    “{q[:150]}{'…' if len(q) > 150 else ''}”")
        if i.note:
            print(f"    note: {i.note}")
    return 0


def cmd_evidence_edit(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import cases, evidence

    if args.set_case:
        args.set_case = cases.require_known(ctx.ws, args.set_case)

    item = evidence.edit(ctx.ws, args.item, note=args.note, strength=args.strength,
                         kind=args.kind, add_enquiries=args.add_enquiry,
                         remove_enquiries=args.remove_enquiry, add_requests=args.add_request,
                         remove_requests=args.remove_request, case_ref=args.set_case).value
    say(f"Item {item.id} saved.")
    return 0


def cmd_evidence_delete(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import evidence  # start-up: only the command that runs loads it

    item = evidence.delete(ctx.ws, args.item, force=args.force).value
    say(f"Item {item.id} deleted (recorded in the audit log).")
    return 0


# -- coverage, caseloads, audit, settings ------------------------------------------------------
def cmd_coverage(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import coverage  # start-up: only the command that runs loads it
    from evidence_app.core.store.records import as_json  # start-up: as above

    data = coverage.coverage(ctx.ws, by=args.by, sender=args.sender)
    if args.json:
        emit_json(as_json(data))
        return 0
    if args.sender is not None:
        from evidence_app.core.evidence import senders  # start-up: loaded only when this runs

        say(f"Only the evidence from {senders.canonical(ctx.ws, args.sender)}.")
    for a in data.areas:
        print(f"{a.area:<5} {a.title[:60]:<60} strong {a.strong:>4}  moderate "
              f"{a.moderate:>4}  weak {a.weak:>4}  gaps {a.gaps}/{a.enquiries}")
    if args.by != "area":
        print(f"\nBy {args.by}:")
        for r in data.rows:
            if r.cells:
                cells = "; ".join(f"{g}: {c.strong}/{c.moderate}/{c.weak}"
                                  for g, c in sorted(r.cells.items()))
                print(f"  {r.enquiry:<8} {cells}")
        say("(counts are strong/moderate/weak)")
    print(f"\nGaps (no strong evidence): {len(data.gaps)}")
    for g in data.gaps:
        print(f"  {g.enquiry:<8} {g.title}" + (f"  ({g.total} other)" if g.total else ""))
    if data.readiness:
        print("\nSampled cases:")
        for r in data.readiness:
            todo = ", ".join(r.missing) or "ready"
            print(f"  {r.ref:<12} {r.alias or '':<9} {r.done}/{r.total}  {todo}")
    return 0
