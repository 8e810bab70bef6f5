"""The kinds of work an extraction worker does besides reading a file, and who does each.

The worker processes of `extract_pool.py` are the one place where untrusted files are opened
(time and memory limits, replaced if they die). Reading a file is their main work; other kinds
of task use the same isolation: drawing a PDF page for the window (page_render.py). Each kind is
named by the `Task` field that carries its arguments (a task whose `render` is set is a render
task) and mapped to its handler as "module:function", imported in the worker on the first task
of that kind. So the pool never imports the modules that use it (page_render.py imports the
pool, not the other way round), and a new kind is one line here plus its handler.

A handler takes (task, limits) and returns an `extract_worker.Outcome`.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

KINDS: dict[str, str] = {
    "render": "evidence_app.core.index.page_render:render_in_worker",  # a PDF page as a picture
    "ocr_page": "evidence_app.core.index.ocr.worker:ocr_in_worker",  # a scanned page read by OCR
}

_handlers: dict[str, Callable[..., Any]] = {}


def kind_of(task: Any) -> str | None:
    """The task's kind, or None for reading a file (the worker's main work)."""
    for kind in KINDS:
        if getattr(task, kind, None) is not None:
            return kind
    return None


def handler(kind: str) -> Callable[..., Any]:
    """The function that does this kind of task (imported on first use, in the worker)."""
    found = _handlers.get(kind)
    if found is None:
        module, _, name = KINDS[kind].partition(":")
        found = _handlers[kind] = getattr(importlib.import_module(module), name)
    return found
