"""A calm page for a place whose module is not installed yet."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from evidence_app.ui.places import Place
from evidence_app.ui.style import icon, muted


class ComingSoon(QWidget):
    def __init__(self, place: Place, broken: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.place = place
        self.setAccessibleName(f"{place.title}: coming soon")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        pic = QLabel()
        pic.setPixmap(icon(place.icon, muted().name()).pixmap(48, 48))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(pic)
        title = QLabel(place.title)
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        text = ("This place could not be opened. Details are in the error log." if broken else
                f"{place.description}\n\nComing soon: this part of the app is being built. "
                "Search (Ctrl+1) works now.")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setStyleSheet(f"color: {muted().name()}")
        body.setMaximumWidth(520)
        body.setAccessibleName("Explanation")
        row = QVBoxLayout()
        row.addWidget(body, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addLayout(row)
        lay.addStretch(2)
