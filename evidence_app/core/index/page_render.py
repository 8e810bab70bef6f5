"""PDF pages as pictures for the window's page view, drawn in an isolated worker process.

A PDF is untrusted input: pdfium runs in an extraction worker (time and memory limits, replaced
if it dies), never in the window's process. The window asks `PageRenderer.render(path, page)` from
a background thread and gets PNG bytes back. Drawing is a kind of task the pool's workers know by
name (core/index/task_kinds.py), so this module uses the pool and the pool never imports it.
"""
from __future__ import annotations

import io
import threading
import time

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.base.fsnames import to_disk
from evidence_app.core.index.extract_pool import ExtractPool
from evidence_app.core.index.extract_worker import Outcome, Task
from evidence_app.core.index.extractors.base import DAMAGED, ENCRYPTED, Extracted, Limits

MAX_PIXELS = 4000 * 4000


@frozen
class RenderedPage:
    png: bytes
    page: int  # 1-based
    pages: int


def render_in_worker(task: Task, limits: Limits | None = None) -> Outcome:
    """A render task (core/index/task_kinds.py), in the worker: the page as PNG bytes."""
    start = time.perf_counter()
    page_no, scale, *rest = task.render
    terms = tuple(rest[0]) if rest else ()
    try:
        import pypdfium2 as pdfium  # start-up: only the worker that draws pages loads pdfium

        doc = pdfium.PdfDocument(task.path)
        try:
            count = len(doc)
            page_no = max(1, min(int(page_no), count))
            page = doc[page_no - 1]
            w, h = page.get_size()
            scale = min(float(scale), (MAX_PIXELS / max(1.0, w * h)) ** 0.5)
            image = page.render(scale=scale).to_pil()
            if terms:
                image = _mark_terms(page, image, terms, scale, h)
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=False)
            page.close()
        finally:
            doc.close()
    except Exception as exc:  # noqa: BLE001 - the window shows the reason instead of a page
        password = "password" in str(exc).lower() or "Incorrect password" in str(exc)
        result = Extracted(ENCRYPTED if password else DAMAGED,
                           "The PDF is password-protected." if password else
                           "This page of the PDF could not be drawn.")
        return Outcome(task.path, None, False, result, time.perf_counter() - start)
    return Outcome(task.path, None, False, None, time.perf_counter() - start,
                   image=buf.getvalue(), pages=count)


MAX_MARKS = 300


def _mark_terms(page, image, terms: tuple, scale: float, height: float):  # noqa: ANN001, ANN202
    """Shade each place a search term occurs on the page (as the text preview highlights it),
    with pdfium's own text positions, so the hit is where the inspector would see it."""
    from PIL import Image, ImageDraw  # start-up: only the worker that draws pages loads Pillow

    textpage = page.get_textpage()
    try:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        marks = 0
        for term in terms:
            term = " ".join(str(term).split())
            if not term:
                continue
            searcher = textpage.search(term, match_case=False, match_whole_word=False)
            while marks < MAX_MARKS:
                found = searcher.get_next()
                if not found:
                    break
                index, count = found
                for i in range(textpage.count_rects(index, count)):
                    left, bottom, right, top = textpage.get_rect(i)
                    box = (left * scale - 1, (height - top) * scale - 1,
                           right * scale + 1, (height - bottom) * scale + 1)
                    draw.rectangle(box, fill=(255, 213, 79, 110), outline=(185, 119, 14, 255))
                    marks += 1
            searcher.close()
        return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    finally:
        textpage.close()


class PageRenderer:
    """One long-lived worker process for page pictures; safe to call from any thread."""

    def __init__(self, time_limit_s: float = 20.0) -> None:
        self._pool = ExtractPool(1, Limits(time_limit_s=time_limit_s))
        self._lock = threading.Lock()

    def render(self, path: str, page: int, scale: float = 1.5,
               terms: tuple[str, ...] = ()) -> RenderedPage:
        """The page as a PNG; `terms` (the search's words and phrases) are shaded where they
        occur on it."""
        with self._lock:
            # a stored path (see fsnames) leads back to the file's real name on disk
            outcome = next(iter(self._pool.run([Task(to_disk(str(path)),
                                                     render=(page, scale, tuple(terms)))])))
        if outcome.image is None:
            reason = outcome.result.reason if outcome.result else "The page could not be drawn."
            raise EvidenceError(reason)
        return RenderedPage(outcome.image, max(1, min(page, outcome.pages or 1)),
                            outcome.pages or 1)

    def close(self) -> None:
        with self._lock:
            self._pool.close()
