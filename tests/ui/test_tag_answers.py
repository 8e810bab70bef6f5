"""Every tagging action answers: Tag selection needs a selection, a tag is confirmed in the
status area with Undo, the passage is shaded in the preview with its lines on hover, and Alt+P
opens at the hit being read."""
from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from evidence_app.core.evidence import evidence


def _open_hit(window, qtbot, query: str):
    view = window.search_view
    view.query_box.setText(query)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    view.select_row(0)
    qtbot.waitUntil(lambda: view.preview.preview is not None and view.preview.match_count > 0,
                    timeout=10000)
    return view.preview


def _select(preview, phrase: str) -> None:
    text = preview.text.toPlainText()
    at = text.index(phrase)
    cursor = QTextCursor(preview.text.document())
    cursor.setPosition(at)
    cursor.setPosition(at + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    preview.text.setTextCursor(cursor)


def _tag_dialog(window):
    """The picker this window opened (not one left over from another test)."""
    from evidence_app.ui.views.tag_dialog import TagDialog

    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, TagDialog) and w.isVisible() and w.parentWidget() is window),
                None)


def test_tag_selection_is_disabled_until_a_passage_is_selected(indexed, qtbot):
    window, _folder, _files = indexed
    preview = _open_hit(window, qtbot, "section 47")
    # going to a hit does not select it: nothing is selected, so nothing can be tagged
    assert not preview.text.textCursor().hasSelection()
    assert not preview.tag_button.isEnabled()
    assert not window.tag_action.isEnabled()
    _select(preview, "a section 47 enquiry was needed")
    assert preview.tag_button.isEnabled() and window.tag_action.isEnabled()


def test_tagging_confirms_with_undo_and_shades_the_passage(indexed, qtbot):
    window, _folder, _files = indexed
    preview = _open_hit(window, qtbot, "section 47")
    quote = "a section 47 enquiry was needed"
    _select(preview, quote)
    window.tag_action.trigger()
    qtbot.waitUntil(lambda: _tag_dialog(window) is not None, timeout=5000)
    dialog = _tag_dialog(window)
    dialog.tick("HP-04")
    dialog.set_strength("strong")
    dialog.set_kind("strength")
    dialog.accept()
    notice = window.notice
    qtbot.waitUntil(lambda: notice.isVisible(), timeout=5000)
    assert "tagged as evidence for HP-04" in notice.text()
    assert notice.undo_button.isVisible()
    # the preview shades the passage, and hovering it names the line of enquiry
    qtbot.waitUntil(lambda: bool(preview.tagged), timeout=10000)
    start, length, item = preview.tagged[0]
    assert preview.text.toPlainText()[start:start + length] == quote
    assert "HP-04" in preview.tagged_at(start + 2)[0].enquiries
    from evidence_app.ui.views.preview_highlights import tagged_tip

    assert "HP-04" in tagged_tip(preview.tagged_at(start + 2))
    assert "already evidence" in preview.meta.text()
    # Undo in the status area takes it back
    notice.undo_button.click()
    assert evidence.list_items(window.ctx.ws, enquiry="HP-04") == []
    assert "undone" in notice.text()
    qtbot.waitUntil(lambda: not preview.tagged, timeout=10000)


def test_paragraph_tagging_opens_at_the_current_hit(indexed, qtbot):
    from evidence_app.ui.views.paragraph_tagger import ParagraphTagger

    window, _folder, _files = indexed
    preview = _open_hit(window, qtbot, "advocate OR reviewed")
    preview.go_to_hit(preview.match_count - 1)
    window.paragraph_action.trigger()
    tagger = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ParagraphTagger) and w.isVisible()
                  and w.parentWidget() is window)
    qtbot.waitUntil(lambda: tagger.ready, timeout=10000)
    assert tagger.list.currentRow() > 0
    word = preview.text.toPlainText()[slice(*(lambda s, n: (s, s + n))(
        *preview.preview.matches[preview.current]))]
    assert word.lower() in tagger.list.currentItem().text().lower()
    tagger.close()
