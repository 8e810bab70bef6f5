"""Ctrl+Z after a case-list import takes the whole import back: the cases it added leave the
Cases place at once; Ctrl+Y brings them back. The same keys work inside the import dialog."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core.evidence import cases
from tests.factories import write_text

CTRL = Qt.KeyboardModifier.ControlModifier
CSV = ("Child ID,Allocated worker,Team,Category\n"
       "CH-000303,Ali Khan,Leaving Care,care leaver\n"
       "CH-000404,Sam Patel,Assessment North,CIN\n")


def _shown(view) -> list[str]:
    return [view.model.index(r, 0).data() for r in range(view.model.rowCount())]


def _press(widget, qtbot, key) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=15000)
    qtbot.keyClick(widget, key, CTRL)


def _import(window, qtbot, tmp_path):
    from evidence_app.ui.views.case_import_dialog import CaseImportDialog

    csv = write_text(tmp_path / "sample.csv", CSV)
    dialog = CaseImportDialog(window.ctx, csv, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.headers), timeout=15000)
    dialog.run_import(dry_run=False)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.report is not None, timeout=15000)
    return dialog


def test_ctrl_z_after_a_case_import_removes_its_cases_from_the_view(window, qtbot, tmp_path):
    cases.add_case(window.ctx.ws, "CH-000101", worker="Jo Brown")
    view = window.show_place("cases")
    dialog = _import(window, qtbot, tmp_path)
    assert dialog.report.added == ["CH-000303", "CH-000404"]
    qtbot.waitUntil(lambda: "CH-000404" in _shown(view), timeout=15000)
    dialog.close()

    _press(window, qtbot, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: _shown(view) == ["CH-000101"], timeout=15000)
    assert [c.ref for c in cases.list_cases(window.ctx.ws)] == ["CH-000101"]

    _press(window, qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: _shown(view) == ["CH-000101", "CH-000303", "CH-000404"],
                    timeout=15000)


def test_ctrl_z_inside_the_import_dialog_takes_the_import_back(window, qtbot, tmp_path):
    view = window.show_place("cases")
    dialog = _import(window, qtbot, tmp_path)
    qtbot.waitUntil(lambda: "CH-000303" in _shown(view), timeout=15000)
    _press(dialog, qtbot, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: _shown(view) == [], timeout=15000)
