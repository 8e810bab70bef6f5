"""Prefix search (`supervis*`) that finds every document the whole word finds.

The index holds Porter stems: "supervision" is stored as `supervis`, "happiness" as `happi`. A
prefix therefore stands for two sets of stems:
- the indexed stems that start with it (`supervis*` -> `supervis`, `supervisor`, ...);
- the stems of words that start with it although their stem does not (`happin*` -> "happiness"
  -> `happi`; `happy*` -> `happi`). These are found by stemming the prefix followed by the rest
  of each English ending Porter removes (`tails_after`), and keeping the stems the index has.

Each stem goes back into the MATCH expression as a *word that stems to exactly that stem*, never
as the stem itself: FTS5 stems every quoted word again, and a stem is not always its own stem
(`supervis` becomes `supervi`). That double stemming is how `supervis*` used to find 14
documents where `supervision` found 178. Stemming is done by SQLite's own porter tokenizer (a
temporary FTS5 table on the connection), so it is exactly what the index did.

An expansion is an OR of terms, which FTS5 evaluates lazily and seeks by rowid cheaply; a native
FTS5 prefix query materialises every matching term's postings each time it is evaluated (slow for
snippets and filtered searches), so it is used only when a prefix has more than MAX_TERMS stems.
"""
from __future__ import annotations

import re

from evidence_app.core.store import search as store
from evidence_app.core.store.tokenizer import TOKENIZE

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)

FOLD = TOKENIZE.replace("porter ", "")  # the same tokenizer without stemming

MAX_TERMS = 64  # stems per prefix written out as words; beyond, FTS5's own prefix query
MAX_TOTAL = 256  # words written out for all prefixes of one query
_PREFIX = re.compile(r'"((?:[^"]|"")*)"\*')

# Surface forms of the endings Porter's steps remove or rewrite, with common inflections.
_BASES = """s es ies sses ss ed ied eed ing ying y ly ily ely ally ably ibly ently ously fully
ational tional ation ator ization isation izer iser alism iveness fulness ousness ality ivity
bility ability ibility logy logi logical logically ency ancy ence ance icate ative alize alise
icity ical ically ful ness al er ic able ible ant ement ment ent ion ou ism ate iti ous ive ize
ise e ll""".split()
_INFLECTIONS = ("", "s", "es", "ed", "ing", "ly", "er", "ers")
ENDINGS = sorted({b + i for b in _BASES for i in _INFLECTIONS})
# tried after a stem to find a word that stems to exactly that stem
_RESTORE = ("", "e", "s", "ing", "ed", "ion", "y", "er", "al", "ate", "ment", "ness", "ity",
            "ive", "ous", "ism", "ic", "ance", "ence", "able", "ible", "ant", "ent", "ize", "ise")

_ONE_TOKEN = re.compile(r"[a-z0-9]+")  # certainly one token for unicode61
_CACHE: dict[tuple, "Expanded"] = {}  # ((database file, index generation), prefix, ...) -> it
_STEMS: dict[str, str | None] = {}  # word -> its stem (None: not one token); never stale


class Expanded:
    """One prefix written out: `parts` are MATCH fragments, each matching exactly one indexed
    stem (a quoted word that stems to it, or `"stem"*` when no such word was found: every term
    starting with that stem starts with the prefix too). `native` adds FTS5's own prefix query
    when the prefix had more than MAX_TERMS stems. `outside` are the parts whose stems do not
    start with the prefix (FTS5's own prefix query cannot reach them)."""

    __slots__ = ("prefix", "parts", "native", "outside")

    def __init__(self, prefix: str, parts: list[str], native: bool,
                 outside: list[str] | None = None) -> None:
        self.prefix, self.parts, self.native = prefix, parts, native
        self.outside = outside or []

    def branches(self) -> list[str]:
        """The OR's parts, each a MATCH expression of its own (for ranking them one by one)."""
        return ([_quote(self.prefix) + "*"] if self.native or not self.parts else []) + self.parts

    def expression(self) -> str:
        parts = self.branches()
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def expand(conn: sqlite3.Connection, fts: str) -> tuple[str, dict[str, Expanded]]:
    """The MATCH expression with every `"prefix"*` written out, and each prefix's expansion."""
    if '"*' not in fts:
        return fts, {}
    _ensure_tables(conn)
    generation = store.index_generation(conn)
    done: dict[str, Expanded] = {}
    budget = [MAX_TOTAL]

    def repl(m: re.Match[str]) -> str:
        raw = m.group(1).replace('""', '"')
        key = (generation, raw, budget[0] >= MAX_TERMS)
        exp = _CACHE.get(key)
        if exp is None:
            exp = _expand_one(conn, raw, min(MAX_TERMS, budget[0]))
            if len(_CACHE) > 512:
                _CACHE.clear()
            _CACHE[key] = exp
        budget[0] = max(0, budget[0] - len(exp.parts))
        done[raw] = exp
        return exp.expression()

    return _PREFIX.sub(repl, fts), done


def single_prefix(fts: str) -> str | None:
    """The prefix when the whole expression is one `"prefix"*` (filters are not in it)."""
    m = _PREFIX.fullmatch(fts)
    return m.group(1).replace('""', '"') if m else None


def names_expression(fts: str, expanded: dict[str, Expanded]) -> str:
    """For the titles-and-names index (its own, small vocabulary): each prefix as FTS5's own
    prefix query, OR the written-out words whose stems lie outside its range."""
    def repl(m: re.Match[str]) -> str:
        raw = m.group(1).replace('""', '"')
        exp = expanded.get(raw)
        parts = [m.group(0)] + (exp.outside if exp else [])
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    return _PREFIX.sub(repl, fts)


def _ensure_tables(conn: sqlite3.Connection) -> None:
    store.ensure_vocab_tables(conn, TOKENIZE, FOLD)


def _tokenise(conn: sqlite3.Connection, table: str, words: list[str]) -> dict[int, list[str]]:
    """Word number (from 1) -> the tokens SQLite makes of it with that table's tokenizer. The
    words go in as one row when each is one token (one insert, not one per word)."""
    _ensure_tables(conn)
    simple = all(_ONE_TOKEN.fullmatch(w) for w in words)
    rows = [(1, " ".join(words))] if simple else list(enumerate(words, 1))
    found: dict[int, list[tuple[int, str]]] = {}
    for term, doc, offset in store.tokens_of(conn, table, rows):
        if simple:
            doc, offset = offset + 1, 0
        found.setdefault(doc, []).append((offset, term))
    return {doc: [t for _, t in sorted(toks)] for doc, toks in found.items()}


def stems(conn: sqlite3.Connection, words: list[str]) -> dict[str, str | None]:
    """Each word's stem, by the index's own tokenizer (None if it is not exactly one token)."""
    todo = [w for w in dict.fromkeys(words) if w not in _STEMS]
    if todo:
        found = _tokenise(conn, "eo_stem", todo)
        if len(_STEMS) > 200_000:
            _STEMS.clear()
        for i, w in enumerate(todo, 1):
            tokens = found.get(i, [])
            _STEMS[w] = tokens[0] if len(tokens) == 1 else None
    return {w: _STEMS.get(w) for w in words}


def _fold(conn: sqlite3.Connection, prefix: str) -> str | None:
    """The prefix as the index spells it (lower case, accents folded: FTS5 does not stem a
    prefix), or None when it is not exactly one token ("co-op", symbols)."""
    tokens = _tokenise(conn, "eo_fold", [prefix]).get(1, [])
    return tokens[0] if len(tokens) == 1 else None


def tails_after(prefix: str) -> list[str]:
    """The tails worth stemming after `prefix`: a whole ending (Porter may still reach back into
    the prefix: "hopp" + "ing" -> `hop`), or the rest of an ending whose start the prefix already
    ends with ("happin" + "ess", since "happin" ends with "n" of "ness"), or nothing: the prefix
    may be a whole word whose stem is shorter than it ("times*" -> "times" -> `time`)."""
    out = set(ENDINGS) | {""}
    for ending in ENDINGS:
        for i in range(1, len(ending)):
            if prefix.endswith(ending[:i]):
                out.add(ending[i:])
    return sorted(out, key=lambda t: (len(t), t))


def _expand_one(conn: sqlite3.Connection, raw: str, limit: int) -> Expanded:
    prefix = _fold(conn, raw)
    if prefix is None:  # several tokens ("co-op*"): FTS5's own phrase-prefix rules
        return Expanded(raw, [], True)
    in_range = store.terms_from(conn, prefix, limit + 1)
    native = len(in_range) > limit
    # stems of words that start with the prefix but whose stem does not
    outside: dict[str, str] = {}
    for word, stem in stems(conn, [prefix + t for t in tails_after(prefix)]).items():
        if stem and not stem.startswith(prefix) and stem not in outside:
            outside[stem] = word
    if outside:  # keep the stems the text or the titles and file names have
        indexed = store.indexed_terms(conn, list(outside))
        outside = {s: w for s, w in outside.items() if s in indexed}
    beyond = [_quote(w) for _, w in sorted(outside.items())]
    return Expanded(prefix, ([] if native else _parts_for(conn, in_range)) + beyond, native,
                    beyond)


def _parts_for(conn: sqlite3.Connection, terms: list[str]) -> list[str]:
    """For each indexed stem, a MATCH fragment for exactly it: a word that stems to it (the stem
    itself when it is its own stem, else the stem plus an ending), or `"stem"*`."""
    known = stems(conn, [t + end for t in terms for end in _RESTORE])
    out: list[str] = []
    for t in terms:
        word = next((t + end for end in _RESTORE if known.get(t + end) == t), None)
        out.append(_quote(word) if word is not None else _quote(t) + "*")
    return out
