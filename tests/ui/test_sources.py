"""Source folders, background indexing, the Problems list, retry and cancel."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.factories import write_docx, write_text
from tests.ui.conftest import wait_indexed


def test_adding_a_folder_indexes_it_and_counts_problems(indexed, qtbot):
    window, folder, files = indexed
    qtbot.waitUntil(lambda: window.status.problems.text() == "Problems (1)", timeout=10000)
    # the status bar says in plain words what it counts, and where to look
    qtbot.waitUntil(lambda: window.status.label.text() ==
                    "4 files in 1 folder: 3 searchable, 1 damaged — see Problems", timeout=10000)
    assert "attachment inside an e-mail" in window.status.label.toolTip()
    assert window.status.label.accessibleDescription() == window.status.label.text()
    assert not window.status.bar.isVisible()


def test_sources_dialog_adds_with_the_same_slot(window, corpus, qtbot):
    from evidence_app.ui.views.sources_dialog import SourcesDialog

    folder, _ = corpus
    dialog = SourcesDialog(window.ctx, window.indexing, window)
    qtbot.addWidget(dialog)
    assert "No folders yet" in dialog.message.text()
    with qtbot.waitSignal(window.indexing.finished, timeout=60000):
        assert dialog.add_folder(folder, "case-files")
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(1) == "Case files"
    assert not dialog.add_folder(folder / "nope", "case-files")
    assert "not a folder" in dialog.message.text()


def test_problems_list_shows_the_reason_and_retry_fixes_it(indexed, qtbot):
    window, folder, files = indexed
    dialog = window.open_problems()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=10000)
    item = dialog.tree.topLevelItem(0)
    # the file name first, then its folder; the whole reason, wrapped
    assert item.text(0) == "Broken report.docx"
    assert item.text(3) == str(files["damaged"].parent)
    assert item.toolTip(0) == str(files["damaged"])
    assert dialog.tree.wordWrap()
    assert item.text(1) == "Damaged"
    assert item.text(2)  # a plain reason
    assert "Traceback" not in item.text(2)
    # the person repairs the file, then tries again
    write_docx(files["damaged"], ["The repaired report about the strategy meeting."])
    assert not dialog.open_folder.isEnabled()
    item.setSelected(True)
    assert dialog.open_folder.isEnabled()
    assert dialog.retry_selected.isEnabled()
    with qtbot.waitSignal(window.indexing.finished, timeout=60000):
        dialog.retry_selected.click()
    wait_indexed(qtbot, window)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0, timeout=10000)
    qtbot.waitUntil(lambda: window.status.problems.text() == "Problems (0)", timeout=10000)
    assert "Every file was read" in dialog.summary.text()


def test_cancel_stops_indexing(window, tmp_path, qtbot):
    folder = tmp_path / "big"
    for i in range(900):
        write_text(folder / f"CH-{i:06d}" / "note.txt", f"Case note {i}: visit recorded.\n")
    summaries = []
    window.indexing.finished.connect(summaries.append)
    with qtbot.waitSignal(window.indexing.progress, timeout=60000):
        window.add_source_folder(folder, "case-files")
    assert window.status.cancel.isVisible()
    qtbot.mouseClick(window.status.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(summaries), timeout=30000)
    assert summaries[-1].cancelled
    assert summaries[-1].indexed < 900
    assert "cancelled" in window.status.label.text()
    assert "F5" in window.status.label.text()
    # F5 finishes the job later
    window.reindex()
    qtbot.waitUntil(lambda: len(summaries) >= 2 and not window.indexing.busy, timeout=120000)
    assert not summaries[-1].cancelled


def test_watcher_picks_up_a_new_file(indexed, qtbot):
    window, folder, files = indexed
    summaries = []
    window.indexing.finished.connect(summaries.append)
    write_text(folder / "CH-004512" / "Late note.txt", "A late note mentioning zebracorn.\n")
    qtbot.waitUntil(lambda: any(s.indexed for s in summaries), timeout=20000)
    view = window.search_view
    view.query_box.setText("zebracorn")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)


def test_window_stays_responsive_while_indexing(window, tmp_path, qtbot):
    folder = tmp_path / "busy"
    for i in range(300):
        write_text(folder / f"n{i}.txt", f"Chronology entry {i}.\n")
    window.add_source_folder(folder, "other")
    qtbot.waitUntil(lambda: window.indexing.busy, timeout=10000)
    window.show_place("bundles")
    window.show_place("search")
    assert window.current_place() == "search"
    wait_indexed(qtbot, window, timeout=120000)


def test_a_folder_removed_by_mistake_comes_back_with_ctrl_z(indexed, qtbot, monkeypatch):
    """Removing a source marks its documents missing; Ctrl+Z (the window's undo) makes it a
    source again and its documents findable, as the core's Done says (issue 12, point 4)."""
    from PySide6.QtWidgets import QMessageBox

    from evidence_app.core.index.sources import list_sources
    from evidence_app.core.search.search import search
    from evidence_app.ui.views.sources_dialog import SourcesDialog

    window, folder, files = indexed
    ws = window.ctx.ws
    found = len(search(ws, "strategy").hits)
    assert found
    dialog = SourcesDialog(window.ctx, window.indexing, window)
    qtbot.addWidget(dialog)
    dialog.tree.topLevelItem(0).setSelected(True)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)  # the person says yes
    dialog.remove_selected()
    assert dialog.tree.topLevelItemCount() == 0 and list_sources(ws) == []
    assert window.ctx.undo.undoText().startswith("Remove source")
    dialog.close()

    window.ctx.undo.undo()                               # what Ctrl+Z does
    assert [s.path for s in list_sources(ws)] == [folder.resolve()]
    qtbot.waitUntil(lambda: len(search(ws, "strategy").hits) == found, timeout=15000)
    wait_indexed(qtbot, window)
    assert len(search(ws, "strategy").hits) == found    # the re-read pass changed nothing
