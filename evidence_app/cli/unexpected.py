"""The last line of defence: a bug must not print a traceback at a social worker.

Every expected problem is an `EvidenceError` with its own message. Anything else is a bug; the CLI
writes its traceback to `errors.log` (in the workspace's logs folder when there is one, else in
the app's) for whoever maintains the app, and prints one line saying where it is.
"""
from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path
from evidence_app.core.base.user_text import printable
from evidence_app.paths import app_home


def _log_dir(ctx) -> Path:
    ws = getattr(ctx, "_ws", None)
    folder = getattr(ws, "logs_dir", None) if ws is not None else None
    if folder is None:
        folder = app_home() / "logs"
    return Path(folder)


def report(exc: BaseException, ctx, argv: list[str]) -> str:
    """Log the traceback; return the one line to print."""
    where = "the log could not be written"
    try:
        folder = _log_dir(ctx)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "errors.log"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as f:
            command = " ".join(printable(a, 60) for a in argv[:2] if not a.startswith("-"))
            f.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} evidence-app "
                    f"{command}\n")
            f.write("".join(traceback.format_exception(exc)))
        where = f"details are in {printable(path, 200)}"
    except Exception:  # noqa: BLE001 - the one line matters more than the log
        pass
    return (f"error: the command stopped on an unexpected problem ({type(exc).__name__}); "
            f"{where}. Please report it.")
