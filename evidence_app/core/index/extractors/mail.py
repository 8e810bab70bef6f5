"""Email (.eml, and .mbox as several messages): headers, body, attachments as child documents."""
from __future__ import annotations

import re

from evidence_app.core.index.extractors.base import OK, UNSUPPORTED, Extracted, Limits
from evidence_app.core.index.extractors.safety import Damaged
from evidence_app.core.index.extractors.sections import SectionBuilder, truncation_note
from evidence_app.core.index.extractors.dispatch import extract_bytes

HEADERS = ("From", "To", "Cc", "Date", "Subject")
MAX_PARTS = 500
_MBOX_SPLIT = re.compile(rb"(?:^|\r?\n)From [^\r\n]*\r?\n")
_LOOKS_LIKE_HEADER = re.compile(rb"^[!-9;-~]{1,80}:", re.M)


def header(msg, key: str) -> str:
    """A header as display text; malformed headers fall back to their raw value."""
    try:
        value = msg.get(key)
        text = str(value) if value is not None else ""
    except Exception:  # noqa: BLE001 - the stdlib's header parser can trip on junk
        text = ""
        for k, v in getattr(msg, "raw_items", lambda: [])():
            if k.lower() == key.lower():
                text = str(v)
                break
    return " ".join(text.split())


def part_text(part) -> str:
    try:
        content = part.get_content()
        if isinstance(content, bytes):
            raise TypeError
        text = str(content)
    except Exception:  # noqa: BLE001 - unknown charsets, broken transfer encodings
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or ""
        try:
            text = payload.decode(charset or "utf-8", errors="replace")
        except LookupError:
            # start-up: loaded only when this runs
            from evidence_app.core.index.extractors.plain import decode_text

            text = decode_text(payload)[0]
    if part.get_content_subtype() == "html":
        # start-up: loaded only when this runs
        from evidence_app.core.index.extractors.html_text import html_to_text

        text = html_to_text(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _leaves(msg):
    """Leaf parts with their parent's subtype, not descending into attached messages."""
    stack = [(msg, "")]
    count = 0
    while stack and count < MAX_PARTS:
        part, parent = stack.pop()
        count += 1
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend((p, part.get_content_subtype()) for p in reversed(payload))
            continue
        yield part, parent


def _attachment_bytes(part) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        try:
            return inner.as_bytes()
        except Exception:  # noqa: BLE001
            return str(inner).encode("utf-8", "replace")
    return part.get_payload(decode=True) or b""


def message_text(msg, name: str, limits: Limits, depth: int) -> tuple[str, list]:
    """(headers + body text, [(attachment name, Extracted)]) for one parsed message."""
    lines = [f"{h}: {v}" for h in HEADERS if (v := header(msg, h))]
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        body = None
    texts, children = [], []
    if body is not None:
        texts.append(part_text(body))
    for i, (part, parent) in enumerate(_leaves(msg), 1):
        if part is body:
            continue
        try:
            filename = part.get_filename()
        except Exception:  # noqa: BLE001
            filename = None
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if not filename and disposition != "attachment" and ctype != "message/rfc822":
            if ctype == "text/plain" and parent != "alternative" or (body is None and
                                                                     ctype == "text/html"):
                texts.append(part_text(part))
            continue
        filename = filename or f"attachment-{i}" + (".eml" if ctype == "message/rfc822" else "")
        if depth >= limits.max_attachment_depth:
            children.append((filename, Extracted(UNSUPPORTED, "Attachments nested more than "
                             f"{limits.max_attachment_depth} levels deep are not read.")))
            continue
        children.append((filename, extract_bytes(_attachment_bytes(part), filename, limits,
                                                 depth + 1)))
    text = "\n".join(lines) + "\n\n" + "\n\n".join(t.strip() for t in texts if t.strip())
    return text.strip(), children


class _CachedHeaders:
    """The standard header registry, remembering what it parsed: the stdlib parses a
    Content-Type again on every get_content_type() call, several times per part, and that was
    most of the cost of reading an e-mail. Header objects are immutable, so sharing is safe."""

    MAX = 4096

    def __init__(self) -> None:
        # start-up: email is loaded only when this runs
        from email.headerregistry import HeaderRegistry

        self.registry = HeaderRegistry()
        self.cache: dict = {}

    def __call__(self, name: str, value):
        key = (name.lower(), value) if isinstance(value, str) else None
        if key is None:
            return self.registry(name, value)
        header = self.cache.get(key)
        if header is None:
            if len(self.cache) >= self.MAX:
                self.cache.clear()
            header = self.cache[key] = self.registry(name, value)
        return header

    def __getattr__(self, attr: str):
        return getattr(self.registry, attr)


_POLICY = None


def _parse(raw: bytes):
    # start-up: email is loaded only when this runs
    import email
    from email import policy

    global _POLICY
    if _POLICY is None:
        _POLICY = policy.default.clone(header_factory=_CachedHeaders())
    return email.message_from_bytes(raw, policy=_POLICY)


def extract_eml(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    chunks = [data]
    if data.startswith(b"From "):
        chunks = [c for c in _MBOX_SPLIT.split(data) if c.strip()]
    builder = SectionBuilder(limits)
    children: list = []
    title = None
    for raw in chunks[:100_000]:
        if not _LOOKS_LIKE_HEADER.search(raw[:4096]) and len(chunks) == 1 and b"\n\n" not in raw:
            raise Damaged("The email is damaged: it has no header block and no message body.")
        msg = _parse(raw)
        text, kids = message_text(msg, name, limits, depth)
        subject = header(msg, "Subject") or None
        title = title or subject
        builder.set_heading(subject if len(chunks) > 1 else None, include=False)
        for block in re.split(r"\n\s*\n", text):
            builder.add(block.strip())
        children.extend(kids)
        if builder.full:
            break
    meta = {"messages": len(chunks)} if len(chunks) > 1 else {}
    if len(chunks) > 1:
        title = None
    return Extracted(OK, truncation_note(builder, limits), "eml", title, builder.finish(), None,
                     meta, children)
