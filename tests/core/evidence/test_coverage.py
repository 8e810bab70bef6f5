"""Coverage counts match the items; gaps; readiness; caseloads; requests and saved searches."""
import hashlib
import random

import pytest

from evidence_app.core.evidence import cases, coverage, evidence, framework, requests
from evidence_app.core.search import saved_searches
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.store.document_reads import find_by_path
from tests.factories import write_text


@pytest.fixture
def tagged(ws, cases_dir):
    """Three cases' files, random tags; returns the list of items."""
    files = {}
    for ref in ("CH-000001", "CH-000002", "CH-000003"):
        files[ref] = write_text(cases_dir / ref / "record.txt", f"Record of {ref}. The plan.")
    write_text(cases_dir / "unallocated" / "policy.txt", "Supervision policy.")
    add_source(ws, cases_dir, "case-files")
    index_workspace(ws)
    cases.add_case(ws, "CH-000001", worker="Sam", team="North", status="CP", sampled=True)
    cases.add_case(ws, "CH-000002", worker="Sam", team="North", status="CIC")
    cases.add_case(ws, "CH-000003", worker="Jo", team="South", status="CIN", sampled=True)
    rnd = random.Random(7)
    ids = [e.id for e in framework.enquiries(ws)][:10]
    items = []
    paths = [*files.values(), cases_dir / "unallocated" / "policy.txt"]
    for _ in range(60):
        items.append(evidence.tag(ws, str(rnd.choice(paths)), rnd.sample(ids, rnd.randint(1, 2)),
                                  strength=rnd.choice(["strong", "moderate", "weak"]),
                                  kind=rnd.choice(["strength", "development", "impact"])).value)
    evidence.delete(ws, items.pop().id).value  # deleted items do not count
    return items


def _expected(items, key):
    out = {}
    for i in items:
        for e in i.enquiries:
            cell = out.setdefault((e, key(i)), {"strong": 0, "moderate": 0, "weak": 0})
            cell[i.strength] += 1
    return out


def test_counts_match_the_items_for_every_split(ws, tagged):
    workers = {"CH-000001": "Sam", "CH-000002": "Sam", "CH-000003": "Jo"}
    teams = {"CH-000001": "North", "CH-000002": "North", "CH-000003": "South"}
    splits = {"area": lambda i: i.enquiries[0].split("-")[0],
              "case": lambda i: i.case_ref or "(none)",
              "team": lambda i: teams.get(i.case_ref, "(none)"),
              "worker": lambda i: workers.get(i.case_ref, "(none)")}
    for by, key in splits.items():
        data = coverage.coverage(ws, by=by)
        got = {(r.enquiry, g): {s: getattr(c, s) for s in ("strong", "moderate", "weak")}
               for r in data.rows for g, c in r.cells.items()}
        if by == "area":
            want = {}
            for i in tagged:
                for e in i.enquiries:
                    cell = want.setdefault((e, e.split("-")[0]), {"strong": 0, "moderate": 0,
                                                                 "weak": 0})
                    cell[i.strength] += 1
        else:
            want = _expected(tagged, key)
        assert got == want, by
    data = coverage.coverage(ws)
    total = sum(len(i.enquiries) for i in tagged)
    assert sum(r.total for r in data.rows) == total
    assert sum(a.total for a in data.areas) == total == data.total
    strong = {e for i in tagged if i.strength == "strong" for e in i.enquiries}
    assert {g.enquiry for g in data.gaps} == \
        {e.id for e in framework.enquiries(ws)} - strong
    with pytest.raises(InvalidInput):
        coverage.coverage(ws, by="colour")


def test_readiness_and_caseloads(ws, tagged):
    cases.check(ws, "CH-000001", "voice")
    ready = {r.ref: r for r in coverage.readiness(ws)}
    assert set(ready) == {"CH-000001", "CH-000003"}
    assert ready["CH-000001"].done == 1 and "Voice of the child" not in \
        ready["CH-000001"].missing
    assert ready["CH-000001"].evidence == sum(1 for i in tagged
                                                 if i.case_ref == "CH-000001")
    cases.update_case(ws, "CH-000002", open=False)
    loads = coverage.caseloads(ws)
    assert {r.name: r.open for r in loads.by_worker} == {"Sam": 1, "Jo": 1}
    assert {r.name: r.by_status["CP"] for r in loads.by_team} == {"North": 1, "South": 0}


def test_request_tracker_and_sent_stamp(ws, tagged, tmp_path):
    r = requests.update(ws, "AA-L08", status="In progress", owner="Kim", due="12/05/2026 17:00").value
    assert (r.status, r.owner, r.due_at) == ("in progress", "Kim", "2026-05-12T17:00")
    assert requests.update(ws, "AA-L08", due="2026-05-13").value.due_at == "2026-05-13T17:00"
    with pytest.raises(InvalidInput, match="dd/mm/yyyy"):
        requests.update(ws, "AA-L08", due="next tuesday")
    with pytest.raises(InvalidInput, match="status"):
        requests.update(ws, "AA-L08", status="done").value
    with pytest.raises(InvalidInput, match="no linked"):
        requests.send(ws, "AA-L08").value
    item = evidence.tag(ws, tagged[0].document_id, requests=["AA-L08"]).value
    policy = find_by_path(ws.db, tagged[0].path.rsplit("/", 2)[0] + "/unallocated/policy.txt")
    requests.link_document(ws, "AA-L08", policy.id)
    hashes = sorted({find_by_path(ws.db, item.path).sha256, policy.sha256})
    sent = requests.send(ws, "AA-L08").value
    assert sent.status == "sent" and sent.sent_at
    assert sent.sent_sha256 == hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    upload = tmp_path / "AA-L08.xlsx"
    upload.write_bytes(b"spreadsheet bytes")
    sent = requests.send(ws, "AA-L08", upload).value
    assert sent.sent_sha256 == hashlib.sha256(b"spreadsheet bytes").hexdigest()
    row = [x for x in requests.list_requests(ws) if x.id == "AA-L08"][0]
    assert row.evidence == 1 and row.documents == 1


def test_saved_searches_rerun_through_search(ws, tagged):
    saved_searches.save(ws, "Plans", "plan", enquiry="HP-06")
    assert [s.name for s in saved_searches.list_saved(ws, enquiry="HP-06")] == ["Plans"]
    assert len(saved_searches.run(ws, "Plans").hits) == 3
    with pytest.raises(InvalidInput, match="already"):
        saved_searches.save(ws, "plans", "x")
    with pytest.raises(Exception, match="quotation"):
        saved_searches.save(ws, "Bad", '"unbalanced')
