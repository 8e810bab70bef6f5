"""Week-one requests: owner and status edited in the table (saved, undoable), due time in UK
format with a countdown, and "Mark as sent" stamping a real file's SHA-256."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import Qt

from evidence_app.core.evidence import evidence
from evidence_app.core.evidence import requests as requests_core
from evidence_app.ui.context import UiContext
from evidence_app.ui.views.evidence_common import countdown
from tests.ui.evidence_fixtures import build_workspace


@pytest.fixture
def view(tmp_path, qtbot):
    from evidence_app.ui.views.requests_view import RequestsView

    ws, docs = build_workspace(tmp_path)
    evidence.tag(ws, docs["Supervision"], requests=["AA-L01"], strength="strong").value
    ctx = UiContext(ws)
    v = RequestsView(ctx)
    qtbot.addWidget(v)
    v.resize(1366, 768)
    with qtbot.waitSignal(v.loaded, timeout=10000):
        v.show()
    yield v
    ws.close()


def idle(qtbot, view):
    qtbot.waitUntil(lambda: not view.loading, timeout=10000)


def test_countdown_wording():
    now = dt.datetime(2026, 5, 12, 13, 40)
    assert countdown("2026-05-12T17:00", now) == "due in 3 h 20 min"
    assert countdown("2026-05-12T13:00", now) == "overdue by 40 min"
    assert countdown("2026-05-14T15:40", now) == "due in 2 d 2 h"
    assert countdown("2026-05-12T13:40", now) == "due now"
    assert countdown("2026-05-12T17:00", now, sent=True) == ""
    assert countdown(None, now) == ""


def test_set_owner_status_and_due_in_the_table(view, qtbot):
    ws, model = view.ctx.ws, view.model
    row = model.row_of("AA-L01")
    assert model.index(row, 6).data() == "1"  # linked evidence count
    model.setData(model.index(row, 2), "Priya Shah")
    assert requests_core.get_request(ws, "AA-L01").owner == "Priya Shah"
    idle(qtbot, view)
    model.setData(model.index(row, 5), "in progress")
    assert requests_core.get_request(ws, "AA-L01").status == "in progress"
    idle(qtbot, view)
    assert model.index(row, 2).data() == "Priya Shah"
    assert model.index(row, 5).data() == "In progress"

    model.now = lambda: dt.datetime(2026, 5, 12, 13, 40)
    model.setData(model.index(row, 3), "12/05/2026 17:00")
    assert requests_core.get_request(ws, "AA-L01").due_at == "2026-05-12T17:00"
    idle(qtbot, view)
    assert model.index(row, 3).data() == "12/05/2026 17:00"
    assert model.index(row, 4).data() == "due in 3 h 20 min"
    model.now = lambda: dt.datetime(2026, 5, 12, 17, 40)
    model.tick()
    assert model.index(row, 4).data() == "overdue by 40 min"
    assert model.index(row, 4).data(Qt.ItemDataRole.FontRole).bold()

    view.ctx.undo.undo()  # due
    view.ctx.undo.undo()  # status
    assert requests_core.get_request(ws, "AA-L01").status == "not started"
    assert requests_core.get_request(ws, "AA-L01").due_at is None
    view.ctx.undo.redo()
    assert requests_core.get_request(ws, "AA-L01").status == "in progress"


def test_bad_due_time_is_a_calm_message(view, qtbot):
    row = view.model.row_of("AA-L02")
    view.model.setData(view.model.index(row, 3), "next tuesday")
    assert "dd/mm/yyyy" in view.message.text()
    assert view.ctx.undo.count() == 0


def test_mark_as_sent_with_a_file(view, qtbot, tmp_path):
    sent = tmp_path / "contacts.xlsx"
    sent.write_bytes(b"pretend spreadsheet")
    view.select("AA-L01")
    idle(qtbot, view)
    assert "Contacts" in view.detail.text() and view.items_model.rowCount() == 1
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.send("AA-L01", str(sent))
    idle(qtbot, view)
    row = requests_core.get_request(view.ctx.ws, "AA-L01")
    assert row.status == "sent"
    assert row.sent_sha256 == hashlib.sha256(b"pretend spreadsheet").hexdigest()
    r = view.model.row_of("AA-L01")
    assert view.model.index(r, 5).data() == "Sent"
    assert view.model.index(r, 8).data().startswith(dt.date.today().strftime("%d/%m/%Y"))
    assert "marked as sent" in view.message.text()
    view.status_filter.setCurrentIndex(view.status_filter.findData("open"))
    assert view.model.row_of("AA-L01") == -1


def test_f2_and_enter_edit_a_cell_with_a_visible_hint(view, qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit

    from evidence_app.ui.models.requests_model import OWNER

    assert "F2 or Enter" in view.hint.text() and view.hint.isVisible()
    view.activateWindow()
    view.table.setFocus()
    view.table.selectRow(0)
    ident = view.current_id()
    assert view.table.currentIndex().column() not in (OWNER,)  # rows are selected whole
    for key in (Qt.Key.Key_F2, Qt.Key.Key_Return):
        qtbot.keyClick(view.table, key)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit) and editor is not view.filter, key
        assert view.table.isAncestorOf(editor)
        assert view.table.currentIndex().column() == OWNER
        editor.selectAll()
        qtbot.keyClicks(editor, f"Data team {key}")
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn
        qtbot.waitUntil(lambda: requests_core.get_request(view.ctx.ws, ident).owner ==
                        f"Data team {key}", timeout=5000)
        idle(qtbot, view)
        view.table.setFocus()


def test_due_and_countdown_fit_their_columns(view):
    from PySide6.QtGui import QFont, QFontMetrics

    from evidence_app.ui.models.requests_model import COUNTDOWN, DUE

    fm = view.table.fontMetrics()
    bold = QFont(view.table.font())
    bold.setBold(True)
    assert view.table.columnWidth(DUE) > fm.horizontalAdvance("24/11/2026 17:00")
    assert view.table.columnWidth(COUNTDOWN) > QFontMetrics(bold).horizontalAdvance(
        "overdue by 10 d 23 h")
