"""The search place answers: a malformed query clears the old results, the empty state's
examples find something in this workspace, and while files are read it says so."""
from __future__ import annotations


def test_a_malformed_query_clears_the_previous_results(indexed, qtbot):
    window, _folder, _files = indexed
    view = window.search_view
    view.query_box.setText("strategy")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    view.query_box.setText('"strategy meeting')  # an unclosed quote
    qtbot.waitUntil(lambda: not view.message.isHidden(), timeout=10000)
    assert view.model.rowCount() == 0
    assert "(1)" not in view.count_label.text()
    assert view.preview.hit is None
    assert "quotation mark" in view.message.text().lower()


def test_the_empty_state_example_finds_something(indexed, qtbot):
    window, _folder, _files = indexed
    view = window.search_view
    qtbot.waitUntil(lambda: bool(view.case_examples), timeout=10000)
    view.query_box.clear()
    view.search_now()
    text = view.empty_text.text()
    assert f"case:{view.case_examples[0]} visit" in text
    case_example = next(i for i, e in enumerate(view._examples) if e.startswith("case:"))
    view.empty_text.linkActivated.emit(str(case_example))
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    assert view.query_box.text() == f"case:{view.case_examples[0]} visit"


def test_while_indexing_the_empty_place_says_files_are_being_read(window):
    view = window.search_view
    view.document_count = 0
    view.set_indexing(True)
    assert "Reading your files" in view.empty_text.text()
    assert not view.add_button.isVisibleTo(view)
    view.set_indexing(False)
    assert "No documents yet" in view.empty_text.text()
