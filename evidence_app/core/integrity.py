"""Integrity checks and recovery of a damaged workspace.

At opening, `PRAGMA quick_check` (fast: no index cross-checks). If the database is damaged or
cannot be read, `recover()`:
1. moves it aside (with -wal/-shm) into `WORKSPACE/damaged/` — never deleted;
2. installs the newest backup that passes its own quick check (or a fresh, empty database);
3. rebuilds the search index (FTS tables rebuilt from their content; every file queued so the
   indexer re-reads it on its next pass);
4. replays the journal (people's work since that backup);
5. returns a `RecoveryReport`: what happened and what, if anything, was lost.

`check()` is the full check behind `evidence-app check`: integrity_check, FTS integrity of both
full-text indexes, the audit chain, and the journal against the database.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .crypto import DB_ERRORS

DAMAGED_DIR = "damaged"


def quick_check(conn) -> str | None:
    """None when fine, else SQLite's first complaint. Errors that are not damage (a full or
    failing disk, a lock, no permission) are raised, never taken for damage."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except DB_ERRORS as exc:
        if is_damage(exc):
            return str(exc)
        raise
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else result


def is_damage(exc: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB: the file itself is damaged (not the disk or a lock)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name:
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def fts_problems(conn) -> list[str]:
    out = []
    for table in ("chunks_fts", "names_fts"):
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [table]).fetchone():
                conn.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
        except DB_ERRORS as exc:
            out.append(f"{table}: {exc}")
    return out


def rebuild_search_index(ws) -> int:
    """Rebuild both FTS indexes from their tables and queue every file for re-reading."""
    from . import clock
    from .store.db import transaction

    db = ws.db
    with transaction(db):
        db.conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES('rebuild')")
        db.conn.execute("INSERT INTO names_fts(names_fts) VALUES('rebuild')")
        rows = db.conn.execute("SELECT path, source_id FROM documents WHERE member = '' AND "
                               "source_id IS NOT NULL AND status != 'missing'").fetchall()
        db.conn.execute("UPDATE documents SET mtime = NULL WHERE member = ''")
        db.conn.executemany("INSERT OR IGNORE INTO index_queue(path, source_id, enqueued_at) "
                            "VALUES (?,?,?)", [(r[0], r[1], clock.now_iso()) for r in rows])
    return len(rows)


@dataclass
class RecoveryReport:
    """What recovery did, for the window's banner and the CLI (`message()`)."""

    problem: str
    damaged_copy: str | None = None
    backup_used: str | None = None
    backup_time: str | None = None
    replayed: int = 0
    replayed_by_type: dict = field(default_factory=dict)
    not_replayed: int = 0
    conflicts: list[str] = field(default_factory=list)
    files_queued: int = 0
    sources_restored: int = 0
    unreadable_journal_lines: int = 0
    lost: list[str] = field(default_factory=list)
    at: str = field(default_factory=lambda: dt.datetime.now().isoformat(timespec="seconds"))

    def message(self) -> str:
        lines = [f"The workspace database was damaged ({self.problem}) and has been repaired."]
        if self.damaged_copy:
            lines.append(f"The damaged copy was kept as {self.damaged_copy}.")
        if self.backup_used:
            lines.append(f"It was restored from the backup of {self.backup_time} "
                         f"({Path(self.backup_used).name}).")
        else:
            lines.append("No usable backup was found, so the work was rebuilt from the journal.")
        if self.replayed:
            kinds = ", ".join(f"{v} {k}" for k, v in sorted(self.replayed_by_type.items()))
            lines.append(f"{self.replayed} later changes were replayed from the journal ({kinds}).")
        if self.files_queued:
            lines.append(f"The search index is being rebuilt: {self.files_queued} files will be "
                         "read again (run 'index', or the window does it).")
        if self.lost:
            lines.append("Could not be recovered: " + "; ".join(self.lost) + ".")
        else:
            lines.append("Nothing you saved was lost.")
        return " ".join(lines)

    def to_json(self) -> dict:
        return {**self.__dict__, "message": self.message()}


def recover(ws, problem: str) -> RecoveryReport:
    """Replace a damaged database (see the module notes). The caller holds the lock."""
    from . import backup as backups
    from . import journal

    report = RecoveryReport(problem=problem)
    ws.close_all()
    aside = None
    if ws.db_path.exists():
        aside = backups.move_aside(ws.db_path, ws.root / DAMAGED_DIR, "evidence-damaged")
        report.damaged_copy = str(aside)
    try:
        _rebuild(ws, report)
    except BaseException:
        # e.g. the disk filled up mid-recovery: put the damaged file back, try again next time
        ws.close_all()
        if aside is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                src = Path(str(aside) + suffix)
                dst = Path(str(ws.db_path) + suffix)
                if src.exists():
                    os.replace(src, dst)
        raise
    journal.note(ws, "recovery", report=report.to_json())
    return report


def _rebuild(ws, report: RecoveryReport) -> None:
    from . import backup as backups
    from . import journal, journal_replay

    passphrase = getattr(ws, "passphrase", None)
    for b in backups.list_backups(ws):
        if b.kind == "replaced":
            continue
        if backups.verify_backup(b.path, passphrase):
            backups.install_copy(b.path, ws.db_path)
            report.backup_used, report.backup_time = str(b.path), b.created.isoformat(
                sep=" ", timespec="seconds")
            break
    ws._after_replace()
    if report.backup_used:
        report.files_queued = rebuild_search_index(ws)
    rr = journal.read(ws.root, getattr(ws, "journal_key", None))
    result = journal_replay.replay(ws, rr.records)
    report.replayed, report.replayed_by_type = result.applied, result.by_type
    report.not_replayed, report.conflicts = result.not_applied, result.conflicts
    report.sources_restored = result.sources_added
    report.unreadable_journal_lines = rr.damaged_lines
    if not report.backup_used:
        report.files_queued = rebuild_search_index(ws)
        if not rr.records:
            report.lost.append("no backup and no journal were found, so the workspace starts "
                               "empty (the damaged copy is kept for specialist recovery)")
    if result.conflicts:
        report.lost.append(f"{len(result.conflicts)} journaled changes conflicted with the "
                           "restored data")
    if rr.damaged_lines:
        report.lost.append(f"{rr.damaged_lines} unreadable journal lines (a change cut short by "
                           "the crash is normal)")


# -- the full check ---------------------------------------------------------------------------
@dataclass
class CheckResult:
    ok: bool
    integrity: str
    fts: list[str]
    audit: dict
    journal: dict
    backups: int
    problems: list[str]

    def to_json(self) -> dict:
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        out = [f"database integrity: {self.integrity}",
               "search index: " + ("ok" if not self.fts else "; ".join(self.fts)),
               self.audit.get("line", ""),
               f"journal: {self.journal.get('journal_entries', 0)} entries, "
               f"{self.journal.get('missing_from_database', 0)} missing from the database, "
               f"{self.journal.get('missing_from_journal', 0)} missing from the journal",
               f"backups: {self.backups}"]
        out.append("All checks passed." if self.ok else "Problems: " + "; ".join(self.problems))
        return out


def check(ws) -> CheckResult:
    from . import audit, backup, journal_replay

    conn = ws.db.conn
    problems: list[str] = []
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        integrity = "; ".join(str(r[0]) for r in rows)
    except DB_ERRORS as exc:
        integrity = str(exc)
    if integrity != "ok":
        problems.append(f"the database is damaged ({integrity})")
    fts = fts_problems(conn) if not getattr(ws, "readonly", False) else []
    if fts:
        problems.append("the search index is damaged (rebuild it: 'evidence-app check --repair')")
    try:
        v = audit.verify(ws)
        audit_info = {"ok": v.ok, "checked": v.checked, "first_bad_entry": v.bad_id,
                      "reason": v.reason, "line": v.line()}
        if not v.ok:
            problems.append(v.line())
    except DB_ERRORS as exc:
        audit_info = {"ok": False, "line": f"The audit log cannot be read: {exc}"}
        problems.append(audit_info["line"])
    try:
        jinfo = journal_replay.compare(ws)
        if jinfo["missing_from_database"]:
            problems.append(f"{jinfo['missing_from_database']} journaled changes are missing from "
                            "the database (replay them: 'evidence-app check --repair')")
    except DB_ERRORS as exc:
        jinfo = {"error": str(exc)}
    return CheckResult(not problems, integrity, fts, audit_info, jinfo,
                       len(backup.list_backups(ws)), problems)


def repair(ws) -> dict:
    """What `check --repair` does on a database that opens: rebuild FTS, replay the journal."""
    from . import journal_replay

    queued = rebuild_search_index(ws)
    result = journal_replay.replay(ws)
    return {"files_queued": queued, "replay": result.to_json()}
