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


def test_results_sort_by_relevance_or_newest_first(indexed, qtbot):
    import os
    import time

    window, _folder, files = indexed
    view = window.search_view
    now = time.time()
    os.utime(files["txt"], (now - 10 * 86400, now - 10 * 86400))  # the oldest
    os.utime(files["docx"], (now, now))  # the newest
    from evidence_app.core.search.search import search

    view.query_box.setText("strategy")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3, timeout=10000)
    # the index keeps the dates it read: re-read the touched files, and wait for the new dates
    # themselves (the indexer's busy flag is raised on its own thread, so right after reindex()
    # it may not be up yet, and the run may still be writing while the test reads)
    from evidence_app.core.evidence.evidence import resolve_document

    def read_again() -> bool:
        got = {k: resolve_document(window.ctx.ws, str(files[k])).mtime for k in ("txt", "docx")}
        return (got["txt"] is not None and abs(got["txt"] - (now - 10 * 86400)) < 2
                and got["docx"] is not None and abs(got["docx"] - now) < 2)

    window.reindex()
    qtbot.waitUntil(read_again, timeout=30000)
    qtbot.waitUntil(lambda: not window.indexing.busy, timeout=30000)
    dated = search(window.ctx.ws, "strategy", order="date").hits
    mtimes = [window.ctx.ws.db.conn.execute("SELECT mtime FROM documents WHERE id = ?",
                                            [h.document_id]).fetchone()[0] for h in dated]
    assert mtimes == sorted(mtimes, reverse=True)
    view.sort.setCurrentIndex(view.sort.findData("date"))
    qtbot.waitUntil(lambda: [h.document_id for h in view.model.hits] ==
                    [h.document_id for h in dated], timeout=10000)
    view.sort.setCurrentIndex(view.sort.findData("relevance"))
    best = search(window.ctx.ws, "strategy").hits
    qtbot.waitUntil(lambda: [h.document_id for h in view.model.hits] ==
                    [h.document_id for h in best], timeout=10000)


def test_snippet_shows_the_passage_around_the_hit_not_the_heading():
    from evidence_app.core.search.search import MARK_END, MARK_START
    from evidence_app.core.search.snippet import best_passage

    text = ("Workforce development strategy\nFICTIONAL TEST DATA – not a real child or family.\n"
            "Document | Workforce development strategy\nOwner | Sam Patel\n\n"
            "1. Purpose\nManagers agreed the recruitment strategy with the unions in March, and "
            "the plan is reviewed every quarter by the board.")
    got = best_passage(text, ["strategy"], (MARK_START, MARK_END))
    assert got.startswith("Managers agreed the recruitment «strategy»")
    assert "Owner" not in got and "Document |" not in got
    # only in the heading: the opening of the running text instead
    only_title = text.replace("recruitment strategy", "recruitment plan")
    got = best_passage(only_title, ["strategy"], (MARK_START, MARK_END))
    assert got.startswith("Managers agreed the recruitment plan")


def test_pdf_page_view_shades_the_hit_and_zooms(indexed, qtbot):
    from PySide6.QtGui import QColor

    window, _folder, _files = indexed
    view = window.search_view
    view.query_box.setText("strategy discussion")
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=10000)
    row = next(i for i, h in enumerate(view.model.hits) if h.name == "Conference minutes.pdf")
    view.select_row(row)
    qtbot.waitUntil(lambda: view.preview.preview is not None, timeout=10000)
    view.preview.page_button.click()
    pages = view.preview._pdf
    qtbot.waitUntil(lambda: not pages.image.pixmap().isNull(), timeout=15000)
    assert "strategy" in " ".join(pages.terms).lower()
    image = pages.image.pixmap().toImage()
    shaded = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
                 if (c := QColor(image.pixel(x, y))).red() > 200 and c.green() > 150
                 and c.blue() < 170)
    assert shaded > 5  # the yellow marks where the words are (a plain page has none)
    width = pages.image.pixmap().width()
    pages.zoom_in.click()
    qtbot.waitUntil(lambda: pages.image.pixmap().width() > width * 1.15, timeout=15000)
    assert pages.zoom_label.text() == "125%"
    zoomed = pages.image.pixmap().width()
    pages.fit.click()
    qtbot.waitUntil(lambda: pages.image.pixmap().width() < zoomed * 0.9, timeout=15000)
    assert pages.zoom_label.text() == "100%"
