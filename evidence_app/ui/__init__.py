"""The window: PySide6 only here; everything it does goes through evidence_app.core."""
