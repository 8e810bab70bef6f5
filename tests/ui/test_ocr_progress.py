"""The window reads scanned pages after the fast pass: "reading scanned pages: N of M" with
Cancel in the status bar, the text arrives in search, poor scans are listed in Problems as "scan
hard to read", and "Read again with OCR" reads a file's scans again."""
from __future__ import annotations

from evidence_app.samples.writers.scan import write_scanned_pages
from tests.ui.conftest import wait_indexed


def _scans(folder):
    folder.mkdir(parents=True, exist_ok=True)
    pages = [[f"Court bundle page {n}", f"The Oakhollow hearing, part {n}"] for n in range(1, 7)]
    (folder / "court bundle.pdf").write_bytes(write_scanned_pages(pages, "scan", seed="ui"))
    (folder / "letter photo.jpg").write_bytes(write_scanned_pages(
        [["Letter from Dr Harrowdene about the dental check"]], "photo", seed="ui2"))
    return folder


def test_scanned_pages_are_read_after_the_fast_pass_with_progress(window, tmp_path, qtbot):
    from evidence_app.core.search.search import search

    folder = _scans(tmp_path / "sources" / "scans")
    labels: list[str] = []
    window.indexing.progress.connect(lambda p: labels.append(window.status.label.text()))
    with qtbot.waitSignal(window.indexing.scansFinished, timeout=240000):
        assert window.add_source_folder(folder, "case-files") is None
    ocr_labels = [t for t in labels if t.startswith("reading scanned pages: ")]
    assert ocr_labels and ocr_labels[-1].startswith("reading scanned pages: 7 of 7")
    assert "Scanned pages read by OCR: 7" in window.status.label.text()
    hits = search(window.ctx.ws, "Harrowdene").hits
    assert hits and hits[0].name == "letter photo.jpg"
    hit = search(window.ctx.ws, '"Oakhollow hearing, part 4"').hits[0]
    assert (hit.name, hit.page) == ("court bundle.pdf", 4)


def test_cancel_stops_reading_scans_and_says_how_to_finish(window, tmp_path, qtbot):
    folder = _scans(tmp_path / "sources" / "scans")
    started = []
    window.indexing.progress.connect(
        lambda p: started.append(p) if p.stage == "ocr" else None)
    assert window.add_source_folder(folder, "case-files") is None
    qtbot.waitUntil(lambda: bool(started), timeout=120000)
    assert window.status.cancel.isVisible()
    with qtbot.waitSignal(window.indexing.scansFinished, timeout=120000) as finished:
        window.status.cancel.click()
    assert finished.args[0].cancelled
    qtbot.waitUntil(lambda: "Reading scanned pages stopped" in window.status.label.text(),
                    timeout=10000)
    assert "Re-index now (F5)" in window.status.label.text()


def test_a_hard_to_read_scan_is_in_problems_and_can_be_read_again(window, tmp_path, qtbot):
    folder = tmp_path / "sources" / "scans"
    folder.mkdir(parents=True)
    (folder / "smudged fax.tif").write_bytes(write_scanned_pages(
        [["Police notification about Bellweather"]], "fax", seed="ui3"))
    with qtbot.waitSignal(window.indexing.scansFinished, timeout=120000):
        assert window.add_source_folder(folder, "case-files") is None
    ws = window.ctx.ws
    # what the engine reports for a smudged page (a real low reading depends on the scan)
    ws.db.conn.execute("UPDATE ocr_pages SET confidence = 28")
    window.refresh_problems()
    dialog = window.open_problems()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=10000)
    item = dialog.tree.topLevelItem(0)
    assert (item.text(0), item.text(1)) == ("smudged fax.tif", "Scan hard to read")
    assert item.text(2).startswith("scan hard to read: OCR was unsure of page 1 (28%)")
    qtbot.waitUntil(lambda: window.status.problems.text() == "Problems (1)", timeout=10000)
    assert not dialog.read_ocr.isEnabled()
    item.setSelected(True)
    assert dialog.read_ocr.isEnabled()
    with qtbot.waitSignal(window.indexing.scansFinished, timeout=120000):
        dialog.read_ocr.click()
    wait_indexed(qtbot, window)
    # read again: the engine's own confidence replaces the smudge
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0, timeout=20000)
