"""The framework place: counts follow tagging, heat-map cells list their evidence, framework edits
are saved through the core and undone through ctx.undo."""
from __future__ import annotations

import pytest

from evidence_app.core.evidence import evidence, framework
from evidence_app.ui.context import UiContext
from tests.ui.evidence_fixtures import build_workspace


@pytest.fixture
def view(tmp_path, qtbot):
    from evidence_app.ui.views.coverage_view import CoverageView

    ws, docs = build_workspace(tmp_path)
    ctx = UiContext(ws)
    v = CoverageView(ctx)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.show()
    v.docs = docs
    yield v
    ws.close()


def _counts(view, enquiry):
    index = view.tree_model.find(enquiry)
    return [index.siblingAtColumn(c).data() for c in range(1, 6)]


def wait_idle(qtbot, view):
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)


def test_tree_counts_change_after_tagging(view, qtbot):
    ws = view.ctx.ws
    assert _counts(view, "HP-04") == ["0", "0", "0", "0", "No evidence"]
    gaps_before = len(view.data.coverage.gaps)
    from evidence_app.ui.views.tag_dialog import TagDialog

    dialog = TagDialog(view.ctx, view.docs["Strategy meeting 12-03-2026"],
                       quote="section 47 enquiry was needed")
    qtbot.addWidget(dialog)
    dialog.tick("HP-04")
    dialog.set_strength("strong")
    dialog.set_kind("strength")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()  # ctx.changed({"evidence"}) -> the view reloads
    assert _counts(view, "HP-04") == ["1", "0", "0", "1", "1 strong item"]
    assert len(view.data.coverage.gaps) == gaps_before - 1
    evidence.tag(ws, view.docs["Home visit"], enquiries=["HP-04"], strength="weak").value
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.ctx.changed({"evidence"})
    assert _counts(view, "HP-04") == ["1", "0", "1", "2", "1 strong item"]


def test_heat_map_cell_lists_its_evidence(view, qtbot):
    ws, docs = view.ctx.ws, view.docs
    a = evidence.tag(ws, docs["Strategy meeting 12-03-2026"], enquiries=["HP-04"], strength="strong").value
    evidence.tag(ws, docs["Home visit"], enquiries=["HP-04"], strength="moderate").value
    c = evidence.tag(ws, docs["Supervision"], enquiries=["HP-04", "LEAD-05"], strength="weak").value
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.ctx.changed({"evidence"})
    model = view.heat_model
    assert list(model.groups) == ["CH-000101", "CH-000202"]
    row = [r.enquiry for r in model.rows].index("HP-04")
    cell = model.index(row, 0)
    assert cell.data() == "1 / 2"
    view.heat.clicked.emit(cell)
    wait_idle(qtbot, view)
    assert sorted(view.items_model.ids) == sorted([a.id, a.id + 1])
    assert "HP-04 × CH-000101: 2 items" in view.items_label.text()
    view.heat.clicked.emit(model.index(row, 1))
    wait_idle(qtbot, view)
    assert view.items_model.ids == [c.id]

    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.dimension.setCurrentIndex(view.dimension.findData("team"))
    assert list(view.heat_model.groups) == ["Assessment North", "Children in Care"]
    view.heat.clicked.emit(view.heat_model.index(row, 1))
    wait_idle(qtbot, view)
    assert view.items_model.ids == [c.id]
    assert "Supervision" in view.items_model.index(0, 1).data()


def test_framework_edits_are_saved_and_undoable(view, qtbot):
    ws = view.ctx.ws
    ident = view.add_enquiry("HP", "Private fostering arrangements")
    assert ident == "HP-16"
    wait_idle(qtbot, view)
    assert view.tree_model.find("HP-16").isValid()
    view.rename_enquiry("HP-16", "Private fostering")
    assert framework.get(ws, "HP-16")[1].title == "Private fostering"
    wait_idle(qtbot, view)
    view.tree.setCurrentIndex(view.tree_model.find("HP-16"))
    view.move(-1)
    order = [e.id for e in framework.enquiries(ws, area="HP")]
    assert order[-2:] == ["HP-16", "HP-15"]
    wait_idle(qtbot, view)
    assert view.current_enquiry() == "HP-16"
    view.ctx.undo.undo()
    assert [e.id for e in framework.enquiries(ws, area="HP")][-2:] == ["HP-15", "HP-16"]
    view.ctx.undo.undo()
    assert framework.get(ws, "HP-16")[1].title == "Private fostering arrangements"
    wait_idle(qtbot, view)
    view.tree.setCurrentIndex(view.tree_model.find("HP-03"))
    view.toggle_retired()
    assert "HP-03" not in [e.id for e in framework.enquiries(ws)]
    view.ctx.undo.undo()
    assert "HP-03" in [e.id for e in framework.enquiries(ws)]
    wait_idle(qtbot, view)
    view.ctx.undo.undo()  # the added line goes
    assert "HP-16" not in [e.id for e in framework.enquiries(ws, include_retired=True)]


def test_framework_editing_is_an_explicit_mode(view, qtbot):
    from PySide6.QtWidgets import QAbstractItemView

    tools = (view.add_button, view.rename_button, view.up_button, view.down_button,
             view.retire_button)
    assert not any(b.isVisible() for b in tools)  # shown to nobody by default
    assert view.tree.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    view.edit_mode.click()
    assert all(b.isVisible() for b in tools)
    assert view.tree.editTriggers() & QAbstractItemView.EditTrigger.EditKeyPressed
    view.edit_mode.click()
    assert not any(b.isVisible() for b in tools)


def test_area_titles_are_whole_and_heat_map_columns_name_the_child(view, qtbot):
    from PySide6.QtCore import Qt

    from evidence_app.core.evidence import cases

    area = view.tree_model.index(1, 0)
    title = area.data()
    assert len(title) > 40 and "…" not in title
    # cut in the middle when narrow, so the ends that tell areas apart stay; whole on hover
    assert view.tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert title.split(" — ", 1)[1] in area.data(Qt.ItemDataRole.ToolTipRole)
    ws = view.ctx.ws
    alias = cases.get_case(ws, "CH-000101").alias
    evidence.tag(ws, view.docs["Home visit"], enquiries=["HP-04"], strength="weak").value
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.ctx.changed({"evidence"})
    heads = [view.heat_model.headerData(c, Qt.Orientation.Horizontal)
             for c in range(view.heat_model.columnCount())]
    assert f"{alias}\nCH-000101" in heads
