"""Counts read as English: "1 case", "2 cases"; the status bar's overview says what it counts."""
from __future__ import annotations

from evidence_app.core.store.records import IndexOverview
from evidence_app.ui.plain_words import files_overview, plural


def test_plural():
    assert plural(0, "case") == "0 cases"
    assert plural(1, "case") == "1 case"
    assert plural(1204, "document") == "1,204 documents"
    assert plural(1, "evidence item") == "1 evidence item"


def test_files_overview_names_what_it_counts():
    ov = IndexOverview((("damaged", 2), ("ok", 147), ("unsupported", 1)), 0, 3)
    assert files_overview(ov) == ("150 files in 3 folders: 147 searchable, 2 damaged, "
                                  "1 not supported — see Problems")
    ov = IndexOverview((("ok", 1),), 5, 1)
    assert files_overview(ov) == "1 file in 1 folder: 1 searchable (and 5 attachments inside them)"
    assert "No files yet" in files_overview(IndexOverview((), 0, 0))
    assert files_overview(IndexOverview((), 0, 2)) == "No files found yet in 2 folders."
    gone = IndexOverview((("missing", 3), ("ok", 2)), 0, 1)
    assert files_overview(gone) == ("2 files in 1 folder: 2 searchable; 3 no longer in their "
                                    "folder — see Problems")
    assert gone.searchable_documents == 2


def test_cases_place_says_1_case(tmp_path, qtbot):
    from evidence_app.core.evidence import cases
    from evidence_app.core.workspace import Workspace
    from evidence_app.ui.context import UiContext
    from evidence_app.ui.views.cases_view import CasesView

    ws = Workspace.create(tmp_path / "ws", "Test")
    cases.add_case(ws, "CH-000001", name="Test Child")
    view = CasesView(UiContext(ws))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
    assert view.count.text() == "1 case"
    ws.close()
