"""The residual check: what still looks identifying after pseudonymisation, for a person to judge.

The rules replace what is registered. What is not registered — a parent's first name nobody
listed, a neighbour after "Mrs", the value in a table cell labelled "Mother" — can still identify
a child, and no rule can know it. So before a pseudonymised export is written, its text is read
and these are listed: words on a list of first names (resources/names/first-names.txt, see its
LICENCE), words after a title, values in cells labelled Name / Child / Mother / Father / Address,
dates near "born" or "DOB" that were not redacted, ten-digit numbers that pass the NHS
modulus-11 check in any grouping, and ordinary-word names the rules could not decide ("Hope is
settled" at the start of a sentence). A person accepts each (it stays) or adds it as a term of
the case (it is redacted next time). Accepted items are remembered per bundle by their key.
"""
from __future__ import annotations

import re
from functools import lru_cache

from evidence_app.core.base.frozen import frozen
from evidence_app.core.bundles.export.identifiers import DATE_RE, DOB_LABEL_RE, nhs_valid
from evidence_app.core.bundles.export.normalise import key
from evidence_app.core.bundles.export.reader import PLACEHOLDER, Block
from evidence_app.core.bundles.export.redact import Pseudonymiser
from evidence_app.core.bundles.export.variants import ALL_TITLES, COMMON_WORDS
from evidence_app.paths import resources_dir

# capitalised words of three letters or more (a possessive 's is not part of the word)
_CAPITALISED = re.compile(r"(?<![^\W\d_])[A-ZÀ-Þ][^\W\d_]{2,}")
_HAS_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b")
_TEN_DIGITS = re.compile(r"(?<![\w+])\d(?:[ .\-/]{0,3}\d){9}(?![\w]|[ .\-/]{0,3}\d)")
_TITLE_NEXT = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+([A-Z][^\W\d_]+(?:[-'’][A-Z]?[^\W\d_]+)?)")
_WIDE = 150
# Capitalised words of the bundle's own wording that happen to be first names.
STOP = frozenset("""
    child children young person page appendix evidence source strength type note notes lines
    enquiry enquiries week one requests request index contents cover redaction log section
    sections title prepared inspection date protective marking official sensitive sha modified
    cited path help protection leadership practice impact experiences progress care leavers
    early family court school health police social worker manager team plan review visit
    assessment strategy meeting conference record records report reports chronology summary
    supervision oversight voice quality assurance audit data performance local authority council
    borough county city services children's the a an and or of in on at to for by with from
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december spring summer autumn winter
    north south east west new christmas easter england english wales scotland ireland british
    london ofsted ilacs nhs gp camhs cafcass mash iro lado
    angel art august bill brook buck bud carry chance charity chuck clay cliff constance dale
    dawn dean dell destiny dot drew dusty earnest else era faith forest foster frank gale gay
    german glen golden grace grant guy harmony heath honey hope hunter jade jewel joy june king
    kit lacy lane lang liberty long love major many marvel mason max may mercy merry miles min
    miss misty noble opal page pat patience pearl penny precious prudence ray reed rich river
    rose royal ruby rusty sage sandy scarlet season see sol son spring star sterling sue summer
    sunny sunshine tiny trinity val valentine van velvet violet wade ward warren will willow
    windy winter young
    """.split()) | COMMON_WORDS


@lru_cache(maxsize=1)
def first_names() -> frozenset:
    path = resources_dir() / "names" / "first-names.txt"
    try:
        return frozenset(w.strip().lower() for w in path.read_text("utf-8").splitlines()
                         if w.strip() and not w.startswith("#"))
    except OSError:
        return frozenset()


@frozen
class ReviewItem:
    kind: str          # first-name | after-title | labelled-cell | date-near-birth | nhs-number
                       # | ambiguous-name
    text: str
    where: str
    part: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{key(self.text).strip()}"

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "where": self.where, "part": self.part,
                "key": self.key}

    def line(self) -> str:
        place = self.where if self.where == self.part else f"{self.where} ({self.part})"
        return f"{KIND_LABELS.get(self.kind, self.kind)} '{self.text}' in {place}"


KIND_LABELS = {"first-name": "first name", "after-title": "name after a title",
               "labelled-cell": "value of a name/address cell",
               "date-near-birth": "date near 'born'/'DOB'", "nhs-number": "possible NHS number",
               "ambiguous-name": "possible name (ordinary word)"}


def review_blocks(blocks: list[Block], p: Pseudonymiser, *, known_words=frozenset(),
                  accepted=frozenset()) -> list[ReviewItem]:
    """Everything that still looks identifying, once per (kind, text, place), in file order,
    less what was accepted. `known_words`: staff and authority names that are not children's."""
    names = first_names()
    known = frozenset(key(w) for w in known_words)
    out: list[ReviewItem] = []
    seen: set = set()

    def add(kind: str, text: str, b: Block) -> None:
        item = ReviewItem(kind, text.strip(), b.where, b.part)
        if not item.text or item.key in accepted or (item.key, b.where) in seen:
            return
        seen.add((item.key, b.where))
        out.append(item)

    for b in blocks:
        if b.kind not in ("text", "attribute"):
            continue
        text = b.text
        for h in p.hits(text, None, b.dob_cell):
            if h.ambiguous:
                add("ambiguous-name", text[h.start:h.end], b)
        if b.kind == "attribute" and not b.text.strip(" 0123456789"):
            continue
        bare = PLACEHOLDER.sub(" ", text) if "[" in text or "Child " in text else text
        for word in _CAPITALISED.findall(bare):
            if word.isupper() and len(word) > 3:
                continue
            k = key(word)
            if k in names and k not in STOP and k not in known:
                add("first-name", word, b)
        if _HAS_TITLE.search(bare):
            for m in _TITLE_NEXT.finditer(bare):
                k = key(m.group(2))
                if k not in STOP and k not in known and k not in ALL_TITLES:
                    add("after-title", m.group(0), b)
        if b.label_cell and bare.strip(" -–—:") and not PLACEHOLDER.fullmatch(text.strip()):
            add("labelled-cell", text, b)
        if DOB_LABEL_RE.search(text):
            for m in DATE_RE.finditer(text):
                lo, hi = max(0, m.start() - _WIDE), m.end() + _WIDE
                if DOB_LABEL_RE.search(text[lo:hi]):
                    add("date-near-birth", m.group(), b)
        for m in _TEN_DIGITS.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if nhs_valid(digits):
                add("nhs-number", m.group(), b)
    return out
