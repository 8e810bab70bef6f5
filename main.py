"""Start Evidence Organiser: `python main.py` opens the window; `python main.py COMMAND` runs the CLI."""
from evidence_app.app import main

if __name__ == "__main__":
    raise SystemExit(main())
