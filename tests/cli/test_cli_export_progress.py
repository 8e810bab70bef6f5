"""`bundle export` over a second shows progress on stderr, and Ctrl+C cancels it cleanly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from evidence_app.core.workspace import Workspace
from tests.conftest import ROOT
from tests.core.bundles.test_export_progress import make_pdf_bundle


def test_long_export_shows_progress_and_ctrl_c_cancels(tmp_path):
    root = tmp_path / "ws"
    ws = Workspace.create(root, "Test Borough")
    bid = make_pdf_bundle(ws, tmp_path / "cases", 40, pages=3)
    ws.close()
    out = tmp_path / "exports" / "b.docx"
    cmd = [sys.executable, "-m", "evidence_app", "-w", str(root), "bundle", "export", str(bid),
           str(out)]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    first = proc.stderr.readline()           # blocks until the first progress line
    assert first.startswith("exporting "), first
    assert "Appendix" in first or "Writing" in first
    os.kill(proc.pid, signal.SIGINT)
    rest = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, rest
    assert "Export cancelled; nothing was written." in rest and "Traceback" not in rest
    assert not out.exists()
    assert not out.parent.exists() or not list(out.parent.iterdir())   # no temporary file
    # uninterrupted, it finishes and its last progress line says so
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          cwd=str(ROOT), timeout=300)
    assert done.returncode == 0, done.stderr
    assert "exporting " in done.stderr and "done" in done.stderr and out.is_file()
