"""What the import dialog and `pack import` read from a merge report come as records: the
counts (MergeCounts, whose as_json is the `counts` of `pack import --json`, as before) and the
framework ids this workspace lacks (UnknownId). The dict the counts were before is the witness."""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from evidence_app.core.evidence import framework
from evidence_app.core.packs import export, importer
from evidence_app.core.packs.merge.report import MergeCounts, MergeReport, UnknownId
from evidence_app.core.store.records import as_json
from tests.core.packs.conftest import doc, tag


def _old_counts(r: MergeReport) -> dict:
    """The dict `counts()` built before the record (commit 02aedb9)."""
    return {"added": len(r.added), "updated": len(r.updated), "deleted": len(r.deleted),
            "unchanged": r.unchanged, "conflicts": len(r.conflicts),
            "duplicates": len(r.duplicates), "cases_added": len(r.cases_added),
            "cases_updated": len({c["ref"] for c in r.cases_updated}),
            "ticks_added": r.ticks_added, "requests_updated": len(r.requests_updated),
            "bundles_added": len(r.bundles_added), "bundles_updated": len(r.bundles_updated)}


def _report(sizes: dict, refs: list[str]) -> MergeReport:
    r = MergeReport("p.evpack", "0" * 64, "Alice", None, None, None)
    for name in ("added", "updated", "deleted", "conflicts", "duplicates", "requests_updated",
                 "bundles_updated"):
        getattr(r, name).extend({"uuid": str(i)} for i in range(sizes.get(name, 0)))
    r.cases_added.extend(f"CH-{i}" for i in range(sizes.get("cases_added", 0)))
    r.bundles_added.extend("b" for _ in range(sizes.get("bundles_added", 0)))
    r.cases_updated.extend({"ref": ref, "field": "worker", "shown": "x"} for ref in refs)
    r.unchanged, r.ticks_added = sizes.get("unchanged", 0), sizes.get("ticks_added", 0)
    return r


SIZES = st.dictionaries(st.sampled_from(["added", "updated", "deleted", "conflicts",
                                         "duplicates", "requests_updated", "bundles_updated",
                                         "cases_added", "bundles_added", "unchanged",
                                         "ticks_added"]), st.integers(0, 6))


@given(SIZES, st.lists(st.sampled_from(["CH-1", "CH-2", "CH-3"]), max_size=6), SIZES)
def test_property_counts_json_is_the_old_dict_and_sums_lose_nothing(sizes, refs, other):
    one, two = _report(sizes, refs), _report(other, [])
    assert isinstance(one.tally(), MergeCounts)
    assert json.dumps(one.counts()) == json.dumps(_old_counts(one))
    assert json.dumps(as_json(one.tally())) == json.dumps(_old_counts(one))
    both = (one.tally() + two.tally())
    assert as_json(both) == {k: v + _old_counts(two)[k] for k, v in _old_counts(one).items()}
    assert one.tally().cases == one.tally().cases_added + len(set(refs))


def test_an_import_reads_its_counts_and_unknown_ids_as_records(team, shared, tmp_path):
    a, m = team["Alice"], team["Manager"]
    framework.add_enquiry(a, "HP", "Our local line about family time", ident="HP-LOCAL")
    tag(a, doc(shared), ["HP-LOCAL", "HP-06"], note="family time")
    p = tmp_path / "a.evpack"
    export.export_pack(a, p)
    [pre] = importer.preview(m, [p])
    assert pre.unknown() == (UnknownId("HP-LOCAL", "line of enquiry",
                                       "Our local line about family time", "HP", None),)
    result = importer.import_packs(m, [p], maps=["HP-LOCAL=HP-15"])
    result = getattr(result, "value", result)  # whether or not wrapped in a Done
    assert result.tally().added == 1 and result.tally().conflicts == 0
    assert as_json(result.tally()) == result.to_json()["counts"]
    [done] = result.reports
    assert done.unknown()[0].mapped_to == "HP-15" and done.not_found == 0
