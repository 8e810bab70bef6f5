"""Work-arounds for the Qt binding in use, applied once when `evidence_app.ui` is imported.

PySide6 6.12 (abi3 wheels) on Python 3.11 hands back `None` from every void method (`setText`,
`update`, `drawText`, `processEvents`…) and `True` from `Signal.emit` without taking a reference.
On Python 3.12+ these objects are immortal and nothing happens; on 3.11 each call lowers their
reference count by one, and after a few thousand calls (seconds of scrolling: a list delegate
paints with dozens of void calls per row) Python aborts with "none_dealloc: deallocating None" or
"bool_dealloc". Measured here: 300 `QLabel.setText` calls lower `sys.getrefcount(None)` by 300;
300 `emit`s lower `sys.getrefcount(True)` by 300.

Until the binding is fixed (or the app requires Python 3.12), give these singletons a reference
count so large that it can never reach zero: what Python 3.12 does by design (PEP 683).
"""
from __future__ import annotations

import sys

_BALLAST = 1 << 40
_done = False


def keep_singletons_alive() -> bool:
    """Make None, True and False effectively immortal on CPython < 3.12. True if it acted."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython" \
            or hasattr(sys, "gettotalrefcount"):  # debug builds lay PyObject out differently
        return False
    import ctypes

    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt: PyObject's first field
        if abs(refcnt.value - sys.getrefcount(obj)) > 8:
            return False  # not the layout we expect: leave it alone
        refcnt.value += _BALLAST
    _done = True
    return True
