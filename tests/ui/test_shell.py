"""The window's frame: places, shortcuts, menus, settings, state, the error hook."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from evidence_app.ui.places import PLACES, PlaceUnavailable, load_factory
from evidence_app.ui.views.placeholder import ComingSoon

UI_MD = Path(__file__).resolve().parents[3] / "shared" / "design" / "UI.md"


def test_six_places_with_shortcuts(window, qtbot):
    assert [p.shortcut for p in PLACES] == [f"Ctrl+{i}" for i in range(1, 7)]
    window.activateWindow()
    qtbot.waitActive(window)
    for i, place in enumerate(PLACES, start=1):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{i}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_place() == place.key
        assert window.rail_buttons[place.key].isChecked()
        assert window.rail_buttons[place.key].accessibleName() == place.title


def test_an_absent_place_module_shows_coming_soon(window):
    from evidence_app.ui.places import Place

    fake = Place("nowhere", "Nowhere", "search", "", "evidence_app.ui.views.no_such_view:X", "x")
    with pytest.raises(PlaceUnavailable):
        load_factory(fake)
    page = window._make_place(fake)
    assert isinstance(page, ComingSoon)
    for place in PLACES[1:]:
        page = window.show_place(place.key)
        try:
            load_factory(place)
        except PlaceUnavailable:
            assert isinstance(page, ComingSoon)
        else:
            assert not isinstance(page, ComingSoon)


def test_keyboard_shortcuts_dialog_lists_every_shortcut_in_the_design(window, qtbot):
    from evidence_app.ui.views.help_dialogs import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    listed = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    if UI_MD.exists():
        section = UI_MD.read_text(encoding="utf-8").split("## Keyboard map", 1)[1].split("##")[0]
        wanted = set(re.findall(r"(?:Ctrl\+Shift\+|Ctrl\+|Shift\+|Alt\+)(?:F\d|[A-Z0-9])\b|\bF\d\b",
                                section))
        wanted |= {f"Ctrl+{i}" for i in range(1, 6)}  # written as Ctrl+1…5 in the design
        assert {"Ctrl+F", "Ctrl+T", "Ctrl+Shift+T", "F3", "Shift+F3", "F5", "Alt+P"} <= wanted
        assert wanted <= listed, wanted - listed


def test_menus_have_the_actions(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.reindex_action.shortcut().toString() == "F5"
    assert window.tag_action.shortcut().toString() == "Ctrl+T"


def test_settings_dialog_saves_to_the_workspace(window, qtbot):
    from evidence_app.core import settings as core_settings
    from evidence_app.ui.views.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert dialog.marking.currentText() == "OFFICIAL-SENSITIVE"
    dialog.author.setText("Priya Shah")
    dialog.time_limit.setValue(45)
    dialog.memory_limit.setValue(2048)
    dialog.save()
    ws = window.ctx.ws
    assert core_settings.author(ws) == "Priya Shah"
    assert ws.get_meta("limit.time_limit_s") == "45"
    assert ws.get_meta("limit.memory_limit_mb") == "2048"
    from evidence_app.core.index.indexer import limits_for

    assert limits_for(ws).time_limit_s == 45
    dialog2 = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog2)
    dialog2.author.setText("   ")
    dialog2.save()
    assert not dialog2.error.isHidden()
    assert core_settings.author(ws) == "Priya Shah"


def test_window_geometry_is_remembered(shell, window, qtbot):
    from evidence_app.ui import app_settings

    window.resize(700, 500)
    key = window._geometry_key()
    assert key.startswith("window/geometry/")  # one size per screen
    window.close()
    assert not app_settings.settings().value(key).isEmpty()


def test_every_control_has_an_accessible_name(window):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QLineEdit,
                                   QPlainTextEdit)

    missing = []
    widgets = [w for t in (QAbstractButton, QLineEdit, QAbstractItemView, QPlainTextEdit)
               for w in window.findChildren(t)]
    for w in widgets:
        if w.isVisibleTo(window) and not w.accessibleName() and w.objectName() != \
                "qt_scrollarea_viewport" and not w.inherits("QTabBar"):
            if type(w).__name__ in ("QToolButton",) and w.parent() is window.statusBar():
                continue
            missing.append(f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''}")
    assert not missing, missing


def test_error_hook_logs_to_the_workspace_and_hides_the_traceback(window, qtbot):
    from evidence_app.ui.errorhook import ErrorReporter

    reporter = ErrorReporter(show_dialogs=True)
    reporter.set_log_dir(window.ctx.ws.logs_dir)
    try:
        try:
            raise ValueError("kaboom in a slot")
        except ValueError:
            reporter.hook(*sys.exc_info())
        log = window.ctx.ws.logs_dir / "errors.log"
        text = log.read_text(encoding="utf-8")
        assert "Traceback" in text and "kaboom in a slot" in text
        box = reporter._dialog
        assert box is not None and box.isVisible()
        assert "Traceback" not in box.text() + box.informativeText()
        assert "errors.log" in box.informativeText()
        box.close()
    finally:
        reporter.uninstall()


def test_about_shows_the_version(window):
    from evidence_app import __version__
    from evidence_app.ui.views.help_dialogs import about_text

    assert __version__ in about_text()


def test_the_qt_binding_keeps_references_to_none_and_true(qtbot):
    """PySide6-Essentials 6.12.0 on Python 3.11 dropped a reference to None per void call and to
    True per emit, so Python aborted after a few thousand calls ("none_dealloc"); pyproject.toml
    keeps the binding below 6.12. This fails if a binding with that bug is ever installed."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel

    class Emitter(QObject):
        fired = Signal(bool)

    label = QLabel()
    qtbot.addWidget(label)
    emitter = Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("x")
        emitter.fired.emit(True)
    # the bug drops one per call (2,000 here); other threads ending move it by ~200
    assert sys.getrefcount(None) > none_before - 1000
    assert sys.getrefcount(True) > true_before - 1000


def test_a_workspace_held_elsewhere_opens_read_only_with_a_banner(shell, tmp_path, qtbot):
    import subprocess

    from evidence_app.core.workspace import Workspace

    Workspace.create(tmp_path / "held", "Held Borough").close()
    code = ("import sys, time; from pathlib import Path; from evidence_app.core.safety import lock; "
            "lock.acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)")
    other = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "held")],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        assert shell.open_workspace(tmp_path / "held")
        w = shell.window
        qtbot.waitExposed(w)
        assert w.ctx.ws.readonly
        assert w.banner.isVisible()
        assert "Read-only" in w.banner.label.text() and f"pid {other.pid}" in w.banner.label.text()
        qtbot.wait(300)
        assert not w.indexing.running  # nothing is written to a workspace held elsewhere
    finally:
        other.kill()
        other.wait(5)


def test_alt_p_opens_paragraph_tagging_for_the_previewed_document(indexed, qtbot):
    from evidence_app.ui.views.paragraph_tagger import ParagraphTagger

    window, _, _ = indexed
    view = window.search_view
    window.paragraph_action.trigger()  # nothing open yet: a hint, no dialog
    assert not window.findChildren(ParagraphTagger)
    qtbot.keyClicks(view.query_box, "strategy")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    view.select_row(0)
    qtbot.waitUntil(lambda: view.preview.hit is not None, timeout=10000)
    window.paragraph_action.trigger()
    dialogs = window.findChildren(ParagraphTagger)
    assert dialogs and dialogs[0].isVisible()
    assert dialogs[0].document_id == view.preview.hit.document_id
    dialogs[0].close()


def test_ctrl_e_goes_to_bundles_and_asks_for_a_bundle(window, qtbot):
    window.export_bundle_action.trigger()
    assert window.current_place() == "bundles"
