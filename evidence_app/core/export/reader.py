"""Every piece of text a written .docx or .xlsx holds, with where it is, for checking.

The verifier and the review read what was actually written, not what the exporter meant to
write: each XML part's paragraphs (runs joined, tags stripped), its other text, the attributes that
carry words, every relationship target, the part names themselves, and the text in image
metadata. Body text is located by the evidence number or appendix it sits under ("E-004",
"Appendix 2"), so a person can find it.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from .images import has_metadata, metadata_text
from .package import part_label
from .redact import (W_P, _OTHER_TEXT, _get_text, dob_cell_paragraphs, labelled_cells,
                     paragraphs, word_attributes)

_ITEM = re.compile(r"^\s*(E-\d+|Appendix \d+)\b")
NAME_CELL_RE = re.compile(r"\s*(?:(?:child(?:'s)?|young person(?:'s)?|full|first|last|sur|"
                          r"given|family|mother(?:'s)?|father(?:'s)?|parent(?:'s)?|carer(?:'s)?)"
                          r"\s*)?(?:name|names)?\s*(?:child|mother|father|parent|carer|address|"
                          r"home address)?\s*[:\-]?\s*$", re.IGNORECASE)
_LABEL_WORDS = re.compile(r"name|child|mother|father|parent|carer|address", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\[[a-z -]+\]|\[REDACTED\]|Child [A-Z]{1,3}\b")


@dataclass(frozen=True)
class Block:
    """One readable piece of text in the file."""

    part: str          # plain label: body, header, footnotes, links, images ...
    where: str         # E-004 / Appendix 2 / the part label
    text: str
    dob_cell: bool = False
    label_cell: bool = False     # the value of a cell labelled Name/Child/Mother/Father/Address
    kind: str = "text"           # text | attribute | link | part-name | image-metadata


@dataclass(frozen=True)
class Problem:
    """Something in the file that must not be there (the file is not delivered)."""

    part: str
    where: str
    what: str

    def line(self) -> str:
        place = self.where if self.where == self.part else f"{self.where} ({self.part})"
        return f"{self.what} in {place}"


def _label_cells(root) -> set:
    def is_label(text: str) -> bool:
        return bool(_LABEL_WORDS.search(text)) and bool(NAME_CELL_RE.match(text))

    class _R:
        @staticmethod
        def match(text):
            return is_label(text)
    return labelled_cells(root, _R)


def _xml_blocks(name: str, data: bytes) -> tuple[list[Block], list[Problem]]:
    part = part_label(name)
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return [], [Problem(part, part, f"an unreadable part ({name})")]
    blocks: list[Block] = []
    if name.endswith(".rels"):
        for rel in root:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External":
                blocks.append(Block("links", "links", target, kind="link"))
        return blocks, []
    dob = dob_cell_paragraphs(root)
    labels = _label_cells(root)
    where = part
    for p_el, nodes in paragraphs(root):
        text = "".join(_get_text(n) or "" for n in nodes)
        if part == "body":
            m = _ITEM.match(text)
            if m:
                where = m.group(1)
        if text.strip():
            blocks.append(Block(part, where, text, p_el is not None and p_el in dob,
                                p_el is not None and p_el in labels))
    for value in _OTHER_TEXT(root):
        if value.strip():
            blocks.append(Block(part, part, str(value)))
    for el, attr in word_attributes(root):
        value = el.get(attr)
        if value and value.strip():
            blocks.append(Block(part, part, value, kind="attribute"))
    if name.lower().endswith("workbook.xml"):
        for sheet in root.iter("{*}sheet"):
            blocks.append(Block("sheet names", "sheet names", sheet.get("name") or "",
                                kind="attribute"))
    return blocks, []


def read_blocks(data: bytes, *, images: bool = True) -> tuple[list[Block], list[Problem]]:
    """All readable text of an Office file held in `data`, and what cannot be there at all
    (image metadata, embedded objects)."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            name = "/" + info.filename
            blocks.append(Block("file names", "file names", info.filename, kind="part-name"))
            lower = name.lower()
            if lower.endswith((".xml", ".rels", ".vml")):
                b, p = _xml_blocks(name, z.read(info))
                blocks += b
                problems += p
            elif "/media/" in lower and images:
                raw = z.read(info)
                if has_metadata(raw):
                    problems.append(Problem("images", "images",
                                            f"metadata left in {info.filename.rsplit('/', 1)[-1]}"))
                text = metadata_text(raw)
                if text.strip():
                    blocks.append(Block("images", "images", text, kind="image-metadata"))
            elif "/embeddings/" in lower or lower.endswith((".bin", ".ole")):
                problems.append(Problem(part_label(name), part_label(name),
                                        f"an embedded object ({info.filename.rsplit('/', 1)[-1]})"))
    return blocks, problems


def read_file(path) -> tuple[list[Block], list[Problem]]:
    with open(path, "rb") as fh:
        return read_blocks(fh.read())
