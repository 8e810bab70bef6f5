"""The contract between extractors and the indexer.

Extractors are pure functions from a file (or bytes) to an `Extracted` value. They never see the
store and never raise for bad input: a damaged, encrypted or hostile file becomes a result with a
status and a plain-English reason. They run inside worker processes (see
`core/index/extract_worker.py`), so a crash or a runaway parse only costs that worker.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Per-file statuses shared by extractors, the indexer, the store and the CLI (a leaf, so that the
# store can record them without importing the readers).
from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.doc_status import (  # noqa: E402,F401 - the extractors' names for them
    DAMAGED, EMPTY, ENCRYPTED, MISSING, OK, SKIPPED, STATUSES, TIMEOUT, TOO_LARGE, UNSUPPORTED,
)


@dataclass
class Section:
    """One searchable piece of a document: a PDF page, or a part of a flowing document.

    `page` is the 1-based page number where the format has pages (PDF, or a Word document that
    recorded its page breaks), else None. `heading` is the nearest heading, if any.
    """

    text: str
    page: int | None = None
    heading: str | None = None


@dataclass
class Extracted:
    """What an extractor found in one file (or one attachment)."""

    status: str
    reason: str = ""
    format: str = ""
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    pages: int | None = None
    metadata: dict = field(default_factory=dict)
    # Attachments and embedded files become child documents: (name, result).
    children: list[tuple[str, "Extracted"]] = field(default_factory=list)
    # The sections already cut into stored chunks (`chunking.Chunk`), when the worker did it.
    chunks: list | None = None

    @property
    def chars(self) -> int:
        if self.chunks is not None:
            return sum(len(c.text) for c in self.chunks)
        return sum(len(s.text) for s in self.sections)


@frozen
class Limits:
    """Bounds on the work one untrusted file may cost."""

    max_file_bytes: int = 200 * 1024 * 1024  # larger files: too_large, name still searchable
    max_text_chars: int = 20_000_000  # stop collecting text past this; keep what we have
    max_pages: int = 5_000  # PDFs with more pages: first pages indexed, reason notes the cut
    max_zip_entries: int = 10_000
    max_zip_ratio: float = 200.0  # uncompressed/compressed, per container
    max_zip_uncompressed: int = 1024 * 1024 * 1024
    max_attachment_depth: int = 2
    time_limit_s: float = 30.0  # enforced by the worker pool, per file
    memory_limit_mb: int = 1024  # enforced by the worker pool (RLIMIT_AS / RSS watch)
