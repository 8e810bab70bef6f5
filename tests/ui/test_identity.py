"""First run asks who you are (name and team, for Prepared by), never the login name silently;
changeable in Settings."""
from __future__ import annotations

import getpass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core import settings as core_settings


def _identity_dialog(shell=None):
    """The question the shell's current window asked (not one left over from another test)."""
    from evidence_app.ui.views.identity_dialog import IdentityDialog

    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, IdentityDialog) and w.isVisible()
                 and (shell is None or w.parentWidget() is shell.window)), None)


def test_first_run_asks_name_and_team_and_prepared_by_uses_them(shell, tmp_path, qtbot):
    shell.ask_identity = True
    assert shell.create_workspace(tmp_path / "ws", "Test Borough")
    window = shell.window
    qtbot.waitUntil(lambda: _identity_dialog(shell) is not None, timeout=5000)
    dialog = _identity_dialog(shell)
    ws = window.ctx.ws
    assert core_settings.prepared_by(ws) == ""  # nothing taken from the login name
    assert dialog.person.text() != getpass.getuser() or not dialog.person.text()
    # by keyboard: type the name, Tab to the team, Enter saves
    qtbot.keyClicks(dialog.person, "Priya Shah")
    qtbot.keyClick(dialog.person, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.team, "Quality Assurance")
    qtbot.keyClick(dialog.team, Qt.Key.Key_Return)
    assert core_settings.prepared_by(ws) == "Priya Shah, Quality Assurance"
    assert "Prepared by Priya Shah, Quality Assurance" in window.notice.text()
    window.close()
    # the next new workspace offers the same person (pre-filled, still asked)
    assert shell.create_workspace(tmp_path / "ws2", "Second")
    qtbot.waitUntil(lambda: _identity_dialog(shell) is not None, timeout=5000)
    second = _identity_dialog(shell)
    assert second.person.text() == "Priya Shah" and second.team.text() == "Quality Assurance"
    assert core_settings.prepared_by(shell.window.ctx.ws) == ""
    second.reject()


def test_an_empty_name_is_refused_with_a_message(shell, tmp_path, qtbot):
    shell.ask_identity = True
    assert shell.create_workspace(tmp_path / "ws", "Test Borough")
    qtbot.waitUntil(lambda: _identity_dialog(shell) is not None, timeout=5000)
    dialog = _identity_dialog(shell)
    dialog.person.setText("   ")
    dialog.accept()
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert core_settings.person_name(shell.window.ctx.ws) is None
    dialog.reject()


def test_settings_change_name_and_team(window, qtbot):
    from evidence_app.ui.views.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.author.setText("Sam Patel")
    dialog.team.setText("Front Door")
    dialog.save()
    assert core_settings.prepared_by(window.ctx.ws) == "Sam Patel, Front Door"
    assert window.ask_identity() is None  # known now: not asked again
