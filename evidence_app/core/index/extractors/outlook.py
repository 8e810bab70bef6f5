"""Outlook .msg via extract-msg: headers, body (plain, else HTML as text), attachments as children."""
from __future__ import annotations

import logging

from evidence_app.core.index.extractors.base import OK, UNSUPPORTED, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.dispatch import extract_bytes

KIND = "Outlook message"


def _tolerant():
    # start-up: extract_msg is loaded only when this runs
    from extract_msg.enums import ErrorBehavior

    flags = ErrorBehavior(0)
    for member in ErrorBehavior:
        flags |= member
    return flags


def _attr(obj, name: str):
    try:
        value = getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - properties parse lazily and can fail on bad streams
        return None
    return value


def _recipients(msg) -> tuple:
    """(To, Cc) from PR_DISPLAY_TO / PR_DISPLAY_CC, as Outlook shows them. Far cheaper than
    extract-msg's `to`/`cc`, which build an object per recipient (seconds for 1,000 of them)."""
    try:
        to = msg.getStringStream("__substg1.0_0E04")
        cc = msg.getStringStream("__substg1.0_0E03")
    except Exception:  # noqa: BLE001
        to = cc = None
    if to is None and cc is None:
        return _attr(msg, "to"), _attr(msg, "cc")
    return to, cc


def _body(msg) -> str:
    body = _attr(msg, "body")
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if body and body.strip():
        return body
    html = _attr(msg, "htmlBody")
    if html:
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.html_text import decode_html, html_to_text

        return html_to_text(decode_html(html) if isinstance(html, bytes) else str(html))
    return ""


def _att_name(att, i: int) -> str:
    for key in ("longFilename", "shortFilename", "name", "displayName"):
        value = _attr(att, key)
        if value and str(value).strip():
            return str(value).strip()
    return f"attachment-{i}"


def message_result(msg, limits: Limits, depth: int) -> Extracted:
    lines = []
    to, cc = _recipients(msg)
    for label, key in (("From", "sender"), ("To", to), ("Cc", cc), ("Date", "date"),
                       ("Subject", "subject")):
        value = key if label in ("To", "Cc") else _attr(msg, key)
        if value:
            lines.append(f"{label}: {' '.join(str(value).split())}")
    builder = SectionBuilder(limits)
    builder.add("\n".join(lines))
    for block in _body(msg).replace("\r\n", "\n").split("\n\n"):
        builder.add(block.strip())
    children = []
    for i, att in enumerate(_attr(msg, "attachments") or [], 1):
        name = _att_name(att, i)
        if depth >= limits.max_attachment_depth:
            children.append((name, Extracted(UNSUPPORTED, "Attachments nested more than "
                             f"{limits.max_attachment_depth} levels deep are not read.")))
            continue
        data = _attr(att, "data")
        if isinstance(data, (bytes, bytearray)):
            children.append((name, extract_bytes(bytes(data), name, limits, depth + 1)))
        elif data is not None and hasattr(data, "attachments"):  # an embedded message
            try:
                child = message_result(data, limits, depth + 1)
                child.format = "msg"
                children.append((name, child))
            except Exception:  # noqa: BLE001
                children.append((name, Extracted("damaged", f"The attached {KIND} is damaged "
                                                 "and could not be read.", "msg")))
    subject = _attr(msg, "subject")
    title = " ".join(str(subject).split())[:500] if subject else None
    return Extracted(OK, truncation_note(builder, limits), "msg", title or None,
                     builder.finish(), None, {}, children)


def extract_msg_file(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    logging.getLogger("extract_msg").setLevel(logging.CRITICAL)
    import extract_msg  # start-up: extract_msg is loaded only when this runs

    try:
        msg = extract_msg.openMsg(data, strict=False, errorBehavior=_tolerant())
    except Exception:  # noqa: BLE001 - the library raises many kinds for broken files
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.ooxml import is_encrypted_ole

        if is_encrypted_ole(data):
            # start-up: loaded only when this runs
            from evidence_app.core.index.extractors.safety import Encrypted

            raise Encrypted() from None
        raise Damaged(f"The {KIND} is damaged and could not be read.") from None
    try:
        return message_result(msg, limits, depth)
    finally:
        try:
            msg.close()
        except Exception:  # noqa: BLE001
            pass
