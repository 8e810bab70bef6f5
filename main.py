"""Start Evidence Organiser: `python main.py` opens the window; `python main.py COMMAND` runs the CLI."""
import multiprocessing

from evidence_app.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # extraction workers in a frozen (PyInstaller) build
    raise SystemExit(main())
