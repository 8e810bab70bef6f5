"""The preview's parts, each doing its one job: the header says where the hit is and why the text
may be incomplete, the bar fits a narrow pane with icons, the highlights find evidence passages
in the text; and a file that could not be read shows its reason when opened from a search."""
from __future__ import annotations

from evidence_app.core.search.search import SearchHit
from evidence_app.core.store.records import Chunk, Document
from evidence_app.ui.preview_text import build_preview
from evidence_app.ui.views.preview_header import PreviewHeader, evidence_note, unread_note
from evidence_app.ui.views.preview_toolbar import PreviewToolbar


def _doc(status: str, reason: str | None) -> Document:
    return Document(1, "u1", 1, None, "/cases/a.docx", "", "a.docx", "a.docx", None, "docx", 1,
                    0.0, None, status, reason, 1, None, 10, None, 0, 1, None, None, None)


def _hit(path: str, member: str = "") -> SearchHit:
    return SearchHit(1, path, member, "Strategy meeting", "a.docx", "docx", "ok", "CH-000123", 2,
                     "", 1.0, None, 1)


def test_the_header_names_the_place_and_every_note(qtbot):
    header = PreviewHeader()
    qtbot.addWidget(header)
    header.show_hit(_hit("/cases/a.eml", "minutes.docx"))
    assert header.title.text() == "Strategy meeting"
    assert header.meta.text() == "CH-000123 · p. 2 · /cases/a.eml › minutes.docx"
    damaged = _doc("damaged", "The file is damaged; its last readable text is still searchable.")
    notes = "\n".join(n for n in (unread_note(damaged), evidence_note(2)) if n)
    header.show_hit(_hit("/cases/a.docx"), notes)
    assert header.meta.text().splitlines() == [
        "CH-000123 · p. 2 · /cases/a.docx",
        "The file is damaged; its last readable text is still searchable.",
        "2 passages here are already evidence (shaded; hover to see the lines of enquiry)."]
    assert unread_note(_doc("ok", "Text read by OCR.")) == "" and unread_note(None) == ""
    assert evidence_note(0) == "" and evidence_note(1).startswith("1 passage here is already")
    header.clear()
    assert header.title.text() == header.meta.text() == ""


def test_a_name_that_is_not_unicode_is_shown_readably(qtbot):
    from evidence_app.core.base.fsnames import to_store

    header = PreviewHeader()
    qtbot.addWidget(header)
    header.show_hit(_hit(to_store("/cases/Caf\udce9 notes.txt")))
    assert header.meta.text().endswith("/cases/Café notes.txt")


def test_the_bar_shows_icons_alone_when_the_pane_is_narrow(qtbot):
    from PySide6.QtCore import Qt

    bar = PreviewToolbar()
    qtbot.addWidget(bar)
    bar.show()
    bar.fit(2000)
    assert bar.tag_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    bar.fit(200)
    assert bar.tag_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert bar.open_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert bar.tag_button.accessibleName() == "Tag selection…"  # still named for screen readers
    bar.set_state(matches=1, has_doc=True, has_selection=False)
    assert not bar.next_button.isEnabled() and bar.open_button.isEnabled()
    assert not bar.tag_button.isEnabled() and "Select a passage first" in bar.tag_button.toolTip()
    bar.set_selection(True)
    assert bar.tag_button.isEnabled() and bar.tag_button.toolTip().startswith("Tag selection")


def test_the_text_is_built_from_chunk_records_with_page_markers():
    chunks = [Chunk(10, 0, 1, None, 0, "First page text."),
              Chunk(11, 1, 2, None, 18, "Second page: strategy discussion.")]
    p = build_preview(_doc("ok", None), chunks, ["strategy"])
    assert p.text.startswith("— Page 1 —\nFirst page text.")
    assert "— Page 2 —\nSecond page: strategy discussion." in p.text
    (start, length), = p.matches
    assert p.text[start:start + length] == "strategy" and p.page_at(start) == 2
    assert p.doc_offset(start) == 18 + len("Second page: ")
    assert p.span_for_chunk(11).page == 2 and p.document.format == "docx"


def test_a_file_that_could_not_be_read_shows_why_when_opened(indexed, qtbot):
    window, _folder, _files = indexed
    view = window.search_view
    view.query_box.setText("Broken report")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10000)
    view.select_row(0)
    preview = view.preview
    qtbot.waitUntil(lambda: preview.preview is not None, timeout=10000)
    assert preview.preview.document.name == "Broken report.docx"
    assert preview.preview.document.status == "damaged"
    assert preview.text.toPlainText() == "(This document has no text to show.)"
    lines = preview.meta.text().splitlines()
    assert lines[0].endswith("Broken report.docx") and lines[1] == preview.preview.document.reason
