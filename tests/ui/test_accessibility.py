"""Every interactive control of every place and dialog has an accessible name (what a screen
reader says). The test walks the widget tree of each place and each dialog, as built, and asks Qt's
accessibility layer for each control's name: a control without one fails the test."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider,
                               QAbstractSpinBox, QApplication, QComboBox, QLineEdit,
                               QPlainTextEdit, QScrollBar, QTabBar, QTextEdit, QWidget)

from evidence_app.core.evidence import evidence

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit,
               QPlainTextEdit, QAbstractSpinBox, QAbstractSlider, QTabBar)


def _internal(w: QWidget) -> bool:
    """Parts Qt builds inside another control (a combo box's line edit, a spin box's editor,
    scroll bars, the header's corner button): the outer control carries the name."""
    if isinstance(w, QScrollBar) or w.objectName().startswith("qt_"):
        return True
    from PySide6.QtCore import Qt

    if isinstance(w.parentWidget(), QLineEdit) and w.focusPolicy() == Qt.FocusPolicy.NoFocus:
        return True  # a line edit's clear button: mouse only, the line edit has the keyboard
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return type(w).__name__ in ("QHeaderView",)


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    name = iface.text(QAccessible.Text.Name) if iface is not None else ""
    return (name or w.accessibleName() or "").strip()


def unnamed(root: QWidget) -> list[str]:
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(root) or _internal(w):
            continue
        if not accessible_name(w):
            text = getattr(w, "text", lambda: "")()
            out.append(f"{type(w).__name__} {w.objectName()!r} {text!r} in "
                       f"{type(w.parentWidget()).__name__}")
    return out


@pytest.fixture
def full(indexed, qtbot):
    """A window with documents, a case, evidence and a bundle, so every place has content."""
    from evidence_app.core.bundles import bundles
    from evidence_app.core.evidence import cases

    window, folder, files = indexed
    ws = window.ctx.ws
    cases.add_case(ws, "CH-004512", name="Jamie Example", sampled=True)
    docs = {d["path"]: d["id"] for d in ws.db.query("SELECT id, path FROM documents")}
    doc = docs[str(files["docx"])]
    evidence.tag(ws, doc, enquiries=["HP-04"], quote="a section 47 enquiry was needed",
                 strength="strong").value
    bundles.create_bundle(ws, "Help and protection", by="enquiry", enquiries=["HP-04"]).value
    window.ctx.changed({"evidence", "cases", "bundles"})
    window.search_view.query_box.setText("strategy")
    qtbot.waitUntil(lambda: window.search_view.model.rowCount() > 0, timeout=10000)
    window.search_view.select_row(0)
    qtbot.waitUntil(lambda: window.search_view.preview.preview is not None, timeout=10000)
    return window, doc


def test_every_place_names_its_controls(full, qtbot):
    window, _doc = full
    problems = {}
    for key in ("search", "coverage", "cases", "requests", "bundles"):
        page = window.show_place(key)
        qtbot.waitUntil(lambda p=page: not getattr(p, "loading", False), timeout=10000)
        if key == "coverage":
            page.edit_mode.setChecked(True)  # the editing tools too
        missing = unnamed(window)
        if missing:
            problems[key] = missing
    assert not problems, problems


def _dialogs(window, doc):
    from evidence_app.ui.views import (add_enquiry_dialog, bundle_create_dialog, case_edit_dialog,
                                       case_import_dialog, help_dialogs, identity_dialog,
                                       paragraph_tagger, problems_dialog, requests_view,
                                       settings_dialog, sheet_export_dialog, sources_dialog,
                                       tag_dialog)

    ctx = window.ctx
    yield problems_dialog.ProblemsDialog(ctx, window)
    yield settings_dialog.SettingsDialog(ctx, window)
    yield help_dialogs.ShortcutsDialog(window)
    yield sources_dialog.SourcesDialog(ctx, window.indexing, window)
    yield sources_dialog.KindDialog([ctx.root], window)
    yield identity_dialog.IdentityDialog(ctx, window)
    yield tag_dialog.TagDialog(ctx, doc, quote="a section 47 enquiry was needed", parent=window)
    yield tag_dialog.TagDialog(ctx, doc, parent=window)
    yield paragraph_tagger.ParagraphTagger(ctx, doc, window)
    for which in ("tracker", "coverage", "evidence"):
        yield sheet_export_dialog.SheetExportDialog(ctx, which, window)
    yield bundle_create_dialog.BundleCreateDialog(ctx.ws, window)
    yield case_edit_dialog.CaseEditDialog(ctx, None, window)
    yield case_edit_dialog.CaseEditDialog(ctx, "CH-004512", window)
    yield add_enquiry_dialog.AddEnquiryDialog(ctx.ws, window)
    yield requests_view.SendDialog("AA-L01", window)
    page = window.show_place("bundles")
    page.show_bundle(1)
    yield page.export_dialog()
    csv = ctx.root.parent / "list.csv"
    csv.write_text("Child ID,Legal status\nCH-000001,CP\n", encoding="utf-8")
    yield case_import_dialog.CaseImportDialog(ctx, str(csv), window)


def test_every_dialog_names_its_controls(full, qtbot):
    window, doc = full
    problems = {}
    for dialog in _dialogs(window, doc):
        if dialog is None:
            continue
        dialog.show()
        qtbot.wait(150)  # background loads fill lists
        missing = unnamed(dialog)
        if missing:
            problems[type(dialog).__name__ + " " + dialog.windowTitle()] = missing
        dialog.hide()
        dialog.deleteLater()
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isVisible() and w.inherits("QDialog"):
            w.hide()
    assert not problems, problems


def test_the_walk_fails_on_an_unnamed_control(qtbot):
    """The check itself can fail: an icon-only button with no name is reported."""
    from PySide6.QtWidgets import QToolButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    lay = QVBoxLayout(root)
    icon_only = QToolButton()
    lay.addWidget(icon_only)
    named = QToolButton()
    named.setText("Open")
    lay.addWidget(named)
    root.show()
    assert len(unnamed(root)) == 1 and "QToolButton" in unnamed(root)[0]
