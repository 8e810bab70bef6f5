"""One page read by OCR inside an extraction worker (under its time and memory limits).

The parent sends `Task(path, known_sha, ocr_page=N)`; the answer is an `Outcome` whose result
holds the page's text as one Section with the engine's confidence in `metadata`, or a status and
a reason for that page alone (too large, engine missing, not readable).
"""
from __future__ import annotations

import contextlib
import os
import time

from evidence_app.core.index.extract_worker import Outcome, Task
from evidence_app.core.index.extractors.base import (DAMAGED, EMPTY, OK, TOO_LARGE, UNSUPPORTED,
                                                     Extracted, Limits, Section)
from evidence_app.core.index.ocr.engine import EngineMissing
from evidence_app.core.index.ocr.pages import PageTooLarge, load_page
from evidence_app.core.index.ocr.engine import Engine


def _format(path: str) -> str:
    with open(path, "rb") as f:
        head = f.read(1024)
    return "pdf" if b"%PDF" in head else "image"


@contextlib.contextmanager
def _quiet_stderr():
    """Leptonica prints notes ('Error in pixScanForForeground: invalid box') straight to file
    descriptor 2 for ordinary pages; they would land in the terminal of `evidence-app index`."""
    try:
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def ocr_in_worker(task: Task, limits: Limits) -> Outcome:
    start = time.perf_counter()
    page = int(task.ocr_page or 1)

    def done(result: Extracted | None) -> Outcome:
        return Outcome(task.path, task.known_sha, False, result, time.perf_counter() - start,
                       ocr_page=page)

    try:
        image = load_page(task.path, page, _format(task.path))
        with _quiet_stderr():
            read = Engine.get().read(image)
        del image
    except FileNotFoundError:
        return done(None)
    except PageTooLarge as exc:
        return done(Extracted(TOO_LARGE, str(exc)))
    except MemoryError:
        return done(Extracted(TOO_LARGE, "Reading the page needed more than "
                              f"{limits.memory_limit_mb} MB of memory."))
    except (EngineMissing, ImportError) as exc:
        return done(Extracted(UNSUPPORTED, str(exc) if isinstance(exc, EngineMissing) else
                              "The OCR engine is not installed with the app."))
    except IndexError:
        return done(Extracted(DAMAGED, "The page is no longer in the file."))
    except Exception as exc:  # noqa: BLE001 - one page never stops the others
        return done(Extracted(DAMAGED, f"The page could not be read as an image "
                              f"({type(exc).__name__})."))
    meta = {"confidence": read.confidence, "words": read.words, "turned": read.turned,
            "skew": read.skew}
    if not read.text:
        return done(Extracted(EMPTY, "No text was found on the page.", metadata=meta))
    return done(Extracted(OK, "", sections=[Section(read.text, page=page)], metadata=meta))
