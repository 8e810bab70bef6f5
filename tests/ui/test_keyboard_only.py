"""Search → tag → bundle → export with the keyboard alone (no mouse, no direct calls): the
shortcuts, tab order, mnemonics and default buttons a keyboard or screen-reader user relies on."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import evidence


def _focus():
    return QApplication.focusWidget()


def _key(qtbot, key, mod=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(_focus(), key, mod)


def _type(qtbot, text: str):
    qtbot.keyClicks(_focus(), text)


def test_search_tag_bundle_export_by_keyboard(indexed, qtbot, tmp_path):
    window, _folder, _files = indexed
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    view = window.search_view

    # search: Ctrl+F, type, results
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert _focus() is view.query_box
    _type(qtbot, "section 47")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    # Tab moves on to the results, reading order
    for _ in range(20):
        if _focus() is view.list:
            break
        _key(qtbot, Qt.Key.Key_Tab)
    assert _focus() is view.list
    _key(qtbot, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: view.preview.preview is not None and view.preview.match_count > 0,
                    timeout=10000)

    # tag: Alt+P opens paragraph tagging at the hit; Enter tags the paragraph
    _key(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    from evidence_app.ui.views.paragraph_tagger import ParagraphTagger

    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ParagraphTagger)
                    and QApplication.activeModalWidget().ready, timeout=10000)
    tagger = QApplication.activeModalWidget()
    assert "section 47" in tagger.list.currentItem().text()
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tagger.tag_dialog is not None and tagger.tag_dialog.isVisible(),
                    timeout=5000)
    dialog = tagger.tag_dialog
    qtbot.waitUntil(lambda: _focus() is dialog.filter, timeout=5000)
    _type(qtbot, "HP-04")
    _key(qtbot, Qt.Key.Key_Return)  # ticks HP-04
    _key(qtbot, Qt.Key.Key_Return)  # asks what it shows, focus on the first choice
    _key(qtbot, Qt.Key.Key_Space)  # a strength
    _key(qtbot, Qt.Key.Key_Return)  # files it
    qtbot.waitUntil(lambda: bool(evidence.list_items(window.ctx.ws, enquiry="HP-04")),
                    timeout=5000)
    assert "tagged as evidence for HP-04" in window.notice.text()
    qtbot.waitUntil(lambda: _focus() is tagger.list, timeout=5000)
    _key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tagger.isVisible(), timeout=5000)

    # bundle: Ctrl+5, Alt+N, a title, Enter
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_place() == "bundles"
    page = window.pages["bundles"]

    def fill_new_bundle() -> None:
        modal = QApplication.activeModalWidget()
        assert modal is not None and modal.windowTitle() == "New bundle"
        qtbot.keyClicks(_focus(), "Keyboard bundle")
        qtbot.keyClick(_focus(), Qt.Key.Key_Return)

    QTimer.singleShot(300, fill_new_bundle)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: any(b.title == "Keyboard bundle"
                                for b in bundles.list_bundles(window.ctx.ws)), timeout=10000)
    qtbot.waitUntil(lambda: page.bundle_id is not None, timeout=10000)

    # export: Ctrl+E, Alt+S to the file name, type it, Enter; the name question answered too
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    from evidence_app.ui.views.export_dialog import ExportDialog

    qtbot.waitUntil(lambda: any(isinstance(w, ExportDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    export = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ExportDialog) and w.isVisible())
    export.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is export, timeout=5000)
    out = tmp_path / "keyboard bundle.docx"
    qtbot.keyClick(export, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _focus() is export.path, timeout=5000)
    _key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, str(out))
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(export, "identity_dialog", None) is not None
                    and export.identity_dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: _focus() is export.identity_dialog.person, timeout=5000)
    _type(qtbot, "Priya Shah")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: out.is_file(), timeout=60000)
    qtbot.waitUntil(lambda: export.result_info is not None, timeout=10000)
    assert Path(export.result_info.path) == out
