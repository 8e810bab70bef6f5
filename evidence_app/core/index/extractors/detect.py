"""Tell a file's format from its first bytes, falling back to its name.

Magic bytes win over the suffix, so a PDF saved as ".txt" is read as a PDF and an Outlook message
saved with no extension is still found. Only the standard library is used here: this module is
imported with the package and must stay cheap.
"""
from __future__ import annotations

import re
import struct
import io

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Suffix -> format, for when the bytes do not decide.
SUFFIXES = {
    "pdf": "pdf",
    "docx": "docx", "docm": "docx", "dotx": "docx", "dotm": "docx",
    "xlsx": "xlsx", "xlsm": "xlsx", "xltx": "xlsx", "xltm": "xlsx",
    "odt": "odt", "ott": "odt", "ods": "ods", "ots": "ods",
    "rtf": "rtf",
    "html": "html", "htm": "html", "xhtml": "html", "shtml": "html",
    "eml": "eml", "mbox": "eml", "mbx": "eml",
    "msg": "msg",
    "txt": "txt", "text": "txt", "log": "txt",
    "md": "md", "markdown": "md",
    "csv": "csv", "tsv": "csv",
    "doc": "doc", "dot": "doc", "xls": "xls", "xlt": "xls", "ppt": "ppt", "pps": "ppt", "pot": "ppt",
    "pptx": "pptx", "pptm": "pptx", "ppsx": "pptx", "potx": "pptx",
    "jpg": "image", "jpeg": "image", "png": "image", "tif": "image", "tiff": "image",
    "gif": "image", "bmp": "image", "heic": "image", "webp": "image",
    "zip": "zip",
}
# Image files by their first bytes: JPEG, PNG, TIFF (both byte orders), GIF, BMP, WebP.
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF87a",
                b"GIF89a")

# Directory entry names inside OLE2 files are UTF-16LE.
def _u16(s: str) -> bytes:
    return s.encode("utf-16-le")


_OLE_MSG = (_u16("__substg1.0_"), _u16("__properties_version1.0"))
_OLE_ENCRYPTED = (_u16("EncryptionInfo"), _u16("EncryptedPackage"))
_OLE_LEGACY = (("doc", _u16("WordDocument")), ("xls", _u16("Workbook")), ("xls", _u16("Book\x00")),
               ("ppt", _u16("PowerPoint Document")))

_MAIL_HEADERS = (
    b"received", b"from", b"return-path", b"mime-version", b"delivered-to", b"message-id",
    b"date", b"subject", b"to", b"cc", b"reply-to", b"sender", b"x-", b"content-type",
    b"envelope-to", b"x-mailer", b"thread-topic", b"dkim-signature", b"authentication-results",
)
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?[^\r\n]*\r?\n")
_MBOX_LINE = re.compile(rb"^From [^\r\n]{1,200}\r?\n")
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.I | re.S)


def suffix_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[-1].lower()


def detect_format(head: bytes, name: str) -> str:
    """Return the format of a file from its first bytes (the more, the better) and its name.

    One of: pdf docx xlsx pptx odt ods rtf html eml msg txt md csv doc xls ppt image zip
    unknown.
    Passing the whole file lets OLE2 files (Outlook .msg, encrypted Office, .doc/.xls/.ppt) be
    told apart even when their directory lies beyond the first few kilobytes.
    """
    head = bytes(head or b"")
    ext = suffix_of(name or "")
    by_suffix = SUFFIXES.get(ext, "")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _zip_kind(head, by_suffix, ext)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(head, by_suffix)
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or (
            head[:2] == b"BM" and by_suffix == "image"):
        return "image"
    body = _strip_bom(head)
    if body.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if by_suffix:
        return by_suffix
    return _sniff_text(head)


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _zip_names(head: bytes) -> list[str]:
    """Entry names, from the central directory if the whole file is here, else local headers."""
    import zipfile  # start-up: zipfile is loaded only when this runs

    try:
        with zipfile.ZipFile(io.BytesIO(head)) as zf:
            return zf.namelist()[:5000]
    except Exception:
        pass
    names, pos = [], 0
    while pos + 30 <= len(head) and head[pos:pos + 4] == b"PK\x03\x04" and len(names) < 200:
        flags, _m, _t, _d, _crc, csize, _usize, nlen, xlen = struct.unpack(
            "<HHHHIIIHH", head[pos + 6:pos + 30])
        names.append(head[pos + 30:pos + 30 + nlen].decode("cp437", "replace"))
        if flags & 0x08 and csize == 0:
            break  # sizes follow the data: cannot skip to the next header
        pos += 30 + nlen + xlen + csize
    return names


def _zip_kind(head: bytes, by_suffix: str, ext: str) -> str:
    names = _zip_names(head)
    nameset = set(names)
    if "mimetype" in nameset or b"mimetype" in head[:64]:
        mime = head[:256]
        if b"opendocument.text" in mime:
            return "odt"
        if b"opendocument.spreadsheet" in mime:
            return "ods"
        if by_suffix in ("odt", "ods"):
            return by_suffix
    if "[Content_Types].xml" in nameset or any(n.startswith(("word/", "xl/", "ppt/")) for n in names):
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
        if by_suffix in ("docx", "xlsx", "pptx"):
            return by_suffix
    if by_suffix in ("docx", "xlsx", "pptx", "odt", "ods"):
        return by_suffix  # a damaged package: the extractor will say so
    return "zip"


def ole_markers(data: bytes) -> set[str]:
    """Which kinds of OLE2 streams the data's directory names mention."""
    found = set()
    if any(m in data for m in _OLE_MSG):
        found.add("msg")
    if all(m in data for m in _OLE_ENCRYPTED):
        found.add("encrypted-ooxml")
    for kind, marker in _OLE_LEGACY:
        if marker in data:
            found.add(kind)
    return found


def _ole_kind(head: bytes, by_suffix: str) -> str:
    found = ole_markers(head)
    if "msg" in found:
        return "msg"
    if "encrypted-ooxml" in found:
        return by_suffix if by_suffix in ("docx", "xlsx", "pptx") else "docx"
    if by_suffix in found:
        return by_suffix
    for kind in ("doc", "xls", "ppt"):
        if kind in found:
            return kind
    if by_suffix in ("doc", "xls", "ppt", "msg", "docx", "xlsx", "pptx"):
        return by_suffix
    return "unknown"


def _looks_like_mail(body: bytes) -> bool:
    if _MBOX_LINE.match(body):
        body = body[_MBOX_LINE.match(body).end():]
    m = _HEADER_LINE.match(body)
    if not m:
        return False
    field = m.group(1).lower()
    return any(field == h or (h.endswith(b"-") and field.startswith(h)) for h in _MAIL_HEADERS)


def _sniff_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "txt"
    body = _strip_bom(head)
    if _HTML_START.match(body[:4096]):
        return "html"
    if _looks_like_mail(body[:4096]):
        return "eml"
    sample = body[:4096]
    if not sample:
        return "unknown"
    if b"\x00" in sample:
        return "unknown"
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return "txt" if control <= len(sample) // 100 else "unknown"
