"""The window's undo keys over a tag: Ctrl+Z takes the new evidence item away, Ctrl+Shift+Z and
Ctrl+Y bring the same item back (same id and uuid), and the evidence places refresh each time."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core.evidence import evidence
from evidence_app.core.evidence.evidence import resolve_document

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _tag_through_the_dialog(window, qtbot, doc_id: int):
    from evidence_app.ui.views.tag_dialog import TagDialog

    def ours(w) -> bool:  # noqa: ANN001 - the dialog this window opened, not one another test left
        return isinstance(w, TagDialog) and w.isVisible() and w.ctx is window.ctx

    window.tag_document(doc_id)
    qtbot.waitUntil(lambda: any(ours(w) for w in QApplication.topLevelWidgets()), timeout=15000)
    dialog = next(w for w in QApplication.topLevelWidgets() if ours(w))
    dialog.tick("HP-04")
    dialog.set_kind("strength")
    dialog.set_strength("strong")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: dialog.item is not None, timeout=15000)  # saved by the one writer
    return dialog.item


def _press(window, qtbot, key, mods) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=15000)
    qtbot.keyClick(window, key, mods)


def test_ctrl_z_takes_a_tag_back_and_ctrl_shift_z_or_ctrl_y_files_it_again(indexed, qtbot):
    window, _folder, files = indexed
    ws = window.ctx.ws
    doc = resolve_document(ws, str(files["txt"]))
    changed = []
    window.ctx.hub.changed.connect(changed.append)

    item = _tag_through_the_dialog(window, qtbot, doc.id)
    qtbot.waitUntil(lambda: [i.id for i in evidence.list_items(ws, enquiry="HP-04")] == [item.id],
                    timeout=15000)

    _press(window, qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: evidence.list_items(ws, enquiry="HP-04") == [], timeout=15000)
    assert "evidence" in changed[-1]

    _press(window, qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.waitUntil(lambda: len(evidence.list_items(ws, enquiry="HP-04")) == 1, timeout=15000)
    back = evidence.list_items(ws, enquiry="HP-04")[0]
    assert (back.id, back.uuid, back.strength) == (item.id, item.uuid, "strong")

    _press(window, qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: evidence.list_items(ws, enquiry="HP-04") == [], timeout=15000)
    _press(window, qtbot, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: len(evidence.list_items(ws, enquiry="HP-04")) == 1, timeout=15000)
    assert evidence.list_items(ws, enquiry="HP-04")[0].uuid == item.uuid
    assert window.ctx.undo.canUndo() and not window.ctx.undo.canRedo()
