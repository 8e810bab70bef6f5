"""The DB-API module the search path uses: `_sqlite3`, the C module the standard `sqlite3`
package wraps, without the package's own Python layer.

`import sqlite3` also imports `datetime` (and `time`, `collections.abc`) to register the default
date adapters: about 7 M instructions, 4% of a whole `evidence-app search WORD --json` and more
than parsing the query (measured with callgrind). The search path passes only text and numbers,
so it needs no adapters. The connection, cursor and exception classes are the very same objects
either way (`sqlite3.Error is _sqlite3.Error`), so callers that did import `sqlite3` catch what
these connections raise; and where the C module is not found on its own (a Python built without
it as a separate module) the package is used.
"""
from __future__ import annotations

try:
    import _sqlite3 as sqlite3
except ImportError:  # pragma: no cover - every CPython we ship with has it
    import sqlite3  # type: ignore[no-redef]

connect = sqlite3.connect
Error = sqlite3.Error
DatabaseError = sqlite3.DatabaseError
OperationalError = sqlite3.OperationalError
