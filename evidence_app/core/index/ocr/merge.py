"""How the text OCR read joins a document's stored text: as chunks with their page, in page
order, like any other text (hits name their page; evidence anchors to offsets in it)."""
from __future__ import annotations

from evidence_app.core.index.chunking import SEPARATOR, Chunk, make_chunks
from evidence_app.core.index.extractors.base import Section
from evidence_app.core.store import ocr_pages as store
from evidence_app.core.store.documents import replace_chunks


def merge_text(conn, doc_id: int, ocr_on: bool) -> None:  # noqa: ANN001
    """Make the document's chunks its text-layer chunks plus the text OCR read, in page order;
    a page read by OCR replaces whatever tiny or garbled text layer it had. Only passages whose
    text changed touch the full-text index (`replace_chunks`). Call inside a transaction."""
    texts, done = store.read_texts(conn, doc_id)
    pieces: list[tuple[int | None, int, str | None, str]] = [
        (page, seq, heading, text) for seq, page, heading, text in
        store.stored_chunks(conn, doc_id) if page not in done]
    for page, text in texts.items():
        for i, c in enumerate(make_chunks([Section(text, page=page)])):
            pieces.append((page, -1_000_000 + i, c.heading, c.text))
    pieces.sort(key=lambda p: ((p[0] if p[0] is not None else 1 << 30), p[1]))
    chunks: list[Chunk] = []
    offset = 0
    for seq, (page, _order, heading, text) in enumerate(pieces):
        if chunks:
            offset += len(SEPARATOR)
        chunks.append(Chunk(seq, page, heading, offset, text))
        offset += len(text)
    replace_chunks(conn, doc_id, chunks)
    store.after_merge(conn, doc_id, sum(len(c.text) for c in chunks), ocr_on)
