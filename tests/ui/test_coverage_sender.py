"""Framework & coverage's "From:" choice: hidden until a pack has been imported, then everyone /
this workspace's person / each sender; choosing one recounts the tree, gaps and cell lists."""
from __future__ import annotations

from evidence_app.core.packs import export, importer
from evidence_app.ui.context import UiContext
from tests.core.packs.conftest import REVIEW, VISIT, doc, make_ws, tag
from tests.factories import write_docx, write_text


def _counts(view, enquiry):
    index = view.tree_model.find(enquiry)
    return [index.siblingAtColumn(c).data() for c in range(1, 5)]


def _open(ws, qtbot):
    from evidence_app.ui.views.coverage_view import CoverageView

    v = CoverageView(UiContext(ws))
    qtbot.addWidget(v)
    v.resize(1366, 768)
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.show()
    return v


def test_from_choice_filters_coverage_by_sender(tmp_path, qtbot):
    shared = tmp_path / "shared" / "case-files"
    write_text(shared / "CH-004512" / "Visits" / "visit.txt", VISIT)
    write_docx(shared / "CH-000777" / "review.docx", REVIEW, title="CIC review")
    alice, mgr = make_ws(tmp_path, "Alice", shared), make_ws(tmp_path, "Manager", shared)
    try:
        tag(alice, doc(shared), ["HP-06"], quote="feels safe with her grandmother",
            strength="strong")
        tag(mgr, doc(shared, "review"), ["HP-15"], quote="IRO challenged drift")
        before = _open(mgr, qtbot)
        assert before.sender.isHidden()  # nothing imported: no choice to make
        export.export_pack(alice, tmp_path / "alice.evpack")
        importer.import_packs(mgr, [tmp_path / "alice.evpack"]).value

        view = _open(mgr, qtbot)
        assert not view.sender.isHidden()
        assert [view.sender.itemText(i) for i in range(view.sender.count())] == \
            ["everyone", "Manager", "Alice"]
        assert _counts(view, "HP-06") == ["1", "0", "0", "1"]
        assert _counts(view, "HP-15") == ["0", "1", "0", "1"]
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.sender.setCurrentIndex(2)
            view.sender.activated.emit(2)
        assert _counts(view, "HP-06") == ["1", "0", "0", "1"]
        assert _counts(view, "HP-15") == ["0", "0", "0", "0"]
        assert "from Alice" in view.summary.text()
        view.show_enquiry("HP-15")
        qtbot.waitUntil(lambda: "HP-15 from Alice: 0 items" in view.items_label.text(),
                        timeout=10000)
        with qtbot.waitSignal(view.loaded, timeout=10000):
            view.sender.setCurrentIndex(1)
            view.sender.activated.emit(1)
        assert _counts(view, "HP-06") == ["0", "0", "0", "0"]
        assert _counts(view, "HP-15") == ["0", "1", "0", "1"]
        qtbot.waitUntil(lambda: "HP-15 from Manager: 1 item" in view.items_label.text(),
                        timeout=10000)
        assert view.sender.currentText() == "Manager"  # the choice survives the reload
    finally:
        alice.close()
        mgr.close()
