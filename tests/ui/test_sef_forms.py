"""The self-evaluation's claim and action dialogs hand the view what was filled in as records
(ClaimForm, ActionForm): editing a claim through its dialog and adding an action through the
action dialog, in the real window, reach the workspace as typed."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from evidence_app.core.sef import claims, document
from evidence_app.ui.views.sef_dialogs import ActionForm, ClaimForm
from tests.ui.test_sef_view import open_sef


def _when_open(qtbot, fill) -> list:
    """Fill the modal dialog when it opens, keep what it returned, press its OK button."""
    seen = []

    def act() -> None:
        dlg = QApplication.activeModalWidget()
        fill(dlg)
        seen.append(dlg.values())
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(200, act)
    return seen


def test_edit_a_claim_and_add_an_action_through_the_dialogs(window, qtbot):
    ws = window.ctx.ws
    dev = claims.add(ws, "HP", "plans", "Return interviews are late.",
                     type="area for development", enquiries=["HP-04"]).value
    view = open_sef(window, qtbot)
    view.refresh()
    qtbot.waitUntil(lambda: view.doc is not None and not view.loading
                    and any(v.claim.id == dev.id for v in view.doc.claims), timeout=10000)
    view.claim_id = dev.id

    def edit(dlg) -> None:
        dlg.text.setPlainText("Return interviews are offered within 72 hours.")
        for i in range(dlg.lines.count()):
            it = dlg.lines.item(i)
            code = it.data(Qt.ItemDataRole.UserRole)
            if code in ("HP-04", "HP-05"):
                it.setCheckState(Qt.CheckState.Unchecked if code == "HP-04"
                                 else Qt.CheckState.Checked)

    seen = _when_open(qtbot, edit)
    view.edit_claim()
    [form] = seen
    assert isinstance(form, ClaimForm) and form.enquiries == ("HP-05",)
    qtbot.waitUntil(lambda: claims.get(ws, dev.id).text.startswith("Return interviews are "
                                                                   "offered"), timeout=10000)
    assert claims.get(ws, dev.id).enquiries == ("HP-05",)

    def action(dlg) -> None:
        qtbot.keyClicks(dlg.what, "Audit return interviews")
        dlg.owner.setText("Head of Service")

    seen = _when_open(qtbot, action)
    view.add_action()
    [form] = seen
    assert form == ActionForm("Audit return interviews", "Head of Service", "", form.status)
    qtbot.waitUntil(lambda: len(document.read(ws.db).plan) == 1, timeout=10000)
    [made] = document.read(ws.db).plan
    assert (made.claim_id, made.what, made.owner, made.due) == (
        dev.id, "Audit return interviews", "Head of Service", None)
