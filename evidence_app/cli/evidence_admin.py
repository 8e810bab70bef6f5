"""Framework, case and week-one request commands (registered by cli/evidence.py)."""
from __future__ import annotations

import argparse

from evidence_app.cli.main import Context, emit_json, say
from evidence_app.core.base.user_text import printable
from evidence_app.cli.argtypes import check_new_output, existing_regular_file, output_path


def register(sub: argparse._SubParsersAction) -> None:
    fw = sub.add_parser("framework", help="lines of enquiry and week-one requests")
    fsub = fw.add_subparsers(dest="framework_command", metavar="ACTION", required=True)
    p = fsub.add_parser("list", help="judgement areas, lines of enquiry and requests")
    p.add_argument("--all", action="store_true", help="include retired ones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_framework_list)
    p = fsub.add_parser("export", help="write the framework to a JSON file for the team")
    p.add_argument("file", type=output_path)
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=cmd_framework_export)
    p = fsub.add_parser("import", help="merge a framework JSON file (by id)")
    p.add_argument("file", type=existing_regular_file)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_framework_import)
    p = fsub.add_parser("add", help="add a line of enquiry (--area) or a request (--request-kind)")
    p.add_argument("title")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--area", metavar="AREA", help="LEAD, HP, CIC or CL")
    g.add_argument("--request-kind", choices=["data-list", "document", "other"])
    p.add_argument("--prompt", default="", help="the question (or the request's description)")
    p.add_argument("--id", dest="ident", metavar="ID", help="an id of your own (default: next)")
    p.set_defaults(handler=cmd_framework_add)
    p = fsub.add_parser("rename", help="change a title and/or prompt")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--title")
    p.add_argument("--prompt")
    p.set_defaults(handler=cmd_framework_rename)
    p = fsub.add_parser("move", help="reorder: put ID at POSITION (1 = first)")
    p.add_argument("ident", metavar="ID")
    p.add_argument("position", type=int)
    p.set_defaults(handler=cmd_framework_move)
    p = fsub.add_parser("retire", help="hide a line or request from new work (--undo to restore)")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--undo", action="store_true")
    p.set_defaults(handler=cmd_framework_retire)
    p = fsub.add_parser("delete", help="delete a custom line or request nothing points at")
    p.add_argument("ident", metavar="ID")
    p.set_defaults(handler=cmd_framework_delete)
    p = fsub.add_parser("version", help="show or switch the framework version")
    p.add_argument("version", nargs="?", help="ilacs-2026-04 (default) or ilacs-2023-01")
    p.set_defaults(handler=cmd_framework_version)

    cs = sub.add_parser("case", help="children's cases")
    csub = cs.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    p = csub.add_parser("add", help="add a case")
    p.add_argument("ref", metavar="REF")
    _case_options(p)
    p.add_argument("--sampled", action="store_true", help="chosen for inspection sampling")
    p.add_argument("--redact", action="append", default=[], metavar="TERM",
                   help="a family name or address to redact in exports (repeatable)")
    p.add_argument("--other-name", "--known-as", action="append", default=[], metavar="NAME",
                   help="another name the child goes by: known as, nickname, former name "
                        "(repeatable; replaced by the alias in pseudonymised exports)")
    p.add_argument("--relative", action="append", default=[], metavar="NAME=ROLE",
                   help='a relative, e.g. "Kerry Pryce=mother" (repeatable; replaced by '
                        '"[mother]" in pseudonymised exports)')
    p.set_defaults(handler=cmd_case_add)
    p = csub.add_parser("import", help="add or update cases from a CSV or XLSX list")
    p.add_argument("file", type=existing_regular_file)
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="say which column is which field (reference, name, alias, worker, team, "
                        "status, sampled, redact, open, other_names, dob, ignore)")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.add_argument("--rejected-csv", metavar="PATH",
                   help="where to save the rejected rows with their reasons (default: the "
                        "workspace's exports folder, when any row is rejected)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_case_import)
    p = csub.add_parser("list", help="list cases (aliases, not names)")
    p.add_argument("--sampled", action="store_true", help="only sampled cases")
    p.add_argument("--names", action="store_true", help="include real names")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_case_list)
    p = csub.add_parser("show", help="one case with its readiness checklist")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_case_show)
    p = csub.add_parser("set", help="change a case")
    p.add_argument("ref", metavar="REF")
    _case_options(p)
    p.add_argument("--sampled", dest="sampled", action="store_true", default=None)
    p.add_argument("--not-sampled", dest="sampled", action="store_false")
    p.add_argument("--open", dest="open", action="store_true", default=None)
    p.add_argument("--closed", dest="open", action="store_false")
    p.add_argument("--redact", action="append", metavar="TERM", help="add a term (repeatable)")
    p.add_argument("--unredact", action="append", metavar="TERM", help="remove a term")
    p.add_argument("--other-name", "--known-as", action="append", metavar="NAME",
                   help="add another name (known as, nickname, former name; repeatable)")
    p.add_argument("--remove-other-name", action="append", metavar="NAME")
    p.add_argument("--relative", action="append", metavar="NAME=ROLE",
                   help='add or change a relative, e.g. "Kerry Pryce=mother" (repeatable)')
    p.add_argument("--remove-relative", action="append", metavar="NAME")
    p.set_defaults(handler=cmd_case_set)
    p = csub.add_parser("check", help="mark a readiness item done (chronology, plan, visits, "
                                      "voice, oversight, supervision)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--undo", action="store_true", help="mark it not done")
    p.set_defaults(handler=cmd_case_check)
    p = csub.add_parser("link", help="link a document to a case by hand")
    p.add_argument("document", metavar="PATH_OR_DOCUMENT_ID")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_case_link)

    rq = sub.add_parser("request", help="the week-one request tracker")
    rsub = rq.add_subparsers(dest="request_command", metavar="ACTION", required=True)
    p = rsub.add_parser("list", help="requests with owner, due date and status")
    p.add_argument("--all", action="store_true", help="include retired ones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_request_list)
    p = rsub.add_parser("set", help="change owner, due date or status")
    p.add_argument("ident", metavar="ID")
    p.add_argument("--status", metavar="S", help="'not started', 'in progress', ready, sent")
    p.add_argument("--owner", metavar="O")
    p.add_argument("--due", metavar="DATETIME", help="dd/mm/yyyy HH:MM or ISO")
    p.set_defaults(handler=cmd_request_set)
    p = rsub.add_parser("send", help="stamp as sent, with the SHA-256 of what was sent")
    p.add_argument("ident", metavar="ID")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_request_send)
    p = rsub.add_parser("link", help="link a document to a request")
    p.add_argument("ident", metavar="ID")
    p.add_argument("document", metavar="PATH_OR_DOCUMENT_ID")
    p.add_argument("--unlink", action="store_true")
    p.set_defaults(handler=cmd_request_link)


def _case_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", metavar="NAME", help="the child's real name (kept out of logs)")
    p.add_argument("--alias", metavar="A", help='name used in exports (default "Child A", ...)')
    p.add_argument("--worker", metavar="W")
    p.add_argument("--team", metavar="T")
    p.add_argument("--status", metavar="S", help="EH, CIN, CP, CIC or CL")
    p.add_argument("--dob", "--date-of-birth", metavar="DATE", help="date of birth (dd/mm/yyyy); redacted in any "
                                                 "format in pseudonymised exports")


# -- framework ---------------------------------------------------------------------------------
def cmd_framework_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    ws = ctx.ws
    areas = framework.areas(ws, include_retired=args.all)
    lines = framework.enquiries(ws, include_retired=args.all)
    reqs = framework.requests(ws, include_retired=args.all)
    if args.json:
        emit_json({"version": framework.current_version(ws), "areas": areas,
                   "enquiries": [e.to_json() for e in lines],
                   "requests": [{k: r[k] for k in ("id", "uuid", "ofsted_ref", "title",
                                                   "description", "kind", "period", "position",
                                                   "retired", "custom")} for r in reqs]})
        return 0
    print(f"Framework {framework.current_version(ws)}")
    for a in areas:
        print(f"\n{a['id']}  {a['title']}" + ("  [retired]" if a["retired"] else ""))
        for e in (x for x in lines if x.area_id == a["id"]):
            print(f"  {e.id:<8} {e.title}" + ("  [retired]" if e.retired else "")
                  + ("  [custom]" if e.custom else ""))
    print("\nWeek-one requests (see 'evidence-app request list'):")
    for r in reqs:
        print(f"  {r['id']:<18} {r['title']}" + ("  [retired]" if r["retired"] else ""))
    return 0


def cmd_framework_export(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    check_new_output(args.file, args.force)
    framework.export_framework(ctx.ws, args.file)
    say(f"Framework written to {printable(args.file)}.")
    return 0


def cmd_framework_import(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    report = framework.import_framework(ctx.ws, args.file)
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
    from evidence_app.core.evidence import framework

    if args.area:
        ident = framework.add_enquiry(ctx.ws, args.area, args.title, args.prompt, args.ident)
    else:
        ident = framework.add_request(ctx.ws, args.title, args.request_kind, args.prompt,
                                      args.ident)
    print(ident)
    return 0


def cmd_framework_rename(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    r = framework.rename(ctx.ws, args.ident, args.title, args.prompt)
    say(f"{r['id']}: " + (", ".join(r["changed"]) + " changed." if r["changed"] else "no change."))
    return 0


def cmd_framework_move(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    r = framework.move(ctx.ws, args.ident, args.position)
    say(f"{r['id']} is now at position {r['position']}.")
    return 0


def cmd_framework_retire(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    r = framework.retire(ctx.ws, args.ident, not args.undo)
    say(f"{r['id']} {'restored' if args.undo else 'retired'}; its evidence is kept.")
    return 0


def cmd_framework_delete(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    framework.delete(ctx.ws, args.ident)
    say(f"{args.ident.upper()} deleted.")
    return 0


def cmd_framework_version(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import framework

    if args.version:
        framework.use_version(ctx.ws, args.version)
        say(f"Framework switched to {args.version}.")
    print(framework.current_version(ctx.ws))
    say("Available: " + ", ".join(framework.available_versions()))
    return 0


# -- cases -------------------------------------------------------------------------------------
def cmd_case_add(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases

    c = cases.add_case(ctx.ws, args.ref, name=args.name, alias=args.alias, worker=args.worker,
                       team=args.team, status=args.status, sampled=args.sampled,
                       redact=args.redact, other_names=args.other_name,
                       relatives=args.relative, dob=args.dob)
    say(f"Added case {c['ref']} ({c['alias']}).")
    return 0


def cmd_case_import(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import case_import

    report = case_import.import_cases(ctx.ws, args.file, case_import.parse_overrides(args.map),
                                      dry_run=args.dry_run)
    if report.rejected:
        from pathlib import Path

        out = Path(args.rejected_csv) if args.rejected_csv else \
            ctx.ws.exports_dir / f"{Path(args.file).stem} - rejected rows.csv"
        case_import.write_rejected_csv(report, out, args.file)
    if args.json:
        emit_json(report.to_json())
        return 0
    say("Columns: " + ", ".join(f"{h} → {f}" for h, f in report.mapping.items()))
    say(report.line())
    for line in report.summary_lines():
        print(line)
    if report.rejected_csv:
        say(f"The rejected rows, with the reasons, are in {report.rejected_csv}")
    return 0


def cmd_case_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases

    rows = cases.list_cases(ctx.ws, sampled=True if args.sampled else None,
                            include_name=args.names)
    if args.json:
        emit_json(rows)
        return 0
    for c in rows:
        flags = " ".join(f for f, on in (("sampled", c["sampled"]), ("closed", not c["open"]))
                         if on)
        name = f"  {c['name']}" if args.names and c.get("name") else ""
        print(f"{c['ref']:<12} {c['alias'] or '':<9} {c['status'] or '-':<4} "
              f"{c['worker'] or '-':<22} {c['team'] or '-':<16} {flags}{name}")
    if not rows:
        say("No cases yet: 'evidence-app case add REF' or 'evidence-app case import FILE'.")
    return 0


def cmd_case_show(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases

    c = cases.get_case(ctx.ws, args.ref, include_name=True)
    c["readiness"] = cases.readiness(ctx.ws, args.ref)
    if args.json:
        emit_json(c)
        return 0
    shown = dict(c, other_names=", ".join(c.get("other_names") or []) or None,
                 relatives=", ".join(f"{r['name']} ({r['role']})"
                                     for r in c.get("relatives") or []) or None)
    for k in ("ref", "alias", "name", "other_names", "relatives", "dob", "worker", "team",
              "status", "sampled", "open", "redact"):
        label = k.replace("_", " ")
        print(f"{label:<11} {shown.get(k) if shown.get(k) not in (None, []) else '-'}")
    print("readiness:")
    for r in c["readiness"]:
        print(f"  [{'x' if r['done'] else ' '}] {r['label']}"
              + (f"  ({r['by']}, {r['at']})" if r["done"] else ""))
    return 0


def cmd_case_set(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases

    c = cases.update_case(ctx.ws, args.ref, name=args.name, alias=args.alias,
                          worker=args.worker, team=args.team, status=args.status,
                          sampled=args.sampled, open=args.open, add_redact=args.redact,
                          remove_redact=args.unredact, add_other_names=args.other_name,
                          remove_other_names=args.remove_other_name,
                          add_relatives=args.relative, remove_relatives=args.remove_relative,
                          dob=args.dob)
    say(f"Case {c['ref']} saved.")
    return 0


def cmd_case_check(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases

    r = cases.check(ctx.ws, args.ref, args.item, done=not args.undo)
    say(f"{r['item']}: {'done' if r['done'] else 'not done'}.")
    return 0


def cmd_case_link(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases, evidence

    doc = evidence.resolve_document(ctx.ws, args.document)
    r = cases.link_document(ctx.ws, doc["id"], args.ref)
    say(f"Document {r['document_id']} linked to {r['case_ref']}.")
    return 0


# -- requests ----------------------------------------------------------------------------------
def cmd_request_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests

    rows = requests.list_requests(ctx.ws, include_retired=args.all)
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        due = (r["due_at"] or "").replace("T", " ")
        print(f"{r['id']:<18} {r['status']:<12} {r['owner'] or '-':<18} {due or '-':<17} "
              f"{r['evidence'] + r['documents']:>3} linked  {r['title']}")
    return 0


def cmd_request_set(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests

    r = requests.update(ctx.ws, args.ident, status=args.status, owner=args.owner, due=args.due)
    say(f"{r['id']}: {r['status']}, owner {r['owner'] or '-'}, due "
        f"{(r['due_at'] or '-').replace('T', ' ')}.")
    return 0


def cmd_request_send(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import requests

    r = requests.send(ctx.ws, args.ident, args.file)
    if args.json:
        emit_json({k: r[k] for k in ("id", "status", "sent_at", "sent_sha256", "sent_by",
                                     "sent_file")})
    else:
        print(r["sent_sha256"])
        say(f"{r['id']} marked sent at {r['sent_at']}.")
    return 0


def cmd_request_link(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import evidence, requests

    doc = evidence.resolve_document(ctx.ws, args.document)
    requests.link_document(ctx.ws, args.ident, doc["id"], unlink=args.unlink)
    say(f"Document {doc['id']} {'unlinked from' if args.unlink else 'linked to'} "
        f"{args.ident.upper()}.")
    return 0
