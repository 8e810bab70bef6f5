"""The snippet under a hit skips, in ASCII lines, the term patterns whose first stem is not in
the line (core/search/snippet.py `_needles`): a substring test instead of a pattern's walk. The
snippet a person sees must be the very one the patterns alone would choose, whatever the text
and the words, including letters that match across case in surprising ways (the Kelvin sign,
the long s, dotless i)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.search import snippet
from evidence_app.core.search.snippet import best_passage

MARK = ("\u00ab", "\u00bb")
WORDS = ["visit", "Visited", "VISITS", "supervision", "Supervised", "strategy", "child",
         "children's", "\u212aelvin", "kelvin", "\u017fafe", "safe", "\u0131ll", "ill", "caf\u00e9",
         "CAF\u00c9", "meeting", "met", "IRO", "s47", "x_y", "-", "|", ":", ".", "Owner:"]
LINE = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=18).map(" ".join)
TEXT = st.lists(LINE, max_size=8).map("\n".join)
TERMS = st.lists(st.one_of(st.sampled_from(WORDS + ["social worker", "child protection"]),
                           st.text(max_size=6)), min_size=1, max_size=3)


def _patterns_alone(text, terms, opening):
    """best_passage with the short cut off: every pattern tried on every line."""
    original = snippet._needles
    snippet._needles = lambda t: (None,) * len(snippet._term_patterns(t))
    try:
        return best_passage(text, terms, MARK, opening=opening)
    finally:
        snippet._needles = original


@settings(max_examples=800, deadline=None)
@given(text=TEXT, terms=TERMS, opening=st.booleans())
def test_the_short_cut_chooses_the_same_snippet(text, terms, opening):
    assert best_passage(text, terms, MARK, opening=opening) == \
        _patterns_alone(text, terms, opening)


def test_a_hit_in_running_text_is_marked_and_found_in_any_case():
    text = ("Strategy discussion | Owner\n"
            "The social worker VISITED the family twice and the child was seen alone, as the "
            "plan required.")
    found = best_passage(text, ["visit", "social worker"], MARK)
    assert "\u00abVISITED\u00bb" in found and "\u00absocial worker\u00bb" in found
    # a Kelvin sign in the text is a k to the pattern: that line is not ASCII, so no short cut
    text2 = "The \u212aEY worker made a visit to the family home, as agreed at the meeting."
    assert "\u00ab\u212aEY\u00bb" in best_passage(text2, ["key"], MARK)
    # a long s is an s to the pattern, though "\u017f".lower() is not "s"
    text3 = "The worker judged the home \u017fafe for now, as agreed at the strategy meeting."
    assert "\u00ab\u017fafe\u00bb" in best_passage(text3, ["safe"], MARK)
