"""Page images for OCR: a PDF page drawn by pdfium, or a frame of a photo or scan, at a size
chosen for recognition and capped so that a huge scan cannot exhaust a worker's memory.

Also the fast pass's test of which pages need OCR at all (`needs_ocr`): a page with a usable
text layer is never read again.
"""
from __future__ import annotations

import re
from pathlib import Path

OCR_DPI = 250                 # Tesseract reads 9-12 pt print well from 200 dpi up
MAX_SIDE_PX = 4000            # A4 at 250 dpi is 2067 x 2923
MAX_PIXELS = 12_000_000       # what one page may cost after scaling (~12 MB greyscale)
MAX_SOURCE_PIXELS = 250_000_000   # an image larger than this is not decoded at all
MIN_SIDE_PX = 1400            # small images (a low-resolution scan) are enlarged to this
MIN_USABLE_CHARS = 12         # a text layer shorter than this ("Page 3") is not a page of text
MIN_WORDLIKE_SHARE = 0.55     # below this share of letters and digits a text layer is garbled
IMAGE_FORMATS = ("jpg", "jpeg", "png", "tif", "tiff")


class PageTooLarge(Exception):
    """The page or image is too large to decode safely; the message says why."""


def needs_ocr(text: str | None) -> bool:
    """True when a page's text layer is missing, tiny or garbled (a font without a Unicode map
    gives '!"#$%&'...), so OCR should read the page; False for a page of real text."""
    visible = "".join((text or "").split())
    if len(visible) < MIN_USABLE_CHARS:
        return True
    # Counted by the regex engine, not a generator per character: this runs for every page of
    # every PDF, and the generators were a third of reading a text PDF. `[\W_]` is exactly
    # "not str.isalnum()" (the engine uses the same Unicode test).
    wordlike = len(_NOT_ALNUM.sub("", visible))
    odd = len(visible) - len(_ODD.sub("", visible))
    return wordlike / len(visible) < MIN_WORDLIKE_SHARE or odd / len(visible) > 0.1


_NOT_ALNUM = re.compile(r"[\W_]+")
_ODD = re.compile("[\ufffd\ue000-\uf8ff]+")  # the replacement character, private-use glyphs


def fit(width: int, height: int, scale: float = 1.0) -> float:
    """The scale that keeps a page within MAX_SIDE_PX and MAX_PIXELS (never above `scale`)."""
    w, h = width * scale, height * scale
    if max(w, h) > MAX_SIDE_PX:
        scale *= MAX_SIDE_PX / max(w, h)
        w, h = width * scale, height * scale
    if w * h > MAX_PIXELS:
        scale *= (MAX_PIXELS / (w * h)) ** 0.5
    return scale


def pdf_page(path: str | Path, page: int):
    """Page `page` (1-based) of a PDF as a greyscale PIL image at OCR resolution."""
    import pypdfium2 as pdfium  # start-up: pypdfium2 is loaded only when this runs

    doc = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(doc):
            raise IndexError(page)
        p = doc[page - 1]
        try:
            w_pt, h_pt = p.get_size()
            scale = fit(max(1, int(w_pt)), max(1, int(h_pt)), OCR_DPI / 72)
            bitmap = p.render(scale=scale, grayscale=True)
            return bitmap.to_pil().convert("L")
        finally:
            p.close()
    finally:
        doc.close()


def _open_header(source):  # noqa: ANN001, ANN202
    """Image.open without Pillow's own size refusal: it reads only the header, and this module
    refuses sizes itself (MAX_SOURCE_PIXELS) with a reason a person can read."""
    from PIL import Image  # start-up: PIL is loaded only when this runs

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(source)
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def image_frames(data_or_path) -> int:  # noqa: ANN001
    """How many pages an image file holds (multi-page TIFF), without decoding any of them."""
    with _open_header(data_or_path) as im:
        return max(1, int(getattr(im, "n_frames", 1) or 1))


def image_page(path: str | Path, page: int):
    """Frame `page` (1-based) of an image file, greyscale, scaled for OCR."""
    from PIL import Image, ImageOps  # start-up: PIL is loaded only when this runs

    with _open_header(str(path)) as im:
        w, h = im.size
        if w * h > MAX_SOURCE_PIXELS:
            raise PageTooLarge(f"The image is too large to read ({w:,} x {h:,} pixels).")
        if page > 1:
            im.seek(page - 1)
            w, h = im.size
            if w * h > MAX_SOURCE_PIXELS:
                raise PageTooLarge(f"The page is too large to read ({w:,} x {h:,} pixels).")
        scale = fit(w, h)
        if scale < 1 and im.format == "JPEG":
            im.draft("L", (int(w * scale), int(h * scale)))  # decode at a reduced size
        frame = ImageOps.exif_transpose(im) if page == 1 else im
        frame = frame.convert("L")
    w, h = frame.size
    scale = fit(w, h)
    if scale < 1:
        frame = frame.resize((max(1, int(w * scale)), max(1, int(h * scale))),
                             Image.Resampling.LANCZOS)
    elif max(w, h) < MIN_SIDE_PX:
        grow = min(3.0, MIN_SIDE_PX / max(w, h), fit(w, h, 3.0))
        frame = frame.resize((int(w * grow), int(h * grow)), Image.Resampling.LANCZOS)
    return frame


def load_page(path: str | Path, page: int, fmt: str):
    """The image OCR reads for one page of a document of format `fmt` ("pdf" or an image)."""
    if fmt == "pdf":
        return pdf_page(path, page)
    return image_page(path, page)
