"""The window's side of indexing: the status bar's progress and idle lines, views refreshed
while files are read, the Problems count, re-indexing, OCR and adding folders.

A mixin of `MainWindow` (ui/main_window.py), which supplies `ctx`, `indexing` (the
`IndexingService`), `status`, `search_view` and `shell`; kept apart so the window's file holds
how it is laid out and this one what it does while files are being read."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from evidence_app.ui.lookups import problem_counts, status_overview
from evidence_app.ui.plain_words import files_overview

CHANGE_EVERY_MS = 4000  # while indexing, let views refresh at most this often


class WindowIndexing:
    """Indexing as the window shows it (progress, problems, re-index, OCR, new folders)."""

    def _wire_indexing(self) -> None:
        ix = self.indexing
        ix.started.connect(self.status.set_busy)
        ix.busyChanged.connect(self.search_view.set_indexing)
        ix.progress.connect(self._on_progress)
        ix.finished.connect(self._on_index_finished)
        ix.scansFinished.connect(self._on_scans_finished)
        ix.failed.connect(lambda msg: self.status.set_idle(msg))
        # a folder added, removed, or either taken back (Ctrl+Z): watch and read the new set
        self.ctx.hub.changed.connect(lambda areas: ix.sources_changed() if "sources" in areas
                                     else None)
        self.refresh_problems()

    def start_indexing(self) -> None:
        if self.ctx.ws.readonly:
            return  # nothing may be written; search works on the index as it is
        self.indexing.start()

    def _on_progress(self, p) -> None:  # noqa: ANN001
        self.status.set_progress(p)
        self._last_change += 1
        if not hasattr(self, "_change_timer"):
            self._change_timer = QTimer(self)
            self._change_timer.setSingleShot(True)
            self._change_timer.timeout.connect(lambda: self.ctx.changed({"documents"}))
        if not self._change_timer.isActive():
            self._change_timer.start(CHANGE_EVERY_MS)

    def _on_index_finished(self, summary) -> None:  # noqa: ANN001
        if getattr(self, "_change_timer", None) is not None:
            self._change_timer.stop()
        if summary.cancelled:
            left = max(0, summary.queued - summary.indexed)
            self.status.set_idle("Indexing stopped (cancelled)" + (
                f": {left:,} {'file' if left == 1 else 'files'} still to read" if left else "")
                + " — Re-index now (F5) finishes it.")
        else:
            self.status.set_idle("")
        if summary.indexed or summary.missing or summary.unchanged:
            self.ctx.changed({"documents"})
        self.refresh_problems()
        if self.shell is not None and hasattr(self.shell, "after_first_pass"):
            self.shell.after_first_pass(self, summary)

    def _on_scans_finished(self, run) -> None:  # noqa: ANN001 - an OcrRun
        """The OCR pass is over (or was cancelled): say so, show the new text and Problems."""
        if getattr(self, "_change_timer", None) is not None:
            self._change_timer.stop()
        if run.cancelled:
            self.status.set_idle(f"Reading scanned pages stopped: {run.pages_left:,} "
                                 f"{'page' if run.pages_left == 1 else 'pages'} still to read — "
                                 "Re-index now (F5) finishes them.")
        else:
            self.status.set_idle(f"Scanned pages read by OCR: {run.pages_read:,}.")
        self.ctx.changed({"documents"})
        self.refresh_problems()

    def read_again_with_ocr(self, doc_ids: list[int]) -> None:
        """The per-file action: every scanned page of these files is read again by OCR."""
        if doc_ids and not self.ctx.ws.readonly:
            self.indexing.read_again_with_ocr(doc_ids)
            self.status.set_busy("Reading scanned pages")

    def refresh_problems(self) -> None:
        """The Problems count and the status bar's plain-words overview of the files."""
        def counts(io):  # noqa: ANN001, ANN202
            return problem_counts(io.ws), status_overview(io.ws)

        def show(values) -> None:  # noqa: ANN001
            import shiboken6  # start-up: loaded when first used, not when the window opens

            if not shiboken6.isValid(self.status) or not shiboken6.isValid(self.search_view):
                return  # the window closed while the counts were read
            n, overview = values
            self.status.set_problems(n)
            self.status.set_overview(files_overview(overview))
            self.search_view.set_overview(overview)

        self.ctx.run(counts, show)
        if self._problems_dialog is not None and self._problems_dialog.isVisible():
            self._problems_dialog.reload()

    def reindex(self) -> None:
        self.indexing.reindex()
        self.status.set_busy("Indexing")

    def cancel_indexing(self) -> None:
        self.indexing.cancel()
        self.status.set_cancelling()

    def add_source_folder(self, path: str | Path, kind: str) -> str | None:
        """Add a folder and index it (the slot behind the dialog and drag and drop)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import add_source_folder

        error = add_source_folder(self.ctx, self.indexing, path, kind)
        if error:
            self.statusBar().showMessage(error, 10000)
        else:
            self.status.set_busy("Indexing")
        return error

