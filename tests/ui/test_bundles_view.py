"""Bundles: create one through the view, move items by the drag's own path (dropMimeData) and by
moveRows, see the order in the database, undo it; export to Word in the background."""
from __future__ import annotations

import pytest
from evidence_app.ui.models.bundle_model import ITEM_ROLE

from evidence_app.core.bundles import bundles
from evidence_app.core.evidence import evidence
from evidence_app.core import settings
from evidence_app.ui.context import UiContext
from tests.ui.evidence_fixtures import build_workspace


@pytest.fixture
def view(tmp_path, qtbot):
    from evidence_app.ui.views.bundles_view import BundlesView

    ws, docs = build_workspace(tmp_path)
    settings.set_author(ws, "Priya Shah")
    def tag(*args, **kwargs):
        return evidence.tag(*args, **kwargs).value
    items = [tag(ws, docs["Strategy meeting 12-03-2026"], enquiries=["HP-04"],
                 quote="section 47 enquiry was needed", strength="strong"),
             tag(ws, docs["Home visit"], enquiries=["HP-04"], strength="moderate",
                 note="Seen alone"),
             tag(ws, docs["Supervision"], enquiries=["HP-04"], strength="weak"),
             tag(ws, docs["Supervision"], enquiries=["LEAD-11"], strength="strong")]
    ctx = UiContext(ws)
    v = BundlesView(ctx)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.show()
    v.items = [i.id for i in items]
    yield v
    ws.close()


def idle(qtbot, view):
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)


def order(view):
    b = bundles.get_bundle(view.ctx.ws, view.bundle_id)
    return [(s.ref, list(s.items)) for s in b.sections]


def make_bundle(view, qtbot):
    from evidence_app.ui.views.bundle_create_dialog import BundleCreateDialog

    dialog = BundleCreateDialog(view.ctx.ws, view)
    qtbot.addWidget(dialog)
    dialog.title.setText("Help and protection")
    dialog.by.setCurrentIndex(dialog.by.findData("enquiry"))
    dialog.tick("HP-04")
    dialog.tick("LEAD-11")
    params = dialog.params()
    assert params["enquiries"] == ["LEAD-11", "HP-04"]
    view.create(**params)
    qtbot.waitUntil(lambda: view.bundle_id is not None and view.model.rowCount() == 2,
                    timeout=10000)
    idle(qtbot, view)


def test_create_then_drag_to_reorder_and_undo(view, qtbot):
    a, b, c, d = view.items
    make_bundle(view, qtbot)
    assert view.heading.text() == "Help and protection"
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [a, b, c])]
    model = view.model
    hp = model.index(1, 0)
    assert model.index(0, 0, hp).data().startswith("E-002")
    # drag c (E-004) onto a's place (drop "on" an item inserts before it)
    mime = model.mimeData([model.index(2, 0, hp)])
    assert model.dropMimeData(mime, model.supportedDropActions(), -1, 0, model.index(0, 0, hp))
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [c, a, b])]
    idle(qtbot, view)
    assert model.index(0, 0, model.index(1, 0)).data(ITEM_ROLE) == c
    # drag b into the first section, between sections' rows
    mime = model.mimeData([model.index(2, 0, model.index(1, 0))])
    assert model.dropMimeData(mime, model.supportedDropActions(), 0, 0, model.index(0, 0))
    assert order(view) == [("LEAD-11", [b, d]), ("HP-04", [c, a])]
    idle(qtbot, view)
    view.ctx.undo.undo()
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [c, a, b])]
    view.ctx.undo.undo()
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [a, b, c])]
    view.ctx.undo.redo()
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [c, a, b])]


def test_move_rows_keyboard_nudge_and_remove(view, qtbot):
    a, b, c, d = view.items
    make_bundle(view, qtbot)
    model = view.model
    hp = model.index(1, 0)
    assert model.moveRows(hp, 0, 1, hp, 3)  # a to the end
    assert order(view)[1] == ("HP-04", [b, c, a])
    idle(qtbot, view)
    view.tree.setCurrentIndex(model.find_item(b))
    view.nudge(-1)  # at the top of its section: into the end of the one above
    assert order(view) == [("LEAD-11", [d, b]), ("HP-04", [c, a])]
    idle(qtbot, view)
    assert view.current_item() == b
    view.remove_selected()
    assert order(view) == [("LEAD-11", [d]), ("HP-04", [c, a])]
    view.ctx.undo.undo()
    assert order(view) == [("LEAD-11", [d, b]), ("HP-04", [c, a])]
    idle(qtbot, view)
    view.tree.setCurrentIndex(model.find_item(c))
    assert "section 47 enquiry was needed" not in view.preview.toPlainText()
    view.tree.setCurrentIndex(model.find_item(a))
    assert "section 47 enquiry was needed" in view.preview.toPlainText()


def test_export_dialog_writes_docx_in_background(view, qtbot, tmp_path):
    import docx

    make_bundle(view, qtbot)
    dialog = view.export_dialog()
    qtbot.addWidget(dialog)
    from pathlib import Path

    from evidence_app.ui import save_location

    # by default into Documents/Evidence Organiser, not the hidden workspace folder
    assert Path(dialog.path.text()).parent == save_location.documents_folder() / "Evidence Organiser"
    out = tmp_path / "out" / "Help and protection.docx"
    dialog.path.setText(str(out))
    dialog.pseudonymise.setChecked(True)
    dialog.marking.setCurrentText("OFFICIAL")
    with qtbot.waitSignal(dialog.exported, timeout=60000):
        dialog.start()
        assert dialog.busy and not dialog.progress.isHidden()  # the window stays responsive
    assert out.is_file() and not dialog.busy
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "section 47 enquiry was needed" in text
    assert "Jamie Example" not in text
    assert dialog.open_button.isVisible() and dialog.folder_button.isVisible()
    assert out.name in dialog.status.text() and str(out.parent) in dialog.status.text()
    assert "fingerprint" in dialog.status.text().lower()
    assert "SHA-256" not in dialog.status.text()  # details only on request
    assert dialog.details_button.isVisible() and "SHA-256" in dialog.details_text
    stored = bundles.get_bundle(view.ctx.ws, view.bundle_id)
    assert stored.marking == "OFFICIAL" and stored.pseudonymise is True
    assert bundles.exports(view.ctx.ws, view.bundle_id)[0].path == str(out)
    # exporting again over the same file, answering "replace"
    with qtbot.waitSignal(dialog.exported, timeout=60000):
        dialog.start(overwrite=True)
    assert len(bundles.exports(view.ctx.ws, view.bundle_id)) == 2
