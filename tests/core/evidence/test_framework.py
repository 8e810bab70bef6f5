"""The framework: shipped versions, edits, export/import round-trips, audit of each change."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.safety import audit
from evidence_app.core.evidence import evidence, framework
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.index.sources import add_source
from evidence_app.core.index.indexer import index_workspace
from tests.factories import write_text


def test_default_is_2026_without_overall_effectiveness(ws):
    assert framework.current_version(ws) == "ilacs-2026-04"
    assert [a.id for a in framework.areas(ws)] == ["LEAD", "HP", "CIC", "CL"]
    ids = [e.id for e in framework.enquiries(ws)]
    assert "LEAD-01" in ids and "HP-03" in ids and not any(i.startswith("OE") for i in ids)
    reqs = {r.id: r for r in framework.requests(ws)}
    assert reqs["AA-L08"].ofsted_ref == "Annex A List 8" and "DOC-SEF" in reqs
    assert len([r for r in reqs if r.startswith("AA-L")]) == 11


def test_the_2023_version_is_selectable_and_oe_is_retired_not_removed(ws):
    framework.use_version(ws, "ilacs-2023-01")
    assert "OE" in [a.id for a in framework.areas(ws)]
    assert "OE-01" in [e.id for e in framework.enquiries(ws)]
    framework.use_version(ws, "ilacs-2026-04")
    assert "OE" not in [a.id for a in framework.areas(ws)]
    retired = {e.id: e.retired for e in framework.enquiries(ws, include_retired=True)}
    assert retired["OE-01"] is True
    with pytest.raises(InvalidInput, match="retired"):
        framework.resolve_enquiries(ws, ["OE-01"])
    with pytest.raises(NotFound):
        framework.use_version(ws, "ilacs-1999")


def test_add_rename_move_retire_delete(ws):
    new = framework.add_enquiry(ws, "hp", "Family help pathway", "Is Family Help working?").value
    assert new == "HP-16"
    assert framework.get(ws, new)[1].custom is True
    framework.rename(ws, new, title="Family Help", prompt="Does Family Help work?")
    assert framework.get(ws, new)[1].title == "Family Help"
    framework.move(ws, new, 1)
    assert [e.id for e in framework.enquiries(ws, area="HP")][:2] == ["HP-16", "HP-01"]
    framework.retire(ws, "HP-02")
    assert "HP-02" not in [e.id for e in framework.enquiries(ws)]
    framework.retire(ws, "HP-02", False)
    assert "HP-02" in [e.id for e in framework.enquiries(ws)]
    with pytest.raises(InvalidInput, match="retire it instead"):
        framework.delete(ws, "HP-01")  # shipped
    framework.delete(ws, new)  # custom and unused
    with pytest.raises(NotFound):
        framework.get(ws, new)
    req = framework.add_request(ws, "Family help data", "data-list").value
    assert req == "REQ-01" and framework.get(ws, req)[0] == "request"
    actions = [(e["action"], e["entity_ref"]) for e in audit.entries(ws)]
    for a in [("add", "HP-16"), ("rename", "HP-16"), ("move", "HP-16"), ("retire", "HP-02"),
              ("unretire", "HP-02"), ("delete", "HP-16"), ("add", "REQ-01")]:
        assert a in actions
    with pytest.raises(InvalidInput, match="already used"):
        framework.add_enquiry(ws, "HP", "Dup", ident="HP-01")
    with pytest.raises(InvalidInput, match="judgement area"):
        framework.add_enquiry(ws, "XX", "Nope")


def test_a_used_custom_line_cannot_be_deleted_only_retired(ws, cases_dir):
    f = write_text(cases_dir / "CH-000001" / "note.txt", "A note about family help.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    new = framework.add_enquiry(ws, "HP", "Family help").value
    evidence.tag(ws, str(f), [new]).value
    with pytest.raises(InvalidInput, match="retire it instead"):
        framework.delete(ws, new)
    framework.retire(ws, new)
    assert evidence.list_items(ws, enquiry=new)  # the evidence is still there


def test_export_import_round_trip_merges_by_id_and_reports(ws, tmp_path):
    from evidence_app.core.workspace import Workspace

    framework.add_enquiry(ws, "CIC", "Kinship care", "Are kinship carers supported?")
    framework.rename(ws, "LEAD-01", title="Self-evaluation is accurate")
    framework.retire(ws, "HP-14")
    framework.move(ws, "CL-12", 1)
    out = tmp_path / "team-framework.json"
    framework.export_framework(ws, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "evidence-organiser/framework" and data["version"] == "ilacs-2026-04"

    other = Workspace.create(tmp_path / "colleague")
    try:
        framework.add_enquiry(other, "HP", "Her own line")  # HP-16 only on her laptop
        report = framework.import_framework(other, out).value
        assert report.added == ["CIC-16"]
        changed = {c["id"]: set(c["fields"]) for c in report.changed}
        assert changed["LEAD-01"] == {"title"} and changed["HP-14"] == {"retired"}
        assert "position" in changed["CL-12"]
        assert "HP-16" in report.not_in_file  # kept, never deleted by an import
        assert framework.get(other, "HP-16")[1].title == "Her own line"
        assert framework.get(other, "LEAD-01")[1].title == "Self-evaluation is accurate"
        assert [e.id for e in framework.enquiries(other, area="CL")][0] == "CL-12"
        # importing the same file again changes nothing
        again = framework.import_framework(other, out).value
        assert not again.added and not again.changed
        # and exporting from the colleague gives the same lines (plus her own)
        framework.export_framework(other, tmp_path / "back.json")
        back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
        lines = lambda d: {e["id"]: (e["title"], e["prompt"], e["retired"])  # noqa: E731
                           for a in d["areas"] for e in a["enquiries"]}
        assert lines(data).items() <= lines(back).items()
        assert any(e["action"] == "import" for e in audit.entries(other))
    finally:
        other.close()


def test_a_bad_framework_file_is_a_clear_error(ws, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a framework file"):
        framework.import_framework(ws, bad)
    bad.write_text(json.dumps({"areas": [{"id": "X", "title": "X", "enquiries": [
        {"id": "X-1", "title": "a"}, {"id": "X-1", "title": "b"}]}]}), encoding="utf-8")
    with pytest.raises(InvalidInput, match="used twice"):
        framework.import_framework(ws, bad)


def test_the_app_ships_its_own_framework_files():
    from evidence_app.core.evidence.framework_io import framework_dir

    assert {"ilacs-2026-04", "ilacs-2023-01"} <= set(framework.available_versions())
    for p in framework_dir().glob("*.json"):
        data = json.loads(p.read_text(encoding="utf-8"))
        assert data["format"] == "evidence-organiser/framework"
        assert "../shared" not in json.dumps(data) and "/work/" not in json.dumps(data)


# -- framework files checked against the schema (issue 11) -------------------------------------
def test_every_wrong_shape_is_named_by_its_json_path_and_nothing_is_merged(ws, tmp_path):
    from evidence_app.core.evidence import framework_io
    from tests.safety.hostile_tables import FRAMEWORK_SHAPES

    framework.ensure(ws)
    before = framework_io.export_data(ws)
    for name, (doc, words) in FRAMEWORK_SHAPES.items():
        f = tmp_path / f"{name}.json"
        f.write_text(doc, encoding="utf-8")
        with pytest.raises(InvalidInput) as caught:
            framework.import_framework(ws, f)
        message = str(caught.value)
        assert "\n" not in message and all(w in message for w in words), (name, message)
    after = framework_io.export_data(ws)
    assert after["areas"] == before["areas"] and after["requests"] == before["requests"]


def test_the_research_file_and_the_shipped_versions_pass_the_schema():
    from pathlib import Path

    from evidence_app.core.evidence.framework_io import load_version, normalise

    for version in framework.available_versions():
        normalise(load_version(version), version)
    research = Path(__file__).resolve().parents[3].parent / "shared" / "domain" / \
        "ilacs-framework.json"
    if research.exists():
        data = normalise(json.loads(research.read_text(encoding="utf-8")), research.name)
        assert data["areas"] and data["requests"]


def test_a_framework_file_over_the_size_cap_is_refused_unread(ws, tmp_path, monkeypatch):
    from evidence_app.core.evidence import framework_io

    monkeypatch.setattr(framework_io, "MAX_FILE_BYTES", 1000)
    f = tmp_path / "big.json"
    f.write_text(json.dumps({"areas": [], "requests": [{"id": "R", "title": "t" * 2000}]}))
    with pytest.raises(InvalidInput, match="too large"):
        framework.import_framework(ws, f)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10 ** 25, max_value=10 ** 25)
    | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "title", "prompt", "position", "retired", "kind", "enquiries",
                         "areas", "requests", "judgements", "lines_of_enquiry", "in_versions",
                         "custom", "x"]), children, max_size=6),
    max_leaves=20)


@pytest.fixture(scope="module")
def shared_ws(tmp_path_factory):
    from evidence_app.core.workspace import Workspace

    w = Workspace.create(tmp_path_factory.mktemp("fw-prop") / "ws", "Property Borough")
    yield w
    w.close()


def _mutations():
    base = {"areas": [{"id": "LEAD", "title": "Leaders", "enquiries": [
        {"id": "LEAD-01", "title": "Self-evaluation", "prompt": "p", "position": 1}]}],
        "requests": [{"id": "AA-L08", "title": "List 8", "kind": "data-list"}]}
    paths = [("areas",), ("requests",), ("areas", 0), ("areas", 0, "id"), ("areas", 0, "title"),
             ("areas", 0, "enquiries"), ("areas", 0, "enquiries", 0),
             ("areas", 0, "enquiries", 0, "position"), ("areas", 0, "enquiries", 0, "title"),
             ("requests", 0, "kind"), ("requests", 0, "retired"), ("requests", 0, "id")]
    return st.tuples(st.just(base), st.sampled_from(paths), _JSON)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=_mutations(), whole=_JSON)
def test_any_json_is_merged_or_refused_in_one_line(shared_ws, tmp_path_factory, case, whole):
    import copy

    from evidence_app.core.base.errors import EvidenceError

    base, path, value = case
    doc = copy.deepcopy(base)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    folder = tmp_path_factory.mktemp("fw")
    for i, data in enumerate((doc, whole)):
        f = folder / f"f{i}.json"
        f.write_text(json.dumps(data), encoding="utf-8")
        try:
            framework.import_framework(shared_ws, f)
        except EvidenceError as exc:
            assert "\n" not in str(exc)
