"""The quick path's way into a workspace: a plain, healthy one is read at once; anything else is
left to the full opening.

`evidence-app search WORD --json` is measured against recoll's `recollq` (issue 9), and the full
opening of a read-only command (core/opening.open_reader, via core/workspace.py and
cli/safety.py) loads pathlib, typing, threading, base64, the crypto, lock and journal modules and
every migration module: about as much CPU as the search itself. Its *answers* are cheap (a few
stats, two file headers, two rows), so this module asks the same questions with `os`, `json` and
SQLite's C module alone (core/store/dbapi.py: not even the `sqlite3` package's datetime).

It never decides anything the full opening would say something about. `open_plain` returns a
handle only when every step of the full reader opening would pass silently:

- the database exists and is an ordinary (plain SQLite) file;      opening.open_workspace
- the folder is not a cloud-sync or network folder;                locations.synced_reason
- the folder and the database can be written (not read-only media);opening.open_reader
- no interrupted encryption, no key file here or in backups/, no   opening.unlock_store,
  encrypted journal line or backup: never an encrypted workspace   crypto.refuse_if_key_missing
  (it is never read without its key, and is not read here at all);
- the folder is already private (0700), so nothing is tightened;   opening.tighten_if_loose
- the schema is exactly this version's migrations;                 migrations.check_version/pending
- no writer's work is waiting: the journal's last `seq` is the     opening.writer_work_waiting
  database's, no restored backup to unpack, no damage found by the
  daily check.

In every other case (and on any error while asking) it returns None and the command goes the
usual way, which refuses, warns, migrates or repairs exactly as it always has: the quick path
adds no message of its own. The connection is set up as core/store/db.open_connection sets up a
reader's. tests/cli/test_fast_open.py builds each of those states and checks both ways agree.
"""
from __future__ import annotations

import json
import os

from evidence_app.core.safety.locations import synced_reason
from evidence_app.core.store import meta as meta_store
from evidence_app.core.store import dbapi, quick_open

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)

DB_NAME = "evidence.db"  # core/opening.DB_NAME
SQLITE_HEADER = b"SQLite format 3\x00"
KEY_FILE = "encryption.json"  # core/safety/crypto.MARKER
ENCRYPTING = ".encrypting"  # an interrupted `init --encrypt` (core/safety/crypto_convert.py)
INTEGRITY_STATE = ".integrity-check.json"  # core/base/fsutil.INTEGRITY_STATE
JOURNAL_DIR = "journal"
# The schema this version writes: the names core/store/migrations.py registers, in order
# (tests/cli/test_fast_open.py keeps the two the same). A database with exactly these is read
# here; one with fewer is migrated, one with more refused, by the usual opening.
SCHEMA = ("m001_engine", "m002_evidence", "m003_bundles", "m004_fts_writes", "m005_case_names",
          "m006_search_lookup", "m007_sef", "m008_packs", "m009_ocr_pages", "m010_pack_bundles")


class QuickWorkspace:
    """What a read-only command's handler uses of a Workspace: its folder and connection."""

    readonly = False
    readonly_reason = None
    warnings: list[str] = []

    def __init__(self, root: str, conn: sqlite3.Connection) -> None:
        self.root = root
        self.conn = conn
        self.db_path = os.path.join(root, DB_NAME)
        self.logs_dir = os.path.join(root, "logs")  # where a bug's traceback is logged

    def close(self) -> None:
        self.conn.close()


def open_plain(root: str) -> QuickWorkspace | None:
    """A handle on the workspace at the resolved folder `root`, or None (see the module note)."""
    db = os.path.join(root, DB_NAME)
    try:
        if not _plain_files(root, db):
            return None
    except (OSError, ValueError):
        return None
    try:
        conn = _connect(db)
    except dbapi.Error:
        return None
    try:
        if _schema_and_journal_current(conn, root):
            return QuickWorkspace(root, conn)
    except (dbapi.Error, OSError, ValueError):
        pass
    conn.close()
    return None


def _plain_files(root: str, db: str) -> bool:
    """Everything the full opening checks before it opens the database, all passing."""
    if not os.path.isfile(db) or _header(db) != SQLITE_HEADER:
        return False  # missing, empty, encrypted or damaged
    if synced_reason(root) is not None:
        return False
    if not (os.access(root, os.W_OK) and os.access(db, os.W_OK)):
        return False
    backups = os.path.join(root, "backups")
    for path in (os.path.join(root, ENCRYPTING), os.path.join(root, KEY_FILE),
                 os.path.join(backups, KEY_FILE)):
        if os.path.lexists(path):
            return False
    if os.name == "posix" and os.stat(root).st_mode & 0o077:
        return False
    return not _journal_encrypted(root) and not _backups_encrypted(backups)


def _header(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read(16)


def _matching(folder: str, suffix: str) -> list[str]:
    """The paths `sorted(Path(folder).glob("*" + suffix))` gives, in its order (hidden names
    included; without case on Windows)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [os.path.join(folder, n) for n in sorted(names, key=os.path.normcase)
            if os.path.normcase(n).endswith(suffix)]


def _journal_encrypted(root: str) -> bool:
    """crypto.encryption_signs' "journal_encrypted": the newest two files' first lines."""
    for path in _matching(os.path.join(root, JOURNAL_DIR), ".jsonl")[-2:]:
        try:
            with open(path, "rb") as f:
                first = json.loads(f.readline(1 << 20).decode("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(first, dict) and "enc" in first:
            return True
    return False


def _backups_encrypted(folder: str) -> bool:
    """crypto.encryption_signs' "backups_encrypted": the newest three backups' headers."""
    for path in _matching(folder, ".db")[-3:]:
        if os.stat(path).st_size and _header_or_empty(path) not in (b"", SQLITE_HEADER):
            return True
    return False


def _header_or_empty(path: str) -> bytes:
    try:
        return _header(path)
    except OSError:
        return b""


def _connect(db: str) -> sqlite3.Connection:
    """A reader's connection, as core/store/db.open_connection(readonly=False, set_wal=False)
    makes it (the database is in WAL mode from its creation)."""
    return quick_open.connect_reader(db)


def _schema_and_journal_current(conn: sqlite3.Connection, root: str) -> bool:
    """This version's schema, and no writer's work waiting (opening.writer_work_waiting)."""
    if quick_open.applied_migrations(conn) != set(SCHEMA):
        return False
    if int(meta_store.get(conn, "journal.seq") or 0) != journal_seq(root):
        return False
    if meta_store.has_table(conn, "documents_backup"):
        return False
    try:
        with open(os.path.join(root, INTEGRITY_STATE), encoding="utf-8") as f:
            state = json.loads(f.read())
    except (OSError, ValueError):
        return True
    return not (isinstance(state, dict) and state.get("ok") is False)


def journal_seq(root: str) -> int:
    """The journal's last `seq`: journal_tail.tail(root, with_hash=False).seq, the highest
    over its files' last readable lines, each read from the file's end."""
    seqs = [seq for path in _matching(os.path.join(root, JOURNAL_DIR), ".jsonl")
            for seq in [_last_seq(path)] if seq is not None]
    return max(seqs) if seqs else 0


def _last_seq(path: str) -> int | None:
    """The `seq` of a file's last readable line (0 if it has none), None without such a line
    (journal_tail._last_good_line)."""
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as f:
            window = 64 * 1024
            while True:
                start = max(0, size - window)
                f.seek(start)
                lines = f.read(size - start).split(b"\n")
                if start > 0:
                    lines = lines[1:]  # may be cut
                for raw in reversed(lines):
                    if not raw.strip():
                        continue
                    try:
                        obj = json.loads(raw.decode("utf-8"))
                    except (ValueError, UnicodeDecodeError):
                        continue  # torn by a crash: the line before is the tail
                    if not isinstance(obj, dict):
                        continue
                    seq = obj.get("seq")
                    return seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
                if start == 0:
                    return None
                window *= 4
    except OSError:
        return None
