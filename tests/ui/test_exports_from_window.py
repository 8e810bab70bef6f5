"""Exports from the window: File ▸ Export spreadsheet offers the tracker, coverage and evidence
list; files default to Documents/Evidence Organiser (remembered); an existing file offers
Replace / Keep both / Cancel; the result speaks of a fingerprint in plain words."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from evidence_app.ui import save_location


@pytest.fixture
def answer():
    answers: list[str] = []
    save_location.answer_existing = lambda path: answers.pop(0)
    yield answers
    save_location.answer_existing = None


def test_file_menu_offers_the_three_spreadsheets(window):
    texts = {a.text().replace("&", "") for a in window.sheet_actions.values()}
    assert texts == {"Week-one request tracker…", "Coverage…", "Evidence list…"}
    file_menu = window.menuBar().actions()[0].menu()
    titles = [a.text() for a in file_menu.actions()]
    assert "Export spreadsheet" in titles


@pytest.mark.parametrize("which", ["tracker", "coverage", "evidence"])
def test_each_spreadsheet_exports_to_documents_by_default(window, qtbot, which, answer):
    dialog = window.export_sheet(which)
    qtbot.addWidget(dialog)
    out = Path(dialog.path.text())
    assert out.parent == save_location.documents_folder() / "Evidence Organiser"
    assert ".evidence" not in str(out) and str(window.ctx.root) not in str(out)
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.start()
    assert out.is_file()
    openpyxl.load_workbook(out).close()
    assert "fingerprint" in dialog.status.text().lower()
    assert "SHA-256" not in dialog.status.text()
    # again: Keep both writes "Name (2).xlsx" beside it; Cancel writes nothing; Replace replaces
    answer.append(save_location.KEEP_BOTH)
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.start()
    second = out.with_name(f"{out.stem} (2).xlsx")
    assert second.is_file() and Path(dialog.path.text()) == second
    dialog.path.setText(str(out))
    answer.append(save_location.CANCEL)
    dialog.start()
    assert not dialog.busy and not out.with_name(f"{out.stem} (3).xlsx").exists()
    answer.append(save_location.REPLACE)
    before = out.stat().st_mtime_ns
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.start()
    assert Path(dialog.path.text()) == out and out.stat().st_mtime_ns >= before


def test_the_chosen_folder_is_remembered(window, qtbot, tmp_path):
    dialog = window.export_sheet("tracker")
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "elsewhere" / "tracker.xlsx"))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.start()
    again = window.export_sheet("coverage")
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == tmp_path / "elsewhere"


def test_keep_both_names():
    import tempfile

    folder = Path(tempfile.mkdtemp())
    f = folder / "Bundle.docx"
    f.write_text("x")
    assert save_location.keep_both_name(f).name == "Bundle (2).docx"
    (folder / "Bundle (2).docx").write_text("x")
    assert save_location.keep_both_name(f).name == "Bundle (3).docx"
