"""Settings as one typed object owned by the core: every key with its type, default and limits;
a save checks every value before storing any; stored junk falls back to the default; a save can
be undone and redone; the reading limits and backups use the same object."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from evidence_app.core import settings
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.index.extractors.base import Limits
from evidence_app.core.index.indexer import limits_for


def test_a_new_workspace_has_every_default(ws):
    s = settings.load(ws)
    assert isinstance(s, settings.Settings)
    assert dataclasses.replace(s, framework_version=None) == settings.DEFAULTS
    assert s.default_marking == "OFFICIAL-SENSITIVE" and s.author is None
    # the reading limits' defaults are the extractors' own, so nothing changes until set
    limits = Limits()
    assert (s.time_limit_s, s.memory_limit_mb, s.max_file_bytes) == \
        (limits.time_limit_s, limits.memory_limit_mb, limits.max_file_bytes)


def test_every_key_is_a_field_and_the_json_shape_is_kept(ws):
    fields = {f.name for f in dataclasses.fields(settings.Settings)}
    assert set(settings.KEYS) == fields
    data = settings.load(ws).as_json()
    for key in ("author", "team", "author_is_default", "prepared_by", "default_marking",
                "framework_version"):
        assert key in data
    assert settings.as_dict(ws) == data


def test_save_stores_typed_values_that_the_limits_use(ws):
    done = settings.save(ws, time_limit_s="45", memory_limit_mb=2048.0, backup_keep=3)
    assert done.changes.touches("settings")
    assert (done.value.time_limit_s, done.value.memory_limit_mb, done.value.backup_keep) == \
        (45.0, 2048, 3)
    assert ws.get_meta("limit.time_limit_s") == "45"  # stored as older versions read it
    assert limits_for(ws).time_limit_s == 45 and limits_for(ws).memory_limit_mb == 2048


def test_one_refused_value_stores_nothing(ws):
    settings.save(ws, author="Priya Shah", default_marking="official")
    for bad in ({"time_limit_s": "0"}, {"time_limit_s": "soon"}, {"memory_limit_mb": 1},
                {"author": "  "}, {"default_marking": ""}, {"no_such_thing": 1},
                {"framework_version": "ilacs-2023-01"}):
        with pytest.raises(InvalidInput) as err:
            settings.save(ws, team="Front Door", **bad)
        assert "\n" not in str(err.value)
    s = settings.load(ws)
    assert (s.author, s.team, s.default_marking) == ("Priya Shah", None, "OFFICIAL")


def test_stored_junk_falls_back_to_the_default(ws):
    ws.set_meta("limit.time_limit_s", "thirty")
    ws.set_meta("limit.memory_limit_mb", "-5")
    ws.set_meta("backup.keep", "")
    s = settings.load(ws)
    assert (s.time_limit_s, s.memory_limit_mb, s.backup_keep) == (30.0, 1024, 10)
    assert limits_for(ws).time_limit_s == 30.0  # the indexer no longer breaks on it


def test_save_undo_redo_round_trip(ws):
    settings.save(ws, author="Priya Shah", default_marking="OFFICIAL")
    done = settings.save(ws, default_marking="OFFICIAL-SENSITIVE PERSONAL", team="QA")
    assert settings.load(ws).default_marking == "OFFICIAL-SENSITIVE PERSONAL"
    undone = done.undo(ws)
    assert (undone.value.default_marking, undone.value.team) == ("OFFICIAL", None)
    assert settings.load(ws) == undone.value
    redone = undone.undo(ws)
    assert (redone.value.default_marking, redone.value.team) == \
        ("OFFICIAL-SENSITIVE PERSONAL", "QA")
    assert redone.undo(ws).value.default_marking == "OFFICIAL"


def test_the_person_is_written_under_settings_author_only(ws):
    settings.set_person(ws, "Priya Shah", "QA")
    keys = {k for (k,) in ws.conn.execute("SELECT key FROM meta")}
    assert "settings.author" in keys and "author" not in keys


_VALUES = st.one_of(st.none(), st.text(max_size=30), st.integers(-10, 100000),
                    st.floats(allow_nan=True, allow_infinity=True))


@hsettings(max_examples=80, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(sorted(settings.KEYS)), _VALUES, max_size=4))
def test_any_save_is_stored_whole_or_refused_in_one_line(ws, changes):
    before = settings.load(ws)
    try:
        after = settings.save(ws, **changes).value
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        assert settings.load(ws) == before  # nothing half-stored
        return
    assert settings.load(ws) == after
    for field, value in changes.items():
        if value is not None and field != "team":
            assert getattr(after, field) is not None


@hsettings(max_examples=80, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(author=st.one_of(st.none(), st.text(max_size=120)),
       team=st.one_of(st.none(), st.text(max_size=120)))
def test_the_name_and_team_read_alone_are_what_all_the_settings_say(ws, author, team):
    """person_name and team read only their own key (they are read on every tag): whatever is
    stored, even junk a hand edit left, they say what `load` says."""
    for key, value in (("settings.author", author), ("settings.team", team)):
        if value is None:
            ws.conn.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            ws.set_meta(key, value)
    s = settings.load(ws)
    assert settings.person_name(ws) == s.author and settings.team(ws) == s.team
    assert settings.author(ws) == (s.author or settings.default_author())
    assert settings.prepared_by(ws) == s.prepared_by
