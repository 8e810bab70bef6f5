"""Tagging through the picker: type-ahead, strength, accept; undo and redo through ctx.undo."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from evidence_app.core.evidence import evidence
from evidence_app.ui.context import UiContext
from tests.ui.evidence_fixtures import build_workspace


@pytest.fixture
def setup(tmp_path, qtbot):
    ws, docs = build_workspace(tmp_path)
    ctx = UiContext(ws)
    yield ctx, docs
    ws.close()


def test_tag_passage_with_type_ahead_then_undo_and_redo(setup, qtbot):
    from evidence_app.ui.views.tag_dialog import TagDialog

    ctx, docs = setup
    changes = []
    ctx.hub.changed.connect(changes.append)
    doc = docs["Strategy meeting 12-03-2026"]
    dialog = TagDialog(ctx, doc, quote="a section 47 enquiry was needed", start=0, page=None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.filter, "HP-04")
    current = dialog.tree.currentIndex()
    assert current.data(Qt.ItemDataRole.UserRole + 1) == "HP-04"
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # ticks HP-04, clears the box
    assert dialog.filter.text() == ""
    assert dialog.selected() == (["HP-04"], [])
    assert "HP-04" in dialog.chosen.text()
    dialog.set_strength("strong")
    dialog.note.setPlainText("Multi-agency strategy meeting held promptly.")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # empty box: would file, but...
    # ...nothing is filed until the person says what it shows (no silent default)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "what it shows" in dialog.message.text().lower()
    assert evidence.list_items(ctx.ws, enquiry="HP-04") == []
    dialog.set_kind("strength")
    dialog.filter.setFocus()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted

    items = evidence.list_items(ctx.ws, enquiry="HP-04")
    assert len(items) == 1
    item = items[0]
    assert item.strength == "strong" and item.kind == "strength"
    assert item.quote == "a section 47 enquiry was needed"
    assert item.document_id == doc and item.anchor == "anchored"
    assert {"evidence"} in changes

    ctx.undo.undo()
    assert evidence.list_items(ctx.ws, enquiry="HP-04") == []
    ctx.undo.redo()
    again = evidence.list_items(ctx.ws, enquiry="HP-04")
    assert len(again) == 1 and again[0].quote == item.quote
    assert again[0].note == "Multi-agency strategy meeting held promptly."
    # redo brings back the same item (its id and uuid), not a copy
    assert (again[0].id, again[0].uuid) == (item.id, item.uuid)


def test_whole_document_and_request_and_filter_hides_retired(setup, qtbot):
    from evidence_app.core.evidence import framework
    from evidence_app.ui.views.tag_dialog import TagDialog

    ctx, docs = setup
    framework.retire(ctx.ws, "HP-05")
    dialog = TagDialog(ctx, docs["Threshold document"])
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter, "HP-05")
    assert dialog._find("HP-05") is None  # retired: hidden
    dialog.filter.clear()
    dialog.tick("AA-L01")
    dialog.tick("LEAD-03")
    dialog.set_kind("development")
    dialog.accept()
    item = dialog.item
    assert item.anchor == "document" and item.quote is None
    assert item.requests == ("AA-L01",) and item.enquiries == ("LEAD-03",)
    assert item.kind == "development"


def test_a_quote_not_in_the_document_shows_a_calm_message(setup, qtbot):
    from evidence_app.ui.views.tag_dialog import TagDialog

    ctx, docs = setup
    dialog = TagDialog(ctx, docs["Home visit"], quote="words that are not there at all")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tick("HP-02")
    dialog.set_kind("impact")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "not found" in dialog.message.text()
    assert ctx.undo.count() == 0


def test_paragraph_tagging_mode_by_keyboard(setup, qtbot):
    from evidence_app.ui.views.paragraph_tagger import ParagraphTagger

    ctx, docs = setup
    tagger = ParagraphTagger(ctx, docs["Strategy meeting 12-03-2026"])
    qtbot.addWidget(tagger)
    tagger.show()
    qtbot.waitUntil(lambda: tagger.ready, timeout=10000)
    texts = [tagger.list.item(r).text() for r in range(tagger.list.count())]
    assert any("section 47 enquiry" in t for t in texts)
    row = next(r for r, t in enumerate(texts) if "section 47 enquiry" in t)
    tagger.list.setFocus()
    for _ in range(row):
        qtbot.keyClick(tagger.list, Qt.Key.Key_Down)
    assert tagger.where.text().startswith(f"Paragraph {row + 1} of {len(texts)}")
    qtbot.keyClick(tagger.list, Qt.Key.Key_Return)
    dialog = tagger.tag_dialog
    assert dialog is not None and dialog.quote == texts[row]
    qtbot.keyClicks(dialog.filter, "HP-04")
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)  # asks what it shows; focus goes there
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Space)  # "a strength"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    items = evidence.list_items(ctx.ws, enquiry="HP-04")
    assert len(items) == 1 and "section 47 enquiry" in items[0].quote
    assert items[0].anchor == "anchored"


def test_the_words_are_unambiguous(setup, qtbot):
    from PySide6.QtWidgets import QLabel, QRadioButton

    from evidence_app.ui.views.tag_dialog import TagDialog

    ctx, docs = setup
    dialog = TagDialog(ctx, docs["Home visit"], quote="saw the child alone")
    qtbot.addWidget(dialog)
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Strength of evidence:" in labels and "What it shows:" in labels
    assert "Kind:" not in " ".join(labels)
    shows = [b for b in dialog.shows_group.buttons()]
    assert [b.text().replace("&", "") for b in shows] == [
        "a strength", "an area for development", "impact for the child"]
    assert not any(b.isChecked() for b in shows)  # no silent default
    assert all(isinstance(b, QRadioButton) and b.accessibleName() for b in shows)


def test_paragraph_tagging_opens_at_the_given_offset(setup, qtbot):
    from evidence_app.ui.views.paragraph_tagger import ParagraphTagger

    ctx, docs = setup
    doc = docs["Strategy meeting 12-03-2026"]
    text = evidence.document_text(ctx.ws, doc).text
    offset = text.index("Actions were agreed")
    tagger = ParagraphTagger(ctx, doc, at_offset=offset)
    qtbot.addWidget(tagger)
    tagger.show()
    qtbot.waitUntil(lambda: tagger.ready, timeout=10000)
    assert tagger.list.currentItem().text().startswith("Actions were agreed")
