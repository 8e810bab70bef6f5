"""The export dialog shows the export's steps and its Cancel button stops it: no file, no
temporary file, no export recorded, and the dialog is ready to export again."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from evidence_app.core.bundles import bundles
from evidence_app.core.workspace import Workspace
from evidence_app.ui.context import UiContext
from tests.core.bundles.test_export_progress import make_pdf_bundle


@pytest.fixture
def dialog(tmp_path, qtbot):
    from evidence_app.ui.views.export_dialog import ExportDialog

    ws = Workspace.create(tmp_path / "ws", "Test Borough")
    bid = make_pdf_bundle(ws, tmp_path / "cases", 30, pages=3)
    d = ExportDialog(UiContext(ws), bid)
    qtbot.addWidget(d)
    d.show()
    yield d
    ws.close()


def test_cancel_stops_the_export_and_leaves_nothing(dialog, qtbot, tmp_path):
    out = tmp_path / "exports" / "Assessments.docx"
    dialog.path.setText(str(out))
    dialog.start()
    assert dialog.cancel_button.isVisible() and dialog.progress.isVisible()
    qtbot.waitUntil(lambda: "Appendix" in dialog.status.text(), timeout=30000)
    assert dialog.progress.maximum() == 33 and 1 <= dialog.progress.value() < 33
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert "cancelled" in dialog.message.label.text().lower()
    assert not out.exists()
    assert not out.parent.exists() or not list(out.parent.iterdir())
    assert bundles.exports(dialog.ctx.ws, dialog.bundle_id) == []
    assert dialog.export_button.isEnabled() and not dialog.cancel_button.isVisible()


def test_export_asks_who_prepared_it_once_then_prints_that_name(tmp_path, qtbot):
    import docx

    from evidence_app.core import settings
    from evidence_app.ui.views.export_dialog import ExportDialog

    ws = Workspace.create(tmp_path / "ws2", "Test Borough")
    bid = make_pdf_bundle(ws, tmp_path / "cases2", 1, pages=1)
    ws.db.conn.execute("DELETE FROM meta WHERE key = ?", [settings.AUTHOR_KEY])  # nobody yet
    d = ExportDialog(UiContext(ws), bid)
    qtbot.addWidget(d)
    out = tmp_path / "asked.docx"
    d.path.setText(str(out))
    d.start()
    assert not d.busy and d.identity_dialog.isVisible()       # nothing runs before the answer
    d.identity_dialog.reject()
    assert "give your name" in d.message.label.text() and not out.exists()
    d.start()
    d.identity_dialog.person.setText("Priya Shah")
    d.identity_dialog.team.setText("Quality Assurance")
    with qtbot.waitSignal(d.exported, timeout=60000):
        d.identity_dialog.ok.click()
    cover = "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows
                      for c in r.cells)
    assert "Priya Shah, Quality Assurance" in cover
    assert settings.person_name(ws) == "Priya Shah"
    ws.close()
