"""First run: "Who is preparing this evidence?" — the person's name and team.

Used for "Prepared by" on bundles and packs and in the audit log, so it is asked once per
workspace, never taken silently from the login name. A name given in another workspace on this
computer is offered (pre-filled), not applied behind the person's back. Changeable in Settings.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from evidence_app.core import settings as core_settings
from evidence_app.core.base.errors import EvidenceError
from evidence_app.ui import app_settings
from evidence_app.ui.views.evidence_common import name

LAST_NAME = "person/name"
LAST_TEAM = "person/team"


def remembered_person() -> tuple[str, str]:
    """The name and team last given on this computer (to pre-fill a new workspace's question)."""
    s = app_settings.settings()
    return str(s.value(LAST_NAME, "") or ""), str(s.value(LAST_TEAM, "") or "")


def remember_person(person: str, team: str) -> None:
    s = app_settings.settings()
    s.setValue(LAST_NAME, person)
    s.setValue(LAST_TEAM, team)
    s.sync()


def save_person(ctx, person: str, team: str) -> str | None:  # noqa: ANN001
    """Store name and team in the workspace, through the window's one writer (and remember them
    on this computer); a message if refused."""
    try:
        ctx.write_call(core_settings.set_person, ctx.ws, person, team)
    except EvidenceError as exc:
        return str(exc)
    remember_person(core_settings.person_name(ctx.ws) or "", core_settings.team(ctx.ws) or "")
    return None


class IdentityDialog(QDialog):
    saved = Signal(str)  # "Name, Team" as it will be printed

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Who is preparing this evidence?")
        self.setAccessibleName(self.windowTitle())
        lay = QVBoxLayout(self)
        intro = QLabel("Your name and team go on every bundle and pack as \u201cPrepared by\u201d "
                       "and into the audit log beside what you tag. You can change them later "
                       "in Settings.")
        intro.setWordWrap(True)
        name(intro, "Why this is asked")
        lay.addWidget(intro)
        form = QFormLayout()
        last_name, last_team = remembered_person()
        self.person = QLineEdit(core_settings.person_name(ctx.ws) or last_name)
        self.person.setPlaceholderText("e.g. Priya Shah")
        name(self.person, "Your name", "As it should appear on exports: Prepared by")
        self.team = QLineEdit(core_settings.team(ctx.ws) or last_team)
        self.team.setPlaceholderText("e.g. Quality Assurance (optional)")
        name(self.team, "Your team", "Optional: printed after your name")
        form.addRow("Your &name:", self.person)
        form.addRow("Your &team:", self.team)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        name(self.error, "Problem")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        name(self.ok, "Save your name and team")
        later = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        name(later, "Later", "Exports will ask for your name before they are written")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.ok.setDefault(True)
        self.person.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(460)

    def accept(self) -> None:
        problem = save_person(self.ctx, self.person.text(), self.team.text())
        if problem:
            self.error.setText(problem)
            self.error.setAccessibleDescription(problem)
            self.error.show()
            self.person.setFocus()
            return
        self.ctx.changed({"settings"})
        self.saved.emit(core_settings.prepared_by(self.ctx.ws))  # before closing: still alive
        super().accept()


def ask_identity_if_needed(window) -> IdentityDialog | None:  # noqa: ANN001
    """Open the question (window-modal, not blocking) when this workspace has no name yet."""
    ws = window.ctx.ws
    if ws.readonly or core_settings.has_person(ws):
        return None
    dialog = IdentityDialog(window.ctx, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.saved.connect(lambda who: window.notice.show_notice(
        f"Exports will say \u201cPrepared by {who}\u201d (change it in Settings).", None))
    dialog.open()
    return dialog
