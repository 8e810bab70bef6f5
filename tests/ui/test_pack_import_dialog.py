"""File ▸ Import evidence packs… in the real window: several packs at once, the preview before
anything is written, the merge on a worker with progress, the conflicts list and each choice;
a bad pack refused calmly; a double-clicked .evpack opens the dialog; Send and Team dialogs."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from evidence_app.core import settings
from evidence_app.core.evidence import evidence
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.packs import export
from evidence_app.core.workspace import Workspace
from tests.core.packs.conftest import tag


def colleague(tmp_path: Path, name: str, folder: Path) -> Workspace:
    ws = Workspace.create(tmp_path / f"ws-{name}", name)
    settings.set_person(ws, name)
    add_source(ws, folder, "case-files")
    index_workspace(ws)
    return ws


@pytest.fixture
def packs(indexed, tmp_path):
    window, folder, files = indexed
    made = {}
    for name, quote in (("Alice", "the child was seen alone"),
                        ("Bob", "The family attended with an advocate")):
        ws = colleague(tmp_path, name, folder)
        doc = files["docx"] if name == "Alice" else files["pdf"]
        made[name] = (ws, tag(ws, str(doc), ["HP-06"], quote=quote, note=f"{name}'s"))
        export.export_pack(ws, tmp_path / f"{name}.evpack")
    yield window, made, tmp_path
    for ws, _ in made.values():
        ws.close()


def _dialog(window, qtbot, paths):
    dialog = window.import_packs([str(p) for p in paths])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.preview.rowCount() == len(paths),
                    timeout=30000)
    return dialog


def test_preview_then_import_several_packs_then_settle_a_conflict(packs, qtbot):
    window, made, tmp = packs
    files = [tmp / "Alice.evpack", tmp / "Bob.evpack"]
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()[0].menu().actions()]
    assert "Send evidence pack…" in titles and "Import evidence packs…" in titles
    dialog = _dialog(window, qtbot, files)
    senders = {dialog.preview.item(r, 1).text() for r in range(2)}
    assert senders == {"Alice", "Bob"}
    assert [dialog.preview.item(r, 3).text() for r in range(2)] == ["1", "1"]
    assert evidence.list_items(window.ctx.ws) == []  # the preview wrote nothing
    assert "Nothing has been changed yet" in dialog.status.text()
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        dialog.import_button.click()
    assert "2 items added" in dialog.status.text() and "backup" in dialog.status.text()
    assert len(evidence.list_items(window.ctx.ws)) == 2
    # Alice and the manager both change Alice's item: a conflict, shown and settled in the dialog
    ws_a, item = made["Alice"]
    evidence.edit(ws_a, item.id, note="Alice again")
    export.export_pack(ws_a, tmp / "Alice2.evpack")
    mine = next(i for i in evidence.list_items(window.ctx.ws) if i.uuid == item.uuid)
    evidence.edit(window.ctx.ws, mine.id, note="Manager's note")
    dialog.add_files([str(tmp / "Alice2.evpack")])
    qtbot.waitUntil(lambda: not dialog.busy and dialog.preview.rowCount() == 1, timeout=30000)
    assert dialog.preview.item(0, 7).text() == "1"  # in conflict
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        dialog.import_button.click()
    assert dialog.conflicts.rowCount() == 1 and dialog.tabs.currentIndex() == 2
    assert "Manager's note" in dialog.conflicts.item(0, 3).text()
    assert "Alice again" in dialog.conflicts.item(0, 4).text()
    dialog.conflicts.selectRow(0)
    dialog.choice_buttons["both"].click()
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 0 and not dialog.busy, timeout=30000)
    notes = sorted(i.note for i in evidence.list_items(window.ctx.ws))
    assert notes == ["Bob's", "Copy from Alice. Alice again", "Manager's note"]
    # Ctrl+Z in the dialog reopens the conflict (the copy goes); Ctrl+Y settles it again
    _press(dialog, qtbot, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 1, timeout=30000)
    assert not any(i.note.startswith("Copy") for i in evidence.list_items(window.ctx.ws))
    _press(dialog, qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: dialog.conflicts.rowCount() == 0, timeout=30000)
    assert sorted(i.note for i in evidence.list_items(window.ctx.ws)) == notes
    # the team view shows who sent what, and filters by sender
    team = window.open_team()
    qtbot.addWidget(team)
    rows = {team.senders.item(r, 0).text(): r for r in range(team.senders.rowCount())}
    assert set(rows) == {"Alice", "Bob"}
    team.senders.selectRow(rows["Bob"])
    assert team.items.rowCount() == 1 and team.items.item(0, 4).text() == "Bob's"
    assert team.coverage.item(0, 0).text() == "HP-06"
    assert team.reports.rowCount() == 3


def test_ctrl_z_takes_an_import_back_unless_its_items_changed_since(packs, qtbot):
    window, _, tmp = packs
    ws = window.ctx.ws
    dialog = _dialog(window, qtbot, [tmp / "Alice.evpack", tmp / "Bob.evpack"])
    with qtbot.waitSignal(dialog.imported, timeout=60000):
        dialog.import_button.click()
    assert len(evidence.list_items(ws)) == 2
    _press(dialog, qtbot, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: evidence.list_items(ws) == [], timeout=30000)
    _press(dialog, qtbot, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: len(evidence.list_items(ws)) == 2, timeout=30000)
    # someone changes an imported item: undoing the import would lose that, so it is refused
    evidence.edit(ws, evidence.list_items(ws)[0].id, note="changed since")
    _press(dialog, qtbot, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30000)
    assert "cannot be undone" in dialog.message.text() and "\n" not in dialog.message.text()
    assert len(evidence.list_items(ws)) == 2


def _press(widget, qtbot, key) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=15000)
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)


def test_a_bad_pack_is_refused_in_one_line_and_nothing_changes(packs, qtbot):
    window, _, tmp = packs
    bad = tmp / "broken.evpack"
    bad.write_bytes((tmp / "Alice.evpack").read_bytes()[:300])
    dialog = window.import_packs([str(bad)])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30000)
    assert "broken.evpack" in dialog.message.text() and "\n" not in dialog.message.text()
    assert "Nothing was changed" in dialog.status.text()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert evidence.list_items(window.ctx.ws) == []
    assert not list(window.ctx.ws.backups_dir.glob("*before-pack*"))


def test_a_double_clicked_pack_opens_the_import(shell, qtbot, tmp_path, corpus):
    folder, files = corpus
    ws = colleague(tmp_path, "Alice", folder)
    tag(ws, str(files["txt"]), ["HP-06"])
    pack = tmp_path / "from-alice.evpack"
    export.export_pack(ws, pack)
    ws.close()
    from evidence_app.ui.views.pack_import_dialog import PackImportDialog

    shell.pending_pack = str(pack)
    assert shell.create_workspace(tmp_path / "manager", "Manager")
    qtbot.waitUntil(lambda: bool(shell.window.findChildren(PackImportDialog)), timeout=20000)
    dialog = shell.window.findChildren(PackImportDialog)[0]
    assert dialog.paths() == [str(pack.resolve())]
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 1, timeout=30000)


def test_send_pack_writes_a_pack_on_a_worker(window, qtbot, tmp_path):
    dialog = window.send_pack()
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "mine"))
    dialog.no_names.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.send_button.click()
    assert (tmp_path / "mine.evpack").is_file()
    assert "audit log" in dialog.status.text()
