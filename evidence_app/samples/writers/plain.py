"""The plain-text family: txt (some cp1252 or UTF-16), md, html and csv."""
from __future__ import annotations

import csv
import io

from evidence_app.samples.text import COUNCIL, DEPARTMENT, FICTIONAL_LINE, Doc, dmy
from evidence_app.samples.writers.common import _text_lines, ensure_pages, ensure_rows, x


def write_txt(doc: Doc) -> bytes:
    text = _text_lines(doc, "\f")
    if doc.encoding == "cp1252":
        return text.replace("\n", "\r\n").encode("cp1252", "replace")
    if doc.encoding == "utf-16":
        return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    return text.encode("utf-8")


def _md_cell(s) -> str:
    return str(s).replace("|", "\\|")


def write_md(doc: Doc) -> bytes:
    out = []
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append("---\n")
        for typ, payload in page:
            if typ == "h1":
                out.append(f"# {payload}\n")
            elif typ == "h2":
                out.append(f"## {payload}\n")
            elif typ == "table":
                head, *rest = payload
                if len(head) == 2 and head[0] != "Name" and head[0] != "Section":
                    out.append("| Field | Value |\n| --- | --- |")
                    rest = payload
                else:
                    out.append("| " + " | ".join(map(_md_cell, head)) + " |")
                    out.append("|" + " --- |" * len(head))
                out.append("\n".join("| " + " | ".join(map(_md_cell, r)) + " |" for r in rest) + "\n")
            elif payload == FICTIONAL_LINE:
                out.append(f"> **{payload}**\n")
            else:
                out.append(payload + "\n")
    return "\n".join(out).encode("utf-8")


_HTML_HEAD = (
    '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    '<meta name="author" content="{author}">\n<meta name="date" content="{date}">\n'
    "<style>body{{font-family:Arial,sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}"
    "table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #999;padding:4px 6px;"
    "vertical-align:top}}.fictional{{color:#a00;font-weight:bold}}.page-break{{page-break-after:always;"
    "border:0;border-top:1px dashed #ccc}}</style>\n</head>\n<body>\n"
    '<header><p>{council} – {dept}</p></header>\n<main>\n'
)


def write_html(doc: Doc) -> bytes:
    out = [_HTML_HEAD.format(title=x(doc.title), author=x(doc.author), date=doc.date.isoformat(),
                             council=x(COUNCIL), dept=x(DEPARTMENT))]
    for pi, page in enumerate(ensure_pages(doc)):
        if pi:
            out.append('<hr class="page-break">')
        for typ, payload in page:
            if typ in ("h1", "h2"):
                out.append(f"<{typ}>{x(payload)}</{typ}>")
            elif typ == "table":
                two = len(payload[0]) == 2 and payload[0][0] not in ("Name", "Section")
                out.append("<table>")
                for ri, r in enumerate(payload):
                    if two:
                        out.append(f"<tr><th>{x(r[0])}</th><td>{x(r[1])}</td></tr>")
                    else:
                        tag = "th" if ri == 0 else "td"
                        out.append("<tr>" + "".join(f"<{tag}>{x(c)}</{tag}>" for c in r) + "</tr>")
                out.append("</table>")
            elif payload == FICTIONAL_LINE:
                out.append(f'<p class="fictional">{x(payload)}</p>')
            else:
                out.append(f"<p>{x(payload)}</p>")
    out.append(f"</main>\n<footer><p>Page generated {dmy(doc.date)} · {x(FICTIONAL_LINE)}</p></footer>\n"
               "</body>\n</html>\n")
    return "\n".join(out).encode("utf-8")


def write_csv(doc: Doc) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in ensure_rows(doc):
        w.writerow(r)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if doc.encoding == "utf-8-sig" else data
