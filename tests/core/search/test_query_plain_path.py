"""The query parser reads plain queries with str methods, skipping the patterns it would
otherwise compile (core/search/query.py: compiling them cost more than a whole parse, on every
`evidence-app search`). What a person types must mean exactly what it meant before: these
properties compare each short cut with the pattern it stands in for, on hostile text too."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.base.errors import QueryError
from evidence_app.core.search import query
from evidence_app.core.search.query import Filters, parse

# Words, operators, dashes, stars, odd spaces (NBSP, ideographic, the separators \x1c-\x1f),
# letters beyond ASCII and surrogates: everything but brackets, quotes and colons.
PLAIN_PIECES = st.one_of(
    st.sampled_from(["AND", "OR", "NOT", "-", "--", "-visit", "visit-", "supervis*", "*", "a*b",
                     " ", "  ", "\t", "\u00a0", "\u3000", "\x1c", "\u2028", "café", "ſ",
                     "K", "_", "x_y", "\ud800", "\udce9", "IRO", "47", "'s"]),
    st.text(alphabet=st.characters(blacklist_characters='()":'), max_size=8),
)
PLAIN_TEXT = st.lists(PLAIN_PIECES, max_size=12).map("".join)


def _old_clean_text(text: str) -> str:
    """clean_text as it was, by its two patterns."""
    def fix(m: re.Match[str]) -> str:
        chunk = m.group(0)
        if all("\udc80" <= c <= "\udcff" for c in chunk):
            return chunk.encode("utf-8", "surrogateescape").decode("cp1252", "replace")
        return "\ufffd" * len(chunk)

    text = re.sub(r"[\ud800-\udfff]+", fix, text)
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", " ", text)


@settings(max_examples=600, deadline=None)
@given(PLAIN_TEXT)
def test_plain_queries_split_into_the_tokens_the_pattern_finds(text):
    assert query._plain_tokens(text) == query._tokenised(text, Filters())


@settings(max_examples=600, deadline=None)
@given(st.one_of(PLAIN_TEXT, st.text(max_size=40)))
def test_cleaning_without_patterns_gives_the_same_text(text):
    assert query.clean_text(text) == _old_clean_text(text)


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=12))
def test_a_word_character_is_what_the_pattern_calls_one(text):
    assert query._has_word_char(text) == bool(re.search(r"\w", text))


def _outcome(text: str):
    try:
        p = parse(text)
    except QueryError as exc:
        return ("refused", str(exc))
    return (p.fts, p.terms, vars(p.filters))


@settings(max_examples=400, deadline=None)
@given(PLAIN_TEXT)
def test_a_plain_query_parses_as_the_pattern_would_parse_it(text):
    """The whole parse, short cut off and on: the same expression, terms and refusals."""
    quick = _outcome(text)
    original = query._plain_tokens
    query._plain_tokens = lambda t: query._tokenised(t, Filters())  # the pattern, always
    try:
        assert _outcome(text) == quick
    finally:
        query._plain_tokens = original


def test_examples_a_person_types():
    assert parse("supervision").fts == '"supervision"'
    assert parse("social worker").fts == '("social" AND "worker")'
    assert parse("visit NOT virtual").fts == '("visit" NOT "virtual")'
    assert parse("visit -virtual").fts == '("visit" NOT "virtual")'
    assert parse("strategy OR conference").fts == '("strategy" OR "conference")'
    assert parse("supervis*").fts == '"supervis"*'
    assert parse("caf\u00e9\u00a0visit").terms == ["caf\u00e9", "visit"]
    # the short cut leaves filters, phrases and brackets to the pattern
    p = parse('case:CH-1 "child protection" (visit OR review)')
    assert p.filters.cases == ["CH-1"]
    assert p.fts == '("child protection" AND ("visit" OR "review"))'


def test_a_plain_search_compiles_no_pattern():
    """The point of the short cut: a plain search compiles none of the parser's patterns."""
    query._compiled.clear()
    parse("voice of the child")
    parse("visit -virtual supervis*")
    assert query._compiled == {}
    parse("kind:policies oversight")
    assert set(query._compiled) == {"token"}
