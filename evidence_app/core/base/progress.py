"""How long work reports itself and is cancelled, without knowing who is watching.

The CLI prints progress to stderr; the window turns the same calls into signals for a progress
bar. Core functions take `on_progress` and a `CancelToken` and never import either face.
"""
from __future__ import annotations

import threading
from typing import Callable

from evidence_app.core.base.frozen import frozen


@frozen
class Progress:
    done: int
    total: int
    label: str = ""
    rate: float = 0.0  # items per second, when known
    stage: str = "index"  # "index" (files) or "ocr" (scanned pages read by OCR)


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default callback: report nothing."""


class CancelToken:
    """A flag that long work checks between items; thread-safe, one-way."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
