"""Source documents appended in full after the evidence: Word merged, PDF as page images, the
rest as extracted text.

Word sources are merged with docxcompose so their formatting survives, but only after they are
cleaned: comments go, tracked changes are accepted (insertions kept, deletions dropped), embedded
objects, charts (which carry their own workbook), ActiveX controls and imported chunks are replaced
by a short note, and section breaks are removed so the bundle's header, footer and marking stay on
every page. When pseudonymising, every text node of the source is redacted before it is merged.

PDF pages are rendered at 120 dpi and encoded by what the page holds, so a bundle with appended
reports stays small enough to e-mail and still reads at 100% zoom and on paper: a page of text
(almost every pixel near white or near black) becomes a four-level grey PNG, which keeps
anti-aliased letter edges at a quarter of a JPEG's size; any other grey page a greyscale JPEG,
and a page with colour a colour JPEG (quality 70). Without Pillow, pages are greyscale PNG written with zlib. A page image
cannot be pseudonymised, so a pseudonymised bundle shows a PDF as its redacted extracted text.
"""
from __future__ import annotations

import io
import re
import struct
import zlib
from contextlib import contextmanager

from lxml import etree

from evidence_app.core.bundles.export.model import Appendix
from evidence_app.core.bundles.export.redact import Pseudonymiser
from evidence_app.core.bundles.export.wxml import W_NS, para, run

W = f"{{{W_NS}}}"
DPI = 120
JPEG_QUALITY = 70
TEXT_PAGE = 0.90        # share of pixels near white or black above which a page is "text"
COLOUR_PIXELS = 0.002   # share of clearly coloured pixels above which a page keeps its colour
GREY4 = [0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255]
MAX_W_EMU = int(17.0 * 360000)      # text width of A4 with 2 cm margins
MAX_H_EMU = int(21.0 * 360000)      # leaves room for the appendix heading on page one

REMOVE = {"commentRangeStart", "commentRangeEnd", "commentReference", "del", "moveFrom",
          "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
          "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblGridChange", "trPrChange",
          "tcPrChange", "numberingChange", "customXmlDelRangeStart", "customXmlDelRangeEnd",
          "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "dataBinding", "cellDel"}
UNWRAP = {"ins", "moveTo", "cellIns"}
REPLACE = {"object", "control", "altChunk"}
PAGE_FRAME = ('<a:ln xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" w="6350">'
              '<a:solidFill><a:srgbClr val="A6A6A6"/></a:solidFill></a:ln>')
_HEADING = re.compile(r"Heading([1-9])")
NOTE_REMOVED = "[Embedded object removed from this copy]"


def clean_word_body(root) -> int:
    """Accept tracked changes, drop comments and embedded objects, remove section breaks, and
    demote headings by three levels (Heading 1 -> Heading 4, Title -> Heading 4): the bundle's
    contents list Heading 1 and its evidence items (Heading 3), never a source's own headings.
    Returns how many objects were replaced by a note."""
    replaced = 0
    for tr in list(root.iter(f"{W}tr")):
        trpr = tr.find(f"{W}trPr")
        if trpr is not None and trpr.find(f"{W}del") is not None:
            tr.getparent().remove(tr)
    for el in list(root.iter(*(W + n for n in REMOVE))):
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(root.iter(*(W + n for n in UNWRAP))):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in (f"{W}trPr", f"{W}rPr", f"{W}tcPr"):
            parent.remove(el)           # a marker that a row, run or mark was inserted
            continue
        index = parent.index(el)
        for child in reversed(list(el)):
            parent.insert(index, child)
        el.tail = None
        parent.remove(el)
    targets = list(root.iter(*(W + n for n in REPLACE)))
    targets += [d for d in root.iter(f"{W}drawing")
                if any(str(g.get("uri", "")).endswith(("/chart", "/chartex", "/ole"))
                       for g in d.iter("{*}graphicData"))]
    for el in targets:
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == f"{W}r":
            note = etree.SubElement(parent, f"{W}t")
            note.text = NOTE_REMOVED
            parent.replace(el, note)
        else:
            parent.replace(el, etree.fromstring(
                f'<w:p xmlns:w="{W_NS}">{run(NOTE_REMOVED, italic=True)}</w:p>'))
        replaced += 1
    for style in root.iter(f"{W}pStyle"):
        # the source's own headings sit under its appendix heading and stay out of the contents
        m = _HEADING.fullmatch(style.get(f"{W}val", ""))
        if m:
            style.set(f"{W}val", f"Heading{min(int(m.group(1)) + 3, 9)}")
        elif style.get(f"{W}val") == "Title":
            style.set(f"{W}val", "Heading4")
    for sect in list(root.iter(f"{W}sectPr")):
        if sect.getparent() is not None and sect.getparent().tag == f"{W}pPr":
            sect.getparent().remove(sect)
    return replaced


CORE_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@contextmanager
def composing():
    """docxcompose re-points python-docx's global "cp" prefix at the custom-properties namespace
    when imported (and relies on it); put it back afterwards so core properties keep working for
    everyone else in the process (the indexer reads titles with python-docx)."""
    # start-up: docx is loaded only when this runs
    from docx.oxml import ns
    from docxcompose.utils import NS

    ns.nsmap["cp"] = NS["cp"]
    try:
        yield
    finally:
        ns.nsmap["cp"] = CORE_CP


def append_docx(composer, appendix: Appendix, p: Pseudonymiser | None) -> None:
    """Merge a cleaned (and, if asked, pseudonymised) copy of a Word source into the bundle."""
    import docx  # start-up: docx is loaded only when this runs

    sub = docx.Document(str(appendix.source.path))
    for part in sub.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None or not part.content_type.endswith(
                ("document.main+xml", "footnotes+xml", "endnotes+xml")):
            continue
        clean_word_body(element)
        if p is not None:
            p.redact_tree(element, f"Appendix {appendix.number}", appendix.source.case_ref)
    composer.append(sub)


# -- PDF --------------------------------------------------------------------------------------
def _png_gray(buffer, width: int, height: int, stride: int) -> bytes:
    raw = memoryview(buffer)
    rows = b"".join(b"\x00" + raw[y * stride:y * stride + width].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ppm = int(DPI / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def encode_page(image, dpi: int = DPI) -> tuple[bytes, str]:
    """A rendered page (PIL image) as the smallest legible picture: (bytes, "png" or "jpeg")."""
    from PIL import Image, ImageChops  # start-up: PIL is loaded only when this runs

    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    spread = ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b))
    hist = spread.histogram()
    pixels = rgb.width * rgb.height
    coloured = sum(hist[40:]) / pixels > COLOUR_PIXELS
    out = io.BytesIO()
    if coloured:
        rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(dpi, dpi))
        return out.getvalue(), "jpeg"
    grey = rgb.convert("L")
    hist = grey.histogram()
    if (sum(hist[:48]) + sum(hist[208:])) / pixels >= TEXT_PAGE:
        levels = grey.point([min(3, (v + 42) // 85) for v in range(256)])
        poster = Image.frombytes("P", levels.size, levels.tobytes())
        poster.putpalette(GREY4)
        poster.save(out, "PNG", bits=2, compress_level=6, dpi=(dpi, dpi))
        return out.getvalue(), "png"
    grey.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(dpi, dpi))
    return out.getvalue(), "jpeg"


def render_pdf_pages(path, dpi: int = DPI):
    """Yield (image bytes, width px, height px) for each page of a PDF."""
    import pypdfium2 as pdfium  # start-up: pypdfium2 is loaded only when this runs

    try:
        # start-up: PIL is loaded only when this runs
        import PIL  # noqa: F401
        have_pil = True
    except ImportError:
        have_pil = False
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                if have_pil:
                    image = page.render(scale=dpi / 72).to_pil()
                    data, _ = encode_page(image, dpi)
                    yield data, image.width, image.height
                else:
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    if bitmap.n_channels != 1:
                        raise RuntimeError("unexpected pixel format")
                    yield (_png_gray(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride),
                           bitmap.width, bitmap.height)
            finally:
                page.close()
    finally:
        pdf.close()


def append_pdf(document, appendix: Appendix, check=None) -> int:  # noqa: ANN001
    """Each page as a picture scaled to fit the text area; returns the number of pages.
    `check()` is called before each page (it raises to cancel)."""
    # start-up: docx is loaded only when this runs
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu, Pt

    count = 0
    for data, w, h in render_pdf_pages(appendix.source.path):
        if check is not None:
            check()
        scale = min(MAX_W_EMU / w, MAX_H_EMU / h)
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=Emu(int(w * scale)),
                                                height=Emu(int(h * scale)))
        sp_pr = next(shape._inline.iter("{*}spPr"))
        sp_pr.append(etree.fromstring(PAGE_FRAME))     # a hairline frame shows the page edge
        count += 1
    return count


def text_xml(text: str, style_id: str | None) -> str:
    """Extracted text as paragraphs: blank lines separate paragraphs, single newlines break
    lines."""
    blocks = [b.strip("\n") for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b.strip()]
    if not blocks:
        return para(style_id, run("(This document has no readable text.)", italic=True))
    return "".join(para(style_id, run(b)) for b in blocks)
