"""The composition root: the only module that knows both faces.

With a command, run the CLI; with none, open the window (the window's imports are deferred so the
command line never loads Qt).
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Ctrl+C anywhere (while loading, parsing, working or in the window) ends with one line."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        try:
            print("stopped.", file=sys.stderr)
        except (OSError, KeyboardInterrupt):
            pass
        return 130


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands_given = [a for a in argv if not a.startswith("-")]
    cli_flags = ("-h", "--help", "--version", "--self-test")
    wants_cli = bool(commands_given) or any(a in cli_flags for a in argv)
    # `--workspace DIR` alone still opens the window
    if argv[:1] in (["--workspace"], ["-w"]) and len(commands_given) == 1 and \
            not any(a in ("-h", "--help", "--version") for a in argv):
        wants_cli = False
    # A double-clicked evidence pack (the installers' .evpack association) opens the window,
    # which starts importing it.
    pack = None
    if len(argv) == 1 and argv[0].lower().endswith(".evpack"):
        wants_cli = False
        pack = argv[0]
    if wants_cli:
        from evidence_app.cli.fast import run as run_quickly  # start-up: loaded only when this runs

        code = run_quickly(argv)  # search and status in their usual shapes, without argparse
        if code is not None:
            return code
        from evidence_app.cli.main import run  # start-up: loaded only when this runs

        return run(argv, self_test=_self_test)
    # start-up: loaded only when this runs
    from evidence_app.core.safety import lock
    from evidence_app.ui.launch import launch

    lock.set_role("window")  # what a refused second instance is told holds the workspace

    workspace = None
    if "--workspace" in argv or "-w" in argv:
        flag = "--workspace" if "--workspace" in argv else "-w"
        i = argv.index(flag)
        workspace = argv[i + 1] if i + 1 < len(argv) else None
        if workspace is not None and not workspace.strip():  # -w "" never means the default
            print("error: the workspace folder is empty: give a folder, or leave out "
                  "--workspace to use the default one", file=sys.stderr)
            return 1
    return launch(workspace, pack=pack)


def _self_test() -> int:
    """`--self-test` checks the engine and the window's parts: it belongs to this root, which
    knows both faces; the command line only parses the flag."""
    from evidence_app.selftest import run  # start-up: only --self-test loads it

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
