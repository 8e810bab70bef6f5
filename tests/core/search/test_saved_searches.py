"""Saved searches: typed records, a store of their own, and save/delete that can be undone (the
same search comes back, same id and uuid)."""
from __future__ import annotations

import pytest

from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.search import saved_searches
from evidence_app.core.search.query import QueryError
from evidence_app.core.store.records import SavedSearch, as_json


def test_save_list_get_and_the_json_shape(ws):
    done = saved_searches.save(ws, "  Plans   in date ", "plan -draft", enquiry="hp-06")
    s = done.value
    assert isinstance(s, SavedSearch) and s.name == "Plans in date" and s.enquiry_id == "HP-06"
    assert done.changes.touches("framework")
    assert list(as_json(s)) == ["id", "uuid", "name", "query", "enquiry_id", "author",
                                "created_at"]
    assert saved_searches.list_saved(ws, "hp-06") == [s]
    assert saved_searches.list_saved(ws, "LEAD-01") == []
    assert saved_searches.get_saved(ws, str(s.id)) == s == saved_searches.get_saved(ws, s.name)
    with pytest.raises(InvalidInput, match="already"):
        saved_searches.save(ws, "Plans in date", "plan")
    with pytest.raises(QueryError):
        saved_searches.save(ws, "Broken", '"unbalanced')
    with pytest.raises(NotFound):
        saved_searches.get_saved(ws, "Nothing like it")


def test_delete_and_save_undo_and_redo(ws):
    s = saved_searches.save(ws, "Plans", "plan", enquiry="HP-06").value
    gone = saved_searches.delete(ws, "Plans")
    assert saved_searches.list_saved(ws) == []
    back = gone.undo(ws)
    assert back.value == s  # same id, uuid, author and time
    again = back.undo(ws)
    assert saved_searches.list_saved(ws) == []
    assert again.undo(ws).value == s
    first = saved_searches.save(ws, "Visits", "visit")
    first.undo(ws)
    assert [x.name for x in saved_searches.list_saved(ws)] == ["Plans"]
    with pytest.raises(NotFound):
        first.undo(ws)  # already taken back: a calm refusal, not a crash
