"""Evidence pack commands: export, preview, import, conflicts, resolve (and the kept reports and
the team view). The rules they follow are in core/packs/merge/ and the README."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, force_option, json_option, repeatable
from evidence_app.core.base.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:
    pk = sub.add_parser("pack", help="evidence packs: send your evidence to a colleague's "
                                     "workspace, merge theirs into yours (offline, one file)")
    psub = pk.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    p = command(psub, "export", cmd_export, help="write an evidence pack (.evpack)")
    p.add_argument("out", metavar="OUT.evpack", nargs="?")
    repeatable(p, "--case", "REF", "only these cases' evidence (repeatable)")
    repeatable(p, "--enquiry", "ID", "only evidence for these lines of enquiry (repeatable)")
    p.add_argument("--with-files", action="store_true",
                   help="carry copies of the source files (for colleagues without them)")
    p.add_argument("--no-names", action="store_true",
                   help="leave real names, other names, relatives and dates of birth out")
    p.add_argument("--since-last", action="store_true",
                   help="only what changed since this workspace's last pack")
    force_option(p)
    json_option(p)

    p = command(psub, "preview", cmd_preview,
                help="what importing a pack would add, update, leave alone and put in conflict "
                     "(nothing is written)")
    p.add_argument("file", metavar="FILE")
    repeatable(p, "--map", "OLD=NEW", "file evidence for framework id OLD under NEW here")
    json_option(p)

    p = command(psub, "import", cmd_import,
                help="merge packs into this workspace (backup first, one transaction, a merge "
                     "report kept)")
    p.add_argument("files", metavar="FILE", nargs="*")
    repeatable(p, "--map", "OLD=NEW",
               "file evidence for framework id OLD under NEW here (repeatable)")
    json_option(p)

    p = command(psub, "conflicts", cmd_conflicts,
                help="items changed on both sides, and likely duplicates")
    p.add_argument("--all", action="store_true", help="include settled ones")
    json_option(p)

    p = command(psub, "resolve", cmd_resolve,
                help="settle a conflict: keep mine, theirs or both (or a likely duplicate D<n>)")
    p.add_argument("conflict", metavar="ID")
    p.add_argument("choice", choices=["mine", "theirs", "both"])
    json_option(p)

    p = command(psub, "reports", cmd_reports, help="the merge reports of packs imported here")
    json_option(p)

    p = command(psub, "report", cmd_report, help="one kept merge report")
    p.add_argument("report", metavar="ID")
    json_option(p)

    p = command(psub, "team", cmd_team,
                help="who contributed what: per sender, last pack, items, conflicts open")
    json_option(p)


def _split_packs(values: list[str], files: list[str]) -> tuple[list[str], list[str]]:
    """argparse gives `--map X=Y a.evpack` the pack too: pack names go back to the files."""
    keep = [v for v in values if "=" in v or not v.lower().endswith(".evpack")]
    return keep, files + [v for v in values if v not in keep]


def _check_files(files: list[str]) -> None:
    """Each pack named is an existing regular file (the same check argparse gives `FILE`)."""
    # start-up: only the command that runs loads it
    from evidence_app.cli.argtypes import existing_regular_file

    for f in files:
        try:
            existing_regular_file(f)
        except argparse.ArgumentTypeError as exc:
            raise InvalidInput(str(exc)) from None


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.cli.argtypes import check_new_output
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.export import export_pack

    out = args.out
    cases, enquiries = list(args.case), list(args.enquiry)
    for values in (cases, enquiries):
        if out is None and values and values[-1].lower().endswith(".evpack"):
            out = values.pop()
    if out is None:
        raise InvalidInput("Name the pack to write, e.g. 'evidence-app pack export "
                           "my-evidence.evpack'.")
    check_new_output(out, args.force)
    result = export_pack(ctx.ws, out, cases=cases, enquiries=enquiries,
                         with_files=args.with_files, no_names=args.no_names,
                         since_last=args.since_last, force=args.force,
                         on_progress=_progress)
    if args.json:
        emit_json(result.to_json())
    else:
        say(result.line())
    return 0


def _progress(p) -> None:
    pass  # packs are quick; the window shows a bar


def cmd_preview(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.importer import preview

    maps, extra = _split_packs(args.map, [])
    _check_files(extra)
    reports = preview(ctx.ws, [args.file, *extra], maps)
    if args.json:
        data = [_preview_json(r) for r in reports]
        emit_json(data[0] if len(data) == 1 else data)
    else:
        for r in reports:
            print("\n".join(r.lines()))
        print("Nothing was written. Import with: evidence-app pack import "
              + " ".join(r.file for r in reports))
    return 0


def _preview_json(report) -> dict:
    data = report.to_json()
    data["would"] = data["counts"]
    return data


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.importer import import_packs

    maps, files = _split_packs(args.map, list(args.files))
    if not files:
        raise InvalidInput("Name the pack(s) to import, e.g. 'evidence-app pack import "
                           "jo.evpack sam.evpack'.")
    _check_files(files)
    result = import_packs(ctx.ws, files, maps).value
    if args.json:
        emit_json(result.to_json())
        return 0
    for r in result.reports:
        print("\n".join(r.lines()))
    c = result.tally()
    say(f"Imported {len(result.reports)} pack{'s' if len(result.reports) != 1 else ''}: "
        f"{c.added} items added, {c.updated} updated, {c.deleted} deleted, {c.conflicts} "
        f"conflicts, {c.duplicates} likely duplicates. Backup first: {result.backup}.")
    if c.conflicts or c.duplicates:
        say("See them with: evidence-app pack conflicts")
    return 0


def cmd_conflicts(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs import conflicts
    from evidence_app.core.store.packs import as_json

    found = conflicts.list_conflicts(ctx.ws, args.all)
    dups = conflicts.list_duplicates(ctx.ws, args.all)
    if args.json:
        emit_json({"conflicts": [as_json(c) for c in found],
                   "duplicates": [{**as_json(d), "ref": f"D{d.id}"} for d in dups]})
        return 0
    if not found and not dups:
        print("No conflicts and no likely duplicates.")
        return 0
    for c in found:
        state = "" if c.resolved_at is None else f" [{c.resolution} {c.resolved_at}]"
        print(f"{c.id}\titem {c.item_id}\tfrom {c.sender}{state}")
        for label, v in (("mine", c.mine), ("theirs", c.theirs)):
            if v:
                gone = " (deleted)" if v.get("deleted_at") else ""
                print(f"\t{label}: {v.get('strength')}, {v.get('kind')}, "
                      f"{' '.join(v.get('enquiries') or [])}, changed {v.get('updated_at')}"
                      f"{gone}: {(v.get('note') or '')[:70]}")
    for d in dups:
        print(f"D{d.id}\titems {d.id_a} and {d.id_b} quote the same passage (from {d.sender})")
    if any(c.resolved_at is None for c in found) or dups:
        print("Settle one with: evidence-app pack resolve ID mine|theirs|both")
    return 0


def cmd_resolve(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.conflicts import resolve

    done = resolve(ctx.ws, args.conflict, args.choice).value
    if args.json:
        emit_json(done.to_json())
    else:
        say(done.line())
    return 0


def cmd_reports(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.importer import reports
    from evidence_app.core.store.packs import as_json

    found = reports(ctx.ws)
    if args.json:
        emit_json([{k: v for k, v in as_json(r).items() if k != "report"} for r in found])
        return 0
    if not found:
        print("No packs have been imported here.")
    for r in found:
        print(f"{r.id}\t{r.imported_at}\t{r.file_name}\tfrom {r.sender}\t+{r.added} "
              f"~{r.updated} !{r.conflicts}\tSHA-256 {r.pack_sha256[:12]}…")
    return 0


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.importer import get_report
    from evidence_app.core.packs.merge.report import MergeReport

    r = get_report(ctx.ws, args.report)
    if args.json:
        # start-up: only the command that runs loads it
        from evidence_app.core.store.packs import as_json

        emit_json(as_json(r))
        return 0
    data = {k: v for k, v in r.report.items() if k != "counts"}
    print(f"Imported {r.imported_at} by {r.imported_by}; pack SHA-256 {r.pack_sha256}")
    print("\n".join(MergeReport(**data).lines()))
    return 0


def cmd_team(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.packs.team import senders
    from evidence_app.core.store.packs import as_json

    found = senders(ctx.ws)
    if args.json:
        emit_json([as_json(s) for s in found])
        return 0
    if not found:
        print("No packs have been imported here yet.")
    for s in found:
        print(f"{s.sender}\tlast pack {s.last_pack_at}\t{s.items_added} items added "
              f"({s.items_now} now)\t{s.conflicts_open} conflicts open")
    return 0
