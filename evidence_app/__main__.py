"""`python -m evidence_app ...` is the same as `evidence-app ...`."""
from .app import main

raise SystemExit(main())
