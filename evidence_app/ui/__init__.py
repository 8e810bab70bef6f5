"""The window (PySide6 only here). See `qt_compat` for a binding work-around applied on import."""
from .qt_compat import keep_singletons_alive

keep_singletons_alive()
