"""The few visual constants the window uses, and icons drawn from `icons/*.svg`.

The palette follows the system (light or dark): only one accent colour and the coverage colours are
fixed. Line icons use `currentColor`, recoloured here to the palette's text colour so they read in
both light and dark mode.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from evidence_app.paths import icons_dir

ACCENT = "#1f6f8b"  # the one accent colour (teal blue; readable on light and dark)
# Coverage colours: used only for coverage (the framework place), always with a count beside.
COVERAGE = {"none": "#c0392b", "thin": "#e67e22", "some": "#f1c40f", "good": "#27ae60"}
STATUS_BADGE = {"missing": "#8a8a8a", "stale": "#b9770e", "damaged": "#c0392b",
                "encrypted": "#7d3c98", "timeout": "#b9770e", "too_large": "#b9770e",
                "unsupported": "#8a8a8a", "empty": "#8a8a8a", "skipped": "#8a8a8a"}
SIZES = (16, 20, 24, 32, 48)


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def text_colour() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#202020"
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


@lru_cache(maxsize=128)
def _icon(name: str, colour: str) -> QIcon:
    # start-up: loaded when first used, not when the window opens
    from PySide6.QtSvg import QSvgRenderer

    path = icons_dir() / f"{name}.svg"
    if not path.exists():
        return QIcon()
    data = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    icon = QIcon()
    for size in SIZES:
        for scale in (1, 2):
            pm = QPixmap(size * scale, size * scale)
            pm.setDevicePixelRatio(scale)
            pm.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pm)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            icon.addPixmap(pm)
    return icon


def icon(name: str, colour: str | None = None) -> QIcon:
    """A themed icon from `icons/NAME.svg` (empty icon if the file is absent)."""
    return _icon(name, colour or text_colour())


def app_icon() -> QIcon:
    path = icons_dir() / "app.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def muted(colour: QColor | None = None) -> QColor:
    """The secondary text colour: the palette's text mixed towards the base."""
    pal = QGuiApplication.palette()
    a = colour or pal.color(QPalette.ColorRole.Text)
    b = pal.color(QPalette.ColorRole.Base)
    return QColor((a.red() * 3 + b.red() * 2) // 5, (a.green() * 3 + b.green() * 2) // 5,
                  (a.blue() * 3 + b.blue() * 2) // 5)


ICON_SIZE = QSize(20, 20)
