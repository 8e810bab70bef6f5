"""The index: `index` (once, or `--watch`; SIGTERM and Ctrl+C stop it with one line and the
queue resumes next time), `documents` (every known file with its status) and `problems` (the
window's Problems list: files not read in full, and scans OCR could hardly read)."""
from __future__ import annotations

import argparse

from evidence_app.cli.common import Context, ProgressLine, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.base.fsnames import display
from evidence_app.core.store.document_reads import documents
from evidence_app.core.store.queue import queued_count
from evidence_app.core.store.records import document_as_json


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "index", cmd_index, help="bring the index up to date with the source folders")
    p.add_argument("--watch", action="store_true", help="keep watching for changes until Ctrl+C")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="extraction workers (default 2)")
    p.add_argument("--retry", action="store_true", help="try again the files that could not be read")
    p.add_argument("--no-ocr", action="store_true",
                   help="this time, do not read scanned pages with OCR after the fast pass")

    p = command(sub, "documents", cmd_documents, help="every known file with its status")
    p.add_argument("--status", metavar="S",
                   help="ok, empty, encrypted, damaged, unsupported, too_large, timeout, missing, "
                        "skipped")
    json_option(p)

    p = command(sub, "problems", cmd_problems,
                help="files whose text could not be read fully, and scans OCR could hardly read, "
                     "with the reason")
    json_option(p)


class _TerminalProgress(ProgressLine):
    """A single updating progress line on stderr (plain lines when not a terminal)."""

    def describe(self, p) -> str:  # noqa: ANN001 - a Progress
        line = f"indexing {p.done}/{p.total}"
        return line + (f"  {p.rate:.0f} files/s" if p.rate else "")


class _Stopped(BaseException):
    """Raised in the main thread by SIGTERM: unwinds like Ctrl+C (transactions roll back,
    workers are stopped) and ends with exit code 143."""


def _on_sigterm(signum, frame) -> None:  # noqa: ANN001 - signal handler signature
    import signal  # start-up: only the command that runs loads it

    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough while we wind down
    raise _Stopped()


def cmd_index(args: argparse.Namespace, ctx: Context) -> int:
    """Index the sources (and watch them). SIGTERM and Ctrl+C end the run with one line and
    exit 143 / 130; whatever was not written stays queued, so the next run resumes."""
    import signal  # start-up: only the command that runs loads it

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
        n = queued_count(ctx.ws.conn)
    except Exception:  # noqa: BLE001 - the message matters more than the count
        return ""
    return f"{n} files still queued; " if n else ""


def _index(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.extract_worker import start_server

    start_server()  # the workers' server loads the parsers while we load the rest
    # start-up: only the command that runs loads it
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
        ocr = _ocr_after(ws, args)
        if ocr:  # the second pass: scanned pages, after every file is findable
            # start-up: only the command that runs loads it
            from evidence_app.cli.ocr import read_waiting

            run = read_waiting(ws, indexer)
            if run.pages_total:
                say(run.line())
        if args.watch:
            # start-up: only the command that runs loads it
            from evidence_app.core.index.watcher import watch_forever

            say("Watching for changes (Ctrl+C to stop)…")
            between = None
            if ocr:
                # start-up: only the command that runs loads it
                from evidence_app.cli.ocr import ScanProgress

                def between() -> bool:  # a slice of OCR while no change is waiting
                    run = indexer.read_scans(ScanProgress(), budget_s=15)
                    if run.pages_total and not run.pages_left:
                        say(run.line())
                    return bool(run.pages_left)

            watch_forever(ws, indexer, report=lambda s: say(s.line()), between=between)
    return 0


def _ocr_after(ws, args: argparse.Namespace) -> bool:  # noqa: ANN001
    """Read scanned pages after indexing: the workspace's setting, unless --no-ocr; said once
    when the engine is not installed (a build without it still indexes everything else)."""
    from evidence_app.core import settings  # start-up: only the command that runs loads it

    if getattr(args, "no_ocr", False) or not settings.ocr_enabled(ws):
        return False
    # start-up: only the command that runs loads it
    from evidence_app.core.index.ocr import engine, requests

    missing = engine.available()
    if missing and requests.waiting(ws):
        say(f"Scanned pages were not read: {missing}")
        return False
    return not missing


def cmd_documents(args: argparse.Namespace, ctx: Context) -> int:
    docs = documents(ctx.ws.conn, args.status)
    if args.json:
        emit_json([document_as_json(d) for d in docs])
        return 0
    if not docs:
        say(f"No documents with status {args.status}." if args.status else
            "No documents yet: add a folder with 'source add' and run 'index'.")
        return 0

    for d in docs:
        name = display(d.path) + (f" › {d.member}" if d.member else "")
        line = f"{d.status:<11} {d.format:<7} {name}"
        if d.status != "ok" and d.reason:
            line += f"\n{'':<20}{d.reason}"
        print(line)
    return 0


def cmd_problems(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.index.problems import problems
    from evidence_app.core.store.records import problem_as_json

    rows = problems(ctx.ws)
    if args.json:
        emit_json([problem_as_json(p) for p in rows])
        return 0
    if not rows:
        say("Every file was read. Nothing needs attention.")
        return 0
    for p in rows:
        print(f"{p.status:<17} {p.shown_path}" + (f" › {p.member}" if p.member else ""))
        if p.reason:
            print(f"{'':<18}{p.reason}")
    say(f"{len(rows):,} {'file' if len(rows) == 1 else 'files'} could not be read fully; their "
        "names are still searchable. Fix or replace a file, then 'evidence-app index --retry' "
        "(scans: 'evidence-app ocr PATH').")
    return 0
