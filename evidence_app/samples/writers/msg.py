"""Outlook message (.msg): MAPI properties in an OLE2 compound file ([MS-OXMSG]).

Just enough of the format for a reader to see what Outlook shows: subject, sender, recipient,
date and the plain-text body, with one recipient and an empty named-property map. Strings are
UTF-16 (PT_UNICODE); the fixed-size date lives in the properties stream.
"""
from __future__ import annotations

import datetime as _dt
import struct

from evidence_app.samples.text import FICTIONAL_LINE, Doc
from evidence_app.samples.writers.common import ensure_pages, stamp
from evidence_app.samples.writers.ole2 import compound_file

PT_LONG, PT_SYSTIME, PT_UNICODE = 0x0003, 0x0040, 0x001F
_READ_WRITE = 0x06
_EPOCH = _dt.datetime(1601, 1, 1, tzinfo=_dt.timezone.utc)


def _filetime(ts: _dt.datetime) -> int:
    return int((ts - _EPOCH).total_seconds()) * 10_000_000


def _strings(props: dict[int, str]) -> tuple[dict, bytes]:
    """Streams for string properties and their entries in the properties stream."""
    streams, entries = {}, b""
    for prop_id, text in props.items():
        raw = text.encode("utf-16-le")
        streams[f"__substg1.0_{prop_id:04X}{PT_UNICODE:04X}"] = raw
        entries += struct.pack("<IIII", (prop_id << 16) | PT_UNICODE, _READ_WRITE, len(raw) + 2, 0)
    return streams, entries


def _fixed(prop_id: int, ptype: int, value: int) -> bytes:
    return struct.pack("<IIQ", (prop_id << 16) | ptype, _READ_WRITE, value)


def _body(doc: Doc) -> str:
    lines = ["Hello,", "", FICTIONAL_LINE, ""]
    for page in ensure_pages(doc):
        for typ, payload in page:
            if typ == "p" and payload != FICTIONAL_LINE:
                lines += [payload, ""]
            elif typ == "table":
                lines += [" | ".join(map(str, r)) for r in payload] + [""]
    lines += ["Kind regards,", "", doc.author]
    return "\r\n".join(lines)


def write_msg(doc: Doc) -> bytes:
    e = doc.email or {}
    sender = e.get("from", f"{doc.author} <noreply@example.gov.uk>")
    sender_name, _, sender_addr = sender.partition(" <")
    to = e.get("to", "duty.team@example.gov.uk")
    when = _filetime(stamp(doc))
    streams, entries = _strings({
        0x001A: "IPM.Note",
        0x0037: e.get("subject", doc.title),
        0x1000: _body(doc),
        0x0C1A: sender_name,
        0x0C1F: sender_addr.rstrip(">") or sender_name,
        0x0E04: to,
    })
    entries += _fixed(0x0039, PT_SYSTIME, when) + _fixed(0x0E06, PT_SYSTIME, when)
    recip_streams, recip_entries = _strings({0x3001: to, 0x3003: to, 0x39FE: to})
    recip_entries += _fixed(0x0C15, PT_LONG, 1)  # MAPI_TO
    tree = dict(streams)
    tree["__properties_version1.0"] = struct.pack("<8xIIII8x", 1, 0, 1, 0) + entries
    tree["__recip_version1.0_#00000000"] = {
        **recip_streams, "__properties_version1.0": b"\0" * 8 + recip_entries}
    tree["__nameid_version1.0"] = {"__substg1.0_00020102": b"", "__substg1.0_00030102": b"",
                                   "__substg1.0_00040102": b""}
    return compound_file(tree)
