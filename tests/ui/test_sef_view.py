"""The Self-evaluation place in the real window: write a claim through its dialog, cite an item
by dragging it from an evidence list and a search result, see the strength chip change, undo."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from evidence_app.core.evidence import evidence
from evidence_app.core.store import sef as store
from evidence_app.ui.views import sef_claim_tree
from tests.ui.conftest import wait_indexed  # noqa: F401


def item_id(done) -> int:
    v = getattr(done, "value", done)
    return int(v.id)


def open_sef(window, qtbot):
    view = window.show_place("sef")
    qtbot.waitUntil(lambda: view.doc is not None and not view.loading, timeout=10000)
    return view


def fill_claim_dialog(qtbot, text: str) -> None:
    """When the claim dialog opens: choose help and protection, type the claim, tick HP-04."""
    def act() -> None:
        dlg = QApplication.activeModalWidget()
        dlg.area.setCurrentIndex(dlg.area.findData("HP"))
        dlg.question.setCurrentIndex(dlg.question.findData("how"))
        qtbot.keyClicks(dlg.text, text)
        for i in range(dlg.lines.count()):
            it = dlg.lines.item(i)
            if it.data(Qt.ItemDataRole.UserRole) == "HP-04":
                it.setCheckState(Qt.CheckState.Checked)
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(200, act)


def drop(widget, mime) -> None:
    """What the window receives when a drag is released over `widget` (a real QDrag cannot run
    offscreen): enter, then drop, with the source list's own mime data."""
    pos = QPoint(10, 10)
    target = widget.viewport()
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(pos.toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)


def test_write_a_claim_and_cite_by_drag_and_drop_then_undo(indexed, qtbot):
    window, folder, files = indexed
    ws = window.ctx.ws
    qtbot.waitUntil(lambda: ws.db.conn.execute(
        "SELECT COUNT(*) FROM documents WHERE status = 'ok' AND name IN "
        "('Strategy meeting 12-03-2026.docx', 'Home visit.txt')").fetchone()[0] == 2,
        timeout=30000)
    strong = item_id(evidence.tag(ws, files["docx"], ["HP-04"], strength="strong",
                                  quote="the child was seen alone"))
    view = open_sef(window, qtbot)
    assert view.unused.count() == 1         # strong, on a line nothing mentions yet

    fill_claim_dialog(qtbot, "Strategy meetings are timely and children are seen alone.")
    view.new_button.click()
    qtbot.waitUntil(lambda: view.current_view() is not None and not view.loading, timeout=10000)
    claim = view.current_view().claim
    assert claim.text == "Strategy meetings are timely and children are seen alone."
    assert (claim.area, claim.question, claim.enquiries) == ("HP", "how", ("HP-04",))
    assert view.current_view().strength == "none"
    assert view.unused.count() == 0         # the claim speaks to its line now

    # drag the item from an evidence list (the case page's and coverage's model) onto citations
    from evidence_app.ui.models.evidence_items_model import EvidenceItemsModel

    source = EvidenceItemsModel(ws)
    source.set_ids([strong])
    drop(view.citations, source.mimeData([source.index(0, 1)]))
    qtbot.waitUntil(lambda: view.citations.count() == 1 and not view.loading, timeout=10000)
    assert view.citations.item(0).text().startswith(f"E-{strong:03d}")
    assert view.current_view().strength == "moderate"
    chip = window.show_place("sef").tree.currentItem().data(2, Qt.ItemDataRole.UserRole + 2)
    assert chip == "moderate"

    # a search result: its document has no evidence yet, so it is tagged under HP-04 and cited
    txt_doc = next(r[0] for r in ws.db.conn.execute(
        "SELECT id FROM documents WHERE name = 'Home visit.txt'"))
    search = window.search_view
    search.query_box.setText("bedroom")           # only the home visit says it
    qtbot.waitUntil(lambda: search.model.rowCount() >= 1, timeout=10000)
    row = next(i for i, h in enumerate(search.model.hits) if h.document_id == txt_doc)
    mime = search.model.mimeData([search.model.index(row, 0)])
    window.show_place("sef")
    drop(view.citations, mime)
    qtbot.waitUntil(lambda: view.citations.count() == 2 and not view.loading, timeout=10000)
    stored = store.claim(ws.db, claim.id)
    assert len(stored.citations) == 2
    new_item = int(stored.citations[1].ref)
    assert evidence.get_item(ws, new_item).enquiries == ("HP-04",)

    # Ctrl+Z takes back the search drop (citation and the tag), then the first citation
    window.ctx.undo.undo()
    qtbot.waitUntil(lambda: view.citations.count() == 1 and not view.loading, timeout=10000)
    assert [x.ref for x in store.claim(ws.db, claim.id).citations] == [str(strong)]
    assert not evidence.list_items(ws, document_id=txt_doc)
    window.ctx.undo.undo()
    qtbot.waitUntil(lambda: view.citations.count() == 0 and not view.loading, timeout=10000)
    window.ctx.undo.redo()
    qtbot.waitUntil(lambda: view.citations.count() == 1 and not view.loading, timeout=10000)
    # strong evidence not used drags onto a claim too
    other = item_id(evidence.tag(ws, files["pdf"], ["HP-09"], strength="strong"))
    window.ctx.changed({"evidence"})
    qtbot.waitUntil(lambda: view.unused.count() == 1 and not view.loading, timeout=10000)
    drop(view.citations, view.unused.mimeData([view.unused.item(0)]))
    qtbot.waitUntil(lambda: view.citations.count() == 2 and not view.loading, timeout=10000)
    assert view.current_view().strength == "strong" and view.unused.count() == 0
    window.ctx.undo.undo()
    qtbot.waitUntil(lambda: view.citations.count() == 1 and not view.loading, timeout=10000)
    assert other
    # the needing-evidence filter hides it now that it is evidenced
    view.filter.setCurrentIndex(view.filter.findData("needing"))
    assert sef_claim_tree.first_claim(view.tree) is None
    window.ctx.undo.undo()
    window.ctx.undo.undo()          # the claim itself goes
    qtbot.waitUntil(lambda: not view.loading and view.doc is not None and
                    not view.doc.claims, timeout=10000)
    window.ctx.undo.redo()
    qtbot.waitUntil(lambda: not view.loading and len(view.doc.claims) == 1, timeout=10000)


def test_freeze_then_compare_in_the_window(window, qtbot):
    from evidence_app.core.sef import claims, versions

    ws = window.ctx.ws
    view = open_sef(window, qtbot)
    view.compare_button.click()
    assert "freeze a version first" in view.message.text()
    a = claims.add(ws, "LEAD", "know", "Leaders know their services.").value
    versions.freeze(ws, "v1")
    claims.edit(ws, a.id, text="Leaders know their services well.")
    claims.add(ws, "CL", "know", "Care leavers stay in touch.")
    window.ctx.changed({"sef"})
    qtbot.waitUntil(lambda: not view.loading and len(view.doc.claims) == 2, timeout=10000)
    view.compare_button.click()
    dlg = view.compare_dialog
    qtbot.waitUntil(lambda: "1 added" in dlg.result.toPlainText(), timeout=10000)
    text = dlg.result.toPlainText()
    assert "v1 → current" in text and "1 changed" in text
    assert "was: Leaders know their services." in text
    dlg.close()


def test_export_from_the_window_runs_on_a_worker(window, qtbot, tmp_path):
    import docx

    from evidence_app.core import settings as core_settings
    from evidence_app.core.sef import claims

    ws = window.ctx.ws
    core_settings.set_person(ws, "Priya Shah", "Quality Assurance")
    claims.add(ws, "HP", "know", "Children are seen alone.")
    view = open_sef(window, qtbot)
    results = []
    out = tmp_path / "sef.docx"
    view.export_to(out, with_bundle=True, on_done=results.append)
    assert not view.export_button.isEnabled()          # busy, and the window is not blocked
    qtbot.waitUntil(lambda: bool(results), timeout=30000)
    assert results[0] is not None and out.is_file() and (tmp_path / "sef-evidence.docx").is_file()
    assert "Wrote sef.docx" in view.message.text() and view.export_button.isEnabled()
    assert "Children are seen alone." in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    results.clear()
    view.export_to(out, on_done=results.append)         # exists: refused, shown calmly
    qtbot.waitUntil(lambda: bool(results), timeout=30000)
    assert results[0] is None and "already exists" in view.message.text()
