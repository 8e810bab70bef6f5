"""The full rescan's comparison of the source folders with the stored rows, as a stream.

The walk (`scan.scan_source`, in stored-path order) is compared with the stored rows read in the
same order (`documents.iter_known`), so neither side is held in memory (at 100,000 files a dict of
each cost ~85 MB) and an unchanged file costs one `stat` and one comparison. Entries that come
out of order (a folder that could not be opened, a source inside another, Windows' sorting) wait
in a small dict until their partner comes.

Each new or changed file comes out of `FullScan.changed()` the moment it is found, so the
indexer hands it to a worker while the walk goes on: reading the changed files overlaps the walk
instead of following it (at 100,000 files the walk alone takes about a second). The stored rows
are read on a connection of their own, a snapshot taken when the walk starts: results written
meanwhile (on the writing connection) cannot change what the walk compares against.

What is not a file to read (links, pipes, unreadable folders: `skipped`) and what was not found
(`gone`) are known only when the walk has ended; `finish` hands them over.
"""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Iterator

from evidence_app.core.base.fsnames import to_disk, to_store
from evidence_app.core.base.progress import CancelToken
from evidence_app.core.index.extractors.base import SKIPPED
from evidence_app.core.index.scan import SeenFile, inside, scan_source
from evidence_app.core.index.sources import Source
from evidence_app.core.store import documents as docstore
from evidence_app.core.store.db import raw_connect

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

REDO = ("pending", "missing", SKIPPED)  # statuses read again whatever the stat says
CANCEL_EVERY = 4096  # entries walked between looks at the cancel token


class FullScan:
    """One full walk of every source against the stored rows.

    Iterate `changed()` for the files to read, as (stored path, source id, stored SHA-256 or
    None); then `skipped` (entries recorded as skipped, never opened), `gone` (stored files not
    found: disk paths) and `known` (their stored facts) say the rest, and `scanned` how many
    entries were seen."""

    def __init__(self, ws: Workspace, sources: list[Source],
                 cancel: CancelToken | None = None) -> None:
        self.ws = ws
        self.sources = sources
        self.cancel = cancel
        self.scanned = 0
        self.found = 0
        self.skipped: list[SeenFile] = []
        self.gone: list[str] = []
        self.known: dict[str, docstore.Known] = {}
        self.complete = False  # the walk reached its end (not cancelled)

    def _snapshot(self) -> sqlite3.Connection | None:
        """A read connection of its own for the stored rows (None: use the workspace's; an
        in-memory or otherwise unusual database)."""
        try:
            return raw_connect(self.ws.db_path, self.ws.passphrase, readonly=True)
        except Exception:  # noqa: BLE001 - the shared connection still gives a right answer
            return None

    def changed(self) -> Iterator[tuple[str, int, str | None]]:
        own = self._snapshot()
        conn = own if own is not None else self.ws.db.conn
        try:
            yield from self._compare(conn)
        finally:
            if own is not None:
                own.close()

    def _compare(self, conn: sqlite3.Connection) -> Iterator[tuple[str, int, str | None]]:
        roots = {str(s.path) for s in self.sources}
        known = docstore.iter_known(conn)  # (path, id, size, mtime, sha256, status, source)
        head = next(known, None)
        waiting: dict[str, tuple] = {}  # stored rows passed over by the walk
        skipped = self.skipped
        cancel = self.cancel
        redo = REDO
        scanned = 0
        for source in self.sources:
            root = str(source.path)
            inner = frozenset(r for r in roots if r != root and inside(r, root))
            source_id = source.id
            for path, size, mtime, special in scan_source(source, self.ws.root, inner):
                scanned += 1
                if cancel is not None and not scanned % CANCEL_EVERY and cancel.cancelled:
                    self.scanned = scanned
                    return
                stored = path if path.isascii() else to_store(path)
                while head is not None and head[0] < stored:
                    waiting[head[0]] = head
                    head = next(known, None)
                if head is not None and head[0] == stored:
                    row = head
                    head = next(known, None)
                else:
                    row = waiting.pop(stored, None)
                if special is not None:
                    k = docstore.Known._make(row[1:]) if row is not None else None
                    if needs_work(k, special) or k.status != SKIPPED:
                        skipped.append(special)
                    continue
                if row is None:
                    self.found += 1
                    yield stored, source_id, None
                elif row[2] != size or row[3] != mtime or row[5] in redo:
                    self.found += 1
                    yield stored, source_id, (row[4] if row[5] != "missing" else None)
        while head is not None:
            waiting[head[0]] = head
            head = next(known, None)
        self.scanned = scanned
        self.known = {to_disk(p): docstore.Known._make(r[1:]) for p, r in waiting.items()}
        self.gone = [p for p, k in self.known.items()
                     if k.status != "missing" and k.source_id is not None]
        self.complete = True


def needs_work(row: docstore.Known | None, f: SeenFile) -> bool:
    """Whether an entry must be recorded (again): new, changed, or changed kind."""
    if row is None or row.status in ("pending", "missing"):
        return True
    if (f.skip_reason is None) != (row.status != SKIPPED):
        return True  # a file became a link or a pipe, or the other way round
    return row.size != f.size or row.mtime != f.mtime
