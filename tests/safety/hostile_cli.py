"""Running the real CLI for the hostile-input tests: in a subprocess (optionally under a 1 GiB
address-space limit) or in-process through `main()` for the bulk cases, with the checks every
refusal must pass: a non-zero exit code, exactly one line on stderr, no traceback, no NUL byte."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024 ** 3


def _limit_address_space() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def run(workspace: Path | str | None, *args, limit_memory: bool = False, timeout: float = 120,
        stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """`python -m evidence_app [-w WORKSPACE] ARGS` with bytes output (args may be bytes)."""
    cmd: list = [sys.executable, "-m", "evidence_app"]
    if workspace is not None:
        cmd += ["--workspace", str(workspace)]
    cmd += [a if isinstance(a, bytes) else str(a) for a in args]
    preexec = _limit_address_space if limit_memory and sys.platform.startswith("linux") else None
    return subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=str(ROOT),
                          env=dict(os.environ), preexec_fn=preexec,
                          input=stdin if stdin is not None else b"")


def stderr_lines(proc) -> list[str]:
    err = proc.stderr
    if isinstance(err, bytes):
        assert b"\x00" not in err, err
        err = err.decode("utf-8", "replace")
    return [line for line in err.splitlines() if line.strip()]


def refused(proc) -> str:
    """The one line of a calm refusal."""
    lines = stderr_lines(proc)
    assert proc.returncode not in (0, None) and proc.returncode < 128, (proc.returncode, lines)
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert len(lines) == 1, "\n".join(lines)
    assert lines[0].startswith("error:"), lines[0]
    return lines[0]


def calm(proc) -> None:
    """Succeeded or refused in one line; never a traceback."""
    if proc.returncode == 0:
        assert "Traceback" not in "\n".join(stderr_lines(proc))
        return
    refused(proc)


def main_in_process(argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `evidence_app.app.main(argv)` in this process."""
    from evidence_app.app import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()
