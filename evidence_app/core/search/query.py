"""The search box's language, parsed into a safe FTS5 expression plus field filters.

Users type: words, "exact phrases", prefix*, AND / OR / NOT (or -word), parentheses, and filters
`case:CH-004512`, `kind:policies`, `type:pdf`, `path:Visits`, `after:01/04/2026`,
`before:2026-06-30`. Every word reaches FTS5 quoted, so no input can be an FTS5 syntax error;
what cannot be understood becomes a `QueryError` that says how to fix it.

Any text is accepted or refused calmly: control characters count as spaces, lone UTF-16
surrogates (and bytes that were not UTF-8, which Python hands over as surrogates) are read as
Windows-1252 or replaced. So that every search finishes quickly, a query is refused with a message
when it is longer than MAX_CHARS, has more than MAX_TERMS words, phrases and filters, or nests
brackets deeper than MAX_DEPTH; dates must fall in 1900-2100.

(No dataclasses or datetime at import, and no pattern compiled until a query needs it: this
module is on the search command's start-up path, where compiling the tokeniser and the two
cleaning patterns cost more than parsing. Plain queries, words without brackets, quotes or
`field:`, and text without control characters or surrogates, are read with str methods alone;
tests/core/search/test_query_plain_path.py checks that they give the very same result.)
"""
from __future__ import annotations

import re

from evidence_app.core.base.errors import QueryError

MIN_PREFIX = 3  # shorter prefixes match most of the index and cannot be answered quickly
MAX_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 16
YEARS = (1900, 2100)
FIELDS = ("case", "kind", "type", "path", "after", "before")
KIND_ALIASES = {"case": "case-files", "cases": "case-files", "case-files": "case-files",
                "casefiles": "case-files", "policy": "policies", "policies": "policies",
                "other": "other"}
TYPE_ALIASES = {"word": ["docx"], "doc": ["docx", "doc"], "excel": ["xlsx"], "xls": ["xlsx", "xls"],
                "email": ["eml", "msg"], "mail": ["eml", "msg"], "text": ["txt", "md"],
                "htm": ["html"], "spreadsheet": ["xlsx", "ods", "csv"], "odf": ["odt", "ods"]}


class Filters:
    """Field filters taken out of the query text."""

    def __init__(self) -> None:
        self.cases: list[str] = []
        self.kinds: list[str] = []
        self.types: list[str] = []
        self.paths: list[str] = []
        self.after: float | None = None  # POSIX timestamp, inclusive
        self.before: float | None = None  # POSIX timestamp, exclusive (start of the named day)

    def __repr__(self) -> str:
        return f"Filters({self.__dict__!r})"

    def any(self) -> bool:
        return bool(self.cases or self.kinds or self.types or self.paths or self.after is not None
                    or self.before is not None)


class ParsedQuery:
    """The query as FTS5 understands it, plus its filters."""

    def __init__(self, text: str, fts: str | None, filters: Filters, terms: list[str]) -> None:
        self.text = text  # what the user typed
        self.fts = fts  # FTS5 MATCH expression, or None for a filter-only query
        self.filters = filters
        self.terms = terms  # plain words and phrases, for highlighting in the preview

    def __repr__(self) -> str:
        return f"ParsedQuery(text={self.text!r}, fts={self.fts!r}, terms={self.terms!r})"


_TOKEN_PATTERN = r'''\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<field>[A-Za-z]+):(?P<fval>"[^"]*"|[^\s()"]*)
    |(?P<neg>-)?(?P<phrase>"[^"]*")|(?P<word>[^\s()"]+))'''
_SPECIAL = frozenset('()":')  # without these a query's tokens are its words (see _plain_tokens)
_compiled: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    """A pattern of this module, compiled on first use (see the module note)."""
    found = _compiled.get(name)
    if found is None:
        found = _compiled[name] = re.compile(*_PATTERNS[name])
    return found


def _has_word_char(text: str) -> bool:
    """`re.search(r"\\w", text)` without a pattern: a word character is a letter, digit or
    number (str.isalnum, character by character) or the underscore."""
    return any(c.isalnum() or c == "_" for c in text)


def parse_date(value: str, name: str):
    """A datetime.date from 01/04/2026, 2026-04-01, 01-04-2026, 01.04.2026 or 01/04/26, within
    1900-2100; QueryError otherwise."""
    import datetime as dt  # start-up: datetime is loaded only when this runs

    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise QueryError(f"{name}: the year must be between {YEARS[0]} and {YEARS[1]}, "
                             f"not {day.year}.")
        return day
    raise QueryError(f"{name}: needs a date like 01/04/2026 or 2026-04-01, not {value!r}.")


def _timestamp(d) -> float:
    import datetime as dt  # start-up: datetime is loaded only when this runs

    try:
        return dt.datetime(d.year, d.month, d.day).timestamp()
    except (OverflowError, OSError, ValueError) as exc:  # a platform without that date
        raise QueryError(f"The date {d:%d/%m/%Y} cannot be used on this computer.") from exc


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.terms: list[str] = []
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> str:
        expr = self.or_expr()
        if self.peek() is not None:
            kind, _ = self.peek()  # type: ignore[misc]
            if kind == "rp":
                raise QueryError("There is a ')' without a matching '('.")
            raise QueryError("The search could not be understood; check AND, OR and NOT.")
        return expr

    def or_expr(self) -> str:
        parts = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.take()
            if self.peek() is None or self.peek()[0] == "rp" or self.peek()[0] == "op":  # type: ignore[index]
                raise QueryError("OR must have something to search for on both sides.")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def and_expr(self) -> str:
        positives: list[str] = []
        negatives: list[str] = []
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rp" or tok == ("op", "OR"):
                break
            if tok == ("op", "AND"):
                self.take()
                if self.peek() is None or self.peek()[0] == "rp":  # type: ignore[index]
                    raise QueryError("AND must be followed by something to search for.")
                continue
            negate = False
            if tok == ("op", "NOT"):
                self.take()
                nxt = self.peek()
                if nxt is None or nxt[0] in ("rp", "op"):
                    raise QueryError("NOT must be followed by the word or phrase to leave out, "
                                     "e.g. visit NOT virtual.")
                negate = True
            elif tok[0] == "neg":
                negate = True
            atom = self.atom()
            (negatives if negate else positives).append(atom)
        if not positives:
            if negatives:
                raise QueryError("NOT (or -) only leaves things out: add a word to search for, "
                                 "e.g. visit NOT virtual.")
            raise QueryError("Something is missing: add a word or phrase to search for.")
        expr = positives[0] if len(positives) == 1 else "(" + " AND ".join(positives) + ")"
        for neg in negatives:
            expr = f"({expr} NOT {neg})"
        return expr

    def atom(self) -> str:
        kind, value = self.take()
        if kind == "lp":
            if self.peek() is None:
                raise QueryError("There is a '(' without a matching ')'.")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"Brackets are nested too deeply: use at most {MAX_DEPTH} "
                                 "levels.")
            inner = self.or_expr()
            if self.peek() is None or self.peek()[0] != "rp":  # type: ignore[index]
                raise QueryError("There is a '(' without a matching ')'.")
            self.take()
            self.depth -= 1
            return inner
        if kind in ("phrase", "neg"):
            if kind == "neg":
                return self.atom_value(value)
            text = value.strip()
            if not _has_word_char(text):
                raise QueryError("An empty phrase \"\" cannot be searched for.")
            self.terms.append(text)
            return _quote(text)
        if kind == "word":
            return self.atom_value(value)
        raise QueryError("The search could not be understood; check AND, OR and NOT.")

    def atom_value(self, value: str) -> str:
        prefix = value.endswith("*")
        word = value.rstrip("*")
        if value.startswith('"'):
            word = value.strip('"')
        if not _has_word_char(word):
            raise QueryError(f"{value!r} has no letters or numbers to search for.")
        if prefix and len(word) < MIN_PREFIX:
            raise QueryError(f"Type at least {MIN_PREFIX} letters before * "
                             f"(for example supervis* or assess*).")
        self.terms.append(word)
        return _quote(word) + ("*" if prefix else "")


def _plain_tokens(text: str) -> list[tuple[str, str]]:
    """The tokens of a query without brackets, quotes or colons: with none of those the
    tokeniser's only alternative is a word, the longest run of non-space characters, which is
    what str.split gives (both take the same characters as space)."""
    tokens: list[tuple[str, str]] = []
    for word in text.split():
        if word in ("AND", "OR", "NOT"):
            tokens.append(("op", word))
        elif word.startswith("-") and len(word) > 1:
            tokens.append(("neg", "-"))
            tokens.append(("word", word[1:]))
        elif word != "-":
            tokens.append(("word", word))
    return tokens


def _tokens(text: str, filters: Filters) -> list[tuple[str, str]]:
    if _SPECIAL.isdisjoint(text):
        return _plain_tokens(text)
    return _tokenised(text, filters)


def _tokenised(text: str, filters: Filters) -> list[tuple[str, str]]:
    """The tokens of any query, by the tokeniser's pattern (field filters go to `filters`)."""
    if text.count('"') % 2:
        raise QueryError('A quotation mark is not closed: phrases need a " at each end.')
    tokens: list[tuple[str, str]] = []
    pos = 0
    token = _pattern("token")
    while pos < len(text):
        m = token.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise QueryError("The search could not be understood.")
        pos = m.end()
        if m.group("lp"):
            tokens.append(("lp", "("))
        elif m.group("rp"):
            tokens.append(("rp", ")"))
        elif m.group("field") is not None:
            name = m.group("field").lower()
            value = m.group("fval").strip('"')
            if name in FIELDS:
                _add_filter(filters, name, value)
            else:
                tokens.append(("word", f"{m.group('field')}:{m.group('fval')}".strip(":")))
        elif m.group("phrase") is not None:
            if m.group("neg"):
                tokens.append(("neg", "-"))
            tokens.append(("phrase", m.group("phrase")[1:-1]))
        elif m.group("word") is not None:
            word = m.group("word")
            if word in ("AND", "OR", "NOT"):
                tokens.append(("op", word))
            elif word.startswith("-") and len(word) > 1:
                tokens.append(("neg", "-"))
                tokens.append(("word", word[1:]))
            elif word == "-":
                continue
            else:
                tokens.append(("word", word))
    return tokens


def _add_filter(filters: Filters, name: str, value: str) -> None:
    if not value:
        raise QueryError(f"{name}: needs a value, e.g. {name}:{_EXAMPLES[name]}.")
    if name == "case":
        filters.cases.append(value.upper())
    elif name == "kind":
        kind = KIND_ALIASES.get(value.lower())
        if not kind:
            raise QueryError("kind: is one of case-files, policies or other.")
        filters.kinds.append(kind)
    elif name == "type":
        filters.types.extend(TYPE_ALIASES.get(value.lower(), [value.lower().lstrip(".")]))
    elif name == "path":
        filters.paths.append(value)
    elif name == "after":
        filters.after = _timestamp(parse_date(value, "after"))
    elif name == "before":
        filters.before = _timestamp(parse_date(value, "before"))


_EXAMPLES = {"case": "CH-004512", "kind": "policies", "type": "pdf", "path": "Visits",
             "after": "01/04/2026", "before": "30/06/2026"}


_PATTERNS = {"token": (_TOKEN_PATTERN, re.VERBOSE),
             "control": (r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", 0),
             "surrogates": (r"[\ud800-\udfff]+", 0)}


def clean_text(text: str) -> str:
    """Text anyone could type or paste, made safe to search: control characters become spaces;
    bytes that were not UTF-8 (surrogate-escaped by Python, e.g. from a Latin-1 terminal) are
    read as Windows-1252; other lone surrogates become U+FFFD (which matches nothing)."""
    def fix(m: re.Match[str]) -> str:
        chunk = m.group(0)
        if all("\udc80" <= c <= "\udcff" for c in chunk):
            raw = chunk.encode("utf-8", "surrogateescape")
            return raw.decode("cp1252", "replace")
        return "\ufffd" * len(chunk)

    try:
        text.encode("utf-8")  # fails exactly when the text holds a surrogate
    except UnicodeEncodeError:
        text = _pattern("surrogates").sub(fix, text)
    # every character "control" matches is one str.isprintable refuses (Cc, Zl, Zp, Cf)
    return text if text.isprintable() else _pattern("control").sub(" ", text)


def parse(text: str) -> ParsedQuery:
    text = clean_text(text or "")
    if len(text) > MAX_CHARS:
        raise QueryError(f"The search is too long ({len(text):,} characters): use at most "
                         f"{MAX_CHARS:,}, or a few distinctive words and filters.")
    filters = Filters()
    tokens = _tokens(text, filters)
    terms = sum(1 for kind, _ in tokens if kind in ("word", "phrase")) + _filter_count(filters)
    if terms > MAX_TERMS:
        raise QueryError(f"The search has too many words ({terms}): use at most {MAX_TERMS} "
                         "words, phrases and filters.")
    if not tokens:
        if not filters.any():
            raise QueryError("Type something to search for.")
        return ParsedQuery(text, None, filters, [])
    parser = _Parser(_fold_negations(tokens))
    expr = parser.parse()
    return ParsedQuery(text, expr, filters, parser.terms)


def _filter_count(f: Filters) -> int:
    return (len(f.cases) + len(f.kinds) + len(f.types) + len(f.paths)
            + (f.after is not None) + (f.before is not None))


def _fold_negations(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`-word` arrives as ("neg", "-"), ("word", w): the parser reads ("neg", w) as a negated atom."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "neg" and i + 1 < len(tokens) and tokens[i + 1][0] in ("word", "phrase"):
            nk, nv = tokens[i + 1]
            out.append(("neg", nv if nk == "word" else f'"{nv}"'))
            i += 2
            continue
        out.append((kind, value))
        i += 1
    return out
