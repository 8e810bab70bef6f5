"""Make every app icon from the one source, icons/app.svg.

    python installer/make_icons.py            # writes icons/app.ico and icons/png/app-<size>.png

Why Qt draws the SVG: PySide6-Essentials (already a dependency) includes QtSvg and renders
offscreen, while the PyPI SVG renderers need system libraries (CairoSVG needs libcairo) or a
browser. Each size is drawn from the vector source, not scaled down from a large bitmap, so the
16-pixel icon stays sharp. Pillow writes the .ico with one image per size.

Windows uses 16-256 px icons (Explorer, Start menu, taskbar at every display scaling); the .png
sizes serve Linux desktops (hicolor theme) and the window itself.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "icons" / "app.svg"
ICO_SIZES = (16, 20, 24, 30, 32, 36, 40, 48, 60, 64, 72, 80, 96, 128, 256)
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at size x size pixels on a transparent background, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])  # noqa: F841
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def make_icons(svg: Path = SOURCE, out_dir: Path | None = None) -> dict[str, Path]:
    """Write app.ico and png/app-<size>.png next to the source (or into out_dir)."""
    from PIL import Image

    out_dir = Path(out_dir or svg.parent)
    png_dir = out_dir / "png"
    png_dir.mkdir(parents=True, exist_ok=True)
    stem = svg.stem
    rendered = {size: render_png(svg, size) for size in sorted(set(ICO_SIZES) | set(PNG_SIZES))}
    written = {}
    for size in PNG_SIZES:
        path = png_dir / f"{stem}-{size}.png"
        path.write_bytes(rendered[size])
        written[f"png{size}"] = path
    images = [Image.open(io.BytesIO(rendered[s])).convert("RGBA") for s in ICO_SIZES]
    ico = out_dir / f"{stem}.ico"
    images[-1].save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                    append_images=images[:-1])
    written["ico"] = ico
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SOURCE, help="the source (icons/app.svg)")
    parser.add_argument("--out", type=Path, default=None, help="folder (default: beside the SVG)")
    args = parser.parse_args(argv)
    if not args.svg.is_file():
        print(f"error: {args.svg} does not exist", file=sys.stderr)
        return 1
    for path in make_icons(args.svg, args.out).values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
