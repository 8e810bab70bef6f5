import pytest

from evidence_app.core.base.errors import QueryError
from evidence_app.core.search.query import parse


@pytest.mark.parametrize("text, fts", [
    ("visit", '"visit"'),
    ("home visit", '("home" AND "visit")'),
    ('"strategy meeting"', '"strategy meeting"'),
    ("assess*", '"assess"*'),
    ("visit OR meeting", '("visit" OR "meeting")'),
    ("visit NOT virtual", '("visit" NOT "virtual")'),
    ("visit -virtual", '("visit" NOT "virtual")'),
    ("(plan OR review) child", '(("plan" OR "review") AND "child")'),
    ("CH-004512", '"CH-004512"'),
    ('say "hello"', '("say" AND "hello")'),
])
def test_user_syntax_becomes_safe_fts(text, fts):
    assert parse(text).fts == fts


@pytest.mark.parametrize("text, message", [
    ('"strategy meeting', "quotation mark"),
    ("NOT", "NOT must be followed"),
    ("visit NOT", "NOT must be followed"),
    ("-visit", "only leaves things out"),
    ("visit OR", "both sides"),
    ("(visit", "without a matching"),
    ("visit)", "without a matching"),
    ("after:32/13/2026 visit", "needs a date"),
    ("kind:nonsense x", "kind: is one of"),
    ("", "Type something"),
])
def test_malformed_queries_explain_themselves(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_filters_are_taken_out_of_the_text():
    q = parse('case:ch-004512 kind:policy type:word path:"Visits" after:01/04/2026 '
              'before:2026-06-30 voice')
    assert q.fts == '"voice"'
    assert q.filters.cases == ["CH-004512"]
    assert q.filters.kinds == ["policies"]
    assert q.filters.types == ["docx"]
    assert q.filters.paths == ["Visits"]
    assert q.filters.after < q.filters.before


def test_a_filter_alone_is_a_query():
    q = parse("case:CH-000001")
    assert q.fts is None and q.filters.cases == ["CH-000001"]


def test_unknown_field_is_just_a_word():
    assert parse("Re: meeting").fts == '("Re" AND "meeting")'


def test_prefix_needs_three_letters():
    with pytest.raises(QueryError, match="at least 3 letters"):
        parse("su*")
    assert parse("sup*").fts == '"sup"*'
