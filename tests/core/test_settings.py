"""The person's name and team and the default marking: stored once in the workspace, never the
login name on a bundle, and the default marking really used by new bundles."""
from __future__ import annotations

import getpass

import docx
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from evidence_app.core.bundles import bundle_data, bundles
from evidence_app.core.evidence import evidence
from evidence_app.core import settings
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from tests.factories import write_text


@pytest.fixture
def one_item(ws, policies_dir):
    write_text(policies_dir / "sef.txt", "Self-evaluation: leaders know their services well.")
    add_source(ws, policies_dir, "policies")
    index_workspace(ws)
    evidence.tag(ws, str(policies_dir / "sef.txt"), ["LEAD-01"],
                 quote="leaders know their services well").value
    return ws


def test_a_new_workspace_knows_nobody_and_never_guesses_the_login_name(ws):
    assert settings.person_name(ws) is None and not settings.has_person(ws)
    assert settings.prepared_by(ws) == ""
    with pytest.raises(settings.NameNeeded) as err:
        settings.require_name(ws)
    message = str(err.value)
    assert "\n" not in message and 'evidence-app settings --author "Your Name"' in message
    data = settings.as_dict(ws)
    assert data["author"] is None and data["author_is_default"] is True


def test_name_and_team_are_stored_tidied_and_make_prepared_by(ws):
    stored = settings.set_person(ws, "  Priya   Shah ", "Quality  Assurance")
    assert stored == {"author": "Priya Shah", "team": "Quality Assurance"}
    assert settings.prepared_by(ws) == "Priya Shah, Quality Assurance"
    assert settings.author(ws) == "Priya Shah" and settings.require_name(ws) == "Priya Shah"
    settings.set_team(ws, "")
    assert settings.team(ws) is None and settings.prepared_by(ws) == "Priya Shah"


def test_a_refused_name_changes_nothing(ws):
    settings.set_person(ws, "Priya Shah", "QA")
    for bad in ("", "   ", "x" * 101):
        with pytest.raises(InvalidInput):
            settings.set_person(ws, bad, "Other team")
    assert settings.person_name(ws) == "Priya Shah" and settings.team(ws) == "QA"


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=120), team=st.text(max_size=120))
def test_any_typed_name_is_stored_or_refused_cleanly(ws, name, team):
    """Whatever is typed in the first-run dialog: stored as tidied text or a one-line refusal."""
    try:
        settings.set_person(ws, name, team)
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        return
    got = settings.person_name(ws)
    assert got == " ".join(name.split()) and got
    assert settings.prepared_by(ws).startswith(got)


def test_export_refuses_without_a_name_then_prints_the_persons_name(ws, one_item, tmp_path):
    b = bundles.create_bundle(ws, "Leadership", by="custom").value
    out = tmp_path / "b.docx"
    with pytest.raises(settings.NameNeeded):
        bundle_data.export_bundle(ws, b.id, out)
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))
    settings.set_person(ws, "Priya Shah", "Quality Assurance")
    r = bundle_data.export_bundle(ws, b.id, out)
    text = "\n".join(c.text for t in docx.Document(str(out)).tables for row in t.rows
                     for c in row.cells)
    assert "Priya Shah, Quality Assurance" in text
    login = getpass.getuser()
    if login and login not in ("Priya", "Shah"):
        assert login not in text
    manifest = r.manifest.read_text()
    assert '"exported_by": "Priya Shah"' in manifest


def test_a_bundles_own_prepared_by_needs_no_stored_name(ws, one_item, tmp_path):
    b = bundles.create_bundle(ws, "Leadership", by="custom").value
    bundles.set_settings(ws, b.id, prepared_by="Head of Service").value
    bundle_data.export_bundle(ws, b.id, tmp_path / "b.docx")
    assert bundle_data.build(ws, b.id)[1].prepared_by == "Head of Service"


def test_default_marking_setting_is_used_by_new_bundles(ws, one_item):
    assert bundles.create_bundle(ws, "Before").value.marking == "OFFICIAL-SENSITIVE"
    assert settings.set_default_marking(ws, " official ") == "OFFICIAL"
    b = bundles.create_bundle(ws, "After", by="custom").value
    assert b.marking == "OFFICIAL"
    assert bundle_data.build(ws, b.id)[1].marking == "OFFICIAL"
    # an explicit marking still wins
    assert bundles.create_bundle(ws, "Explicit", marking="official-sensitive").value.marking == \
        "OFFICIAL-SENSITIVE"
    with pytest.raises(InvalidInput):
        settings.set_default_marking(ws, "   ")
    assert settings.default_marking(ws) == "OFFICIAL"
