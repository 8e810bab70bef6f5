"""Searching as a person does: type, see results, open a hit, move between highlights."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.factories import write_text
from tests.ui.conftest import wait_indexed


def _type(qtbot, window, text: str) -> None:
    box = window.search_view.query_box
    box.clear()
    qtbot.keyClicks(box, text)


def _open(qtbot, view, row: int) -> None:
    """Select a result and wait until the preview shows its document."""
    doc_id = view.model.hits[row].document_id
    view.select_row(row)
    preview = view.preview

    def shown() -> bool:
        p = preview.preview
        return p is not None and p.document is not None and p.document.id == doc_id and \
            preview.hit is not None and preview.hit.document_id == doc_id
    qtbot.waitUntil(shown, timeout=10000)


def _row_of(model, name: str) -> int:
    return next(i for i, h in enumerate(model.hits) if h.name == name)


def test_typing_shows_results_and_count(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, "strategy")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3, timeout=10000)
    assert view.count_label.text() == f"Results ({view.model.total:,})"
    assert {h.name for h in view.model.hits} >= {"Strategy meeting 12-03-2026.docx",
                                                 "Conference minutes.pdf", "Home visit.txt"}
    assert all("«" in h.snippet for h in view.model.hits if h.chunk_id)


def test_opening_a_pdf_hit_shows_highlighted_text_at_its_page(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, "strategy discussion")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=10000)
    row = _row_of(view.model, "Conference minutes.pdf")
    _open(qtbot, view, row)
    preview = view.preview
    assert "Page two" in preview.text.toPlainText()
    assert "Page 2" in preview.text.toPlainText()  # page markers
    assert preview.match_count >= 2
    assert preview.text.extraSelections()
    assert "p. 2" in preview.hit_label.text()
    # the cursor is at the current hit (shown by its highlight, not by a selection)
    start, length = preview.preview.matches[preview.current]
    assert preview.text.textCursor().position() == start
    assert preview.text.toPlainText()[start:start + length].lower().startswith("strategy")
    assert not preview.text.textCursor().hasSelection()


def test_next_and_previous_hit(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, "the")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=10000)
    row = _row_of(view.model, "Conference minutes.pdf")
    _open(qtbot, view, row)
    preview = view.preview
    n = preview.match_count
    assert n >= 2
    start = preview.current
    window.next_hit_action.trigger()
    assert preview.current == (start + 1) % n
    assert preview.hit_label.text().startswith(f"hit {preview.current + 1} of {n}")
    window.prev_hit_action.trigger()
    assert preview.current == start
    window.prev_hit_action.trigger()
    assert preview.current == (start - 1) % n


def test_selected_passage_anchors_to_the_document_text_and_ctrl_t_asks_to_tag(indexed, qtbot):
    from evidence_app.core.index.chunking import full_text
    from evidence_app.core.store.document_reads import document_chunks

    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, "section 47")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=10000)
    _open(qtbot, view, 0)
    preview = view.preview
    text = preview.text.toPlainText()
    i = text.index("section 47 enquiry")
    cursor = preview.text.textCursor()
    cursor.setPosition(i)
    cursor.setPosition(i + len("section 47 enquiry"), QTextCursor.MoveMode.KeepAnchor)
    preview.text.setTextCursor(cursor)
    quote, start, page = preview.selected_passage()
    assert quote == "section 47 enquiry"
    doc_id = view.model.hits[0].document_id
    whole = full_text([c.text for c in document_chunks(window.ctx.ws.db, doc_id)])
    assert whole[start:start + len(quote)] == quote
    with qtbot.waitSignal(preview.tagRequested, timeout=2000) as sig:
        window.tag_action.trigger()
    assert sig.args[:3] == [doc_id, quote, start]
    with qtbot.waitSignal(preview.documentTagRequested, timeout=2000) as sig:
        window.tag_doc_action.trigger()
    assert sig.args == [doc_id]


def test_many_hits_fetch_more_on_scroll(window, tmp_path, qtbot):
    folder = tmp_path / "many"
    for i in range(230):
        write_text(folder / f"note {i:03d}.txt", f"Supervision note {i}. Reflective supervision.\n")
    with qtbot.waitSignal(window.indexing.finished, timeout=60000):
        window.add_source_folder(folder, "other")
    wait_indexed(qtbot, window)
    view = window.search_view
    _type(qtbot, window, "supervision")
    qtbot.waitUntil(lambda: view.model.rowCount() == 100, timeout=10000)
    assert view.model.total == 230
    assert view.count_label.text() == "Results (230)"
    view.list.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() >= 200, timeout=10000)
    view.list.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() == 230, timeout=10000)
    assert len({h.document_id for h in view.model.hits}) == 230


def test_a_query_error_is_a_message_not_a_crash(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, '"unclosed phrase')
    qtbot.waitUntil(lambda: view.message.isVisible(), timeout=10000)
    assert "quotation mark" in view.message.text()


def test_stale_results_are_dropped(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    box = view.query_box
    box.setText("police")
    view.search_now()
    box.setText("bedroom")
    view.search_now()
    qtbot.waitUntil(lambda: view.model.query == "bedroom", timeout=10000)
    qtbot.wait(300)
    assert view.model.query == "bedroom"
    assert [h.name for h in view.model.hits] == ["Home visit.txt"]


def test_completion_offers_filters_and_case_references(indexed, qtbot):
    window, _, _ = indexed
    box = window.search_view.query_box
    qtbot.waitUntil(lambda: "CH-004512" in box.case_refs, timeout=10000)
    assert box.suggestions("ca") == ["case:"]
    assert box.suggestions("case:CH-0045") == ["case:CH-004512"]
    assert box.suggestions("kind:p") == ["kind:policies"]
    assert all("/" in s for s in box.suggestions("after:"))
    box.setText("visit ca")
    box.setCursorPosition(len(box.text()))
    box.insert_completion("case:")
    assert box.text() == "visit case:"
    box.insert_completion("case:CH-004512")
    assert box.text() == "visit case:CH-004512 "


def test_ctrl_f_focuses_the_search_box(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_place() == "cases"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_place() == "search"
    assert window.focusWidget() is window.search_view.query_box


def test_pdf_page_view_opens_at_the_hits_page(indexed, qtbot):
    window, _, _ = indexed
    view = window.search_view
    _type(qtbot, window, "strategy discussion")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=10000)
    _open(qtbot, view, _row_of(view.model, "Conference minutes.pdf"))
    preview = view.preview
    assert preview.page_button.isVisible()
    preview.page_button.click()
    pages = preview._pdf
    qtbot.waitUntil(lambda: not pages.image.pixmap().isNull(), timeout=15000)
    assert pages.label.text() == "Page 2 of 2"
    assert preview.stack.currentWidget() is pages
    pages.show_page(1)
    qtbot.waitUntil(lambda: pages.label.text() == "Page 1 of 2", timeout=15000)
    preview.page_button.click()
    assert preview.stack.currentWidget() is preview.text
