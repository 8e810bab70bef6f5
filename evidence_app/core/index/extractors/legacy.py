"""What is left after the main readers: files named .doc/.xls that are not OLE2 files, zip
archives, images and everything else. Each comes back with a status and a reason (the file name
stays searchable); password-protected ones are reported as encrypted so users know why.
"""
from __future__ import annotations

from evidence_app.core.index.extractors.base import EMPTY, UNSUPPORTED, Extracted, Limits
from evidence_app.core.index.extractors.detect import OLE_MAGIC, ole_markers, suffix_of
from evidence_app.core.index.extractors.safety import Damaged, Encrypted, open_zip
from evidence_app.core.index.extractors.detect import _sniff_text
import io

ZIP_REASON = "Zip archives are not opened; the archive's name is still searchable."
IMAGE_REASON = "image: no text layer"
_NAMES = {"doc": "Word document", "xls": "Excel workbook", "ppt": "PowerPoint file"}


def _encrypted_legacy(data: bytes) -> bool:
    try:
        import msoffcrypto  # start-up: msoffcrypto is loaded only when this runs

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - not an Office file msoffcrypto knows: treat as plain
        return False


def not_ole(data: bytes, name: str, limits: Limits, depth: int, fmt: str) -> Extracted:
    """A file named .doc/.xls/.ppt that is not an OLE2 file. Word and Excel save web pages and
    plain text under these names; old files may be WordPerfect or Works."""
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) or b"<html" in head[:1024]:
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.html_text import extract_html

        result = extract_html(data, name, limits, depth)
        result.format = fmt
        return result
    if data.startswith(b"\xffWPC"):
        raise Damaged(f"This .{fmt} file is really a WordPerfect document, which is not read; "
                      "its name is still searchable.")

    if _sniff_text(data[:4096]) == "txt":
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.plain import extract_text

        result = extract_text(data, name + ".txt", limits, depth)
        result.format = fmt
        return result
    raise Damaged(f"The {_NAMES.get(fmt, 'file')} is damaged: it is not a valid Office "
                  "97-2003 file.")


MAX_IMAGE_FRAMES = 5_000
OCR_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")  # JPEG PNG TIFF


def extract_image(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    """Photos and scans: listed and findable by name at once; the formats OCR reads (JPEG, PNG,
    TIFF, multi-page TIFF) have their pages marked for the OCR pass (core/index/ocr)."""
    if not data.startswith(OCR_MAGIC):  # GIF, BMP, WebP, HEIC: listed by name only
        return Extracted(EMPTY, IMAGE_REASON, "image")
    try:
        # start-up: loaded only when this runs
        from evidence_app.core.index.ocr.pages import image_frames

        frames = min(image_frames(io.BytesIO(data)), MAX_IMAGE_FRAMES)
    except Exception:  # noqa: BLE001 - Pillow cannot open it: nothing for OCR to read
        return Extracted(EMPTY, IMAGE_REASON, "image")
    return Extracted(EMPTY, IMAGE_REASON, "image", pages=frames,
                     metadata={"scan_pages": list(range(1, frames + 1))})


def extract_zip(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    zf = open_zip(data, limits, "zip archive")  # bombs -> too_large, encrypted -> encrypted
    entries = [i.filename for i in zf.infolist() if not i.is_dir()][:1000]
    return Extracted(UNSUPPORTED, ZIP_REASON, "zip", metadata={"entries": entries})


def extract_unknown(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    ext = suffix_of(name)
    if data.startswith(OLE_MAGIC):
        if "encrypted-ooxml" in ole_markers(data) or _encrypted_legacy(data):
            raise Encrypted()
    if ext in ("odp", "key"):
        return Extracted(UNSUPPORTED, "Presentation files of this kind are not read; save the "
                         "slides as PDF or .pptx to index their text.", "unknown")
    what = f"Files of type .{ext}" if ext else "Files of this type"
    return Extracted(UNSUPPORTED, f"{what} are not read; only the file name is searchable.",
                     "unknown")
