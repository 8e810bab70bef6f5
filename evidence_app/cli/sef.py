"""Self-evaluation commands (issue 15).

`sef show [--json]` · `sef claim add AREA --question know|how|plans --text … [--type …]
[--enquiry ID …] [--cite E-REF …] [--figure NAME …]` · `sef claim edit ID …` · `sef claim delete
ID` · `sef claim move ID POSITION` · `sef action add CLAIM --what … [--owner …] [--due …]
[--status …]` · `sef action set ID …` · `sef action delete ID` · `sef figures [--json]` ·
`sef freeze NAME` · `sef versions [--json]` · `sef diff V1 V2 [--json]` ·
`sef export OUT.docx [--with-bundle] [--pseudonymise] [--force]`.

Every write prints what it did and how to take it back; `--json` prints the record.
"""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import (
    command, force_option, json_option, pseudonymise_option, repeatable,
)
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.errors import NotFound
import json


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sef", help="the self-evaluation: claims, the evidence they cite, the "
                                   "improvement plan, versions and the Word export")
    ssub = s.add_subparsers(dest="sef_command", metavar="ACTION", required=True)

    p = command(ssub, "show", cmd_show, help="the whole self-evaluation with each claim's strength")
    json_option(p)

    p = command(ssub, "figures", cmd_figures,
                help="every figure a claim can cite, with its definition")
    json_option(p)

    c = ssub.add_parser("claim", help="add, edit, move or delete a claim")
    csub = c.add_subparsers(dest="claim_command", metavar="ACTION", required=True)
    p = command(csub, "add", cmd_claim_add,
                help="a new claim under an area and one of the three questions")
    p.add_argument("area", metavar="AREA", help="overview or a judgement area id (LEAD, HP, "
                                                "CIC, CL)")
    p.add_argument("--question", required=True, choices=["know", "how", "plans"],
                   help="know: what we know; how: how we know it; plans: our plans")
    p.add_argument("--text", required=True, help="the claim, in a sentence or two")
    p.add_argument("--type", default="strength", metavar="TYPE",
                   help="strength (default), development (area for development) or impact")
    repeatable(p, "--enquiry", "ID", "a line of enquiry it speaks to (repeatable)")
    repeatable(p, "--cite", "E-REF",
               "evidence item (E-12), saved search (search:NAME) or figure (figure:NAME) "
               "(repeatable)")
    repeatable(p, "--figure", "NAME", "a figure from 'sef figures' (repeatable)")
    json_option(p)

    p = command(csub, "edit", cmd_claim_edit,
                help="change a claim's text, type, place, lines or citations")
    p.add_argument("claim", metavar="ID", help="the claim (C-3 or 3)")
    p.add_argument("--text")
    p.add_argument("--type", metavar="TYPE")
    p.add_argument("--area", metavar="AREA", help="move it to another area")
    p.add_argument("--question", choices=["know", "how", "plans"],
                   help="move it to another question")
    repeatable(p, "--enquiry", "ID", "add a line of enquiry (repeatable)")
    repeatable(p, "--drop-enquiry", "ID", "take a line of enquiry off (repeatable)")
    repeatable(p, "--cite", "E-REF", "cite an item, saved search or figure too (repeatable)")
    repeatable(p, "--uncite", "E-REF",
               "stop citing it (E-12, search:NAME, figure:NAME or a figure's name)")
    repeatable(p, "--figure", "NAME", "cite a figure too (repeatable)")
    json_option(p)

    p = command(csub, "move", cmd_claim_move,
                help="put a claim at another place under its question")
    p.add_argument("claim", metavar="ID")
    p.add_argument("position", type=int, metavar="POSITION", help="1 = first")

    p = command(csub, "delete", cmd_claim_delete,
                help="take a claim out (undo: 'sef claim restore ID')")
    p.add_argument("claim", metavar="ID")

    p = command(csub, "restore", cmd_claim_restore, help="bring back a deleted claim")
    p.add_argument("claim", metavar="ID")

    a = ssub.add_parser("action", help="the improvement plan: actions under areas for "
                                       "development")
    asub = a.add_subparsers(dest="action_command", metavar="ACTION", required=True)
    p = command(asub, "add", cmd_action_add,
                help="a new action under an area-for-development claim")
    p.add_argument("claim", metavar="CLAIM", nargs="?",
                   help="the area for development (C-3 or 3)")
    p.add_argument("--claim", dest="claim_option", metavar="CLAIM",
                   help="the same, as an option")
    p.add_argument("--what", required=True, help="what will be done")
    p.add_argument("--owner", default="", help="who is responsible")
    p.add_argument("--due", help="due date (2027-03-31 or 31/03/2027)")
    p.add_argument("--status", default="not started",
                   help="not started (default), in progress or done")
    json_option(p)

    p = command(asub, "set", cmd_action_set,
                help="change an action's what, owner, due date or status")
    p.add_argument("action", metavar="ID", help="the action (A-2 or 2)")
    p.add_argument("--what")
    p.add_argument("--owner")
    p.add_argument("--due", help="a date, or '' to clear it")
    p.add_argument("--status", help="not started, in progress or done")
    p.add_argument("--claim", metavar="CLAIM", help="move it to another area for development")
    json_option(p)

    p = command(asub, "delete", cmd_action_delete, help="take an action out of the plan")
    p.add_argument("action", metavar="ID")

    p = command(ssub, "freeze", cmd_freeze,
                help="keep the self-evaluation as it stands under a name")
    p.add_argument("name", metavar="NAME", help="e.g. v1")
    json_option(p)

    p = command(ssub, "versions", cmd_versions, help="the frozen versions")
    json_option(p)

    p = command(ssub, "diff", cmd_diff, help="compare two versions claim by claim")
    p.add_argument("v1", metavar="V1", help="a frozen version's name, or current")
    p.add_argument("v2", metavar="V2", help="a frozen version's name, or current")
    json_option(p)

    p = command(ssub, "export", cmd_export, help="write the self-evaluation as a Word document")
    p.add_argument("out", metavar="OUT.docx")
    p.add_argument("--with-bundle", action="store_true",
                   help="also write the evidence bundle its [E-…] references point into "
                        "(OUT-evidence.docx)")
    pseudonymise_option(p,
                        "children's names to aliases, identifiers to [REDACTED]; verified after "
                        "writing")
    force_option(p, "replace existing files")
    json_option(p)


# -- showing -----------------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import document  # start-up: only the command that runs loads it

    doc = document.read(ctx.ws.db)
    if args.json:
        emit_json(doc.to_json())
        return 0
    # start-up: only the command that runs loads it
    from evidence_app.cli.sef_text import print_document

    print_document(doc)
    return 0


def cmd_figures(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import figures  # start-up: only the command that runs loads it

    found = list(figures.compute_all(ctx.ws.db).values())
    if args.json:
        emit_json([f.to_json() for f in found])
        return 0
    for f in found:
        print(f"{f.name}: {f.value}  (as of {f.as_of})")
        print(f"    {f.definition}")
        for label, value in f.rows:
            print(f"    - {label}: {value}")
    return 0


def _claim_out(args, ctx: Context, done, verb: str) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.sef import document
    from evidence_app.core.sef.model import claim_ref

    c = done.value
    view = next((v for v in document.read(ctx.ws.db).claims if v.claim.id == c.id), None)
    if args is not None and getattr(args, "json", False):
        doc = document.read(ctx.ws.db)
        emit_json(view.to_json(doc.figures, doc.searches) if view else
                  {"id": c.id, "ref": claim_ref(c.id), "deleted": True})
        return 0
    line = f"{verb} claim {claim_ref(c.id)}"
    if view is not None:
        line += f" (evidence: {view.strength})"
        for w in view.warnings:
            say(f"warning: {w}")
    say(line + ".")
    return 0


def cmd_claim_add(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import claims  # start-up: only the command that runs loads it

    done = claims.add(ctx.ws, args.area, args.question, args.text, type=args.type,
                      enquiries=args.enquiry, cites=args.cite, figures=args.figure)
    return _claim_out(args, ctx, done, "Added")


def cmd_claim_edit(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import claims  # start-up: only the command that runs loads it

    done = claims.edit(ctx.ws, args.claim, text=args.text, type=args.type, area=args.area,
                       question=args.question, enquiries=args.enquiry,
                       drop_enquiries=args.drop_enquiry, cites=args.cite, uncite=args.uncite,
                       figures=args.figure)
    if not done.changes:
        say("Nothing to change.")
    return _claim_out(args, ctx, done, "Changed" if done.changes else "Unchanged")


def cmd_claim_move(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.sef import claims
    from evidence_app.core.sef.model import claim_ref

    done = claims.move(ctx.ws, args.claim, args.position)
    say(f"Claim {claim_ref(done.value.id)} is now number {done.value.position} under its "
        "question.")
    return 0


def cmd_claim_delete(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.sef import claims
    from evidence_app.core.sef.model import claim_ref

    done = claims.delete(ctx.ws, args.claim)
    ref = claim_ref(done.value.id)
    say(f"Deleted claim {ref}. Undo with: evidence-app sef claim restore {ref}")
    return 0


def cmd_claim_restore(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import replace  # start-up: only the command that runs loads it

    # start-up: only the command that runs loads it
    from evidence_app.core.sef import claims
    from evidence_app.core.sef.model import claim_ref, parse_ref
    from evidence_app.core.store import sef as store

    claim_id = parse_ref(args.claim, "C", "claim")
    found = store.claim(ctx.ws.db, claim_id)
    if found is None:
        raise NotFound(f"There is no claim {claim_ref(claim_id)}.")
    if found.deleted_at is None:
        say(f"Claim {claim_ref(claim_id)} is in the self-evaluation already.")
        return 0
    claims.put(ctx.ws, replace(found, deleted_at=None))
    say(f"Claim {claim_ref(claim_id)} is back.")
    return 0


# -- the plan ----------------------------------------------------------------------------------
def _action_out(args, ctx: Context, done, verb: str) -> int:
    from evidence_app.core.sef import document  # start-up: only the command that runs loads it

    doc = document.read(ctx.ws.db)
    a = done.value
    if getattr(args, "json", False):
        emit_json(doc.action_json(a))
        return 0
    # start-up: only the command that runs loads it
    from evidence_app.core.sef.model import action_ref, claim_ref

    say(f"{verb} action {action_ref(a.id)} under claim {claim_ref(a.claim_id)}: {a.status}"
        + (f", due {a.due}" if a.due else "") + (" (OVERDUE)" if doc.overdue(a) else "") + ".")
    return 0


def cmd_action_add(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import actions  # start-up: only the command that runs loads it

    claim = args.claim or args.claim_option
    if not claim:
        raise InvalidInput("Say which area for development the action is for: "
                           "'sef action add C-3 --what …'.")
    done = actions.add(ctx.ws, claim, args.what, owner=args.owner, due=args.due,
                       status=args.status)
    return _action_out(args, ctx, done, "Added")


def cmd_action_set(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import actions  # start-up: only the command that runs loads it

    done = actions.set_action(ctx.ws, args.action, what=args.what, owner=args.owner,
                              due=args.due, status=args.status, claim=args.claim)
    if not done.changes:
        say("Nothing to change.")
    return _action_out(args, ctx, done, "Changed" if done.changes else "Unchanged")


def cmd_action_delete(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.sef import actions
    from evidence_app.core.sef.model import action_ref

    done = actions.delete(ctx.ws, args.action)
    say(f"Deleted action {action_ref(done.value.id)}.")
    return 0


# -- versions ----------------------------------------------------------------------------------
def cmd_freeze(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import versions  # start-up: only the command that runs loads it

    done = versions.freeze(ctx.ws, args.name)
    v = done.value
    claims = len(json.loads(v.snapshot)["claims"])
    if args.json:
        emit_json({"name": v.name, "frozen_at": v.frozen_at, "frozen_by": v.frozen_by,
                   "claims": claims})
        return 0
    say(f"Froze version '{v.name}' ({claims} claim{'s' if claims != 1 else ''}, figures as of "
        f"today). Compare later with: evidence-app sef diff '{v.name}' current")
    return 0


def cmd_versions(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.store import sef as store

    found = [(v, len(json.loads(v.snapshot)["claims"])) for v in store.versions(ctx.ws.db)]
    if args.json:
        emit_json([{"name": v.name, "frozen_at": v.frozen_at, "frozen_by": v.frozen_by,
                    "claims": n} for v, n in found])
        return 0
    if not found:
        say("No frozen versions yet: 'evidence-app sef freeze v1' keeps one.")
    for v, n in found:
        print(f"{v.name}  frozen {v.frozen_at[:16].replace('T', ' ')} by {v.frozen_by}"
              f"  ({n} claims)")
    return 0


def cmd_diff(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.sef import versions  # start-up: only the command that runs loads it
    from evidence_app.core.store.records import as_json  # start-up: as above

    data = versions.diff(ctx.ws, args.v1, args.v2)
    if args.json:
        emit_json(as_json(data))
        return 0
    # start-up: only the command that runs loads it
    from evidence_app.cli.sef_text import print_diff

    print_diff(data)
    return 0


# -- export ------------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.cli.bundles import ExportProgress, ask_name_if_needed
    from evidence_app.core.base.progress import CancelToken
    from evidence_app.core.sef import export

    ask_name_if_needed(ctx)
    try:
        r = export.export(ctx.ws, args.out, with_bundle=args.with_bundle,
                          pseudonymise=args.pseudonymise, force=args.force,
                          on_progress=ExportProgress(), cancel=CancelToken())
    except KeyboardInterrupt:
        say("Export cancelled; nothing was written.")
        return 130
    if args.json:
        emit_json(r.to_json())
        return 0
    say(f"Wrote {r.path} ({r.claims} claims, {r.citations} citations, {r.actions} actions, "
        f"{r.figures} figures; SHA-256 {r.sha256[:16]}…)"
        + (" — pseudonymised and verified" if r.pseudonymised else "") + ".")
    if r.bundle is not None:
        say(f"Wrote the evidence bundle {r.bundle} ({r.bundle_items} items).")
    return 0
