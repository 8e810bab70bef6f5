"""E-mail (.eml) via the standard library, with a fixed boundary and message id."""
from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime

from evidence_app.samples.text import FICTIONAL_LINE, Doc
from evidence_app.samples.writers.common import ensure_pages, stamp


def write_eml(doc: Doc) -> bytes:
    e = doc.email or {}
    ts = stamp(doc)
    msg = EmailMessage()
    msg["From"] = e.get("from", f"{doc.author} <noreply@example.gov.uk>")
    msg["To"] = e.get("to", "duty.team@example.gov.uk")
    if e.get("cc"):
        msg["Cc"] = e["cc"]
    msg["Subject"] = e.get("subject", doc.title)
    msg["Date"] = format_datetime(ts)
    h = hashlib.sha1((doc.title + doc.date.isoformat() + str(doc.case_ref)).encode()).hexdigest()
    msg["Message-ID"] = f"<{h[:24]}@example.gov.uk>"
    msg["X-Classification"] = "OFFICIAL-SENSITIVE (FICTIONAL TEST DATA)"
    body = [e.get("greeting", "Hello,"), "", FICTIONAL_LINE, ""]
    if e.get("intro"):
        body += [e["intro"], ""]
    for page in ensure_pages(doc):
        for typ, payload in page:
            if typ == "p" and payload != FICTIONAL_LINE:
                body += [payload, ""]
            elif typ == "table" and not (e.get("intro") and len(payload[0]) == 2):
                body += [f"{r[0]}: {r[1]}" if len(r) == 2 else " | ".join(map(str, r)) for r in payload]
                body.append("")
    body += ["Kind regards,", "", e.get("signature", doc.author)]
    msg.set_content("\n".join(body), cte="quoted-printable")
    for name, data, maintype, subtype in e.get("attachments", ()):
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    if msg.is_multipart():
        msg.set_boundary(f"==sample_{h[:16]}==")
    return msg.as_bytes()
