"""RTF with escapes for the characters RTF reserves."""
from __future__ import annotations

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import ensure_pages, stamp

_RTF_ESC = {ord("\\"): "\\\\", ord("{"): "\\{", ord("}"): "\\}", ord("\t"): "\\tab ", ord("\n"): "\\line "}


def _rtf(s: str) -> str:
    s = s.translate(_RTF_ESC)
    if s.isascii():
        return s
    return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in s)


def write_rtf(doc: Doc) -> bytes:
    ts = stamp(doc)
    out = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\nouicompat{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}}",
        "{\\colortbl ;\\red31\\green56\\blue100;}",
        f"{{\\info{{\\title {_rtf(doc.title)}}}{{\\author {_rtf(doc.author)}}}"
        f"{{\\creatim\\yr{ts.year}\\mo{ts.month}\\dy{ts.day}\\hr{ts.hour}\\min{ts.minute}}}}}",
        "\\paperw11906\\paperh16838\\margl1440\\margr1440\\margt1440\\margb1440",
        "\\pard\\sa120\\f0\\fs22",
    ]
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append("\\page")
        for typ, payload in page:
            if typ == "h1":
                out.append(f"{{\\pard\\sb240\\sa120\\b\\cf1\\fs32 {_rtf(payload)}\\par}}")
            elif typ == "h2":
                out.append(f"{{\\pard\\sb200\\sa100\\b\\cf1\\fs26 {_rtf(payload)}\\par}}")
            elif typ == "table":
                for r in payload:
                    out.append("\\pard\\sa0 " + "\\tab ".join(_rtf(str(c)) for c in r) + "\\par")
                out.append("\\pard\\sa120\\par")
            else:
                out.append(f"\\pard\\sa120 {_rtf(payload)}\\par")
    out.append("}")
    return "\n".join(out).encode("ascii")
