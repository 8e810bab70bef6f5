"""PDF: one Section per page, via pypdfium2 (imported only when a PDF is read)."""
from __future__ import annotations

from evidence_app.core.index.extractors.base import EMPTY, OK, Extracted, Limits, Section
from evidence_app.core.index.extractors.safety import Damaged, Encrypted

# PDFium load error codes (fpdfview.h).
ERR_FILE, ERR_FORMAT, ERR_PASSWORD, ERR_SECURITY, ERR_PAGE = 2, 3, 4, 5, 6
MAX_FAILED_PAGES = 50  # give up after this many unreadable pages in a row

_LOAD_REASONS = {
    ERR_FILE: "The PDF is damaged: it could not be opened.",
    ERR_FORMAT: "The PDF is damaged: its cross-reference table could not be read.",
    ERR_SECURITY: "The PDF uses a security handler that is not supported.",
    ERR_PAGE: "The PDF is damaged: its pages could not be found.",
}
NO_TEXT = "The PDF has no text layer; it may be a scanned image."
MIN_PATHS_FOR_DRAWN_TEXT = 300  # a page of vector shapes this busy may be text drawn as outlines


def _clean(text: str) -> str:
    return (text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
            .replace("\ufffe", "").replace("\x02", "-"))


def _open(pdfium, data: bytes):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == ERR_PASSWORD:
            raise Encrypted() from None
        raise Damaged(_LOAD_REASONS.get(code, "The PDF is damaged and could not be opened.")) from None


def _page_text(doc, index: int) -> str | None:
    page = textpage = None
    try:
        page = doc[index]
        textpage = page.get_textpage()
        return _clean(textpage.get_text_range())
    except Exception:  # noqa: BLE001 - one broken page should not lose the others
        return None
    finally:
        if textpage is not None:
            textpage.close()
        if page is not None:
            page.close()


def _has_picture(doc, index: int) -> bool:
    """True when the page shows a picture (a scan) or text drawn as shapes, so OCR may find
    text there; a blank page or a page of rules is not worth reading."""
    import pypdfium2.raw as pdfium_c  # start-up: pypdfium2 is loaded only when this runs

    page = None
    try:
        page = doc[index]
        paths = 0
        for obj in page.get_objects(max_depth=3):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                return True
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                paths += 1
                if paths >= MIN_PATHS_FOR_DRAWN_TEXT:
                    return True
        return False
    except Exception:  # noqa: BLE001 - an unreadable page is reported by the text pass
        return False
    finally:
        if page is not None:
            page.close()


def _metadata(doc) -> dict:
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001
        return {}
    keys = {"Title": "title", "Author": "author", "Subject": "subject", "Creator": "creator",
            "Producer": "producer", "CreationDate": "created", "ModDate": "modified"}
    return {keys[k]: " ".join(str(v).replace("\x00", "").split())[:500]
            for k, v in meta.items() if k in keys and str(v).strip()}


def extract_pdf(data: bytes, name: str, limits: Limits, depth: int) -> Extracted:
    import pypdfium2 as pdfium  # start-up: pypdfium2 is loaded only when this runs

    from evidence_app.core.index.ocr.pages import needs_ocr  # start-up: loaded only when this runs

    doc = _open(pdfium, data)
    scan_pages: list[int] = []
    try:
        count = len(doc)
        todo = min(count, max(0, limits.max_pages))
        sections: list[Section] = []
        total, failed_run, failed, truncated = 0, 0, 0, False
        for i in range(todo):
            text = _page_text(doc, i)
            if text is None:
                failed += 1
                failed_run += 1
                if failed_run >= MAX_FAILED_PAGES:
                    break
                continue
            failed_run = 0
            if needs_ocr(text) and _has_picture(doc, i):
                scan_pages.append(i + 1)  # read by OCR in the second pass
            if not text.strip():
                continue
            room = limits.max_text_chars - total
            if len(text) >= room:
                text, truncated = text[:room], True
            total += len(text)
            if text:
                sections.append(Section(text, page=i + 1))
            if truncated:
                break
        meta = _metadata(doc)
    finally:
        doc.close()
    notes = []
    if count > todo:
        notes.append(f"Only the first {todo:,} of {count:,} pages were indexed.")
    if failed:
        notes.append(f"{failed:,} damaged page(s) could not be read.")
    if truncated:
        notes.append(f"Only the first {limits.max_text_chars:,} characters of text were indexed.")
    if count and failed >= min(count, todo) and not sections:
        raise Damaged("The PDF is damaged: none of its pages could be read.")
    if scan_pages:
        meta["scan_pages"] = scan_pages
    if not sections:
        return Extracted(EMPTY, NO_TEXT, "pdf", meta.get("title"), [], count, meta)
    return Extracted(OK, " ".join(notes), "pdf", meta.get("title"), sections, count, meta)
