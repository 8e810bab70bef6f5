"""Data-safety commands (backup, backups, restore, check, passphrase) and how every command opens
the workspace.

Registered last, this part also decides, for the commands registered before it, how the workspace
is opened (core/safety/lock.py explains the lock):
- commands that change something take the workspace lock: a second instance gets "This workspace
  is in use by the command 'evidence-app index --watch' (pid N on HOST, since 21:52 today)" (or
  "an Evidence Organiser window");
- read-only commands (READ below: search, status, documents, listings, coverage, audit, check,
  backups) never take the lock and run no start-up checks: they read through their own
  connection beside whoever writes, so they never wait for a writer and never make one wait
  (`check --repair` writes, so it takes the lock);
- an encrypted workspace is unlocked with EVIDENCE_PASSPHRASE, the OS keystore, or a prompt;
- `--allow-synced-folder` (on every command, or EVIDENCE_ALLOW_SYNCED_FOLDER=1) accepts a
  workspace in a cloud-sync or network folder, with a warning;
- a full disk becomes one readable line, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys

from evidence_app.cli.common import Context, emit_json, say
from evidence_app.cli.options import command, json_option
from evidence_app.core.safety import locations

READ = {("search",), ("status",), ("documents",), ("problems",), ("source", "list"), ("evidence",),
        ("coverage",), ("caseloads",), ("audit",), ("saved-search", "list"),
        ("framework", "list"), ("case", "list"), ("case", "show"), ("request", "list"),
        ("bundle", "list"), ("bundle", "show"), ("bundle", "exports"), ("backups",), ("check",),
        ("sef", "show"), ("sef", "figures"), ("sef", "versions"), ("sef", "diff"),
        ("pack", "preview"), ("pack", "conflicts"), ("pack", "reports"), ("pack", "report"),
        ("pack", "team")}
NO_WORKSPACE = {("init",)}
# long-running commands that end with the daily whole-file check when it is due (the others only
# make the cheap check of people's work at opening; `check` is the full one). Not in a thread:
# `index` forks its extraction workers, which must not inherit a thread inside SQLite.
DAILY_CHECK_AFTER = {("index",)}
NEW_PASSPHRASE_ENV = "EVIDENCE_NEW_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "backup", cmd_backup, help="back up the workspace database now")
    json_option(p)

    p = command(sub, "backups", cmd_backups, help="list the backups (newest first)")
    json_option(p)

    p = command(sub, "restore", cmd_restore,
                help="replace the database by a backup (the current one is kept in backups/)")
    p.add_argument("backup", metavar="BACKUP", help="a name from 'backups' or a path")
    p.add_argument("--replay-journal", action="store_true",
                   help="then re-apply the work recorded since that backup")
    p.add_argument("--force", action="store_true",
                   help="restore a backup of another workspace (refused without it)")
    json_option(p)

    p = command(sub, "check", cmd_check,
                help="integrity of the database, search index, audit log and journal")
    p.add_argument("--repair", action="store_true",
                   help="rebuild the search index and replay journaled work the database lacks")
    json_option(p)

    pp = sub.add_parser("passphrase", help="an encrypted workspace's passphrase",
                        description="Change or forget an encrypted workspace's passphrase. To "
                                    "encrypt an existing unencrypted workspace run 'init "
                                    "--encrypt' on it: the database, every backup and the "
                                    "journal are encrypted, verified with the key, swapped in "
                                    "at once, and the unencrypted copies are overwritten and "
                                    "removed; if any step fails nothing is changed.")
    psub = pp.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    p = command(psub, "change", cmd_passphrase_change,
                help=f"change it (new one from ${NEW_PASSPHRASE_ENV} or a " "prompt)")
    p.add_argument("--remember", action="store_true",
                   help="keep the new passphrase in this computer's keystore")
    p = command(psub, "forget", cmd_passphrase_forget,
                help="remove it from this computer's keystore")

    _extend_init(sub)
    _wrap_all(sub, ())


# -- how every command opens the workspace ---------------------------------------------------------
def _wrap_all(sub: argparse._SubParsersAction, path: tuple[str, ...]) -> None:
    for name, parser in sub.choices.items():
        here = path + (name,)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _wrap_all(action, here)
        handler = parser._defaults.get("handler")
        if handler is None:
            continue
        if not any("--allow-synced-folder" in a.option_strings for a in parser._actions):
            parser.add_argument("--allow-synced-folder", action="store_true",
                                help="accept a workspace in a cloud-sync or network folder "
                                     "(not recommended)")
        if here in NO_WORKSPACE or parser._defaults.get("_safety_wrapped"):
            continue
        access = "reader" if here in READ else "write"
        parser.set_defaults(handler=_opening(handler, access, " ".join(here),
                                             here in DAILY_CHECK_AFTER),
                            _safety_wrapped=True)


def _terminal_prompt():
    """Asks for an encrypted workspace's passphrase (crypto is imported only if one is asked)."""
    def ask() -> str | None:
        from evidence_app.core.safety import crypto  # start-up: only the command that runs loads it

        prompt = crypto.terminal_prompt()
        return prompt() if prompt is not None else None

    return ask if sys.stdin and sys.stdin.isatty() else None


def open_for(ctx: Context, access: str):
    # start-up: only the command that runs loads it
    from evidence_app.core.workspace import Workspace

    if ctx._ws is None:
        ws = Workspace.open(ctx.workspace_path, access=access, prompt=_terminal_prompt(),
                            allow_synced=bool(getattr(ctx.args, "allow_synced_folder", False)),
                            background_check=False)
        for line in ws.warnings:
            say(line)
        if ws.readonly and ws.readonly_reason:
            say(ws.readonly_reason)
        ctx._ws = ws
    return ctx._ws


def _command_words(path: str, args: argparse.Namespace) -> str:
    """The command for the lock's note: its words and on/off options (never values, which may
    name a child), e.g. "index --watch"."""
    flags = [f"--{k.replace('_', '-')}" for k, v in sorted(vars(args).items())
             if v is True and not k.startswith("_")]
    return " ".join([path, *flags])


def _os_or_database_error(exc: BaseException) -> bool:
    """OSError or either driver's DatabaseError (SQLCipher's only if it was ever loaded)."""
    if isinstance(exc, (OSError, sqlite3.DatabaseError)):
        return True
    sqlcipher = sys.modules.get("sqlcipher3")
    return sqlcipher is not None and isinstance(exc, sqlcipher.DatabaseError)


def _opening(handler, access: str, path: str, daily_check: bool = False):
    def run(args: argparse.Namespace, ctx: Context):
        from evidence_app.core.safety import lock  # start-up: only the command that runs loads it

        mode = "write" if access == "reader" and getattr(args, "repair", False) else access
        lock.set_role("command", _command_words(path, args))
        try:
            open_for(ctx, mode)
            code = handler(args, ctx)
            if daily_check:
                _daily_check(ctx.ws)
            return code
        except Exception as exc:
            if _os_or_database_error(exc):
                # start-up: only the command that runs loads it
                from evidence_app.core.safety.backup import (
                    DiskFull, disk_full_message, is_disk_full,
                )

                if is_disk_full(exc):
                    raise DiskFull(disk_full_message("the command", ctx.workspace_path)) from exc
            raise

    run.__wrapped__ = handler
    return run


def _daily_check(ws) -> None:
    from evidence_app.core.safety import integrity  # start-up: only the command that runs loads it

    if ws.readonly or not integrity.full_check_due(ws.root):
        return
    problem = integrity.run_full_quick_check(ws.db_path, ws.passphrase, ws.root)
    if problem:
        say(f"The daily integrity check found damage in the workspace database ({problem}). "
            "It will be repaired from the newest backup and the journal when the workspace is "
            "next opened.")


def _extend_init(sub: argparse._SubParsersAction) -> None:
    init = sub.choices.get("init")
    if init is None:
        return
    init.add_argument("--encrypt", action="store_true",
                      help="protect the workspace with a passphrase (from $EVIDENCE_PASSPHRASE "
                           "or a prompt)")
    init.add_argument("--remember-passphrase", action="store_true",
                      help="keep the passphrase in this computer's keystore")
    original = init._defaults["handler"]

    def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
        # start-up: only the command that runs loads it
        from evidence_app.core.workspace import Workspace

        if getattr(args, "allow_synced_folder", False) and \
                locations.synced_reason(ctx.workspace_path):
            locations.allow_synced(ctx.workspace_path)
        if not args.encrypt:
            return original(args, ctx)
        passphrase = _new_passphrase(os.environ.get("EVIDENCE_PASSPHRASE"))
        ws = Workspace.create(ctx.workspace_path, args.name, passphrase=passphrase,
                              remember=args.remember_passphrase)
        ctx._ws = ws
        if ws.conversion_report is not None:
            say(ws.conversion_report.line())
        say(f"Encrypted workspace ready at {ws.root} ({ws.name}). Keep the passphrase safe: "
            "without it the workspace cannot be opened.")
        return 0

    init.set_defaults(handler=cmd_init, _safety_wrapped=True)


def _new_passphrase(given: str | None) -> str:
    from evidence_app.core.safety import crypto  # start-up: only the command that runs loads it

    if given:
        crypto.check_passphrase_strength(given)
        return given
    ask = crypto.terminal_prompt("New passphrase: ")
    again = crypto.terminal_prompt("Type it again: ")
    if ask is None:
        raise crypto.PassphraseError(
            "Give the passphrase in EVIDENCE_PASSPHRASE (or EVIDENCE_NEW_PASSPHRASE when "
            "changing it), or run from a terminal to be asked for it.")
    first = ask()
    crypto.check_passphrase_strength(first)
    if again() != first:
        raise crypto.PassphraseError("The two passphrases differ; nothing was changed.")
    return first


# -- commands -------------------------------------------------------------------------------------
def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.safety.backup import backup_now

    info = backup_now(ctx.ws, "manual")
    if args.json:
        emit_json(info.to_json())
    else:
        say(f"Backed up to {info.path} ({info.size // 1024:,} KB).")
    return 0


def cmd_backups(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.safety.backup import list_backups

    items = list_backups(ctx.ws)
    if args.json:
        emit_json([b.to_json() for b in items])
        return 0
    if not items:
        say("No backups yet: make one with 'evidence-app backup'.")
    for b in items:
        print(f"{b.created:%Y-%m-%d %H:%M:%S}  {b.kind:<16} {b.size // 1024:>8,} KB  {b.path.name}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.safety.backup import restore

    ws = ctx.ws
    done = restore(ws, args.backup, replay=args.replay_journal, force=args.force)
    queued = done["files_queued"]
    if args.json:
        emit_json(done)
        return 0
    b, r = done["backup_contents"], done["replaced_contents"]
    say(f"Restored {done['restored']} ({b['evidence']} evidence items, {b['cases']} cases, "
        f"{b['bundles']} bundles, {b['documents']} documents).")
    say(f"It replaced a database with {r['evidence']} evidence items, {r['cases']} cases, "
        f"{r['bundles']} bundles and {r['documents']} documents, kept as "
        f"{done['previous_database']}.")
    if done["replay"]:
        say(f"{done['replay']['applied']} changes re-applied from the journal.")
    elif done["discarded_changes"]:
        say(f"{done['discarded_changes']} changes made after that backup are no longer in the "
            "workspace (the replaced database still has them; --replay-journal brings them "
            "back).")
    say(f"Documents are findable by name now; {queued} files will be read again by the next "
        "'evidence-app index' (the window does it in the background).")
    return 0


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    # start-up: only the command that runs loads it
    from evidence_app.core.safety.integrity import check, repair

    ws = ctx.ws
    repaired = repair(ws) if args.repair else None
    result = check(ws)
    if args.json:
        emit_json({**result.to_json(), "repaired": repaired,
                   "recovery": ws.recovery_report.to_json() if ws.recovery_report else None})
    else:
        for line in result.lines():
            print(line)
        if repaired:
            say(f"Repaired: {repaired['files_queued']} files queued to be read again; "
                f"{repaired['replay']['applied']} journaled changes replayed.")
    return 0 if result.ok else 1


def cmd_passphrase_change(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.safety import crypto  # start-up: only the command that runs loads it

    ws = ctx.ws
    if not crypto.is_encrypted(ws.root):
        raise crypto.PassphraseError("This workspace is not encrypted. Create an encrypted one "
                                     "with 'evidence-app init --encrypt'.")
    new = _new_passphrase(os.environ.get(NEW_PASSPHRASE_ENV))
    report = crypto.change_passphrase(ws, new, remember=args.remember)
    say(f"Passphrase changed (database and {report['backups']} backups re-keyed)."
        + (f" {report['failed']} backups could not be re-keyed and still need the old one."
           if report["failed"] else ""))
    return 0


def cmd_passphrase_forget(args: argparse.Namespace, ctx: Context) -> int:
    from evidence_app.core.safety import crypto  # start-up: only the command that runs loads it

    crypto.keystore_delete(crypto.read_marker(ctx.ws.root).get("workspace_id", ""))
    say("This computer's keystore no longer holds the passphrase.")
    return 0
