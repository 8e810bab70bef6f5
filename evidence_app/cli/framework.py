"""The inspection framework: `framework list/export/import/add/rename/move/retire/delete/version`
(judgement areas, lines of enquiry and week-one requests)."""
from __future__ import annotations

import argparse

from evidence_app.cli.argtypes import check_new_output, existing_regular_file, output_path
from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, force_option, json_option
from evidence_app.core.base.user_text import printable


def register(sub: argparse._SubParsersAction) -> None:
    fw = sub.add_parser("framework", help="lines of enquiry and week-one requests")
    fsub = fw.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    p = command(fsub, "list", cmd_framework_list,
                help="judgement areas, lines of enquiry and requests")
    p.add_argument("--all", action="store_true", help="include retired ones")
    json_option(p)
    p = command(fsub, "export", cmd_framework_export,
                help="write the framework to a JSON file for the team")
    p.add_argument("file", type=output_path)
    force_option(p)
    p = command(fsub, "import", cmd_framework_import, help="merge a framework JSON file (by id)")
    p.add_argument("file", type=existing_regular_file)
    json_option(p)
    p = command(fsub, "add", cmd_framework_add,
                help="add a line of enquiry (--area) or a request (--request-kind)")
    p.add_argument("title")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--area", metavar="AREA", help="LEAD, HP, CIC or CL")
    g.add_argument("--request-kind", choices=["data-list", "document", "other"])
    p.add_argument("--prompt", default="", help="the question (or the request's description)")
    p.add_argument("--id", dest="ident", metavar="ID", help="an id of your own (default: next)")
    p = command(fsub, "rename", cmd_framework_rename, help="change a title and/or prompt")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--title")
    p.add_argument("--prompt")
    p = command(fsub, "move", cmd_framework_move, help="reorder: put ID at POSITION (1 = first)")
    p.add_argument("ident", metavar="ID")
    p.add_argument("position", type=int)
    p = command(fsub, "retire", cmd_framework_retire,
                help="hide a line or request from new work (--undo to restore)")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--undo", action="store_true")
    p = command(fsub, "delete", cmd_framework_delete,
                help="delete a custom line or request nothing points at")
    p.add_argument("ident", metavar="ID")
    p = command(fsub, "version", cmd_framework_version, help="show or switch the framework version")
    p.add_argument("version", nargs="?", help="ilacs-2026-04 (default) or ilacs-2023-01")


# -- framework ---------------------------------------------------------------------------------
def cmd_framework_list(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework
    from evidence_app.core.store.records import as_json

    ws = ctx.ws
    areas = framework.areas(ws, include_retired=args.all)
    lines = framework.enquiries(ws, include_retired=args.all)
    reqs = framework.requests(ws, include_retired=args.all)
    if args.json:
        emit_json({"version": framework.current_version(ws), "areas": [as_json(a) for a in areas],
                   "enquiries": [e.to_json() for e in lines],
                   "requests": [as_json(r) for r in reqs]})
        return 0
    print(f"Framework {framework.current_version(ws)}")
    for a in areas:
        print(f"\n{a.id}  {a.title}" + ("  [retired]" if a.retired else ""))
        for e in (x for x in lines if x.area_id == a.id):
            print(f"  {e.id:<8} {e.title}" + ("  [retired]" if e.retired else "")
                  + ("  [custom]" if e.custom else ""))
    print("\nWeek-one requests (see 'evidence-app request list'):")
    for r in reqs:
        print(f"  {r.id:<18} {r.title}" + ("  [retired]" if r.retired else ""))
    return 0


def cmd_framework_export(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    check_new_output(args.file, args.force)
    framework.export_framework(ctx.ws, args.file)
    say(f"Framework written to {printable(args.file)}.")
    return 0


def cmd_framework_import(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    report = framework.import_framework(ctx.ws, args.file).value
    if args.json:
        emit_json(report.to_json())
        return 0
    say(report.line())
    for ident in report.added:
        print(f"  added    {ident}")
    for c in report.changed:
        print(f"  changed  {c['id']} ({', '.join(c['fields'])})")
    return 0


def cmd_framework_add(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    if args.area:
        ident = framework.add_enquiry(ctx.ws, args.area, args.title, args.prompt,
                                      args.ident).value
    else:
        ident = framework.add_request(ctx.ws, args.title, args.request_kind, args.prompt,
                                      args.ident).value
    print(ident)
    return 0


def cmd_framework_rename(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    r = framework.rename(ctx.ws, args.ident, args.title, args.prompt).value
    say(f"{r.id}: " + (", ".join(r.changed) + " changed." if r.changed else "no change."))
    return 0


def cmd_framework_move(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    r = framework.move(ctx.ws, args.ident, args.position).value
    say(f"{r.id} is now at position {r.position}.")
    return 0


def cmd_framework_retire(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    r = framework.retire(ctx.ws, args.ident, not args.undo).value
    say(f"{r.id} {'restored' if args.undo else 'retired'}; its evidence is kept.")
    return 0


def cmd_framework_delete(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    framework.delete(ctx.ws, args.ident)
    say(f"{args.ident.upper()} deleted.")
    return 0


def cmd_framework_version(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import framework

    if args.version:
        framework.use_version(ctx.ws, args.version)
        say(f"Framework switched to {args.version}.")
    print(framework.current_version(ctx.ws))
    say("Available: " + ", ".join(framework.available_versions()))
    return 0
