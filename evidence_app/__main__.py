"""`python -m evidence_app ...` is the same as `evidence-app ...`."""
from evidence_app.app import main

raise SystemExit(main())
