"""The pseudonymiser applied to Word's XML: a paragraph's runs redacted as one text and written
back run by run, then every other text node and the attributes people read, with bookmarks
named after a child renamed (and the links to them followed).

Word splits text into runs at arbitrary places ("Ash" + "lyn"), so matching is done on the
joined text of a paragraph. A mixin of `Pseudonymiser` (redact.py), which supplies `hits`,
`redact` and the running `counts`; kept apart so redact.py holds how text is matched and this
file how a Word part is walked.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from lxml import etree

from evidence_app.core.bundles.export.xml_text import (
    W, W_BOOKMARK, W_NAME, OTHER_TEXT, get_text, set_text, dob_cell_paragraphs, paragraphs,
    remove_hidden, word_attributes,
)

if TYPE_CHECKING:  # type names only: redact.py imports this module
    from evidence_app.core.bundles.export.redact import Pseudonymiser


class XmlRedaction:
    """Redacting XML trees and their runs (methods of `Pseudonymiser`)."""

    def redact_runs(self, nodes: list, where: str, case: str | None = None,
                    dob_cell: bool = False) -> bool:
        """Redact the joined text of a paragraph's text nodes, writing back run by run."""
        texts = [get_text(n) or "" for n in nodes]
        joined = "".join(texts)
        found = [h for h in self.hits(joined, case, dob_cell) if not h.ambiguous]
        if not found:
            return False
        offsets, pos = [], 0
        for t in texts:
            offsets.append(pos)
            pos += len(t)

        def node_at(i: int) -> int:
            k = bisect.bisect_right(offsets, i) - 1
            while k < len(texts) - 1 and offsets[k] + len(texts[k]) <= i:
                k += 1  # an empty node at the same offset
            return k

        for h in reversed(found):
            start, end = h.start, h.end
            i, j = node_at(start), node_at(end - 1)
            if i == j:
                t = texts[i]
                texts[i] = t[:start - offsets[i]] + h.repl + t[end - offsets[i]:]
            else:
                texts[i] = texts[i][:start - offsets[i]] + h.repl
                for k in range(i + 1, j):
                    texts[k] = ""
                texts[j] = texts[j][end - offsets[j]:]
            self.counts[(h.kind, where)] += 1
        for node, t in zip(nodes, texts):
            if (get_text(node) or "") != t:
                set_text(node, t)
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return True

    def redact_tree(self, root, where: str, case: str | None = None) -> None:
        """Every piece of text in an XML part: hidden text removed, runs grouped per paragraph
        (dates in a cell labelled "Date of birth" count as dates of birth), then any other text
        node and the attributes that carry words people read.

        Text is read through lxml's own descriptor: python-docx's element classes redefine
        `.text` on paragraphs and runs (and assigning it would rebuild the run)."""
        remove_hidden(root)
        self._rename_bookmarks(root, where)
        dob_paras = dob_cell_paragraphs(root)
        for para_el, nodes in paragraphs(root):
            if nodes:
                self.redact_runs(nodes, where, case, para_el is not None and para_el in dob_paras)
        for value in OTHER_TEXT(root):
            el = value.getparent()
            if el is None or not value.strip():
                continue
            new = self.redact(str(value), where, case)
            if new != value:
                if value.is_text:
                    set_text(el, new)
                else:
                    el.tail = new
        for el, attr in word_attributes(root):
            value = el.get(attr)
            new = self.redact(value, where, case)
            if new != value:
                el.set(attr, new)


    def _rename_bookmarks(self, root, where: str) -> None:
        """A bookmark named after a child ("Ffion_DOB") gets a neutral, valid name, and the
        links and REF fields that point at it follow; other names are never touched."""
        renames = {}
        for el in root.iter(W_BOOKMARK):
            name = el.get(W_NAME) or ""
            if name and any(not h.ambiguous for h in self.hits(name.replace("_", " "))):
                new = renames.setdefault(name, f"_Redacted{len(renames) + 1}")
                el.set(W_NAME, new)
                self.counts[("name", where)] += 1
        if not renames:
            return
        for el in root.iter(f"{{{W}}}hyperlink"):
            anchor = el.get(f"{{{W}}}anchor")
            if anchor in renames:
                el.set(f"{{{W}}}anchor", renames[anchor])
        for el in root.iter(f"{{{W}}}instrText"):
            text = get_text(el) or ""
            for old, new in renames.items():
                text = re.sub(rf"\b{re.escape(old)}\b", new, text)
            set_text(el, text)


def redact_xml_bytes(p: Pseudonymiser, data: bytes, where: str) -> bytes:
    """For parts held as raw bytes (e.g. docProps/custom.xml, charts): parse, redact, serialise."""
    root = etree.fromstring(data)
    p.redact_tree(root, where)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
