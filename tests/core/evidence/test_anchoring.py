"""Passages follow their text through edits and re-indexing by the real indexer; nothing is lost."""
import os
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_app.core.evidence import anchoring, evidence
from evidence_app.core.safety import audit
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from tests.factories import write_docx, write_text

VOICE = ("Ashlyn said she feels safe with her grandmother and wants to keep seeing her brother "
         "at weekends.")
BEFORE = "Home visit record, 3 March.\n\nThe worker saw Ashlyn alone in her bedroom."
AFTER = "The plan was updated with her views and shared with her grandmother."


def _rewrite(path, text):
    time.sleep(0.02)
    write_text(path, text)
    st = os.stat(path)
    os.utime(path, (st.st_atime, st.st_mtime + 2))


def test_passage_through_insert_edit_delete_and_missing_file(ws, cases_dir):
    f = write_text(cases_dir / "CH-004512" / "visit.txt", f"{BEFORE}\n\n{VOICE}\n\n{AFTER}")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    item = evidence.tag(ws, str(f), ["HP-15"], quote=VOICE, strength="strong").value
    whole = evidence.tag(ws, str(f), ["LEAD-11"]).value
    old_start = item.start

    # 1. text inserted before the passage: still exact, new offset
    _rewrite(f, f"A new opening paragraph was added.\n\n{BEFORE}\n\n{VOICE}\n\n{AFTER}")
    index_workspace(ws)
    i = evidence.get_item(ws, item.id)
    assert i.anchor == "anchored" and i.start > old_start
    text = evidence.document_text(ws, i.document_id).text
    assert text[i.start:i.end] == VOICE

    # 2. a word changed inside the passage: moved, with a similarity and the new text
    changed = VOICE.replace("safe", "secure")
    _rewrite(f, f"A new opening paragraph was added.\n\n{BEFORE}\n\n{changed}\n\n{AFTER}")
    index_workspace(ws)
    i = evidence.get_item(ws, item.id)
    assert i.anchor == "moved" and 0.8 <= i.similarity < 1
    assert i.current_quote == changed and i.quote == VOICE  # what was tagged is kept

    # 3. the passage deleted: orphaned, quote kept for review
    _rewrite(f, f"A new opening paragraph was added.\n\n{BEFORE}\n\n{AFTER}")
    index_workspace(ws)
    i = evidence.get_item(ws, item.id)
    assert i.anchor == "orphaned" and i.quote == VOICE

    # 4. the file deleted: missing (both items), never dropped
    f.unlink()
    index_workspace(ws)
    assert {x.id: x.anchor for x in evidence.list_items(ws)} == {
        item.id: "missing", whole.id: "missing"}
    assert evidence.get_item(ws, item.id).note == ""  # the item itself is intact

    # the file comes back with the passage: anchored again
    write_text(f, f"{BEFORE}\n\n{VOICE}\n\n{AFTER}")
    index_workspace(ws)
    i = evidence.get_item(ws, item.id)
    assert i.anchor == "anchored" and evidence.get_item(ws, whole.id).anchor == "document"
    assert audit.verify(ws).ok
    assert [e["action"] for e in audit.entries(ws, "evidence")].count("reanchor") >= 3


def test_moved_file_keeps_its_evidence(ws, cases_dir):
    f = write_docx(cases_dir / "CH-000001" / "Visit.docx", [BEFORE, VOICE, AFTER])
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    item = evidence.tag(ws, str(f), ["HP-15"], quote=VOICE).value
    target = cases_dir / "CH-000001" / "Archive" / "Visit renamed.docx"
    target.parent.mkdir()
    f.rename(target)
    index_workspace(ws)
    i = evidence.get_item(ws, item.id)
    assert i.path == str(target) and i.anchor == "anchored"


def test_nearest_occurrence_with_matching_context_wins():
    text = "Intro. The child was seen alone. Middle part. The child was seen alone. End."
    q = "The child was seen alone."
    second = text.rindex(q)
    found = anchoring.locate(text, q, before="Middle part. ", after=" End.", old_start=second)
    assert found.start == second
    found = anchoring.locate(text, q, before="Intro. ", after=" Middle", old_start=60)
    assert found.start == text.index(q)


def test_short_quotes_are_not_fuzzily_matched():
    assert anchoring.locate("nothing like it here", "seen", old_start=0).state == "orphaned"
    assert anchoring.fuzzy("The plan was reviewed today.", "The plan was reviewd today.").state \
        == "moved"


# -- find_exact matches by hand what the whitespace-tolerant regex matched ------------------------
def _by_regex(text: str, quote: str) -> list[tuple[int, int]]:
    """The rule as it was first written (one regex per quote): the witness."""
    import re

    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u202f\u3000"
_text = st.text(alphabet=st.sampled_from("ab.*(\\+?" + _SPACES + "é\u00df"), max_size=60)


@given(text=_text, quote=_text)
@settings(max_examples=600, deadline=None)
def test_find_exact_finds_what_the_regex_found(text, quote):  # noqa: ANN001
    assert anchoring.find_exact(text, quote) == _by_regex(text, quote)


@given(words=st.lists(st.sampled_from(["child", "seen", "alone", "(safe)", "a+b", "é"]),
                      min_size=1, max_size=5),
       spaces=st.lists(st.sampled_from([" ", "\n\n", "\t ", "\xa0", "\u2028"]), min_size=6,
                       max_size=6),
       noise=st.text(alphabet="xy \n", max_size=20))
@settings(max_examples=300, deadline=None)
def test_a_quote_is_found_however_its_spaces_were_changed(words, spaces, noise):  # noqa: ANN001
    passage = "".join(w + s for w, s in zip(words, spaces)).rstrip()
    text = noise + " " + passage + " " + noise
    quote = " ".join(words)
    found = anchoring.find_exact(text, quote)
    assert found == _by_regex(text, quote)
    assert any(text[s:e] == passage for s, e in found)


@given(text=st.text(alphabet="ab \n", max_size=40), quote=st.text(alphabet="ab \n", max_size=8))
@settings(max_examples=600, deadline=None)
def test_repeated_words_are_found_left_to_right_without_overlap(text, quote):  # noqa: ANN001
    assert anchoring.find_exact(text, quote) == _by_regex(text, quote)


def test_occurrences_do_not_overlap():
    assert anchoring.find_exact("seen seen  seen\nseen", "seen seen") == [(0, 9), (11, 20)]
