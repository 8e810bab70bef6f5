"""The settings dialog only shows and edits the core's Settings: the default marking chosen there
is the marking of the next bundle made in the window."""
from __future__ import annotations

from evidence_app.core import settings
from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import evidence
from evidence_app.ui.context import UiContext
from tests.ui.evidence_fixtures import build_workspace


def test_marking_chosen_in_settings_is_the_next_bundles_marking(tmp_path, qtbot):
    from evidence_app.ui.views.bundle_create_dialog import BundleCreateDialog
    from evidence_app.ui.views.bundles_view import BundlesView
    from evidence_app.ui.views.settings_dialog import SettingsDialog

    ws, docs = build_workspace(tmp_path)
    try:
        evidence.tag(ws, docs["Home visit"], enquiries=["HP-04"], strength="strong")
        ctx = UiContext(ws)
        dialog = SettingsDialog(ctx)
        qtbot.addWidget(dialog)
        assert dialog.marking.currentText() == "OFFICIAL-SENSITIVE"
        dialog.author.setText("Priya Shah")
        dialog.marking.setCurrentText("official")
        dialog.save()
        assert dialog.error.isHidden()
        assert settings.load(ws).default_marking == "OFFICIAL"
        assert SettingsDialog(ctx).marking.currentText() == "OFFICIAL"  # shown as stored

        view = BundlesView(ctx)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.show()
        create = BundleCreateDialog(ws, view)
        qtbot.addWidget(create)
        create.title.setText("Help and protection")
        create.by.setCurrentIndex(create.by.findData("enquiry"))
        create.tick("HP-04")
        view.create(**create.params())
        qtbot.waitUntil(lambda: view.bundle_id is not None, timeout=10000)
        assert bundles.get_bundle(ws, view.bundle_id).marking == "OFFICIAL"
    finally:
        ws.close()


def test_a_refused_limit_or_name_stores_nothing(tmp_path, qtbot):
    from evidence_app.ui.views.settings_dialog import SettingsDialog

    ws, _docs = build_workspace(tmp_path)
    try:
        dialog = SettingsDialog(UiContext(ws))
        qtbot.addWidget(dialog)
        dialog.author.setText("   ")
        dialog.marking.setCurrentText("OFFICIAL")
        dialog.time_limit.setValue(90)
        dialog.save()
        assert not dialog.error.isHidden() and "name" in dialog.error.text()
        s = settings.load(ws)
        assert (s.default_marking, s.time_limit_s) == ("OFFICIAL-SENSITIVE", 30.0)
    finally:
        ws.close()
