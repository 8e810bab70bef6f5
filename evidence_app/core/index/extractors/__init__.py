"""Text extraction for the indexer: one call per file, never raising, always a status.

    from evidence_app.core.index.extractors import extract_file, extract_bytes, detect_format
    result = extract_file("case note.docx")      # -> Extracted(status, reason, format, sections…)

`detect_format(head, name)` names the format from magic bytes first and the suffix second.
`extract_file(path, limits)` / `extract_bytes(data, name, limits, depth)` return an `Extracted`
(see `base.py`): damaged, encrypted, hostile, empty or unsupported files come back with a status
and a plain-English reason, never an exception. Heavy libraries (lxml, pypdfium2, openpyxl,
extract_msg, msoffcrypto) are imported only when a file needs them, so importing this is cheap.
"""
from __future__ import annotations

from evidence_app.core.index.extractors.base import (
    DAMAGED, EMPTY, ENCRYPTED, MISSING, OK, SKIPPED, STATUSES, TIMEOUT, TOO_LARGE, UNSUPPORTED,
    Extracted, Limits, Section,
)
from evidence_app.core.index.extractors.detect import detect_format
from evidence_app.core.index.extractors.dispatch import REGISTRY, extract_bytes, extract_file

__all__ = [
    "detect_format", "extract_file", "extract_bytes", "REGISTRY",
    "Extracted", "Section", "Limits",
    "OK", "EMPTY", "ENCRYPTED", "DAMAGED", "UNSUPPORTED", "TOO_LARGE", "TIMEOUT", "MISSING", "SKIPPED",
    "STATUSES",
]
