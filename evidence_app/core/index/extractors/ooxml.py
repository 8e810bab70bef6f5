"""Helpers shared by the Word and Excel extractors: package checks, properties, embedded files."""
from __future__ import annotations

import posixpath

from evidence_app.core.index.extractors.base import Extracted, Limits
from evidence_app.core.index.extractors.detect import OLE_MAGIC, SUFFIXES, suffix_of
from evidence_app.core.index.extractors.safety import (
    MIB, Damaged, Encrypted, open_zip, parse_xml, read_member,
)
from evidence_app.core.index.extractors.dispatch import extract_bytes
import io

DC = "http://purl.org/dc/elements/1.1/"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS = "http://purl.org/dc/terms/"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
              "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
R_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships")

_PROPS = {f"{{{DC}}}title": "title", f"{{{DC}}}creator": "author",
          f"{{{CP}}}lastModifiedBy": "last_modified_by", f"{{{DCTERMS}}}created": "created",
          f"{{{DCTERMS}}}modified": "modified", f"{{{DC}}}subject": "subject"}


def open_package(data: bytes, limits: Limits, kind: str):
    """Open an OOXML package, telling encrypted Office files (OLE wrappers) from damaged ones."""
    if data.startswith(OLE_MAGIC):
        if is_encrypted_ole(data):
            raise Encrypted()
        raise Damaged(f"The {kind} is damaged: it is not a valid Office file.")
    return open_zip(data, limits, kind)


def is_encrypted_ole(data: bytes) -> bool:
    """True if an OLE2 file is a password-protected Office document (msoffcrypto decides)."""
    try:
        import msoffcrypto  # start-up: msoffcrypto is loaded only when this runs

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - unknown or broken OLE: fall back on the stream names
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.detect import ole_markers

        return "encrypted-ooxml" in ole_markers(data)


def core_properties(zf, what: str) -> dict:
    """docProps/core.xml as a small dict (title, author, created, modified…); {} if absent."""
    try:
        root = parse_xml(read_member(zf, "docProps/core.xml", 4 * MIB), what)
    except (KeyError, Damaged):
        return {}
    props = {}
    for el in root:
        key = _PROPS.get(el.tag)
        if key and el.text and el.text.strip():
            props[key] = " ".join(el.text.split())[:500]
    return props


def main_part(zf, default: str) -> str:
    """The package's main part: `default` if present, else the officeDocument relationship."""
    names = set(zf.namelist())
    if default in names:
        return default
    try:
        rels = parse_xml(read_member(zf, "_rels/.rels", 4 * MIB))
    except (KeyError, Damaged):
        raise KeyError(default) from None
    for rel in rels:
        if rel.get("Type") in OFFICE_DOC:
            target = rel.get("Target", "").lstrip("/")
            if target in names:
                return target
    raise KeyError(default)


def rel_targets(zf, part: str) -> dict[str, str]:
    """Relationship id -> package path, for one part's .rels file."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = parse_xml(read_member(zf, rels_name, 8 * MIB))
    except (KeyError, Damaged):
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = path
    return out


def embedded_children(zf, folder: str, limits: Limits, depth: int) -> list[tuple[str, Extracted]]:
    """Embedded documents (e.g. word/embeddings/*.docx) as child results."""
    if depth >= limits.max_attachment_depth:
        return []

    children = []
    for info in zf.infolist():
        name = info.filename
        if not name.startswith(folder) or info.is_dir():
            continue
        if SUFFIXES.get(suffix_of(name)) not in ("docx", "xlsx", "pdf", "odt", "ods", "rtf",
                                                  "txt", "csv", "msg", "eml"):
            continue
        try:
            blob = read_member(zf, name, limits.max_file_bytes)
        except Exception:  # noqa: BLE001
            continue
        children.append((posixpath.basename(name), extract_bytes(blob, name, limits, depth + 1)))
    return children
