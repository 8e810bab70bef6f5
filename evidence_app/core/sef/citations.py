"""What a person types to cite something, turned into a citation, checked against the workspace.

- an evidence item: `E-12`, `E-012`, `E12`, `#12` or `12` (its id; bundles print it `E-012`);
- a saved search: `search:NAME` (also `saved:NAME`);
- a figure: `figure:NAME`, or a figure's name given with `--figure`.
"""
from __future__ import annotations

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.sef import figures
from evidence_app.core.store import sef as store
from evidence_app.core.store.records import SefCitation


def parse(text: str) -> tuple[str, str]:
    """(kind, the ref as typed) without touching the database."""
    raw = str(text).strip()
    low = raw.lower()
    for prefix, kind in (("search:", "search"), ("saved:", "search"), ("figure:", "figure")):
        if low.startswith(prefix):
            ref = raw[len(prefix):].strip()
            if not ref:
                raise InvalidInput(f"'{text}' names no {kind}.")
            return kind, ref
    key = raw.upper().replace(" ", "")
    if key.startswith("E"):
        key = key[1:].lstrip("-")
    key = key.lstrip("#")
    if key.isascii() and key.isdigit() and len(key) <= 18:
        return "evidence", str(int(key))
    raise InvalidInput(f"'{text}' is not something a claim can cite: give an evidence item "
                       "(E-12), a saved search (search:NAME) or a figure (figure:NAME).")


def resolve(db, text: str, *, kind: str | None = None) -> SefCitation:
    """A citation that exists now (refuses an unknown item, search or figure in one line)."""
    k, ref = ("figure", str(text).strip()) if kind == "figure" else parse(text)
    if k == "figure" and ref.lower().startswith("figure:"):
        ref = ref[7:].strip()
    if k == "evidence":
        item = store.cited_items(db, [int(ref)]).get(int(ref))
        if item is None or item.deleted:
            raise NotFound(f"There is no evidence item E-{int(ref):03d}. See "
                           "'evidence-app evidence'.")
        return SefCitation("evidence", ref)
    if k == "search":
        found = store.saved_search(db, ref)
        if found is None:
            raise NotFound(f"There is no saved search '{ref}'. See 'evidence-app saved-search "
                           "list'.")
        return SefCitation("search", found[0])
    return SefCitation("figure", figures.definition(ref).name)


def matches(citation: SefCitation, text: str) -> bool:
    """Whether what a person typed (to uncite it) names this citation."""
    try:
        k, ref = parse(text)
    except InvalidInput:
        k, ref = "figure", str(text).strip()
    if k == "figure" or (citation.kind == "figure" and k != "evidence"):
        return citation.kind == "figure" and figures.key(citation.ref) in (
            figures.key(ref), figures.key(str(text)))
    if k == "evidence":
        return citation.kind == "evidence" and citation.ref == ref
    return citation.kind == k and citation.ref.casefold() == ref.casefold()
