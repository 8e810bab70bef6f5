"""Ctrl+C in the terminal that started the window closes it with one line, not a traceback."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest


@pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX signals")
def test_ctrl_c_closes_the_window_with_one_line(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EVIDENCE_APP_HOME=str(tmp_path / "home"))
    ws = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "evidence_app", "--workspace", str(ws), "init"],
                   env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    proc = subprocess.Popen([sys.executable, "-m", "evidence_app", "--workspace", str(ws)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(6)  # the window is up and indexing an empty workspace
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1] == "stopped."
