"""A calm strip above the places that says what is special about the open workspace.

Read-only media or another instance holding the workspace (edits are off), a synced folder the
user allowed, and what opening had to repair: these come from the core (`Workspace.readonly_reason`,
`Workspace.warnings`) and are shown once, in words, without a dialog in the way.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class WorkspaceBanner(QFrame):
    def __init__(self, ws, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setObjectName("workspaceBanner")
        self.setStyleSheet("#workspaceBanner { background: palette(alternate-base); "
                           "border-bottom: 1px solid palette(mid); }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Workspace notice")
        layout.addWidget(self.label, 1)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setAccessibleName("Dismiss the workspace notice")
        self.dismiss.clicked.connect(self.hide)
        layout.addWidget(self.dismiss)
        self.show_for(ws)

    def show_for(self, ws) -> None:  # noqa: ANN001
        lines: list[str] = []
        if ws.readonly:
            lines.append("<b>Read-only.</b> " + (ws.readonly_reason or "Changes are switched off."))
        lines += list(getattr(ws, "warnings", []) or [])
        self.label.setText("<br>".join(lines))
        self.dismiss.setVisible(not ws.readonly)
        self.setVisible(bool(lines))
