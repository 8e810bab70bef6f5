"""Scanned-looking documents: the same fictional pages, printed to a picture and made to look
like what councils really hold.

- `scan` : an image-only PDF, as a photocopier's scan-to-PDF makes it: grey paper, a slight
  tilt, speckle, soft edges, JPEG compression; no text layer at all.
- `jpg`  : a letter photographed with a phone: colour, tilted a few degrees, lit unevenly,
  on a darker desk.
- `tif`  : a multi-page fax-style TIFF (black and white, CCITT Group 4).

Everything is a pure function of the `Doc` (noise from a seeded generator, fixed PDF dates), so
the same seed gives the same bytes. `write_scanned_pages` takes plain lines per page, for tests
that need words they chose on a page they chose.
"""
from __future__ import annotations

import hashlib
import io
import random

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import ensure_pages, stamp
from evidence_app.samples.writers.pdf import _pdf_lines

DPI = 200
A4 = (int(8.27 * DPI), int(11.69 * DPI))
STYLES = ("scan", "photo", "fax", "clean")


def _font(size: int):
    from PIL import ImageFont  # start-up: PIL is loaded only when this runs

    return ImageFont.load_default(size)


def _lines(page) -> list[tuple[int, bool, str]]:
    """(point size, bold, text) for each line of a sample page."""
    return [(int(size) + 1, font == "F2", text) for font, size, _adv, text in _pdf_lines(page)]


def render_page(lines: list[tuple[int, bool, str]], footer: str = ""):
    """Print lines onto a white A4 page at DPI (greyscale PIL image)."""
    from PIL import Image, ImageDraw  # start-up: PIL is loaded only when this runs

    img = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(img)
    margin = int(0.8 * DPI)
    y = margin
    for size, bold, text in lines:
        px = int(size * DPI / 72)
        if text:
            font = _font(px)
            draw.text((margin, y), text, fill=0, font=font,
                      stroke_width=1 if bold else 0, stroke_fill=0)
        y += int(px * 1.45)
        if y > A4[1] - margin:
            break
    if footer:
        draw.text((margin, A4[1] - int(0.55 * DPI)), footer, fill=60, font=_font(int(8 * DPI / 72)))
    return img


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(),
                                        "big"))


def _noise(size: tuple[int, int], rng: random.Random, spread: int):
    """A deterministic speckle image centred on 128 (Python's generator, not the C library's)."""
    from PIL import Image  # start-up: PIL is loaded only when this runs

    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    lo = 128 - spread
    return raw.point(lambda v: lo + v * (2 * spread) // 255)


def degrade_scan(img, rng: random.Random):
    """A photocopier's scan: grey paper, tilt, blur, speckle (JPEG comes when it is saved)."""
    from PIL import Image, ImageChops, ImageFilter  # start-up: PIL is loaded only when this runs

    img = img.point(lambda v: 38 + v * 0.78)
    img = img.rotate(rng.uniform(-1.8, 1.8), resample=Image.Resampling.BICUBIC,
                     fillcolor=225)
    img = img.filter(ImageFilter.GaussianBlur(0.7))
    return ImageChops.add(img, _noise(img.size, rng, 26), scale=1.0, offset=-128)


def photograph(img, rng: random.Random):
    """A phone photo of a letter on a desk: smaller, tilted, lit from one side, in colour."""
    from PIL import Image, ImageChops  # start-up: PIL is loaded only when this runs

    w, h = img.size
    img = img.resize((w * 3 // 4, h * 3 // 4), Image.Resampling.LANCZOS)
    img = img.rotate(rng.uniform(-4.0, 4.0), resample=Image.Resampling.BICUBIC, expand=True,
                     fillcolor=255)
    desk = Image.new("L", (img.width + 120, img.height + 120), 95)
    desk.paste(img, (60, 60))
    light = Image.linear_gradient("L").rotate(90 if rng.random() < 0.5 else -90)
    light = light.resize(desk.size).point(lambda v: 150 + v * 105 // 255)
    lit = ImageChops.multiply(desk, light)
    lit = ImageChops.add(lit, _noise(lit.size, rng, 10), scale=1.0, offset=-128)
    warm = (lit, lit.point(lambda v: v * 96 // 100), lit.point(lambda v: v * 86 // 100))
    return Image.merge("RGB", warm)


def _pdf(images, doc_date, title: str) -> bytes:
    """Pages as JPEG pictures in a PDF, with fixed dates (Pillow's PDF writer)."""
    import datetime as _dt  # start-up: datetime is loaded only when this runs

    fixed = _dt.datetime(doc_date.year, doc_date.month, doc_date.day, 9, 0).timetuple()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=DPI,
                   quality=38, title=title, creationDate=fixed, modDate=fixed,
                   producer="Evidence Organiser samples (scan)")
    return buf.getvalue()


def write_scanned_pages(pages: list[list[str]], style: str = "scan", seed: str = "",
                        title: str = "Scanned letter") -> bytes:
    """A scanned document whose page N shows exactly `pages[N-1]` (lines of 11 pt text).

    style: "scan" (image-only PDF), "photo" (JPEG of the first page), "fax" (multi-page TIFF)
    or "clean" (image-only PDF of a perfect scan: no tilt, speckle or grey paper).
    """
    import datetime as _dt  # start-up: datetime is loaded only when this runs

    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}")
    rng = _rng(f"{seed}|{title}|{style}")
    images = []
    for n, lines in enumerate(pages, start=1):
        page = render_page([(11, False, t) for t in lines],
                           f"FICTIONAL TEST DATA - page {n} of {len(pages)}")
        images.append(page)
    return _encode(images, style, rng, _dt.date(2026, 1, 5), title)


def _encode(images, style: str, rng: random.Random, date, title: str) -> bytes:
    if style == "scan":
        return _pdf([degrade_scan(i, rng) for i in images], date, title)
    if style == "clean":
        return _pdf(images, date, title)
    buf = io.BytesIO()
    if style == "photo":
        photograph(images[0], rng).save(buf, "JPEG", quality=62)
        return buf.getvalue()
    bw = [i.point(lambda v: 255 if v > 150 else 0).convert("1") for i in images]
    bw[0].save(buf, "TIFF", save_all=True, append_images=bw[1:], compression="group4",
               dpi=(DPI, DPI))
    return buf.getvalue()


def _doc_images(doc: Doc, max_pages: int):
    pages = ensure_pages(doc)[:max_pages]
    return [render_page(_lines(p), f"FICTIONAL TEST DATA - sample scan   Page {n} of "
                        f"{len(pages)}") for n, p in enumerate(pages, start=1)]


def write_scan(doc: Doc) -> bytes:
    """`.pdf` made of scanned page images only."""
    return _encode(_doc_images(doc, 4), "scan", _rng(f"scan|{doc.title}|{stamp(doc)}"),
                   doc.date, doc.title)


def write_photo(doc: Doc) -> bytes:
    """`.jpg` photo of the letter's first page."""
    return _encode(_doc_images(doc, 1), "photo", _rng(f"photo|{doc.title}|{stamp(doc)}"),
                   doc.date, doc.title)


def write_fax(doc: Doc) -> bytes:
    """`.tif`: every page, black and white."""
    return _encode(_doc_images(doc, 4), "fax", _rng(f"fax|{doc.title}|{stamp(doc)}"),
                   doc.date, doc.title)
