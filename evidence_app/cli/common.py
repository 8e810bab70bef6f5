"""What every command handler shares: the `Context` (the workspace, opened on first use) and the
two ways of answering (`emit_json` on stdout for scripts, `say` on stderr for people).

The parts in cli/ import these from here, never from cli/main.py (the parser imports the parts,
so a part importing it back would make a cycle).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from evidence_app.paths import resolve_workspace


class Context:
    """What a command handler needs: the workspace, opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.workspace_path = resolve_workspace(getattr(args, "workspace", None))
        self._ws = None

    @property
    def ws(self):
        if self._ws is None:
            from evidence_app.core.workspace import Workspace

            self._ws = Workspace.open(self.workspace_path)
        return self._ws

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()


def emit_json(data: Any) -> None:
    """JSON on stdout. Text that is not valid Unicode (a file name's undecodable bytes, kept as
    lone surrogates) is written as \\udcXX escapes: valid JSON, and lossless."""
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(text + "\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays clean for scripts)."""
    print(message, file=sys.stderr)
