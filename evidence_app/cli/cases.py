"""Children's cases: `case add/import/list/show/set/check/link` and `caseloads` (open cases per
worker and per team). A child's real name is kept out of logs and output listings."""
from __future__ import annotations

import argparse

from evidence_app.cli.argtypes import existing_regular_file
from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "caseloads", cmd_caseloads, help="open cases per worker and per team")
    json_option(p)

    cs = sub.add_parser("case", help="children's cases")
    csub = cs.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    p = command(csub, "add", cmd_case_add, help="add a case")
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
    p = command(csub, "import", cmd_case_import, help="add or update cases from a CSV or XLSX list")
    p.add_argument("file", type=existing_regular_file)
    p.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                   help="say which column is which field (reference, name, alias, worker, team, "
                        "status, sampled, redact, open, other_names, dob, ignore)")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.add_argument("--rejected-csv", metavar="PATH",
                   help="where to save the rejected rows with their reasons (default: the "
                        "workspace's exports folder, when any row is rejected)")
    json_option(p)
    p = command(csub, "list", cmd_case_list, help="list cases (aliases, not names)")
    p.add_argument("--sampled", action="store_true", help="only sampled cases")
    p.add_argument("--names", action="store_true", help="include real names")
    json_option(p)
    p = command(csub, "show", cmd_case_show, help="one case with its readiness checklist")
    p.add_argument("ref", metavar="REF")
    json_option(p)
    p = command(csub, "set", cmd_case_set, help="change a case")
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
    p = command(csub, "check", cmd_case_check,
                help="mark a readiness item done (chronology, plan, visits, voice, oversight, "
                     "supervision)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--undo", action="store_true", help="mark it not done")
    p = command(csub, "link", cmd_case_link, help="link a document to a case by hand")
    p.add_argument("document", metavar="PATH_OR_DOCUMENT_ID")
    p.add_argument("ref", metavar="REF")


def cmd_caseloads(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import coverage  # start-up: only the command that runs loads it
    from evidence_app.core.store.records import as_json  # start-up: as above

    data = coverage.caseloads(ctx.ws)
    if args.json:
        emit_json(as_json(data))
        return 0
    for key, rows in (("worker", data.by_worker), ("team", data.by_team)):
        print(f"Open cases by {key}:")
        for r in rows:
            split = ", ".join(f"{k} {v}" for k, v in r.by_status.items() if v)
            print(f"  {r.name:<30} {r.open:>4}" + (f"  ({split})" if split else ""))
    return 0


def _case_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", metavar="NAME", help="the child's real name (kept out of logs)")
    p.add_argument("--alias", metavar="A", help='name used in exports (default "Child A", ...)')
    p.add_argument("--worker", metavar="W")
    p.add_argument("--team", metavar="T")
    p.add_argument("--status", metavar="S", help="EH, CIN, CP, CIC or CL")
    p.add_argument("--dob", "--date-of-birth", metavar="DATE", help="date of birth (dd/mm/yyyy); redacted in any "
                                                 "format in pseudonymised exports")


# -- cases -------------------------------------------------------------------------------------
def cmd_case_add(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases  # start-up: only the command that runs loads it

    c = cases.add_case(ctx.ws, args.ref, name=args.name, alias=args.alias, worker=args.worker,
                       team=args.team, status=args.status, sampled=args.sampled,
                       redact=args.redact, other_names=args.other_name,
                       relatives=args.relative, dob=args.dob).value
    say(f"Added case {c.ref} ({c.alias}).")
    return 0


def cmd_case_import(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import case_import, case_import_report

    report = case_import.import_cases(ctx.ws, args.file, case_import.parse_overrides(args.map),
                                      dry_run=args.dry_run).value
    if report.rejected:
        out = Path(args.rejected_csv) if args.rejected_csv else \
            ctx.ws.exports_dir / f"{Path(args.file).stem} - rejected rows.csv"
        case_import_report.write_rejected_csv(report, out, args.file)
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
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import cases
    from evidence_app.core.store.records import as_json

    rows = cases.list_cases(ctx.ws, sampled=True if args.sampled else None,
                            include_name=args.names)
    if args.json:
        emit_json([as_json(c) for c in rows])
        return 0
    for c in rows:
        flags = " ".join(f for f, on in (("sampled", c.sampled), ("closed", not c.open)) if on)
        name = f"  {c.name}" if args.names and c.name else ""
        print(f"{c.ref:<12} {c.alias or '':<9} {c.status or '-':<4} "
              f"{c.worker or '-':<22} {c.team or '-':<16} {flags}{name}")
    if not rows:
        say("No cases yet: 'evidence-app case add REF' or 'evidence-app case import FILE'.")
    return 0


def cmd_case_show(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases  # start-up: only the command that runs loads it

    # start-up: only the command that runs loads it
    from evidence_app.core.store.records import as_json

    case = cases.get_case(ctx.ws, args.ref, include_name=True)
    ready = cases.readiness(ctx.ws, args.ref)
    c = dict(as_json(case), readiness=[as_json(r) for r in ready])
    if args.json:
        emit_json(c)
        return 0
    shown = {"ref": case.ref, "alias": case.alias, "name": case.name,
             "other_names": ", ".join(case.other_names) or None,
             "relatives": ", ".join(f"{r['name']} ({r['role']})"  # a relative: {name, role}
                                    for r in case.relatives) or None,
             "dob": case.dob, "worker": case.worker, "team": case.team, "status": case.status,
             "sampled": case.sampled, "open": case.open, "redact": list(case.redact)}
    for k, value in shown.items():
        print(f"{k.replace('_', ' '):<11} {value if value not in (None, []) else '-'}")
    print("readiness:")
    for r in ready:
        print(f"  [{'x' if r.done else ' '}] {r.label}" + (f"  ({r.by}, {r.at})" if r.done else ""))
    return 0


def cmd_case_set(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases  # start-up: only the command that runs loads it

    c = cases.update_case(ctx.ws, args.ref, name=args.name, alias=args.alias,
                          worker=args.worker, team=args.team, status=args.status,
                          sampled=args.sampled, open=args.open, add_redact=args.redact,
                          remove_redact=args.unredact, add_other_names=args.other_name,
                          remove_other_names=args.remove_other_name,
                          add_relatives=args.relative, remove_relatives=args.remove_relative,
                          dob=args.dob).value
    say(f"Case {c.ref} saved.")
    return 0


def cmd_case_check(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases  # start-up: only the command that runs loads it

    r = cases.check(ctx.ws, args.ref, args.item, done=not args.undo).value
    say(f"{r.item}: {'done' if r.done else 'not done'}.")
    return 0


def cmd_case_link(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence import cases, evidence

    doc = evidence.resolve_document(ctx.ws, args.document)
    r = cases.link_document(ctx.ws, doc.id, args.ref).value
    say(f"Document {r.document_id} linked to {r.case_ref}.")
    return 0
