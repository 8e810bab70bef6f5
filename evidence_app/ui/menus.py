"""The main window's menus and their shortcuts (the keyboard map of design/UI.md)."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from evidence_app.ui.places import PLACES
from evidence_app.ui.style import icon


def action(w, text: str, slot, shortcut: str | QKeySequence | None = None,  # noqa: ANN001
           icon_name: str | None = None) -> QAction:
    a = QAction(text, w)
    if icon_name:
        a.setIcon(icon(icon_name))
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
    a.triggered.connect(slot)
    return a


def build(w) -> None:  # noqa: ANN001 - the MainWindow
    """Create the File, Edit, View and Help menus; the actions stay attributes of the window."""
    mb = w.menuBar()
    file = mb.addMenu("&File")
    w.new_action = action(w, "&New workspace…", w._shell("create_workspace_dialog"))
    w.open_action = action(w, "&Open workspace…", w._shell("open_workspace_dialog"),
                                    QKeySequence.StandardKey.Open, "workspace")
    w.demo_action = action(w, "Open the &demo workspace", w._shell("open_demo"))
    w.sources_action = action(w, "&Source folders…", w.open_sources, None, "folder")
    w.add_source_action = action(w, "&Add source folder…", w.add_source_dialog,
                                          None, "add-folder")
    w.reindex_action = action(w, "&Re-index now", w.reindex, "F5", "reindex")
    w.problems_action = action(w, "&Problems…", w.open_problems, None, "problems")
    w.settings_action = action(w, "Se&ttings…", w.open_settings, None, "settings")
    w.quit_action = action(w, "&Quit", w.close, QKeySequence.StandardKey.Quit)
    for a in (w.new_action, w.open_action, w.demo_action, None, w.add_source_action,
              w.sources_action, w.reindex_action, w.problems_action, None,
              w.settings_action, None, w.quit_action):
        file.addSeparator() if a is None else file.addAction(a)
    for a in (w.new_action, w.open_action, w.demo_action, None, w.sources_action,
              w.settings_action):
        w.workspace_menu.addSeparator() if a is None else w.workspace_menu.addAction(a)
    edit = mb.addMenu("&Edit")
    undo = w.ctx.undo.createUndoAction(w, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    redo = w.ctx.undo.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    w.find_action = action(w, "&Find…", w.focus_search, QKeySequence("Ctrl+F"), "search")
    edit.addAction(w.find_action)
    view = mb.addMenu("&View")
    w.place_actions: dict[str, QAction] = {}
    for place in PLACES:
        a = action(w, place.title.replace("&", "&&"), lambda _=False, k=place.key: w.show_place(k),
                         place.shortcut, place.icon)
        a.setCheckable(True)
        w.place_group.addAction(a)
        w.place_actions[place.key] = a
        view.addAction(a)
    preview = w.search_view.preview
    w.next_hit_action = action(w, "Next hit", preview.next_hit, "F3")
    w.prev_hit_action = action(w, "Previous hit", preview.previous_hit, "Shift+F3")
    w.tag_action = action(w, "Tag selection…", preview.request_tag, "Ctrl+T", "tag")
    w.tag_doc_action = action(w, "Tag whole document…", preview.request_document_tag,
                                       "Ctrl+Shift+T")
    w.paragraph_action = action(w, "&Paragraph tagging mode…", w.paragraph_tagging,
                                         "Alt+P")
    # the per-file action on the document shown: its scanned pages read by OCR again
    w.ocr_again_action = action(w, "Read again with &OCR", preview.request_ocr)
    w.export_bundle_action = action(w, "&Export bundle…", w.export_bundle, "Ctrl+E")
    view.addSeparator()
    for a in (w.next_hit_action, w.prev_hit_action):
        view.addAction(a)
    edit.addSeparator()
    for a in (w.tag_action, w.tag_doc_action, w.paragraph_action):
        edit.addAction(a)
    edit.addSeparator()
    edit.addAction(w.ocr_again_action)
    file.insertAction(w.settings_action, w.export_bundle_action)
    sheets = file.addMenu("Export &spreadsheet")
    sheets.setTitle("Export spreadsheet")
    file.insertMenu(w.settings_action, sheets)
    w.sheet_actions = {}
    for which, text in (("tracker", "Week-one request &tracker…"), ("coverage", "&Coverage…"),
                        ("evidence", "&Evidence list…")):
        a = action(w, text, lambda _=False, k=which: w.export_sheet(k))
        sheets.addAction(a)
        w.sheet_actions[which] = a
    file.insertSeparator(w.settings_action)
    w.send_pack_action = action(w, "Send evidence pac&k…", w.send_pack)
    w.import_packs_action = action(w, "&Import evidence packs…", w.import_packs)
    w.team_action = action(w, "Tea&m contributions…", w.open_team)
    for a in (w.send_pack_action, w.import_packs_action, w.team_action):
        file.insertAction(w.settings_action, a)
    file.insertSeparator(w.settings_action)
    help_menu = mb.addMenu("&Help")
    help_menu.addAction(action(w, "&Keyboard shortcuts", w.show_shortcuts))
    help_menu.addAction(action(w, "How to &search", w.show_search_help))
    help_menu.addAction(action(w, "&About Evidence Organiser", w.show_about))
