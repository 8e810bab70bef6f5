"""PowerPoint (.pptx) via python-pptx: one slide per page, its first heading as the title.

python-pptx stamps zip entries with the current time, so the package is re-zipped with the
document's own timestamp (`common._zip`) to keep the output byte-identical for a seed.
"""
from __future__ import annotations

import io
import zipfile

from evidence_app.samples.text import Doc
from evidence_app.samples.writers.common import _zip, ensure_pages, stamp


def write_pptx(doc: Doc) -> bytes:
    from pptx import Presentation  # start-up: pptx is loaded only when this runs

    prs = Presentation()
    layout = prs.slide_layouts[1]  # title and content
    for page in ensure_pages(doc)[:60]:
        slide = prs.slides.add_slide(layout)
        title = next((str(p) for t, p in page if t in ("h1", "h2")), doc.title)
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        lines = []
        for typ, payload in page:
            if typ == "table":
                lines.extend(" | ".join(map(str, r)) for r in payload)
            elif str(payload) != title:
                lines.append(str(payload))
        body.text = lines[0] if lines else ""
        for line in lines[1:]:
            body.add_paragraph().text = line
    ts = stamp(doc)
    props = prs.core_properties
    props.title, props.author = doc.title, doc.author or ""
    props.created = props.modified = ts.replace(tzinfo=None)
    props.last_modified_by = doc.author or ""
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        entries = [(i.filename, zf.read(i), True) for i in zf.infolist()]
    return _zip(entries, ts)
