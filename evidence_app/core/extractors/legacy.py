"""Formats that are recognised but not read: Office 97-2003, zip archives, everything else.

They still come back with a status and a reason (the file name stays searchable); password-
protected ones are reported as encrypted so users know why.
"""
from __future__ import annotations

from .base import UNSUPPORTED, Extracted, Limits
from .detect import OLE_MAGIC, ole_markers, suffix_of
from .safety import Encrypted, open_zip

LEGACY_REASONS = {
    "doc": "Word 97-2003 .doc files are not read; save it as .docx to index its text.",
    "xls": "Excel 97-2003 .xls files are not read; save it as .xlsx to index its text.",
    "ppt": "PowerPoint files are not read; save the slides as PDF to index their text.",
}
ZIP_REASON = "Zip archives are not opened; the archive's name is still searchable."


def _encrypted_legacy(data: bytes) -> bool:
    import io

    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - not an Office file msoffcrypto knows: treat as plain
        return False


def extract_legacy(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    from .detect import detect_format

    fmt = detect_format(data, name)
    if data.startswith(OLE_MAGIC) and _encrypted_legacy(data):
        raise Encrypted()
    return Extracted(UNSUPPORTED, LEGACY_REASONS.get(fmt, LEGACY_REASONS["doc"]), fmt)


def extract_zip(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    zf = open_zip(data, limits, "zip archive")  # bombs -> too_large, encrypted -> encrypted
    entries = [i.filename for i in zf.infolist() if not i.is_dir()][:1000]
    return Extracted(UNSUPPORTED, ZIP_REASON, "zip", metadata={"entries": entries})


def extract_unknown(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    ext = suffix_of(name)
    if data.startswith(OLE_MAGIC):
        if "encrypted-ooxml" in ole_markers(data) or _encrypted_legacy(data):
            raise Encrypted()
    if ext in ("pptx", "pptm", "ppsx", "odp", "key"):
        return Extracted(UNSUPPORTED, "Presentation files are not read; save the slides as PDF "
                         "to index their text.", "unknown")
    what = f"Files of type .{ext}" if ext else "Files of this type"
    return Extracted(UNSUPPORTED, f"{what} are not read; only the file name is searchable.",
                     "unknown")
