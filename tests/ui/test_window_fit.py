"""The window fits the screen it opens on (status bar and Problems visible), remembers its size
per screen, and never comes back larger than the screen."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication


def test_first_window_fits_the_available_screen(window):
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert frame.width() <= area.width() and frame.height() <= area.height()
    assert area.contains(frame.topLeft())
    # the status bar with the Problems button is on screen, not below it
    status = window.statusBar()
    bottom = status.mapToGlobal(status.rect().bottomLeft())
    assert bottom.y() <= area.bottom() + 1
    assert window.status.problems.isVisible()


def test_a_remembered_size_larger_than_the_screen_is_shrunk(shell, window, qtbot, tmp_path):
    from evidence_app.ui import app_settings

    area = window.screen().availableGeometry()
    window.resize(area.width() + 900, area.height() + 700)  # e.g. saved on a docked monitor
    window._fit_to_screen()
    assert window.width() <= area.width() and window.height() <= area.height()
    window.save_state()
    s = app_settings.settings()
    assert window._geometry_key() in s.allKeys()
    root = window.ctx.root
    window.close()
    assert shell.open_workspace(root)
    again = shell.window
    qtbot.waitExposed(again)
    assert again.frameGeometry().height() <= area.height()
    assert again.frameGeometry().width() <= area.width()


def test_minimum_size_never_exceeds_a_small_screen(window):
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert window.minimumWidth() <= area.width()
    assert window.minimumHeight() <= area.height()


def test_long_text_is_cut_in_the_middle_whole_on_hover(qtbot):
    from evidence_app.ui.views.elided_label import ElidedLabel

    path = "/root/.local/share/EvidenceOrganiser/demo/files/case-files/CH-004512/Visits/Home visit.docx"
    label = ElidedLabel(path)
    qtbot.addWidget(label)
    label.resize(220, 20)
    label.show()
    shown = label.shown_text()
    assert "…" in shown and shown.endswith("visit.docx") and shown.startswith("/root")
    assert label.toolTip() == path and label.accessibleDescription() == path
    assert label.text() == path
