"""Workspace, sources, indexing and search commands."""
from __future__ import annotations

import argparse
import sys
import time

from evidence_app.cli.main import Context, emit_json, say


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a workspace")
    p.add_argument("--name", help='authority name, e.g. "Borough Children\'s Services"')
    p.set_defaults(handler=cmd_init)

    src = sub.add_parser("source", help="folders of case files and policies")
    ssub = src.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    p = ssub.add_parser("add", help="add a folder to index")
    p.add_argument("path")
    p.add_argument("--kind", required=True, choices=["case-files", "policies", "other"])
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="only files matching (repeatable), e.g. '*.docx' or 'Visits/*'")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files matching (repeatable)")
    p.set_defaults(handler=cmd_source_add)
    p = ssub.add_parser("list", help="list source folders")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_source_list)
    p = ssub.add_parser("remove", help="stop indexing a folder (its documents stay, marked missing)")
    p.add_argument("path")
    p.set_defaults(handler=cmd_source_remove)

    p = ssub.add_parser("case-pattern", help="how case references are found in paths")
    p.add_argument("patterns", nargs="*", metavar="REGEX",
                   help="regular expressions (group 1 is the reference); none: show them")
    p.add_argument("--reset", action="store_true", help="back to the defaults")
    p.set_defaults(handler=cmd_case_pattern)

    p = sub.add_parser("index", help="bring the index up to date with the source folders")
    p.add_argument("--watch", action="store_true", help="keep watching for changes until Ctrl+C")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="extraction workers (default 2)")
    p.add_argument("--retry", action="store_true", help="try again the files that could not be read")
    p.set_defaults(handler=cmd_index)

    p = sub.add_parser("search", help="full-text search")
    p.add_argument("query", nargs="+", help="the search; several words are joined with spaces")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--exact", action="store_true", help="rank every match (slower on huge indexes)")
    p.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                   help="best match first (default) or newest file first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("documents", help="every known file with its status")
    p.add_argument("--status", metavar="S",
                   help="ok, empty, encrypted, damaged, unsupported, too_large, timeout, missing, "
                        "skipped")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_documents)

    p = sub.add_parser("status", help="counts by status and by kind")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.workspace import Workspace

    ws = Workspace.create(ctx.workspace_path, args.name)
    ctx._ws = ws
    say(f"Workspace ready at {ws.root} ({ws.name}).")
    return 0


def cmd_source_add(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.index.sources import add_source

    s = add_source(ctx.ws, args.path, args.kind, args.include, args.exclude)
    from evidence_app.core.base.fsnames import display

    say(f"Added {display(str(s.path))} as {s.kind}. Run 'evidence-app index' to read it.")
    return 0


def cmd_source_list(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.base.fsnames import display
    from evidence_app.core.index.sources import list_sources

    sources = list_sources(ctx.ws)
    if args.json:
        emit_json([{"id": s.id, "uuid": s.uuid, "path": display(str(s.path)), "kind": s.kind,
                    "include": list(s.include), "exclude": list(s.exclude)} for s in sources])
    else:
        for s in sources:
            extra = ""
            if s.include:
                extra += f"  include {', '.join(s.include)}"
            if s.exclude:
                extra += f"  exclude {', '.join(s.exclude)}"
            print(f"{s.kind:<11} {display(str(s.path))}{extra}")
        if not sources:
            say("No source folders yet: add one with 'evidence-app source add PATH --kind ...'.")
    return 0


def cmd_source_remove(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.index.sources import remove_source

    s = remove_source(ctx.ws, args.path)
    say(f"Removed {s.path}; its documents stay in the workspace, marked missing.")
    return 0


def cmd_case_pattern(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.index.sources import (
        DEFAULT_CASE_PATTERNS, case_patterns, set_case_patterns,
    )

    if args.reset:
        set_case_patterns(ctx.ws, list(DEFAULT_CASE_PATTERNS))
    elif args.patterns:
        set_case_patterns(ctx.ws, args.patterns)
        say("Saved; documents already indexed were linked again.")
    for p in case_patterns(ctx.ws):
        print(p.pattern)
    return 0


class _TerminalProgress:
    """A single updating progress line on stderr (plain lines when not a terminal)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, p) -> None:
        now = time.monotonic()
        if p.done < p.total and now - self.last < (0.1 if self.tty else 2.0):
            return
        self.last = now
        line = f"indexing {p.done}/{p.total}"
        if p.rate:
            line += f"  {p.rate:.0f} files/s"
        if p.label:
            line += f"  {p.label[:50]}"
        if self.tty:
            sys.stderr.write("\r" + line.ljust(100) + ("\n" if p.done >= p.total else ""))
            sys.stderr.flush()
        else:
            print(line, file=sys.stderr)


class _Stopped(BaseException):
    """Raised in the main thread by SIGTERM: unwinds like Ctrl+C (transactions roll back,
    workers are stopped) and ends with exit code 143."""


def _on_sigterm(signum, frame) -> None:  # noqa: ANN001 - signal handler signature
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough while we wind down
    raise _Stopped()


def cmd_index(args: argparse.Namespace, ctx: Context) -> int:
    """Index the sources (and watch them). SIGTERM and Ctrl+C end the run with one line and
    exit 143 / 130; whatever was not written stays queued, so the next run resumes."""
    import signal

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return _index(args, ctx)
    except (_Stopped, KeyboardInterrupt) as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        term = isinstance(exc, _Stopped)
        queued = _queued_line(ctx)
        if args.watch and not queued:
            say("Stopped watching; the index is up to date.")
        else:
            say(f"Indexing stopped ({'terminated' if term else 'interrupted'}); "
                f"{queued}run 'evidence-app index' again to finish.")
        return 143 if term else 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _queued_line(ctx: Context) -> str:
    try:
        n = ctx.ws.db.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]
    except Exception:  # noqa: BLE001 - the message matters more than the count
        return ""
    return f"{n} files still queued; " if n else ""


def _index(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.index.indexer import Indexer, retry
    from evidence_app.core.index.sources import list_sources

    ws = ctx.ws
    if not list_sources(ws):
        say("No source folders yet: add one with 'evidence-app source add PATH --kind ...'.")
    if args.retry:
        say(f"{retry(ws)} files queued to try again.")
    progress = _TerminalProgress()
    with Indexer(ws, jobs=args.jobs) as indexer:
        summary = indexer.run(on_progress=progress)
        say(summary.line())
        if args.watch:
            from evidence_app.core.index.watcher import watch_forever

            say("Watching for changes (Ctrl+C to stop)…")
            watch_forever(ws, indexer, report=lambda s: say(s.line()))
    return 0


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.search.search import MARK_END, MARK_START, search

    query = args.query if isinstance(args.query, str) else " ".join(args.query)
    result = search(ctx.ws, query, limit=args.limit, exact=args.exact, order=args.sort)
    from evidence_app.core.base.fsnames import display

    if args.json:
        emit_json([dict(h.to_json(), path=display(h.path)) for h in result.hits])
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


def _doc_json(d: dict) -> dict:
    from evidence_app.core.base.fsnames import display

    return {"id": d["id"], "uuid": d["uuid"], "path": display(d["path"]),
            "member": d["member"] or None,
            "rel_path": d["rel_path"], "title": d["title"], "format": d["format"],
            "status": d["status"], "reason": d["reason"], "stale": bool(d["stale"]),
            "pages": d["pages"], "chars": d["chars"], "size": d["size"], "sha256": d["sha256"],
            "case_ref": d["case_ref"], "indexed_at": d["indexed_at"]}


def cmd_documents(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.store.document_reads import list_documents

    docs = list_documents(ctx.ws.conn, args.status)
    if args.json:
        emit_json([_doc_json(d) for d in docs])
        return 0
    if not docs:
        say(f"No documents with status {args.status}." if args.status else
            "No documents yet: add a folder with 'source add' and run 'index'.")
        return 0
    from evidence_app.core.base.fsnames import display

    for d in docs:
        name = display(d["path"]) + (f" › {d['member']}" if d["member"] else "")
        line = f"{d['status']:<11} {d['format']:<7} {name}"
        if d["status"] != "ok" and d["reason"]:
            line += f"\n{'':<20}{d['reason']}"
        print(line)
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.store.document_reads import counts_by_kind, counts_by_status

    ws = ctx.ws
    by_status = counts_by_status(ws.conn)
    by_kind = counts_by_kind(ws.conn)
    queued = ws.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]
    data = {"workspace": str(ws.root), "name": ws.name, "documents": sum(by_status.values()),
            "by_status": by_status, "by_kind": by_kind, "queued": queued}
    if args.json:
        emit_json(data)
        return 0
    print(f"{ws.name} — {ws.root}")
    print(f"{data['documents']} documents" + (f", {queued} waiting to be indexed" if queued else ""))
    for k, v in by_status.items():
        print(f"  {k:<12} {v}")
    for k, v in by_kind.items():
        print(f"  {k:<12} {v}")
    return 0


