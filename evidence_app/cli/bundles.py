"""Bundle and spreadsheet export commands.

`bundle create|list|show|add|remove|move|section|set|exports|delete|export` and
`export tracker|coverage|evidence OUT.xlsx`. A bundle export writes OUT.docx and, beside it,
OUT.docx.manifest.json (its SHA-256 and every source with its hash); it never replaces an existing
file without --force.
"""
from __future__ import annotations

import argparse
import sys
import time

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, force_option, json_option, pseudonymise_option
from evidence_app.core.store.records import as_json


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("bundle", help="evidence bundles for inspectors (Word)")
    bsub = b.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    p = command(bsub, "create", cmd_create, help="make a bundle from the framework or from cases")
    p.add_argument("title")
    p.add_argument("--by", choices=["enquiry", "area", "request", "case", "custom"],
                   help="one section per line of enquiry (default), judgement area, week-one "
                        "request or case; custom: one section to fill by hand")
    p.add_argument("--enquiry", action="append", default=[], metavar="ID",
                   help="only these lines of enquiry (repeatable)")
    p.add_argument("--request", action="append", default=[], metavar="ID",
                   help="only these week-one requests (repeatable)")
    p.add_argument("--case", action="append", default=[], metavar="REF",
                   help="only these cases (repeatable)")
    p.add_argument("--purpose", default="", help="one line for the cover page")
    p.add_argument("--marking", help="protective marking (default: the workspace's default "
                                      "marking, see 'evidence-app settings')")
    p.add_argument("--external", action="store_true",
                   help="for sharing outside the authority (pseudonymised by default)")
    json_option(p)

    p = command(bsub, "list", cmd_list, help="all bundles")
    json_option(p)

    p = command(bsub, "show", cmd_show, help="a bundle's sections and numbered items")
    p.add_argument("id")
    json_option(p)

    p = command(bsub, "add", cmd_add, help="add an evidence item to a bundle")
    p.add_argument("id")
    p.add_argument("item", help="evidence item id")
    p.add_argument("--section", metavar="S", help="S2, a ref (LEAD-01) or a section title")
    p.add_argument("--position", type=int, metavar="N", help="1 = first in the section")

    p = command(bsub, "remove", cmd_remove,
                help="take an item out of a bundle (the evidence stays)")
    p.add_argument("id")
    p.add_argument("item", help="evidence item id or its number in the bundle (E-003)")

    p = command(bsub, "move", cmd_move, help="reorder an item or move it to another section")
    p.add_argument("id")
    p.add_argument("item", help="evidence item id or its number in the bundle (E-003)")
    p.add_argument("--to", required=True, metavar="POSITION|SECTION",
                   help="3 (position in its section), S2 / LEAD-01 / a title (end of that "
                        "section), or SECTION:POSITION (LEAD-01:1)")

    p = command(bsub, "section", cmd_section, help="add an empty section at the end")
    p.add_argument("id")
    p.add_argument("title")

    p = command(bsub, "set", cmd_set, help="change a bundle's title or settings")
    p.add_argument("id")
    p.add_argument("--title")
    p.add_argument("--purpose")
    p.add_argument("--inspection", help="e.g. 'ILACS standard inspection, March 2026'")
    p.add_argument("--prepared-by", dest="prepared_by")
    p.add_argument("--marking")
    ext = p.add_mutually_exclusive_group()
    ext.add_argument("--external", dest="external", action="store_true", default=None)
    ext.add_argument("--internal", dest="external", action="store_false")
    ps = p.add_mutually_exclusive_group()
    ps.add_argument("--pseudonymise", dest="pseudonymise", action="store_const", const=True,
                    default="keep")
    ps.add_argument("--no-pseudonymise", dest="pseudonymise", action="store_const", const=False)
    ps.add_argument("--pseudonymise-default", dest="pseudonymise", action="store_const",
                    const=None, help="follow --external again")
    ap = p.add_mutually_exclusive_group()
    ap.add_argument("--append-sources", dest="append_sources", action="store_true", default=None)
    ap.add_argument("--no-append-sources", dest="append_sources", action="store_false")

    p = command(bsub, "exports", cmd_exports, help="every export made of a bundle")
    p.add_argument("id")
    json_option(p)

    p = command(bsub, "delete", cmd_delete, help="delete a bundle (its evidence stays)")
    p.add_argument("id")

    p = command(bsub, "export", cmd_export, help="write the bundle as a Word document")
    p.add_argument("id")
    p.add_argument("out", metavar="OUT.docx")
    pseudonymise_option(p,
                        "children's names to aliases, identifiers to [REDACTED] (default for "
                        "bundles marked external)", default=None)
    p.add_argument("--append-sources", action="store_true", default=None,
                   help="append the full source documents")
    p.add_argument("--accept-review", action="store_true",
                   help="pseudonymised: I have read 'bundle check' and accept what it lists")
    force_option(p)
    json_option(p)

    p = command(bsub, "check", cmd_check,
                help="before a pseudonymised export: unregistered cases and what may still "
                     "identify someone (the review)")
    p.add_argument("id")
    p.add_argument("--accept", action="append", default=[], metavar="KEY_OR_TEXT",
                   help="accept a listed item (its key or its text; repeatable)")
    p.add_argument("--accept-all", action="store_true", help="accept everything listed")
    p.add_argument("--reset", action="store_true", help="forget what was accepted before")
    p.add_argument("--append-sources", action="store_true", default=None,
                   help="check with the full source documents appended")
    json_option(p)

    e = sub.add_parser("export", help="spreadsheets: request tracker, coverage, evidence list")
    esub = e.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    for which, text in (("tracker", "the week-one request tracker"),
                        ("coverage", "the coverage matrix"), ("evidence", "every evidence item")):
        p = command(esub, which, cmd_sheet, help=text, which=which)
        p.add_argument("out", metavar="OUT.xlsx")
        pseudonymise_option(p,
                            "children's names to aliases, identifiers to [REDACTED]; the file is "
                            "verified after writing")
        force_option(p)
        json_option(p)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(b) -> dict:  # noqa: ANN001 (a Bundle)
    return {"id": b.id, "uuid": b.uuid, "title": b.title, "sections": len(b.sections),
            "items": b.item_count}


def cmd_create(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import create_bundle

    b = create_bundle(ctx.ws, args.title, args.by, enquiries=args.enquiry, requests=args.request,
                      cases=args.case, purpose=args.purpose, marking=args.marking,
                      external=args.external).value
    if args.json:
        emit_json(_summary(b))
    else:
        print(b.id)
        say(f"Bundle {b.id} '{b.title}': {_n(len(b.sections), 'section')}, "
            f"{_n(b.item_count, 'item')}.")
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import list_bundles

    rows = list_bundles(ctx.ws)
    if args.json:
        emit_json([as_json(r) for r in rows])
        return 0
    if not rows:
        say("No bundles yet: make one with 'evidence-app bundle create TITLE'.")
    for r in rows:
        flags = " external" if r.external else ""
        flags += " pseudonymised" if r.pseudonymise else ""
        print(f"{r.id:>4}  {r.title}  ({r.sections} sections, {r.items} items, "
              f"{r.marking}{flags})")
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundle_data import build

    bundle, doc = build(ctx.ws, args.id, pseudonymise=False, append_sources=False)
    sections = []
    for stored, shown in zip(bundle.sections, doc.sections):
        sections.append({"id": stored.id, "position": stored.position,
                         "kind": stored.kind, "ref": stored.ref, "title": stored.title,
                         "items": [{"number": i.number, "item": item_id, "title": i.title,
                                    "enquiries": [e for e, _ in i.enquiries],
                                    "strength": i.strength, "kind": i.kind,
                                    "source": i.source.rel_path if i.source else None,
                                    "page": i.source.page if i.source else None}
                                   for item_id, i in zip(stored.items, shown.items)]})
    if args.json:
        emit_json(as_json(bundle) | {"sections": sections})
        return 0
    print(f"{bundle.title}  [{bundle.marking}]" + (" external" if bundle.external else ""))
    for stored, shown in zip(bundle.sections, doc.sections):
        print(f"S{stored.position} {stored.title}")
        for item_id, i in zip(stored.items, shown.items):
            page = i.source.page if i.source else None
            where = f"  {i.source.rel_path if i.source else None}" + (f" p.{page}" if page else "")
            print(f"  {i.number}  #{item_id}  {i.title}  [{i.strength}]{where}")
    return 0


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import add_item

    b = add_item(ctx.ws, args.id, args.item, section=args.section, position=args.position).value
    say(f"Bundle {b.id} now has {_n(b.item_count, 'item')}.")
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import remove_item

    b = remove_item(ctx.ws, args.id, args.item).value
    say(f"Removed; bundle {b.id} has {_n(b.item_count, 'item')}.")
    return 0


def cmd_move(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import get_bundle, move_item

    def layout(bundle) -> list[tuple]:  # noqa: ANN001 (a Bundle)
        return [(s.id, s.items) for s in bundle.sections]

    before = layout(get_bundle(ctx.ws, args.id))
    after = move_item(ctx.ws, args.id, args.item, args.to).value
    if layout(after) == before:
        say(f"Nothing moved: {args.item} is already there.")
        return 0
    say("Moved. See 'evidence-app bundle show " + str(args.id) + "' for the new numbering.")
    return 0


def cmd_section(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import add_section

    b = add_section(ctx.ws, args.id, args.title).value
    say(f"Added section S{len(b.sections)} '{b.sections[-1].title}'.")
    return 0


def cmd_set(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import set_settings

    changes = {k: getattr(args, k) for k in ("title", "purpose", "inspection", "prepared_by",
                                             "marking", "external", "append_sources")}
    if args.pseudonymise != "keep":
        changes["pseudonymise"] = args.pseudonymise
    b = set_settings(ctx.ws, args.id, **changes).value
    say(f"Bundle {b.id}: marking {b.marking}, external {'yes' if b.external else 'no'}, "
        f"pseudonymise {'yes' if b.pseudonymise else 'no'}, append sources "
        f"{'yes' if b.append_sources else 'no'}.")
    return 0


def cmd_exports(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import exports
    from evidence_app.core.store.records import as_json  # start-up: as above

    rows = exports(ctx.ws, args.id)
    if args.json:
        emit_json([as_json(r) for r in rows])
        return 0
    for r in rows:
        print(f"{r.at}  {r.path}  sha256 {r.sha256[:16]}…  {r.items} items"
              + ("  pseudonymised" if r.pseudonymised else ""))
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import delete_bundle

    delete_bundle(ctx.ws, args.id)
    say("Bundle deleted; its evidence items are unchanged.")
    return 0


def ask_name_if_needed(ctx: Context) -> None:
    """On a terminal, ask once for the person's name (and team) when none is stored, and keep
    them; without a terminal do nothing, and the export refuses with how to set it."""
    from evidence_app.core import settings  # start-up: only the command that runs loads it

    if settings.has_person(ctx.ws) or not sys.stdin.isatty():
        return
    sys.stderr.write("Bundles say who prepared them. Your name (asked once; change it later "
                     "with 'evidence-app settings --author'): ")
    sys.stderr.flush()
    name = sys.stdin.readline().strip()
    if not name:
        return  # the export then refuses with the one-line hint
    sys.stderr.write("Your team (optional, Enter to skip): ")
    sys.stderr.flush()
    settings.set_person(ctx.ws, name, sys.stdin.readline().strip() or None)


class ExportProgress:
    """Export progress on stderr, only once the export has taken more than a second (a quick
    export prints nothing extra): one updating line on a terminal, else a line per step at most
    twice a second. Ctrl+C cancels; nothing is written."""

    def __init__(self, stream=None, quiet_for: float = 1.0) -> None:  # noqa: ANN001

        self.stream = stream or sys.stderr
        self.clock = time.monotonic
        self.start = self.clock()
        self.quiet_for = quiet_for
        self.last = 0.0
        self.shown = False
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, p) -> None:  # noqa: ANN001
        now = self.clock()
        finished = p.done >= p.total
        if now - self.start < self.quiet_for or (finished and not self.shown):
            return
        if not finished and self.shown and now - self.last < (0.1 if self.tty else 0.5):
            return
        self.last, self.shown = now, True
        line = f"exporting {p.done}/{p.total}  {p.label[:70]}  (Ctrl+C to cancel)"
        if finished:
            line = f"exporting {p.total}/{p.total}  done"
        if self.tty:
            self.stream.write("\r" + line.ljust(100) + ("\n" if finished else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundle_data import export_bundle
    from evidence_app.core.bundles.bundles import get_bundle
    from evidence_app.core.base.progress import CancelToken

    if not get_bundle(ctx.ws, args.id).prepared_by:
        ask_name_if_needed(ctx)
    try:
        r = export_bundle(ctx.ws, args.id, args.out, pseudonymise=args.pseudonymise,
                          append_sources=args.append_sources, force=args.force,
                          on_progress=ExportProgress(), cancel=CancelToken(),
                          accept_review=args.accept_review)
    except KeyboardInterrupt:
        say("Export cancelled; nothing was written.")
        return 130

    if args.json:
        emit_json({"path": str(r.path), "sha256": r.sha256, "size": r.size,
                   "manifest": str(r.manifest), "items": r.items,
                   "pseudonymised": r.pseudonymised, "seconds": round(r.seconds, 3),
                   "redactions": [e.to_json() for e in r.redactions], "notes": r.notes,
                   "verified": r.verified, "review_accepted": len(r.review)})
        return 0
    say(f"Wrote {r.path} ({_n(r.items, 'item')}, {r.size // 1024} KB, {r.seconds:.2f} s)"
        + (f", {sum(e.count for e in r.redactions)} redactions, verified after writing"
           + (f", {len(r.review)} review items accepted" if r.review else "")
           if r.pseudonymised else ""))
    say(f"SHA-256 {r.sha256}; manifest {r.manifest}")
    for note in r.notes:
        say(f"note: {note}")
    return 0


def cmd_sheet(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundle_data import export_sheet

    w = export_sheet(ctx.ws, args.which, args.out, force=args.force,
                     pseudonymise=args.pseudonymise)
    if args.json:
        emit_json({"path": str(w.path), "sha256": w.sha256, "size": w.size,
                   "pseudonymised": bool(args.pseudonymise),
                   "verified": bool(args.pseudonymise)})
        return 0
    say(f"Wrote {w.path} (SHA-256 {w.sha256})"
        + (", pseudonymised and verified after writing." if args.pseudonymise else "."))
    return 0


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    """The review before a pseudonymised export: unregistered cases, what the verifier would
    refuse, and what may still identify someone. A report, so it exits 0 (`ok` in --json says
    whether an export could go ahead)."""
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles import pseudonymise as ps
    from evidence_app.core.bundles.pseudonym_check import check_bundle
    from evidence_app.core.settings import author

    if args.reset:
        ps.reset_review(ctx.ws, ps_bundle_id(ctx, args.id))
    check = check_bundle(ctx.ws, args.id, append_sources=args.append_sources)
    wanted = {a.strip().lower() for a in args.accept}
    chosen = [i for i in check.items if args.accept_all or i.key.lower() in wanted
              or i.text.lower() in wanted]
    if chosen:
        ps.accept(ctx.ws, check.bundle_id, chosen, author(ctx.ws))
        check.items = [i for i in check.items if i not in chosen]
        check.accepted += len(chosen)
    unknown = wanted - {i.key.lower() for i in chosen} - {i.text.lower() for i in chosen}
    if args.json:
        emit_json(check.to_json())
        return 0
    for u in check.unregistered:
        hint = f"  (folder suggests the name '{u.suggested_name}')" if u.suggested_name else ""
        print(f"UNREGISTERED  {u.ref}: {u.reason}; items {', '.join(u.items)}{hint}")
    for pr in check.problems:
        print(f"LEAK          {pr.line()}")
    for i in check.items:
        print(f"REVIEW        {i.line()}   [key {i.key}]")
    for a in sorted(unknown):
        say(f"note: '{a}' is not in the review list.")
    if chosen:
        say(f"Accepted {len(chosen)} item{'s' if len(chosen) != 1 else ''}.")
    if check.ok:
        say(f"Nothing to resolve ({check.accepted} item{'s' if check.accepted != 1 else ''} "
            "accepted before): a pseudonymised export can go ahead.")
    else:
        say(f"{len(check.unregistered)} unregistered case(s), {len(check.items)} review item(s) "
            "to resolve: register cases with 'case add/set REF --name', add terms with "
            "'case set REF --redact TERM', or accept with 'bundle check ID --accept KEY' / "
            "'--accept-all' (or export with --accept-review).")
    return 0


def ps_bundle_id(ctx: Context, ident) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.bundles.bundles import get_bundle

    return get_bundle(ctx.ws, ident).id
