"""Guards for untrusted files: zip-bomb checks, bounded reads and a hardened XML parser.

Extractors raise the `Stop` exceptions below with a plain-English reason; the dispatcher turns
them into an `Extracted` with the matching status. Nothing here resolves XML entities, loads a
DTD or touches the network.
"""
from __future__ import annotations

import io
import struct
import threading
import zipfile
import zlib

from evidence_app.core.index.extractors.base import (
    DAMAGED, ENCRYPTED, TOO_LARGE, UNSUPPORTED, Limits,
)

MIB = 1024 * 1024
# Parts parsed into a full tree (document.xml, content.xml) are capped: lxml trees take several
# times the XML's size in memory. Sheets are streamed and have no such cap.
MAX_TREE_PART = 128 * MIB

ENCRYPTED_REASON = "The file is password-protected."


class Stop(Exception):
    """End extraction with a status and a reason meant for the user."""

    status = DAMAGED

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Damaged(Stop):
    status = DAMAGED


class TooLarge(Stop):
    status = TOO_LARGE


class Encrypted(Stop):
    status = ENCRYPTED

    def __init__(self, reason: str = ENCRYPTED_REASON):
        super().__init__(reason)


class Unsupported(Stop):
    status = UNSUPPORTED


def size_text(n: int) -> str:
    if n >= 10 * MIB:
        return f"{n // MIB:,} MB"
    if n >= MIB:
        return f"{n / MIB:.1f} MB"
    return f"{max(1, n // 1024):,} KB"


# ---------------------------------------------------------------- zip containers

def _eocd_entry_count(data: bytes) -> int | None:
    """Entries the end-of-central-directory record declares, read before zipfile parses them."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if pos < 0 or pos + 22 > len(data):
        return None
    return struct.unpack("<H", data[pos + 10:pos + 12])[0]


def open_zip(data: bytes, limits: Limits, kind: str) -> zipfile.ZipFile:
    """Open a zip container after checking it is not a bomb. `kind` names it for reasons."""
    count = _eocd_entry_count(data)
    if count is not None and count > limits.max_zip_entries:
        raise TooLarge(f"The file looks like a zip bomb: it holds {count:,} entries "
                       f"(the limit is {limits.max_zip_entries:,}).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error,
            NotImplementedError, OSError):
        raise Damaged(f"The {kind} is damaged: it is not a complete zip package "
                      "(it may have been cut short when copied).") from None
    check_zip(infos, limits)
    if any(i.flag_bits & 0x1 for i in infos):
        raise Encrypted()
    return zf


def check_zip(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise TooLarge(f"The file looks like a zip bomb: it holds {len(infos):,} entries "
                       f"(the limit is {limits.max_zip_entries:,}).")
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_uncompressed:
        raise TooLarge(f"The file looks like a zip bomb: it would expand to {size_text(total)} "
                       f"(the limit is {size_text(limits.max_zip_uncompressed)}).")
    big = [i for i in infos if i.file_size >= MIB]
    if big:
        unpacked = sum(i.file_size for i in big)
        packed = max(1, sum(i.compress_size for i in big))
        ratio = unpacked / packed
        if ratio > limits.max_zip_ratio:
            raise TooLarge(f"The file looks like a zip bomb: its contents would expand "
                           f"{ratio:,.0f} times, to {size_text(unpacked)}.")


def read_member(zf: zipfile.ZipFile, name: str, cap: int = MAX_TREE_PART) -> bytes:
    """Read one entry, never more than its declared size nor `cap` bytes."""
    info = zf.getinfo(name)  # KeyError: the caller decides whether the part is optional
    if info.file_size > cap:
        raise TooLarge(f"Part of the file is too large to read ({size_text(info.file_size)}).")
    try:
        with zf.open(info) as f:
            data = f.read(info.file_size + 1)
    except RuntimeError:  # zipfile: "File is encrypted, password required"
        raise Encrypted() from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
            struct.error):
        raise Damaged("The file is damaged: part of its zip package could not be unpacked.") from None
    return data[: info.file_size]


def open_member(zf: zipfile.ZipFile, name: str):
    """A stream over one entry (for streaming parsers); zipfile stops at the declared size."""
    return zf.open(zf.getinfo(name))


# ---------------------------------------------------------------- XML

_local = threading.local()


def xml_parser():
    """A per-thread lxml parser that never resolves entities, DTDs or network references."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        from lxml import etree  # start-up: lxml is loaded only when this runs

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                 load_dtd=False, dtd_validation=False, remove_comments=True,
                                 remove_pis=True, recover=False)
        _local.parser = parser
    return parser


def parse_xml(data: bytes, what: str = "file"):
    """Parse XML bytes into a root element. Raises Damaged for bad or DTD-carrying XML."""
    from lxml import etree  # start-up: lxml is loaded only when this runs

    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError:
        raise Damaged(f"The {what} is damaged: its XML content could not be read.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise Damaged(f"The {what} is damaged: part of its zip package could not be "
                      "unpacked.") from None
    if root is None:
        raise Damaged(f"The {what} is damaged: a part of it is empty.")
    check_no_dtd(root, what)
    return root


def check_no_dtd(root, what: str) -> None:
    doc = root.getroottree().docinfo
    if doc.doctype or doc.internalDTD is not None:
        raise Damaged(f"The {what} was not read: it contains an XML document type declaration, "
                      "which Office files never use and which can hide an attack.")


def iterparse(stream, tags, what: str = "file"):
    """Stream (event, element) pairs for `tags`, with the same hardening as `parse_xml`."""
    from lxml import etree  # start-up: lxml is loaded only when this runs

    it = etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False,
                         no_network=True, huge_tree=False, load_dtd=False, remove_comments=True,
                         remove_pis=True)
    try:
        checked = False
        for event, el in it:
            if not checked:
                check_no_dtd(el, what)
                checked = True
            yield event, el
    except etree.XMLSyntaxError:
        raise Damaged(f"The {what} is damaged: its XML content could not be read.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise Damaged(f"The {what} is damaged: part of its zip package could not be "
                      "unpacked.") from None
