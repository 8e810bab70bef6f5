"""The Cases place: an imported CSV's cases in the table with a rejected row reported, the case
page's readiness ticks saved through the core (and undone), names only behind the toggle."""
from __future__ import annotations

import pytest

from evidence_app.core.evidence import cases
from evidence_app.ui.context import UiContext
from tests.factories import write_text
from tests.ui.evidence_fixtures import build_workspace


@pytest.fixture
def view(tmp_path, qtbot):
    from evidence_app.ui.views.cases_view import CasesView

    ws, docs = build_workspace(tmp_path)
    ctx = UiContext(ws)
    v = CasesView(ctx)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.show()
    qtbot.waitUntil(lambda: not v.loading, timeout=10000)
    yield v
    ws.close()


def idle(qtbot, view):
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)


def table_refs(view):
    return [view.model.index(r, 0).data() for r in range(view.model.rowCount())]


def test_import_csv_with_mapping_and_rejected_row(view, qtbot, tmp_path):
    from evidence_app.ui.views.case_import_dialog import CaseImportDialog

    csv = write_text(tmp_path / "sample.csv",
                     "Child ID,Child name,Allocated worker,Team,Category,Picked for audit,Notes\n"
                     "CH-000303,Robin Test,Ali Khan,Leaving Care,care leaver,yes,x\n"
                     "CH-000404,Sky Test,Sam Patel,Assessment North,CIN,no,y\n"
                     ",No Ref,Jo Brown,Children in Care,CIC,no,z\n"
                     "CH-000505,Bad Status,Jo Brown,Children in Care,martian,no,z\n")
    dialog = CaseImportDialog(view.ctx, csv, view)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and bool(dialog.headers), timeout=10000)
    assert dialog.proposed["Child ID"] == "reference"
    assert dialog.proposed["Category"] == "status"
    assert "Picked for audit" not in dialog.proposed  # not a known header: the person maps it
    dialog.set_field("Picked for audit", "sampled")
    assert dialog.overrides() == {"Picked for audit": "sampled"}
    dialog.run_import(dry_run=True)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.report.dry_run and len(dialog.report.added) == 2
    assert cases.list_cases(view.ctx.ws)[-1].ref == "CH-000202"  # nothing written yet
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.run_import(dry_run=False)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    report = dialog.report
    assert report.added == ["CH-000303", "CH-000404"]
    assert [r.row for r in report.rejected] == [4, 5]
    # one line per reason: how many, why, the first rows
    assert dialog.rejected.rowCount() == 2
    assert dialog.rejected.item(0, 0).text() == "1"
    assert dialog.rejected.item(0, 2).text() == "4"
    assert "no case reference" in dialog.rejected.item(0, 1).text()
    assert "martian" in dialog.rejected.item(1, 1).text()
    assert dialog.save_rejected.isVisibleTo(dialog)
    saved = dialog.save_rejected_rows(str(tmp_path / "rejected.csv"))
    text = saved.read_text(encoding="utf-8-sig")
    assert "martian" in text and "Why it was not imported" in text
    assert "2 were added" in dialog.summary.text() and "2 rejected" in dialog.summary.text()
    idle(qtbot, view)
    assert table_refs(view) == ["CH-000101", "CH-000202", "CH-000303", "CH-000404"]
    assert cases.get_case(view.ctx.ws, "CH-000303").sampled is True
    # the real name never appears in the table
    texts = {view.model.index(r, c).data() for r in range(4) for c in range(7)}
    assert "Robin Test" not in texts and "Jamie Example" not in texts


def test_readiness_tick_persists_and_undoes(view, qtbot):
    view.select_case("CH-000101")
    idle(qtbot, view)
    page = view.page
    assert page.ref == "CH-000101"
    assert "Child protection (CP)" in page.details.text()
    assert page.documents.count() == 2
    box = page.checks["chronology"]
    assert not box.isChecked()
    with qtbot.waitSignal(view.loaded, timeout=10000):
        box.click()
    idle(qtbot, view)
    state = {r.item: r.done for r in cases.readiness(view.ctx.ws, "CH-000101")}
    assert state["chronology"] is True and state["plan"] is False
    assert page.checks["chronology"].isChecked()
    assert "1 of 6" in page.ready_box.title()
    view.ctx.undo.undo()
    idle(qtbot, view)
    state = {r.item: r.done for r in cases.readiness(view.ctx.ws, "CH-000101")}
    assert state["chronology"] is False
    assert not page.checks["chronology"].isChecked()


def test_name_behind_toggle_filter_and_caseloads(view, qtbot):
    view.select_case("CH-000101")
    idle(qtbot, view)
    assert view.page.name_label.text() == ""
    view.page.show_name.setChecked(True)
    assert view.page.name_label.text() == "Jamie Example"
    view.select_case("CH-000202")
    idle(qtbot, view)
    assert view.page.ref == "CH-000202" and view.page.name_label.text() == ""
    view.filter.setText("care")
    assert table_refs(view) == ["CH-000202"]
    view.filter.clear()
    view.sampled_only.setChecked(True)
    assert table_refs(view) == ["CH-000101"]
    workers = {view.by_worker.index(r, 0).data(): view.by_worker.index(r, 1).data()
               for r in range(view.by_worker.rowCount())}
    assert workers == {"Sam Patel": "1", "Jo Brown": "1"}


def test_add_case_dialog_saves_through_core(view, qtbot):
    from evidence_app.ui.views.case_edit_dialog import CaseEditDialog

    dialog = CaseEditDialog(view.ctx, None, view)
    qtbot.addWidget(dialog)
    dialog.ref_edit.setText("ch-000909")
    dialog.worker.setText("Ali Khan")
    dialog.status.setCurrentIndex(dialog.status.findData("CIN"))
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    case = cases.get_case(view.ctx.ws, "CH-000909")
    assert case.worker == "Ali Khan" and case.status == "CIN" and case.alias
    dup = CaseEditDialog(view.ctx, None, view)
    qtbot.addWidget(dup)
    dup.ref_edit.setText("CH-000909")
    dup.accept()
    assert "already exists" in dup.message.text()


def test_ctrl_z_in_the_window_undoes_a_readiness_tick_and_ctrl_y_redoes_it(window, qtbot):
    """The real window: tick a readiness item on the case page, press Ctrl+Z, the tick is gone
    from the database and the page; Ctrl+Y brings it back (the core's Done, not a view's step)."""
    from PySide6.QtCore import Qt

    ws = window.ctx.ws
    cases.add_case(ws, "CH-000101", sampled=True, worker="Sam Patel")
    view = window.show_place("cases")
    qtbot.waitUntil(lambda: view.page.ref == "CH-000101" and not view.loading, timeout=10000)
    box = view.page.checks["voice"]
    assert not box.isChecked()
    box.click()
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)

    def ticked() -> bool:
        return {r.item: r.done for r in cases.readiness(ws, "CH-000101")}["voice"]

    assert ticked() and box.isChecked()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not ticked() and not box.isChecked(), timeout=10000)
    assert "0 of 6" in view.page.ready_box.title()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ticked() and box.isChecked(), timeout=10000)
    by = {r.item: r.by for r in cases.readiness(ws, "CH-000101")}["voice"]
    assert by  # redone as the same tick: who ticked it is kept
