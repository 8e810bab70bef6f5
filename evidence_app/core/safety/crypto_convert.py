"""Encrypting an existing unencrypted workspace, completely or not at all (`init --encrypt`).

A half-encrypted workspace would be worse than a plain one: it looks protected while old copies
still hold children's names in plain text. So the conversion is staged and has one commit point:

1. Everything is written, encrypted, into `WORKSPACE/.encrypting/`: the database (SQLCipher
   `sqlcipher_export` of a checkpointed copy), every backup and every copy in `damaged/`, the
   journal (each line encrypted with a new journal key, its sequence kept and its chain of
   hashes rebuilt), and the new `encryption.json`. Nothing outside that folder changes yet; a
   file that cannot be encrypted (a damaged copy) stops the conversion with its name.
2. Each staged file is verified by opening it with the key: `quick_check`, the same number of rows
   in every table as its plain original, every journal line decrypted.
3. `.encrypting/READY` is written and fsynced: the commit point.
4. Each plain file is overwritten with zeros and replaced by its encrypted copy (the key file
   first), plain WAL/SHM files are overwritten and removed, and the staging folder goes.

A crash before step 3 leaves the workspace as it was (the staging folder is overwritten and
removed at the next opening); a crash after it is finished at the next opening, before anything
reads the database (`finish_pending`). Overwriting does not reach blocks an SSD or a
copy-on-write file system keeps elsewhere: the README says so.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.safety import crypto
from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.base.fsutil import (
    create_private_file, fsync_dir, private_dir, shred, zero_fill,
)
from evidence_app.core.store import cipher as cipher_store
from evidence_app.core.store import integrity as integrity_store
from evidence_app.core.store.db import raw_connect

STAGING = ".encrypting"
READY = "READY"
_SIDE = ("-wal", "-shm", "-journal")


@dataclass
class ConversionReport:
    database: bool = False
    backups: int = 0
    damaged_copies: int = 0
    journal_lines: int = 0
    torn_journal_lines: int = 0
    files_overwritten: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"Encrypted the existing workspace: the database, {self.backups} backups, "
                f"{self.damaged_copies} damaged copies and {self.journal_lines} journal lines. "
                f"The {len(self.files_overwritten)} unencrypted files were overwritten and "
                "removed (on SSDs old blocks can survive until reused: keep full-disk "
                "encryption on).")


def _staging(root: Path) -> Path:
    return Path(root) / STAGING


def _plain_dbs(root: Path) -> list[tuple[Path, str]]:
    """(file, kind) of every unencrypted database copy in the workspace."""
    out = []
    for sub, kind in (("backups", "backup"), ("damaged", "damaged copy")):
        folder = Path(root) / sub
        if folder.is_dir():
            for p in sorted(folder.glob("*.db")):
                if p.stat().st_size and crypto.looks_plain_sqlite(p):
                    out.append((p, kind))
    return out


def _export(plain: Path, target: Path, passphrase: str) -> None:
    """An encrypted copy of a plain SQLite file (its WAL, if any, included), private from its
    first byte."""
    create_private_file(target)
    cipher_store.export_encrypted(plain, target, passphrase)


def _verify(plain: Path, encrypted: Path, passphrase: str) -> None:
    """The encrypted copy opens with the key, passes SQLite's check and holds as many rows in
    every table as its plain original; otherwise nothing is changed."""
    a = raw_connect(plain, readonly=True)
    try:
        want = cipher_store.row_counts(a)
    finally:
        a.close()
    b = crypto.connect(encrypted, passphrase, readonly=True)
    try:
        if integrity_store.quick_check(b, limit=1) != "ok":
            raise WorkspaceError(f"The encrypted copy of {plain.name} did not pass its check; "
                                 "nothing was changed.")
        got = cipher_store.row_counts(b)
    finally:
        b.close()
    if got != want:
        raise WorkspaceError(f"The encrypted copy of {plain.name} does not hold the same rows as "
                             "the original; nothing was changed.")


def _encrypt_journal(root: Path, stage: Path, key: bytes, report: ConversionReport) -> None:
    from evidence_app.core.safety import journal  # start-up: loaded only when this runs

    folder = journal.journal_dir(root)
    if not folder.is_dir():
        return
    out_dir = private_dir(stage / "journal")
    prev = journal.GENESIS
    for path in sorted(folder.glob("*.jsonl")):
        lines = []
        for raw in path.read_bytes().splitlines():
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                if not isinstance(obj, dict):
                    raise ValueError
            except (ValueError, UnicodeDecodeError):
                report.torn_journal_lines += 1  # cut short by a crash: plain text, dropped
                continue
            seq = obj.pop("seq", None)
            obj.pop("prev", None)
            if "enc" in obj:
                raise WorkspaceError(f"The journal file {path.name} already holds encrypted "
                                     "lines; nothing was changed.")
            data = journal._encode(obj, key, seq if isinstance(seq, int) else 0, prev)
            if not isinstance(seq, int):  # a line from before sequences: keep it unnumbered
                env = json.loads(data)
                env.pop("seq")
                data = json.dumps(env, separators=(",", ":")).encode("ascii")
            decoded = json.loads(crypto.decrypt_line(key, json.loads(data)))
            if decoded != obj:
                raise WorkspaceError("A journal line did not decrypt to itself; nothing was "
                                     "changed.")
            lines.append(data)
            prev = journal.line_hash(data)
            report.journal_lines += 1
        target = out_dir / path.name
        create_private_file(target)
        with open(target, "wb") as f:
            f.write(b"".join(line + b"\n" for line in lines))
            f.flush()
            os.fsync(f.fileno())


def discard_unfinished(root: Path) -> None:
    """A conversion that crashed before its commit point: its staged (encrypted) files go."""
    stage = _staging(root)
    if not stage.is_dir() or (stage / READY).exists():
        return
    _clear_stage(stage)


def convert(ws, passphrase: str, remember: bool = False) -> ConversionReport:
    """Encrypt the open, unencrypted workspace `ws` (which holds the workspace lock)."""
    from evidence_app.core.safety import lock  # start-up: loaded only when this runs

    root = Path(ws.root)
    crypto.check_passphrase_strength(passphrase)
    if crypto.is_encrypted(root):
        raise crypto.PassphraseError("This workspace is already encrypted.")
    if ws.readonly or lock.count(root) != 1:
        raise WorkspaceError("The workspace can only be encrypted when nothing else in this "
                             "program has it open; nothing was changed.")
    report = ConversionReport()
    discard_unfinished(root)
    stage = private_dir(_staging(root))
    try:
        marker = crypto.new_marker_data(passphrase)
        key = crypto.unwrap_key_from(marker, passphrase)
        cipher_store.checkpoint(ws.db.conn)
        ws.close_all()
        staged_db = stage / ws.db_path.name
        _export(ws.db_path, staged_db, passphrase)
        _verify(ws.db_path, staged_db, passphrase)
        report.database = True
        for path, kind in _plain_dbs(root):
            rel = path.relative_to(root)
            target = stage / rel
            private_dir(target.parent)
            try:
                _export(path, target, passphrase)
                _verify(path, target, passphrase)
            except Exception as exc:  # noqa: BLE001 - a damaged copy: say which, change nothing
                raise WorkspaceError(
                    f"The {kind} {rel} cannot be encrypted ({exc}), so nothing was changed. "
                    "Move it out of the workspace folder (it holds unencrypted records) or "
                    "delete it, then run 'init --encrypt' again.") from exc
            if kind == "backup":
                report.backups += 1
            else:
                report.damaged_copies += 1
        _encrypt_journal(root, stage, key, report)
        with open(stage / crypto.MARKER, "w", encoding="utf-8") as f:
            json.dump(marker, f, indent=2)
            f.flush()
            os.fsync(f.fileno())
        ready = stage / READY
        create_private_file(ready)
        with open(ready, "w", encoding="utf-8") as f:
            f.write("all files staged and verified\n")
            f.flush()
            os.fsync(f.fileno())
        fsync_dir(stage)
    except BaseException:
        discard_unfinished(root)
        raise
    report.files_overwritten = finish_pending(root)
    if remember:
        crypto.keystore_set(marker["workspace_id"], passphrase)
    ws.passphrase = passphrase
    ws.journal_key = key
    ws.close_all()
    return report


def finish_pending(root: Path) -> list[str]:
    """Past the commit point: put every encrypted file in place of its plain original (key file
    first), overwrite and remove the plain originals and WAL/SHM files. Idempotent; also run at
    opening after a crash. Returns the plain files overwritten."""
    root = Path(root)
    stage = _staging(root)
    if not (stage / READY).exists():
        return []
    done: list[str] = []
    staged_marker = stage / crypto.MARKER
    if staged_marker.exists():
        crypto._write_marker(root, json.loads(staged_marker.read_text("utf-8")))
        staged_marker.unlink()
    for staged in sorted(p for p in stage.rglob("*") if p.is_file() and p.name != READY):
        live = root / staged.relative_to(stage)
        for suffix in _SIDE:
            side = Path(str(live) + suffix)
            if side.exists():
                shred(side)
                done.append(str(side.relative_to(root)))
        if live.exists():
            zero_fill(live)
            done.append(str(live.relative_to(root)))
        os.replace(staged, live)
        fsync_dir(live.parent)
    shred(stage / READY)
    _clear_stage(stage)
    fsync_dir(root)
    return done


def _clear_stage(stage: Path) -> None:
    """Remove the staging folder bottom-up; any file still in it is a plain or half-made copy,
    so it is shredded, never just unlinked."""
    for p in sorted(stage.rglob("*"), reverse=True):
        if p.is_file():
            shred(p)
            continue
        try:
            p.rmdir()
        except OSError:
            pass
    try:
        stage.rmdir()
    except OSError:
        pass
