"""The start screen, shown when no workspace is open: create, open, or try the demo."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from evidence_app.ui.style import ACCENT, app_icon, icon, muted


class StartView(QWidget):
    createRequested = Signal()
    openRequested = Signal()
    demoRequested = Signal()
    recentChosen = Signal(str)

    def __init__(self, recent: list[Path] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence Organiser")
        self.setWindowIcon(app_icon())
        self.resize(760, 520)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        col = QVBoxLayout()
        col.setSpacing(12)
        col.addStretch(1)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(56, 56))
        logo.setAccessibleName("Evidence Organiser logo")
        col.addWidget(logo, 0, Qt.AlignmentFlag.AlignHCenter)
        title = QLabel("Evidence Organiser")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.8)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col.addWidget(title)
        intro = QLabel("Prepare your evidence for an Ofsted inspection of children's services: "
                       "index case files and policies, search them, tag passages and build "
                       "bundles.\nA workspace is a folder that holds the index and your work.")
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro.setStyleSheet(f"color: {muted().name()}")
        col.addWidget(intro)
        col.addSpacing(8)
        self.create_button = self._button("add-folder", "Create workspace…",
                                          "Make a new workspace folder", self.createRequested,
                                          primary=True)
        self.open_button = self._button("workspace", "Open workspace…",
                                        "Open a workspace folder made earlier", self.openRequested)
        self.demo_button = self._button("search", "Open the demo workspace",
                                        "A workspace of fictional case files and policies to try "
                                        "the app", self.demoRequested)
        for b in (self.create_button, self.open_button, self.demo_button):
            col.addWidget(b)
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent workspaces")
        self.recent.itemActivated.connect(
            lambda item: self.recentChosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.recent_label = QLabel("Recent workspaces")
        self.recent_label.setBuddy(self.recent)
        col.addWidget(self.recent_label)
        col.addWidget(self.recent)
        self.set_recent(recent or [])
        self.progress_label = QLabel("")
        self.progress_label.setAccessibleName("Progress")
        self.progress_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Preparing the demo")
        self.progress.setTextVisible(False)
        self.progress.hide()
        col.addWidget(self.progress_label)
        col.addWidget(self.progress)
        col.addStretch(2)
        box = QWidget()
        box.setLayout(col)
        box.setMaximumWidth(460)
        box.setMinimumWidth(380)
        outer.addWidget(box)
        outer.addStretch(1)

    def _button(self, icon_name: str, text: str, description: str, signal,  # noqa: ANN001
                primary: bool = False) -> QPushButton:
        b = QPushButton(icon(icon_name, "#ffffff" if primary else None), text)
        b.setAccessibleName(text.rstrip("…"))
        b.setAccessibleDescription(description)
        b.setToolTip(description)
        b.setMinimumHeight(38)
        if primary:
            b.setDefault(True)
            b.setStyleSheet(f"QPushButton {{ background: {ACCENT}; color: white; border: none; "
                            "border-radius: 4px; padding: 6px 14px; font-weight: bold; }"
                            "QPushButton:focus { outline: 2px solid palette(highlight); }")
        b.clicked.connect(signal)
        return b

    def set_recent(self, recent: list[Path]) -> None:
        self.recent.clear()
        for p in recent:
            item = QListWidgetItem(icon("workspace"), f"{p.name}  —  {p}")
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            self.recent.addItem(item)
        visible = bool(recent)
        self.recent.setVisible(visible)
        self.recent_label.setVisible(visible)
        self.recent.setMaximumHeight(28 * min(len(recent), 4) + 8)

    def set_busy(self, message: str, done: int = 0, total: int = 0) -> None:
        self.progress_label.setText(message)
        self.progress.show()
        self.progress.setRange(0, total or 0)
        if total:
            self.progress.setValue(done)
        for b in (self.create_button, self.open_button, self.demo_button):
            b.setEnabled(False)

    def set_idle(self, message: str = "") -> None:
        self.progress_label.setText(message)
        self.progress.hide()
        for b in (self.create_button, self.open_button, self.demo_button):
            b.setEnabled(True)
