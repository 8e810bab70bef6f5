"""Issue 9 point 1: a prefix finds every document its whole word finds, with and without filters.

`supervis*` once found 14 documents where `supervision` found 178: the prefix was expanded to
indexed (already stemmed) terms that FTS5 then stemmed again. The property runs over words taken
from the generated corpus's own text, through the same `search` the window and the CLI use.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.search.search import search
from evidence_app.core.workspace import Workspace

WORD = re.compile(r"\b[^\W\d_]{5,}\b")
ALL = 100_000


@pytest.fixture(scope="module")
def reader(corpus_ws):
    ws = Workspace.open(corpus_ws[0], access="reader")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def vocabulary(reader):
    words: set[str] = set()
    for (text,) in reader.conn.execute("SELECT text FROM chunks"):
        words.update(WORD.findall(text))
    return sorted(words)


@pytest.fixture(scope="module")
def filters(reader):
    conn = reader.conn
    cases = [r[0] for r in conn.execute(
        "SELECT case_ref FROM documents WHERE case_ref IS NOT NULL GROUP BY case_ref "
        "ORDER BY COUNT(*) DESC LIMIT 5")]
    formats = [r[0] for r in conn.execute("SELECT DISTINCT format FROM documents")]
    return ["", "kind:policies", "kind:case-files", "kind:other",
            *[f"case:{c}" for c in cases], *[f"type:{f}" for f in formats],
            "path:Visits", "path:Assessments", "after:01/01/2020", "before:01/01/2030",
            "after:01/06/2025 before:01/03/2026"]


def documents(ws, query: str) -> set[int]:
    return {h.document_id for h in search(ws, query, limit=ALL).hits}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_prefix_finds_every_document_its_word_finds(reader, vocabulary, filters, data):
    word = data.draw(st.sampled_from(vocabulary), label="word")
    k = data.draw(st.integers(3, len(word)), label="k")
    where = data.draw(st.sampled_from(filters), label="filter")
    whole = documents(reader, f"{where} {word}".strip())
    prefix = documents(reader, f"{where} {word[:k]}*".strip())
    missing = whole - prefix
    assert not missing, f"{word[:k]}* misses {len(missing)} of {len(whole)} documents {word} finds"


@pytest.mark.parametrize("word, k", [("supervision", 8), ("happiness", 6), ("assessments", 6),
                                     ("agreed", 5), ("relational", 6), ("visiting", 5),
                                     ("times", 5), ("supervision", 11), ("visits", 6)])
def test_known_stemming_traps(reader, word, k):
    """Stems that are not their own stem (supervis -> supervi) and stems shorter than the
    prefix (happiness -> happi) are the cases double stemming broke; a whole word with a star
    (`times*`) must find what the word finds (`times` finds "time" too)."""
    for where in ("", "kind:policies", "kind:case-files"):
        whole = documents(reader, f"{where} {word}".strip())
        assert whole <= documents(reader, f"{where} {word[:k]}*".strip())


def test_the_cli_prefix_finds_what_the_word_finds(corpus_ws, tmp_path):
    from tests.conftest import Cli

    cli = Cli(corpus_ws[0])
    for where in ([], ["kind:policies"]):
        whole = {h["document_id"] for h in cli.json("search", *where, "supervision",
                                                     "--limit", "5000")}
        prefix = {h["document_id"] for h in cli.json("search", *where, "supervis*",
                                                      "--limit", "5000")}
        assert whole and whole <= prefix


def test_a_prefix_finds_words_that_are_only_in_file_names(ws, cases_dir):
    """Titles and file names have their own index: `happin*` must reach `happi` there too."""
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from tests.factories import write_text

    write_text(cases_dir / "CH-000001" / "Happiness survey.txt", "Scores from the survey.")
    write_text(cases_dir / "CH-000001" / "Supervisors list.txt", "Names and teams.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    for word, k in (("happiness", 6), ("happiness", 5), ("supervisors", 8)):
        whole = documents(ws, word)
        assert whole and whole <= documents(ws, word[:k] + "*"), (word, k)
