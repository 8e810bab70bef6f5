"""Ctrl+T / Ctrl+Shift+T: hand a passage (or a whole document) to the tagging picker.

The picker is the evidence places' `views/tag_dialog.py`; until it is installed the window says so
in the status bar instead of failing.
"""
from __future__ import annotations

import importlib


def open_tag_picker(window, document_id: int, quote: str | None, start: int | None,  # noqa: ANN001
                    page: int | None) -> bool:
    try:
        module = importlib.import_module("evidence_app.ui.views.tag_dialog")
    except ModuleNotFoundError:
        window.statusBar().showMessage("Tagging arrives with the evidence places: the passage "
                                       "is ready once they are installed.", 8000)
        return False
    opener = getattr(module, "open_tag_dialog", None)
    if opener is not None:
        dialog = opener(window.ctx, document_id, quote=quote, start=start, page=page,
                        parent=window)
        confirm = getattr(window, "confirm_tagged", None)
        if confirm is not None and hasattr(dialog, "tagged"):
            dialog.tagged.connect(confirm)
    else:
        module.TagDialog(window.ctx, document_id, quote=quote, start=start, page=page,
                         parent=window).exec()
    return True
