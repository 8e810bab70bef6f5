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
from typing import NamedTuple

from lxml import etree

from evidence_app.core.base.frozen import frozen
from evidence_app.core.bundles.export.images import has_metadata, metadata_text
from evidence_app.core.bundles.export.package import part_label
from evidence_app.core.bundles.export.identifiers import DOB_CELL_RE
from evidence_app.core.bundles.export.xml_text import (
    W_BOOKMARK, W_NAME, OTHER_TEXT, get_text, labelled_cells,
    paragraphs, word_attributes,
)

_ITEM = re.compile(r"^\s*(E-\d+|Appendix \d+)\b")
# Cells whose neighbour (right or below) holds a person's name or address.
NAME_LABELS = frozenset("""name|names|full name|first name|first names|forename|forenames|surname|
    last name|family name|given name|given names|child|child's name|childs name|child name|
    name of child|young person|young person's name|mother|mother's name|mum|father|
    father's name|dad|parent|parents|parent's name|parent/carer|parents/carers|carer|carers|
    carer's name|address|home address|current address|sibling|siblings|known as|alias|
    preferred name|previous name|former name""".replace("\n", "").split("|"))
_HEADINGS = ("Index of evidence", "Evidence list", "Redaction log", "Contents")
PLACEHOLDER = re.compile(r"\[[a-z -]+\]|\[REDACTED\]|Child [A-Z]{1,3}\b")


def _joined(nodes) -> str:
    return "".join([get_text(n) or "" for n in nodes])


class Block(NamedTuple):
    """One readable piece of text in the file (a NamedTuple: ten thousand are made per export,
    a frozen dataclass cost 10 µs each)."""

    part: str          # plain label: body, header, footnotes, links, images ...
    where: str         # E-004 / Appendix 2 / the part label
    text: str
    dob_cell: bool = False
    label_cell: bool = False     # the value of a cell labelled Name/Child/Mother/Father/Address
    kind: str = "text"           # text | attribute | link | part-name | image-metadata


@frozen
class Problem:
    """Something in the file that must not be there (the file is not delivered)."""

    part: str
    where: str
    what: str

    def line(self) -> str:
        place = self.where if self.where == self.part else f"{self.where} ({self.part})"
        return f"{self.what} in {place}"


class _NameLabel:
    @staticmethod
    def match(text: str) -> bool:
        return " ".join(text.replace("’", "'").lower().strip(" :-*").split()) in NAME_LABELS


def _label_cells(root) -> set:
    return labelled_cells(root, _NameLabel)


_PSTYLE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle"
_WVAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"


def _heading_paragraphs(root) -> set:
    out = set()
    for style in root.iter(_PSTYLE):
        if style.get(_WVAL, "").lower().startswith(("heading", "title")):
            ppr = style.getparent()
            if ppr is not None and ppr.getparent() is not None:
                out.add(ppr.getparent())
    return out


_HEADINGS_XPATH = etree.XPath(
    "//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'Heading') or starts-with(@w:val, 'heading') "
    "or starts-with(@w:val, 'Title')]]",
    namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})


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
    dob, labels = labelled_cells(root, DOB_CELL_RE, _NameLabel)
    where = part
    headings = 0
    heading_paras = _heading_paragraphs(root) if part == "body" else set()
    for p_el, nodes in paragraphs(root):
        text = _joined(nodes)
        if p_el is not None and p_el in heading_paras:
            m = _ITEM.match(text)
            headings += 1
            # never the heading's own text as the place: it may be what leaked
            where = m.group(1) if m else text.strip() if text.strip() in _HEADINGS else \
                f"section {headings}"
        if text.strip():
            blocks.append(Block(part, where, text, p_el is not None and p_el in dob,
                                p_el is not None and p_el in labels and where not in _HEADINGS))
    for value in OTHER_TEXT(root):
        if value.strip():
            blocks.append(Block(part, part, str(value)))
    for el in root.iter(W_BOOKMARK):
        if el.get(W_NAME):
            blocks.append(Block(part, part, el.get(W_NAME).replace("_", " "), kind="attribute"))
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
