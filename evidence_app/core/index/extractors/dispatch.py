"""Route a file to its extractor and turn every failure into a status with a plain reason.

The registry maps a format to "module:function"; modules are imported on first use so that
importing the package stays cheap. Each extractor has the signature
`fn(data: bytes, name: str, limits: Limits, depth: int) -> Extracted` and may raise a
`safety.Stop` subclass; anything else it raises becomes DAMAGED here.
"""
from __future__ import annotations

import importlib
import os

from evidence_app.core.index.extractors.base import (
    DAMAGED, EMPTY, MISSING, OK, TOO_LARGE, UNSUPPORTED, Extracted, Limits,
)
from evidence_app.core.index.extractors.detect import detect_format
from pathlib import Path

REGISTRY: dict[str, str] = {
    "pdf": "pdf:extract_pdf",
    "docx": "word:extract_docx",
    "xlsx": "sheet:extract_xlsx",
    "odt": "odf:extract_odf",
    "ods": "odf:extract_odf",
    "rtf": "rtf:extract_rtf",
    "html": "html_text:extract_html",
    "eml": "mail:extract_eml",
    "msg": "outlook:extract_msg_file",
    "txt": "plain:extract_text",
    "md": "plain:extract_text",
    "csv": "plain:extract_text",
    "doc": "word97:extract_doc",
    "xls": "sheet_xls:extract_xls",
    "ppt": "slides:extract_ppt",
    "pptx": "slides:extract_pptx",
    "image": "legacy:extract_image",
    "zip": "legacy:extract_zip",
    "unknown": "legacy:extract_unknown",
}

# How each format is named in reasons shown to users.
KIND = {
    "pdf": "PDF", "docx": "Word document", "xlsx": "Excel workbook",
    "odt": "OpenDocument text file", "ods": "OpenDocument spreadsheet", "rtf": "RTF document",
    "html": "web page", "eml": "email", "msg": "Outlook message", "txt": "text file",
    "md": "Markdown file", "csv": "CSV file", "doc": "Word document", "xls": "Excel workbook",
    "ppt": "PowerPoint file", "pptx": "PowerPoint file", "image": "image", "zip": "zip archive",
    "unknown": "file",
}

EMPTY_REASON = "The file has no text (it may be a scan or image)."
HEAD_BYTES = 64 * 1024


def kind_of(fmt: str) -> str:
    return KIND.get(fmt, "file")


def _load(fmt: str):
    module, func = REGISTRY.get(fmt, REGISTRY["unknown"]).split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), func)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def too_large(size: int, limits: Limits, fmt: str) -> Extracted:
    return Extracted(TOO_LARGE, f"The file is too large to index ({_mb(size)}; the limit is "
                     f"{_mb(limits.max_file_bytes)}). Its name is still searchable.", fmt)


def extract_bytes(data: bytes, name: str, limits: Limits = Limits(), depth: int = 0) -> Extracted:
    """Extract text from a file's bytes. Never raises for any input."""
    fmt = "unknown"
    try:
        data = bytes(data or b"")
        fmt = detect_format(data, name or "")
        if len(data) > limits.max_file_bytes:
            return too_large(len(data), limits, fmt)
        if not data:
            return Extracted(EMPTY, "The file is empty (0 bytes).", fmt)
        result = _load(fmt)(data, name or "", limits, depth)
        result.format = result.format or fmt
        if result.status == OK and result.chars == 0 and not result.children:
            result.status = EMPTY
            result.reason = result.reason or EMPTY_REASON
        return result
    except MemoryError:
        return Extracted(TOO_LARGE, "The file needs more memory to read than is allowed.", fmt)
    except RecursionError:
        return Extracted(DAMAGED, f"The {kind_of(fmt)} is damaged: its structure is nested too "
                         "deeply to read.", fmt)
    except Exception as exc:  # noqa: BLE001 - the contract: never raise for bad input
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.safety import Stop

        if isinstance(exc, Stop):
            return Extracted(exc.status, exc.reason, fmt)
        return Extracted(DAMAGED, f"The {kind_of(fmt)} is damaged and could not be read.", fmt)


def extract_file(path: str | os.PathLike, limits: Limits = Limits()) -> Extracted:
    """Extract text from a file on disk. Never raises for any input."""
    fmt = "unknown"
    try:
        p = Path(path)
        try:
            st = p.stat()
        except FileNotFoundError:
            return Extracted(MISSING, "The file could not be found.", fmt)
        if not p.is_file():
            return Extracted(UNSUPPORTED, "This is not a regular file.", fmt)
        if st.st_size > limits.max_file_bytes:
            with p.open("rb") as f:
                fmt = detect_format(f.read(HEAD_BYTES), p.name)
            return too_large(st.st_size, limits, fmt)
        with p.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except MemoryError:
        return Extracted(TOO_LARGE, "The file needs more memory to read than is allowed.", fmt)
    except PermissionError:
        return Extracted(DAMAGED, "The file could not be opened: access to it was refused.", fmt)
    except OSError:
        return Extracted(DAMAGED, "The file could not be read from the disk.", fmt)
    except Exception:  # noqa: BLE001
        return Extracted(DAMAGED, "The file could not be read.", fmt)
    return extract_bytes(data, p.name, limits, 0)
