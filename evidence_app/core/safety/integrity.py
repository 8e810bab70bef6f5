"""Integrity checks and recovery of a damaged workspace.

Opening must not get slower as the index grows (issue 9): `open_check()` reads the schema and
runs `PRAGMA quick_check(TABLE)` on the tables of people's work only (evidence, cases, framework,
requests, bundles, audit, meta: their size follows the work, not the 100,000 indexed files). The
whole-file `PRAGMA quick_check` runs at most once a day, in a background thread of the window
(and of `index`), on its own read-only connection; its result is kept in
`WORKSPACE/.integrity-check.json`, and damage it found is repaired at the next opening. The full
`check` (CLI) runs `integrity_check` on everything. If the database is damaged or cannot be read,
`recover()`:
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

from evidence_app.core.safety.crypto import DB_ERRORS
from evidence_app.core.store import integrity as store

DAMAGED_DIR = "damaged"
from evidence_app.core.base.fsutil import INTEGRITY_STATE as STATE_FILE  # noqa: E402
from evidence_app.core.base.fsutil import PRIVATE_FILE
import json
FULL_CHECK_EVERY = dt.timedelta(hours=24)
# people's work: checked at every opening (cost follows the work, not the index)
WORK_TABLES = ("meta", "sources", "judgement_areas", "enquiries", "requests", "request_documents",
               "cases", "case_readiness", "evidence_items", "evidence_enquiries",
               "evidence_requests", "saved_searches", "audit_log", "bundles", "bundle_sections",
               "bundle_items", "bundle_exports", "sef_claims", "sef_claim_enquiries",
               "sef_citations", "sef_actions", "sef_versions")


def open_check(conn) -> str | None:
    """The check made at every opening: the schema reads, and the tables of people's work pass
    `quick_check`. None when fine, else SQLite's first complaint; errors that are not damage are
    raised (see quick_check)."""
    try:
        present = store.tables(conn)
        problems = []
        for table in WORK_TABLES:
            if table in present:
                text = store.quick_check(conn, table)
                if text != "ok":
                    problems.append(text)
    except DB_ERRORS as exc:
        if is_damage(exc):
            return str(exc)
        raise
    return "; ".join(problems) if problems else None


# -- the daily whole-file check -------------------------------------------------------------------
def _state_path(root) -> Path:
    return Path(root) / STATE_FILE


def read_state(root) -> dict:
    try:
        data = json.loads(_state_path(root).read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_state(root, ok: bool, problem: str | None = None, kind: str = "quick") -> None:
    path = _state_path(root)
    tmp = path.with_name(path.name + ".tmp")
    data = {"at": dt.datetime.now().isoformat(timespec="seconds"), "ok": ok, "problem": problem,
            "kind": kind}
    try:
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError:
        pass


def full_check_due(root) -> bool:
    state = read_state(root)
    try:
        last = dt.datetime.fromisoformat(state["at"])
    except (KeyError, TypeError, ValueError):
        return True
    return dt.datetime.now() - last >= FULL_CHECK_EVERY


def problem_found_earlier(root) -> str | None:
    """Damage the last background check found (repaired at this opening)."""
    state = read_state(root)
    if state.get("ok") is False and state.get("problem"):
        return str(state["problem"])
    return None


def run_full_quick_check(db_path: Path, passphrase: str | None, root) -> str | None:
    """The whole-file quick_check on its own read-only connection; the result is recorded."""
    from evidence_app.core.store.db import raw_connect  # start-up: loaded only when this runs

    try:
        conn = raw_connect(db_path, passphrase, readonly=True)
    except Exception:  # noqa: BLE001 - cannot even open: the next opening will say so
        return None
    try:
        problem = quick_check(conn)
    except DB_ERRORS:
        return None  # a lock or the disk, not damage: try again another day
    finally:
        conn.close()
    write_state(root, problem is None, problem)
    return problem


def start_background_check(ws) -> "threading.Thread":
    """Run the daily whole-file check without making anyone wait for it."""
    import threading  # start-up: threading is loaded only when this runs

    def run() -> None:
        problem = run_full_quick_check(ws.db_path, getattr(ws, "passphrase", None), ws.root)
        if problem:
            ws.warnings.append(f"The daily integrity check found damage in the workspace "
                               f"database ({problem}). It will be repaired from the newest "
                               "backup and the journal when the workspace is next opened.")

    t = threading.Thread(target=run, name="integrity-check", daemon=True)
    t.start()
    return t


def quick_check(conn) -> str | None:
    """None when fine, else SQLite's first complaint. Errors that are not damage (a full or
    failing disk, a lock, no permission) are raised, never taken for damage."""
    try:
        result = store.quick_check(conn, limit=5)
    except DB_ERRORS as exc:
        if is_damage(exc):
            return str(exc)
        raise
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
    for table in store.FTS_TABLES:
        try:
            store.fts_check(conn, table)
        except DB_ERRORS as exc:
            out.append(f"{table}: {exc}")
    return out


def rebuild_search_index(ws) -> int:
    """Rebuild both FTS indexes from their tables and queue every file for re-reading."""
    # start-up: loaded only when this runs
    from evidence_app.core.safety.backup import complete_after_install
    from evidence_app.core.store.db import transaction

    db = ws.db
    with transaction(db):
        store.fts_rebuild(db.conn)
    return complete_after_install(ws)


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
    # start-up: loaded only when this runs
    from evidence_app.core.safety import backup as backups
    from evidence_app.core.safety import journal

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
    # start-up: loaded only when this runs
    from evidence_app.core.safety import backup as backups
    from evidence_app.core.safety import journal, journal_replay

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
        report.files_queued = backups.complete_after_install(ws)
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
               f"{self.journal.get('missing_from_journal', 0)} missing from the journal, "
               f"sequence {'ok' if not self.journal.get('problems') else 'BROKEN'} "
               f"(last entry {self.journal.get('last_seq', 0)}, database expects "
               f"{self.journal.get('database_seq', 0)})",
               f"backups: {self.backups}"]
        out.append("All checks passed." if self.ok else "Problems: " + "; ".join(self.problems))
        return out


def check(ws) -> CheckResult:
    # start-up: loaded only when this runs
    from evidence_app.core.safety import audit, backup, journal_replay

    conn = ws.db.conn
    problems: list[str] = []
    try:
        integrity = store.integrity_check(conn, 20)
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
    try:
        seq = journal_replay.verify_sequence(ws)
        jinfo.update(seq)
        problems.extend(seq["problems"])
    except DB_ERRORS as exc:
        problems.append(f"the journal's sequence cannot be checked ({exc})")
    if not getattr(ws, "readonly", False):
        write_state(ws.root, integrity == "ok", None if integrity == "ok" else integrity, "full")
    return CheckResult(not problems, integrity, fts, audit_info, jinfo,
                       len(backup.list_backups(ws)), problems)


def repair(ws) -> dict:
    """What `check --repair` does on a database that opens: rebuild FTS, replay the journal."""
    from evidence_app.core.safety import journal_replay  # start-up: loaded only when this runs

    queued = rebuild_search_index(ws)
    result = journal_replay.replay(ws)
    return {"files_queued": queued, "replay": result.to_json()}
