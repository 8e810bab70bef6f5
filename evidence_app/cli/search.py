"""Search: `search` (the search box's language, core/search/query.py) and `saved-search`
(searches kept with a line of enquiry, run exactly as `search` runs them)."""
from __future__ import annotations

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.base.fsnames import display

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing: `search` runs without argparse
if TYPE_CHECKING:
    import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "search", cmd_search, help="full-text search")
    p.add_argument("query", nargs="+", help="the search; several words are joined with spaces")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--exact", action="store_true", help="rank every match (slower on huge indexes)")
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                   help="best match first (default) or newest file first")
    json_option(p)

    _saved_searches(sub)


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.search.search import MARK_END, MARK_START, search

    query = args.query if isinstance(args.query, str) else " ".join(args.query)
    result = search(ctx.ws, query, limit=args.limit, exact=args.exact, order=args.sort)

    if args.json:
        # start-up: only --json needs the record's shape
        from evidence_app.core.store.search import as_json

        emit_json([dict(as_json(h), path=display(h.path)) for h in result.hits])
        return 0
    if not result.hits:
        say("No documents match.")
        return 0
    more = "" if result.exact else "+"
    say(f"{result.total}{more} documents ({result.milliseconds:.0f} ms)")
    for h in result.hits:
        where = f" p.{h.page}" if h.page else ""
        name = display(h.path) + (f" › {h.member}" if h.member else "")
        print(f"{h.title}{where}  [{h.status}]" if h.status != "ok" else f"{h.title}{where}")
        print(f"  {name}")
        if h.snippet:
            print("  " + h.snippet.replace(MARK_START, "*").replace(MARK_END, "*"))
    return 0


# -- saved searches ----------------------------------------------------------------------------
def _saved_searches(sub: argparse._SubParsersAction) -> None:
    """`saved-search save NAME QUERY --enquiry ID` · `saved-search list` · `saved-search run NAME`
    · `saved-search delete NAME`: a command of its own, so that `search` keeps meaning exactly
    "search for these words"."""
    p = sub.add_parser("saved-search", help="searches kept with a line of enquiry")
    ssub = p.add_subparsers(dest="saved_command", metavar="ACTION", required=True)
    q = command(ssub, "save", _saved_save, help="keep a search, optionally for a line of enquiry")
    q.add_argument("name")
    q.add_argument("query")
    q.add_argument("--enquiry", metavar="ID")
    q = command(ssub, "list", _saved_list, help="list saved searches")
    q.add_argument("--enquiry", metavar="ID")
    json_option(q)
    q = command(ssub, "run", _saved_run, help="run a saved search")
    q.add_argument("name")
    q.add_argument("--limit", type=int, default=20, metavar="N")
    q.add_argument("--exact", action="store_true")
    q.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                   help="best match first (default) or newest first, as 'search --sort'")
    json_option(q)
    q = command(ssub, "delete", _saved_delete,
                help="forget a saved search (the audit log keeps it)")
    q.add_argument("name")


def _saved_save(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.search import saved_searches

    saved = saved_searches.save(ctx.ws, args.name, args.query, args.enquiry).value
    say(f"Saved '{saved.name}'" + (f" for {saved.enquiry_id}" if saved.enquiry_id else "") + ".")
    return 0


def _saved_list(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.search import saved_searches
    from evidence_app.core.store.records import as_json

    rows = saved_searches.list_saved(ctx.ws, args.enquiry)
    if args.json:
        emit_json([as_json(r) for r in rows])
        return 0
    for r in rows:
        print(f"{r.name:<30} {r.enquiry_id or '':<8} {r.query}")
    if not rows:
        say("No saved searches yet: 'evidence-app saved-search save NAME QUERY --enquiry ID'.")
    return 0


def _saved_run(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.search import saved_searches
    args.query = saved_searches.get_saved(ctx.ws, args.name).query
    return cmd_search(args, ctx)


def _saved_delete(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.search import saved_searches

    saved = saved_searches.get_saved(ctx.ws, args.name)
    saved_searches.delete(ctx.ws, args.name)
    say(f"Deleted the saved search '{saved.name}'.")
    return 0
