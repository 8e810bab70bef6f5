"""A document's status: what reading its file gave (the `documents.status` column).

A leaf: the extractors produce these, the indexer and the store record them, the CLI and the
window show them (core/index/extractors/base.py re-exports them under their usual names).
"""
from __future__ import annotations

OK = "ok"
EMPTY = "empty"
ENCRYPTED = "encrypted"
DAMAGED = "damaged"
UNSUPPORTED = "unsupported"
TOO_LARGE = "too_large"
TIMEOUT = "timeout"
MISSING = "missing"
SKIPPED = "skipped"  # not a regular file (pipe, socket, device, link, unreadable folder): never opened
STATUSES = (OK, EMPTY, ENCRYPTED, DAMAGED, UNSUPPORTED, TOO_LARGE, TIMEOUT, MISSING, SKIPPED)
