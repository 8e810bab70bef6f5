"""What every command handler shares: the `Context` (the workspace, opened on first use) and the
two ways of answering (`emit_json` on stdout for scripts, `say` on stderr for people).

The parts in cli/ import these from here, never from cli/main.py (the parser imports the parts,
so a part importing it back would make a cycle).
"""
from __future__ import annotations

import json
import re
import sys
import time

from evidence_app.core.base.errors import EvidenceError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing (see cli/fast.py)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any, Callable


class Context:
    """What a command handler needs: the workspace, opened on first use."""

    def __init__(self, args: argparse.Namespace, workspace_path: "Path | None" = None,
                 ws=None) -> None:  # noqa: ANN001
        """`workspace_path` and `ws` come already resolved and opened from the quick path of
        `search` (cli/fast.py); otherwise the path is resolved here and the workspace opened
        on first use."""
        if workspace_path is None:
            # start-up: pathlib, which resolving loads, is not needed by the quick path
            from evidence_app.paths import resolve_workspace

            workspace_path = resolve_workspace(getattr(args, "workspace", None))
        self.args = args
        self.workspace_path = workspace_path
        self._ws = ws

    @property
    def ws(self):
        if self._ws is None:
            # start-up: only the command that runs loads it
            from evidence_app.core.workspace import Workspace

            self._ws = Workspace.open(self.workspace_path)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


def emit_json(data: Any) -> None:
    """JSON on stdout. Text that is not valid Unicode (a file name's undecodable bytes, kept as
    lone surrogates) is written as \\udcXX escapes: valid JSON, and lossless."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        text.encode("utf-8")  # fails exactly when there is a surrogate: then (rarely) the pattern
    except UnicodeEncodeError:
        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays clean for scripts)."""
    print(message, file=sys.stderr)


def run_handler(handler: "Callable[[Any, Context], int | None]", args: Any,
                argv: list[str], ctx: Context | None = None) -> int:
    """Run one command's handler (from the parser, or the quick path of cli/fast.py): its exit
    code, or 1 with one `error:` line for any failure (130 for Ctrl+C)."""
    ctx = ctx if ctx is not None else Context(args)
    try:
        return int(handler(args, ctx) or 0)
    except EvidenceError as exc:
        # start-up: only the command that runs loads it
        from evidence_app.core.base.user_text import printable

        say(f"error: {printable(exc, 2000)}")  # one line, whatever the message quotes
        return 1
    except KeyboardInterrupt:
        say("stopped.")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - a bug: logged in full, one line here
        # start-up: only the command that runs loads it
        from evidence_app.cli.unexpected import report

        say(report(exc, ctx, argv))
        return 1
    finally:
        ctx.close()


class ProgressLine:
    """Long work's progress on stderr: one updating line on a terminal (at most every
    `tty_every` seconds), a plain line every 2 s otherwise, and always the last one. Subclasses
    say what the line reads."""

    tty_every = 0.1

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def describe(self, p) -> str:  # noqa: ANN001 - a Progress
        raise NotImplementedError

    def __call__(self, p) -> None:  # noqa: ANN001 - a Progress
        now = time.monotonic()
        if p.done < p.total and now - self.last < (self.tty_every if self.tty else 2.0):
            return
        self.last = now
        line = self.describe(p)
        if p.label:
            line += f"  {p.label[:50]}"
        if self.tty:
            sys.stderr.write("\r" + line.ljust(100) + ("\n" if p.done >= p.total else ""))
            sys.stderr.flush()
        else:
            print(line, file=sys.stderr)
