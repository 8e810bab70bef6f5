"""Property: whatever three people do (tag, edit, delete, choose in conflicts, edit cases) and
however their packs travel meanwhile, once every pack has reached everyone all three workspaces
hold the same evidence, cases and open conflicts, and nothing is lost without a trace."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.core.evidence import cases, evidence
from evidence_app.core.packs import conflicts, export, importer
from tests.core.packs.conftest import REVIEW, VISIT, dump, make_ws, tag
from tests.factories import write_docx, write_text

PASSAGES = ["feels safe with her grandmother", "wants to keep seeing her brother",
            "arrange contact", None]
WHO = st.integers(0, 2)
OPS = st.one_of(
    st.tuples(st.just("tag"), WHO, st.sampled_from(PASSAGES), st.sampled_from(["HP-06", "HP-15"])),
    st.tuples(st.just("edit"), WHO, st.integers(0, 9), st.sampled_from(["strong", "weak", "a",
                                                                         "b"])),
    st.tuples(st.just("delete"), WHO, st.integers(0, 9), st.none()),
    st.tuples(st.just("send"), WHO, WHO, st.none()),
    st.tuples(st.just("resolve"), WHO, st.sampled_from(["mine", "theirs", "both"]), st.none()),
    st.tuples(st.just("case"), WHO, st.sampled_from(["worker", "team"]),
              st.sampled_from(["X", "Y"])),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, min_size=1, max_size=14))
def test_random_work_converges(ops):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shared = tmp / "shared"
        write_text(shared / "CH-004512" / "visit.txt", VISIT)
        write_docx(shared / "CH-000777" / "review.docx", REVIEW)
        people = [make_ws(tmp, n, shared) for n in ("Ann", "Ben", "Cat")]
        visit = str(shared / "CH-004512" / "visit.txt")
        made: set[str] = set()
        n = 0
        try:
            for op, who, x, y in ops:
                ws = people[who]
                live = evidence.list_items(ws)
                if op == "tag":
                    made.add(tag(ws, visit, [y], quote=x).uuid)
                elif op == "edit" and live:
                    item = live[x % len(live)]
                    if y in ("strong", "weak"):
                        evidence.edit(ws, item.id, strength=y)
                    else:
                        evidence.edit(ws, item.id, note=f"{ws.name} {y}")
                elif op == "delete" and live:
                    evidence.delete(ws, live[x % len(live)].id, force=True)
                elif op == "send" and x != who:
                    n += 1
                    p = tmp / f"p{n}.evpack"
                    export.export_pack(ws, p)
                    importer.import_packs(people[x], [p]).value
                elif op == "resolve":
                    open_ = conflicts.list_conflicts(ws)
                    if open_:
                        conflicts.resolve(ws, open_[0].id, x).value
                elif op == "case":
                    if cases.list_cases(ws):
                        cases.update_case(ws, "CH-004512", **{x: f"{y} {ws.name}"})
                    else:
                        cases.add_case(ws, "CH-004512", alias="Child A", **{x: y})
            for _ in range(2):  # everyone sends to everyone, twice
                for i, src in enumerate(people):
                    for j, dst in enumerate(people):
                        if i != j:
                            n += 1
                            p = tmp / f"p{n}.evpack"
                            export.export_pack(src, p)
                            importer.import_packs(dst, [p]).value
            dumps = [dump(w) for w in people]
            assert dumps[0] == dumps[1] == dumps[2]
            # nothing tagged anywhere was lost: every item is still there (maybe deleted)
            assert made <= set(dumps[0]["items"])
        finally:
            for w in people:
                w.close()
