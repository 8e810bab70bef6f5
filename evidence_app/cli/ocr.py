"""`evidence-app ocr [PATH_OR_ID …] [--json]`: read scanned pages with OCR.

Without arguments it reads every scanned page still waiting (what `index` does after its fast
pass when OCR is on). With documents it is "Read again with OCR": every scanned page of those
files is read again, whether OCR is on or off. Progress ("reading scanned pages: 12 of 340") goes
to stderr; Ctrl+C stops after the pages in hand, and the rest wait for the next run.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from evidence_app.cli.common import Context, ProgressLine, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.base.errors import InvalidInput

if TYPE_CHECKING:  # a type only: the command that runs loads the records
    from evidence_app.core.store.records import Document


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "ocr", cmd_ocr,
                help="read scanned pages and pictures with OCR (all waiting, or these documents "
                     "again)")
    p.add_argument("documents", nargs="*", metavar="PATH_OR_ID",
                   help="documents to read again with OCR (default: every page waiting)")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="workers (default 2)")
    json_option(p)


class ScanProgress(ProgressLine):
    """'reading scanned pages: 12 of 340' on stderr, one updating line on a terminal."""

    tty_every = 0.2

    def describe(self, p) -> str:  # noqa: ANN001 - a Progress
        return f"reading scanned pages: {p.done:,} of {p.total:,}"


def resolve(ws, keys: list[str]) -> list[Document]:  # noqa: ANN001 - a Workspace
    """Documents by path or id; an attachment cannot be read again on its own."""
    # start-up: only the command that runs loads it
    from evidence_app.core.evidence.evidence import resolve_document

    docs = []
    for key in keys:
        doc = resolve_document(ws, key)
        if doc.is_attachment:
            raise InvalidInput(f"'{doc.name}' is an attachment inside another file; OCR reads "
                               "files in the source folders, not attachments.")
        docs.append(doc)
    return docs


def read_waiting(ws, indexer, *, doc_ids: list[int] | None = None):  # noqa: ANN001
    """Run the OCR pass with a terminal progress line; Ctrl+C keeps what was read."""
    # start-up: only the command that runs loads it
    from evidence_app.core.base.progress import CancelToken

    token = CancelToken()
    try:
        return indexer.read_scans(ScanProgress(), token, doc_ids=doc_ids)
    except KeyboardInterrupt:
        token.cancel()
        raise


def cmd_ocr(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core import settings
    from evidence_app.core.index.indexer import Indexer
    from evidence_app.core.index.ocr import engine, requests

    ws = ctx.ws
    missing = engine.available()
    if missing:
        say(f"OCR cannot run: {missing}")
        return 1
    doc_ids = None
    if args.documents:
        docs = resolve(ws, args.documents)
        ids = [d.id for d in docs]
        found = set(requests.request_again(ws, ids))
        for d in docs:
            if d.id not in found:
                say(f"{d.name}: every page has a text layer (or it is not a PDF or picture); "
                    "nothing to read by OCR.")
        doc_ids = [i for i in ids if i in found]
    elif not settings.ocr_enabled(ws):
        say("OCR is off for this workspace (evidence-app settings --ocr on); reading the pages "
            "waiting because you asked.")
    if doc_ids == []:
        run = None
    else:
        with Indexer(ws, jobs=args.jobs) as indexer:
            run = read_waiting(ws, indexer, doc_ids=doc_ids)
        say(run.line())
    if args.json:
        shown = doc_ids if doc_ids is not None else (run.documents if run else [])
        docs_json = [d.to_json() for i in shown if (d := requests.describe(ws, i))]
        emit_json({"pages_read": run.pages_read if run else 0,
                   "pages_failed": run.pages_failed if run else 0,
                   "pages_waiting": requests.waiting(ws),
                   "cancelled": bool(run and run.cancelled),
                   "seconds": round(run.seconds, 2) if run else 0.0,
                   "documents": docs_json})
    return 0
