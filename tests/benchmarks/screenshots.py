"""Screenshots of the main screens for a visual check (not saved in the repository).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python tests/benchmarks/screenshots.py OUT_DIR [WxH] [sef]

Builds a small demo workspace in a temporary app folder, then saves PNGs of the start screen, every
place (search empty and with a hit, the PDF page view, coverage, cases, requests, bundles) and every
dialog (first-run name, tag, paragraph tagging, problems, settings, shortcuts, sources, export,
spreadsheet export, case import, new bundle), and the self-evaluation with a sample written over the
demo's evidence (a third argument `sef` takes only those). For 150% scaling set QT_SCALE_FACTOR=1.5 (the
window then fits the same screen in logical pixels: 1366x768 becomes 911x512).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    size = sys.argv[2] if len(sys.argv) > 2 else "1366x768"
    w, h = (int(x) for x in size.split("x"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("EVIDENCE_APP_HOME", tempfile.mkdtemp(prefix="shots-"))
    import evidence_app.ui  # noqa: F401 - binding work-arounds first
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from evidence_app.ui.launch import Shell, create_application

    app = create_application()  # noqa: F841 - kept alive for the whole run

    def pump(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    def shot(widget, name: str) -> None:  # noqa: ANN001
        pump(0.3)
        widget.grab().save(str(out / f"{name}-{size}.png"))

    shell = Shell(index_jobs=2)
    start = shell.start(None)
    start.resize(min(w, 900), min(h - 60, 620))
    shot(start, "start")
    shell.open_demo(start, n_documents=60)
    deadline = time.time() + 420
    while shell.window is None and time.time() < deadline:
        pump(0.2)
    win = shell.window
    from evidence_app.ui.views.identity_dialog import IdentityDialog

    pump(0.5)
    ident = next((x for x in QApplication.topLevelWidgets()
                  if isinstance(x, IdentityDialog) and x.isVisible()), None)
    if ident is not None:
        shot(ident, "identity")
        ident.person.setText("Priya Shah")
        ident.team.setText("Quality Assurance")
        ident.accept()
    scale = float(os.environ.get("QT_SCALE_FACTOR", "1") or 1)
    win.resize(int(w / scale), int((h - 40) / scale))
    while (win.indexing.busy or win.indexing._commands or not win.search_view.document_count) \
            and time.time() < deadline:
        pump(0.3)
    shot(win, "search-empty")
    win.search_view.query_box.setText('"child was seen" OR strategy')
    pump(1.0)
    if win.search_view.model.rowCount() > 1:
        win.search_view.select_row(1)
    pump(1.0)
    shot(win, "search-hit")
    win.show_place("cases")
    shot(win, "cases")
    win.show_place("coverage")
    shot(win, "coverage")
    if len(sys.argv) > 3 and sys.argv[3] == "sef":
        sef_shots(win, shot, pump)
        shell.shutdown()
        win.close()
        QApplication.quit()
        print(f"saved to {out}")
        return
    win.show_place("requests")
    pump(0.5)
    shot(win, "requests")
    from evidence_app.core.bundles import bundles as core_bundles

    bundle = core_bundles.create_bundle(win.ctx.ws, "Help and protection", by="enquiry").value
    win.ctx.changed({"bundles"})
    page = win.show_place("bundles")
    pump(0.5)
    page.show_bundle(bundle.id)
    pump(1.0)
    shot(win, "bundles")
    dialog = page.export_dialog()
    if dialog is not None:
        pump(0.5)
        shot(dialog, "export-dialog")
        dialog.close()
    win.show_place("search")
    if win.search_view.model.rowCount():
        pdf_rows = [i for i, hit in enumerate(win.search_view.model.hits) if hit.format == "pdf"]
        if pdf_rows:
            win.search_view.select_row(pdf_rows[0])
            pump(1.0)
            win.search_view.preview.page_button.click()
            pump(2.5)
            shot(win, "search-pdf-page")
            win.search_view.preview.page_button.click()
    view = win.search_view
    if view.model.rowCount():
        view.select_row(0)
        pump(1.0)
        from evidence_app.ui.views.paragraph_tagger import ParagraphTagger
        from evidence_app.ui.views.tag_dialog import TagDialog

        td = TagDialog(win.ctx, view.model.hits[0].document_id,
                       quote="a passage the person selected", parent=win)
        td.show()
        shot(td, "tag-dialog")
        td.close()
        pt = ParagraphTagger(win.ctx, view.model.hits[0].document_id, win,
                             view.preview.current_doc_offset())
        pt.show()
        pump(1.0)
        shot(pt, "paragraph-tagging")
        pt.close()
    from evidence_app.ui.views.bundle_create_dialog import BundleCreateDialog
    from evidence_app.ui.views.case_import_dialog import CaseImportDialog
    from evidence_app.ui.views.sheet_export_dialog import SheetExportDialog
    from evidence_app.ui.views.sources_dialog import SourcesDialog

    for cls, args, name in ((SheetExportDialog, (win.ctx, "tracker", win), "sheet-export"),
                            (BundleCreateDialog, (win.ctx.ws, win), "new-bundle"),
                            (SourcesDialog, (win.ctx, win.indexing, win), "sources")):
        d = cls(*args)
        d.show()
        pump(0.5)
        shot(d, name)
        d.close()
    annex = sorted((shell.demo_root() / "files" / "performance").glob("Annex A*"))
    if annex:
        d = CaseImportDialog(win.ctx, str(annex[0]), win)
        d.show()
        pump(1.5)
        shot(d, "case-import")
        d.run_import(dry_run=True)
        pump(2.0)
        shot(d, "case-import-report")
        d.close()
    win.status.set_overview(win.status.overview)
    problems = win.open_problems()
    pump(1.0)
    shot(problems, "problems")
    problems.close()
    from evidence_app.ui.views.help_dialogs import ShortcutsDialog
    from evidence_app.ui.views.settings_dialog import SettingsDialog

    d = SettingsDialog(win.ctx, win)
    d.show()
    shot(d, "settings")
    d.close()
    d = ShortcutsDialog(win)
    d.show()
    shot(d, "shortcuts")
    d.close()
    sef_shots(win, shot, pump)
    shell.shutdown()
    win.close()
    QApplication.quit()
    print(f"saved to {out}")


def sef_shots(win, shot, pump) -> None:  # noqa: ANN001
    """The Self-evaluation place with the sample self-evaluation, a development claim with its
    actions, the needing-evidence filter, and the claim dialog."""
    from evidence_app.samples import demo_sef

    demo_sef.seed(win.ctx.ws)
    win.ctx.changed({"sef"})
    page = win.show_place("sef")
    pump(1.5)
    shot(win, "sef")
    dev = next((v for v in page.doc.claims if v.claim.type == "development" and v.actions), None)
    if dev is not None:
        page.area_id = dev.claim.area
        page.claim_id = dev.claim.id
        page._fill_areas()
        page._fill_claims()
        pump(0.5)
        shot(win, "sef-development")
    page.filter.setCurrentIndex(page.filter.findData("needing"))
    pump(0.5)
    shot(win, "sef-needing")
    page.filter.setCurrentIndex(0)
    from evidence_app.ui.views.sef_dialogs import ClaimDialog

    enq = page._enquiries()
    d = ClaimDialog(list(page.doc.areas), enq, claim=page.current_view().claim, parent=win)
    d.show()
    shot(d, "sef-claim-dialog")
    d.close()


if __name__ == "__main__":
    main()
