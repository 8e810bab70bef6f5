"""Evidence commands: tag, evidence, coverage, caseloads, audit, settings, saved searches.

The framework, case and request commands live in `evidence_admin.py`; `register` adds both.
Output shapes for `--json` are part of the contract other tools use: keep keys stable.
"""
from __future__ import annotations

import argparse

from evidence_app.cli.main import Context, emit_json, say
from evidence_app.cli.argtypes import long_text, quote_text

ITEM_KEYS = ("id", "uuid", "document_id", "path", "member", "title", "quote", "current_quote",
             "enquiries", "requests", "strength", "kind", "anchor", "similarity", "note",
             "author", "page", "start", "end", "case_ref", "created_at", "updated_at")


def item_json(item: dict) -> dict:
    from evidence_app.core.base.fsnames import display

    out = {k: item.get(k) for k in ITEM_KEYS}
    if out["path"]:
        out["path"] = display(out["path"])  # the stored form escapes names that are not UTF-8
    return out


def register(sub: argparse._SubParsersAction) -> None:
    from evidence_app.cli import evidence_admin

    p = sub.add_parser("tag", help="file a document or a passage as evidence")
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
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_tag)

    p = sub.add_parser("evidence", help="list evidence items (or edit/delete one)")
    p.add_argument("--enquiry", metavar="ID")
    p.add_argument("--request", metavar="ID")
    p.add_argument("--case", metavar="REF")
    p.add_argument("--anchor", choices=["document", "anchored", "moved", "orphaned", "missing"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_evidence)
    esub = p.add_subparsers(dest="evidence_command", metavar="ACTION")
    e = esub.add_parser("edit", help="change an item's note, strength, kind or links")
    e.add_argument("item", metavar="ID")
    e.add_argument("--note")
    e.add_argument("--strength", choices=["strong", "moderate", "weak"])
    e.add_argument("--kind", choices=["strength", "development", "impact"])
    e.add_argument("--add-enquiry", action="append", metavar="ID")
    e.add_argument("--remove-enquiry", action="append", metavar="ID")
    e.add_argument("--add-request", action="append", metavar="ID")
    e.add_argument("--remove-request", action="append", metavar="ID")
    e.add_argument("--set-case", metavar="REF", help="the item's case ('' = the document's)")
    e.set_defaults(handler=cmd_evidence_edit)
    e = esub.add_parser("delete", help="delete your own tag (recorded in the audit log)")
    e.add_argument("item", metavar="ID")
    e.add_argument("--force", action="store_true", help="delete someone else's tag")
    e.set_defaults(handler=cmd_evidence_delete)

    p = sub.add_parser("coverage", help="how well each line of enquiry is evidenced")
    p.add_argument("--by", default="area", choices=["area", "case", "team", "worker"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_coverage)

    p = sub.add_parser("caseloads", help="open cases per worker and per team")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_caseloads)

    p = sub.add_parser("audit", help="the audit log of every change")
    p.add_argument("--limit", type=int, metavar="N", help="only the last N entries")
    p.add_argument("--type", dest="entity_type", metavar="TYPE",
                   help="evidence, case, enquiry, request, framework, ...")
    p.add_argument("--verify", action="store_true", help="check the log's hash chain")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_audit)

    p = sub.add_parser("settings", help="show or change workspace settings (your name, team, "
                                        "default marking)")
    p.add_argument("--author", metavar="NAME",
                   help="your name: 'Prepared by' on bundles, and recorded on your evidence")
    p.add_argument("--team", metavar="TEAM", help="your team, printed after your name ('' clears)")
    p.add_argument("--marking", metavar="MARKING",
                   help="default protective marking for new bundles (e.g. OFFICIAL)")
    p.add_argument("--time-limit", metavar="SECONDS",
                   help="time limit for reading one file (1-3600; from the next index run)")
    p.add_argument("--memory-limit", metavar="MB",
                   help="memory limit for reading one file (128-16384 MB)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_settings)

    _saved_searches(sub)
    evidence_admin.register(sub)


# -- tagging and listing -----------------------------------------------------------------------
def cmd_tag(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases, evidence

    if args.case:
        args.case = cases.require_known(ctx.ws, args.case)
    item = evidence.tag(ctx.ws, args.document, args.enquiry, args.request, quote=args.quote,
                        note=args.note, strength=args.strength, kind=args.kind,
                        case_ref=args.case).value
    if args.json:
        emit_json(item_json(item))
    else:
        print(item["id"])
        where = f" (page {item['page']})" if item["page"] else ""
        say(f"Tagged {'a passage' if item['quote'] else 'the whole document'}{where} of "
            f"{item['title']} as {item['strength']} evidence for "
            f"{', '.join(item['enquiries'] + item['requests'])}.")
    return 0


def cmd_evidence(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import evidence

    evidence.reanchor_stale(ctx.ws)  # safety net if files were indexed by an older version
    items = evidence.list_items(ctx.ws, args.enquiry, args.request, args.case,
                                anchor=args.anchor)
    if args.json:
        emit_json([item_json(i) for i in items])
        return 0
    if not items:
        say("No evidence matches.")
    for i in items:
        links = ", ".join(i["enquiries"] + i["requests"])
        flag = "" if i["anchor"] in ("document", "anchored") else f" [{i['anchor']}]"
        print(f"#{i['id']} {i['strength']:<8} {i['kind']:<11} {links}{flag}")
        print(f"    {i['title']}" + (f" p.{i['page']}" if i["page"] else "")
              + (f"  ({i['case_ref']})" if i["case_ref"] else ""))
        if i["quote"]:
            q = " ".join(i["quote"].split())
            print(f"    “{q[:150]}{'…' if len(q) > 150 else ''}”")
        if i["note"]:
            print(f"    note: {i['note']}")
    return 0


def cmd_evidence_edit(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import cases, evidence

    if args.set_case:
        args.set_case = cases.require_known(ctx.ws, args.set_case)

    item = evidence.edit(ctx.ws, args.item, note=args.note, strength=args.strength,
                         kind=args.kind, add_enquiries=args.add_enquiry,
                         remove_enquiries=args.remove_enquiry, add_requests=args.add_request,
                         remove_requests=args.remove_request, case_ref=args.set_case).value
    say(f"Item {item['id']} saved.")
    return 0


def cmd_evidence_delete(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import evidence

    item = evidence.delete(ctx.ws, args.item, force=args.force).value
    say(f"Item {item['id']} deleted (recorded in the audit log).")
    return 0


# -- coverage, caseloads, audit, settings ------------------------------------------------------
def cmd_coverage(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import coverage

    data = coverage.coverage(ctx.ws, by=args.by)
    if args.json:
        emit_json(data)
        return 0
    for a in data["areas"]:
        print(f"{a['area']:<5} {a['title'][:60]:<60} strong {a['strong']:>4}  moderate "
              f"{a['moderate']:>4}  weak {a['weak']:>4}  gaps {a['gaps']}/{a['enquiries']}")
    if args.by != "area":
        print(f"\nBy {args.by}:")
        for r in data["rows"]:
            if r["cells"]:
                cells = "; ".join(f"{g}: {c['strong']}/{c['moderate']}/{c['weak']}"
                                  for g, c in sorted(r["cells"].items()))
                print(f"  {r['enquiry']:<8} {cells}")
        say("(counts are strong/moderate/weak)")
    print(f"\nGaps (no strong evidence): {len(data['gaps'])}")
    for g in data["gaps"]:
        print(f"  {g['enquiry']:<8} {g['title']}" + (f"  ({g['total']} other)" if g["total"] else ""))
    if data["readiness"]:
        print("\nSampled cases:")
        for r in data["readiness"]:
            todo = ", ".join(r["missing"]) or "ready"
            print(f"  {r['ref']:<12} {r['alias'] or '':<9} {r['done']}/{r['total']}  {todo}")
    return 0


def cmd_caseloads(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.evidence import coverage

    data = coverage.caseloads(ctx.ws)
    if args.json:
        emit_json(data)
        return 0
    for key, rows in (("worker", data["by_worker"]), ("team", data["by_team"])):
        print(f"Open cases by {key}:")
        for r in rows:
            split = ", ".join(f"{k} {v}" for k, v in r["by_status"].items() if v)
            print(f"  {r[key]:<30} {r['open']:>4}" + (f"  ({split})" if split else ""))
    return 0


def cmd_audit(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.safety import audit

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


def cmd_settings(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core import settings

    changes = {"author": args.author, "team": args.team, "default_marking": args.marking,
               "time_limit_s": args.time_limit, "memory_limit_mb": args.memory_limit}
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
    return 0


# -- saved searches ----------------------------------------------------------------------------
def _saved_searches(sub: argparse._SubParsersAction) -> None:
    """`saved-search save NAME QUERY --enquiry ID` · `saved-search list` · `saved-search run NAME`:
    a command of its own, so that `search` keeps meaning exactly "search for these words"."""
    p = sub.add_parser("saved-search", help="searches kept with a line of enquiry")
    ssub = p.add_subparsers(dest="saved_command", metavar="ACTION", required=True)
    q = ssub.add_parser("save", help="keep a search, optionally for a line of enquiry")
    q.add_argument("name")
    q.add_argument("query")
    q.add_argument("--enquiry", metavar="ID")
    q.set_defaults(handler=_saved_save)
    q = ssub.add_parser("list", help="list saved searches")
    q.add_argument("--enquiry", metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_saved_list)
    q = ssub.add_parser("run", help="run a saved search")
    q.add_argument("name")
    q.add_argument("--limit", type=int, default=20, metavar="N")
    q.add_argument("--exact", action="store_true")
    q.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                   help="best match first (default) or newest first, as 'search --sort'")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=_saved_run)


def _saved_save(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.search import saved_searches

    row = saved_searches.save(ctx.ws, args.name, args.query, args.enquiry)
    say(f"Saved '{row['name']}'" + (f" for {row['enquiry_id']}" if row["enquiry_id"] else "")
        + ".")
    return 0


def _saved_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.search import saved_searches

    rows = saved_searches.list_saved(ctx.ws, args.enquiry)
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        print(f"{r['name']:<30} {r['enquiry_id'] or '':<8} {r['query']}")
    if not rows:
        say("No saved searches yet: 'evidence-app saved-search save NAME QUERY --enquiry ID'.")
    return 0


def _saved_run(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.search import saved_searches
    from evidence_app.cli.engine import cmd_search

    args.query = saved_searches.get_saved(ctx.ws, args.name)["query"]
    return cmd_search(args, ctx)
