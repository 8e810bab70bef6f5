"""The preview's bar under the text: previous/next hit and where the hit is, then Tag selection,
Tag document, the PDF's pages, Open file and Show in folder.

Apart from the pane so its fitting rule (names beside icons while they fit, icons alone on a
narrow pane) stays with the buttons it fits. The pane connects the buttons to its actions."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from evidence_app.ui.style import icon

TAG_TIP = "Tag selection… (Ctrl+T)"
NO_SELECTION_TIP = ("Select a passage first (mouse, or Shift+arrows), or use paragraph tagging "
                    "(Alt+P)")


def tool_button(icon_name: str, tip: str, text: bool = False,
                label: str | None = None) -> QToolButton:
    """A flat button named for screen readers by its tooltip (without the shortcut)."""
    b = QToolButton()
    b.setIcon(icon(icon_name))
    b.setToolTip(tip)
    b.setAccessibleName(tip.split(" (")[0])
    if text:
        b.setText(label or tip.split(" (")[0])
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    b.setAutoRaise(True)
    return b


class PreviewToolbar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        self.prev_button = tool_button("previous", "Previous hit (Shift+F3)")
        self.hit_label = QLabel("")
        self.hit_label.setAccessibleName("Hit position")
        self.next_button = tool_button("next", "Next hit (F3)")
        self.tag_button = tool_button("tag", TAG_TIP, text=True)
        self.tag_doc_button = tool_button("tag", "Tag whole document… (Ctrl+Shift+T)", text=True,
                                          label="Tag document…")
        self.page_button = tool_button("page-view", "Show the PDF's pages")
        self.page_button.setCheckable(True)
        self.page_button.setVisible(False)
        self.open_button = tool_button("open-file", "Open file", text=True)
        self.folder_button = tool_button("folder", "Show in folder", text=True)
        for w in (self.prev_button, self.hit_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.tag_button, self.tag_doc_button, self.page_button, self.open_button,
                  self.folder_button):
            bar.addWidget(w)

    def set_position(self, text: str) -> None:
        """'hit 3 of 12 · p. 2', 'Loading…' or ''; read out by screen readers too."""
        self.hit_label.setText(text)
        self.hit_label.setAccessibleDescription(text)

    def set_state(self, matches: int, has_doc: bool, has_selection: bool) -> None:
        """Enable what can work now: moving between hits needs two, tagging a passage needs
        one selected, the rest need a document."""
        self.prev_button.setEnabled(matches > 1)
        self.next_button.setEnabled(matches > 1)
        for b in (self.tag_doc_button, self.open_button, self.folder_button):
            b.setEnabled(has_doc)
        self.set_selection(has_selection)

    def set_selection(self, on: bool) -> None:
        self.tag_button.setEnabled(on)
        self.tag_button.setToolTip(TAG_TIP if on else NO_SELECTION_TIP)

    def fit(self, width: int) -> None:
        """On a narrow pane (a laptop at 150%) the buttons show their icons only, rather than
        cut words; their names stay in the tooltip and for screen readers."""
        buttons = (self.tag_button, self.tag_doc_button, self.open_button, self.folder_button)
        for b in buttons:
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        room = width - 24
        if self.sizeHint().width() > room:
            for b in buttons[2:]:
                b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            if self.sizeHint().width() > room:
                for b in buttons[:2]:
                    b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
