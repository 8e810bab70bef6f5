"""Command-line commands, one module per area of the app (see `evidence_app.cli.main.PARTS`)."""
