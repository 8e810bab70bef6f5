"""What the window opens: the dialogs behind its menus and buttons (sources, problems,
settings, help, exports, evidence packs, the team) and the tag picker, with the status-area
notice that says what was tagged.

A mixin of `MainWindow` (ui/main_window.py), which supplies `ctx`, `indexing`, `search_view`,
`help_button`, `notice` and `show_place`; each dialog is imported when first opened, so the
window starts without them."""
from __future__ import annotations

from pathlib import Path

from evidence_app.ui.tagging import open_tag_picker
from evidence_app.ui.views.query_edit import SearchHelp


class WindowDialogs:
    """The dialogs and pickers the window opens."""

    def open_sources(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import SourcesDialog

        SourcesDialog(self.ctx, self.indexing, self).exec()

    def add_source_dialog(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Choose a folder of case files or policies")
        if folder:
            self._ask_kind_and_add([Path(folder)])

    def _ask_kind_and_add(self, folders: list[Path]) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sources_dialog import KindDialog

        dialog = KindDialog(folders, self)
        if dialog.exec():
            for folder in folders:
                self.add_source_folder(folder, dialog.chosen_kind())

    def open_problems(self):  # noqa: ANN201
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.problems_dialog import ProblemsDialog

        if self._problems_dialog is None:
            self._problems_dialog = ProblemsDialog(self.ctx, self)
            self._problems_dialog.retryRequested.connect(
                lambda ids: self.indexing.retry(ids or None))
            self._problems_dialog.ocrRequested.connect(self.read_again_with_ocr)
        else:
            self._problems_dialog.reload()
        self._problems_dialog.show()
        self._problems_dialog.raise_()
        return self._problems_dialog

    def open_settings(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.settings_dialog import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def ask_identity(self):  # noqa: ANN201
        """First run in this workspace: ask the person's name and team (for Prepared by)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.identity_dialog import ask_identity_if_needed

        if self.isVisible():
            return ask_identity_if_needed(self)
        return None

    def show_search_help(self) -> None:
        popup = SearchHelp(self)
        pos = self.help_button.mapToGlobal(self.help_button.rect().bottomRight())
        popup.adjustSize()
        popup.move(pos.x() - popup.width(), pos.y() + 4)
        popup.show()

    def show_shortcuts(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.help_dialogs import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.help_dialogs import show_about

        show_about(self)

    # -- tagging (the picker is the evidence places' tag_dialog, when present) -----------------
    def tag_passage(self, document_id: int, quote: str, start: int, page) -> None:  # noqa: ANN001
        open_tag_picker(self, document_id, quote, start, page)

    def paragraph_tagging(self) -> None:
        """Alt+P: tag the previewed document a paragraph at a time (keyboard, screen readers)."""
        hit = self.search_view.preview.hit
        if hit is None:
            self.statusBar().showMessage("Open a document from the results first (Ctrl+F).", 6000)
            return
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.paragraph_tagger import open_paragraph_tagger

        open_paragraph_tagger(self.ctx, hit.document_id, self,
                              self.search_view.preview.current_doc_offset())

    def export_bundle(self) -> None:
        """Ctrl+E: export the bundle chosen in the Bundles place."""
        page = self.show_place("bundles")
        if hasattr(page, "export_dialog"):
            page.export_dialog()

    def export_sheet(self, which: str):  # noqa: ANN201
        """File ▸ Export spreadsheet ▸ tracker / coverage / evidence list."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.sheet_export_dialog import open_sheet_export

        return open_sheet_export(self.ctx, which, self)

    def send_pack(self):  # noqa: ANN201
        """File ▸ Send evidence pack…"""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pack_send_dialog import PackSendDialog

        dialog = PackSendDialog(self.ctx, self)
        dialog.show()
        return dialog

    def import_packs(self, paths: list[str] | None = None):  # noqa: ANN201
        """File ▸ Import evidence packs… (also a double-clicked .evpack file)."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.pack_import_dialog import open_pack_import

        return open_pack_import(self.ctx, self, paths)

    def open_team(self):  # noqa: ANN201
        """File ▸ Team contributions…: per sender, and the kept merge reports."""
        # start-up: loaded when first used, not when the window opens
        from evidence_app.ui.views.team_dialog import TeamDialog

        dialog = TeamDialog(self.ctx, self)
        dialog.show()
        return dialog

    def tag_document(self, document_id: int) -> None:
        open_tag_picker(self, document_id, None, None, None)

    def confirm_tagged(self, item) -> None:  # noqa: ANN001 (an EvidenceItem)
        """Say in the status area what was filed, with Undo (the tag is the last undo step)."""
        lines = ", ".join(item.links)
        what = "Passage" if item.quote else "Document"
        shows = {"strength": "a strength", "development": "an area for development",
                 "impact": "impact for the child"}.get(item.kind, item.kind)
        text = f"{what} tagged as evidence for {lines} ({item.strength}; shows {shows})."
        stack, index = self.ctx.undo, self.ctx.undo.index()

        def undo() -> str | None:
            if stack.index() != index:
                return "That tag was already changed; use Edit ▸ Undo."
            stack.undo()
            return f"Tag for {lines} undone."

        self.notice.show_notice(text, undo)

