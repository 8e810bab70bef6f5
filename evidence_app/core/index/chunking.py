"""Turning an extractor's sections into stored chunks.

A chunk is the unit of search: a hit names its chunk's page. PDFs give one section per page, which
stays one chunk. Long flowing sections are cut at paragraph boundaries near `TARGET` characters so
snippets stay local and bm25 compares like with like. The document's full text is the chunks joined
by `SEPARATOR`, and each chunk records its `start` offset in it (evidence passages anchor to it).
"""
from __future__ import annotations


from evidence_app.core.base.frozen import frozen
from evidence_app.core.index.extractors.base import Section

TARGET = 3000
HARD_MAX = 6000
SEPARATOR = "\n\n"


@frozen
class Chunk:
    seq: int
    page: int | None
    heading: str | None
    start: int
    text: str


def _split(text: str) -> list[str]:
    if len(text) <= HARD_MAX:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > HARD_MAX:
        cut = rest.rfind("\n", TARGET // 2, TARGET + TARGET // 2)
        if cut <= 0:
            cut = rest.rfind(" ", TARGET // 2, TARGET + TARGET // 2)
        if cut <= 0:
            cut = TARGET
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def make_chunks(sections: list[Section]) -> list[Chunk]:
    chunks: list[Chunk] = []
    offset = 0
    for section in sections:
        text = section.text.strip()
        if not text:
            continue
        for piece in _split(text):
            if chunks:
                offset += len(SEPARATOR)
            chunks.append(Chunk(len(chunks), section.page, section.heading, offset, piece))
            offset += len(piece)
    return chunks


def full_text(chunk_texts: list[str]) -> str:
    return SEPARATOR.join(chunk_texts)
