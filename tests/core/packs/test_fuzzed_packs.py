"""Property: whatever bytes arrive as a pack (a real pack with bytes flipped, cut or added), the
import either refuses it with one PackRefused line, leaving the workspace as it was, or merges
it; it never raises anything else and never writes half."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_app.core.packs import export, importer
from evidence_app.core.packs.pack_file import PackRefused
from tests.core.packs.conftest import VISIT, make_ws, tag
from tests.factories import write_text


class Sample(tuple):
    """(pack bytes, workspace folder), shown briefly when an example fails."""

    def __new__(cls, data: bytes, root: Path):
        return super().__new__(cls, (data, root))

    def __repr__(self) -> str:
        return f"Sample({len(self[0])} bytes, {self[1]})"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    shared = tmp / "shared"
    write_text(shared / "CH-1" / "visit.txt", VISIT)
    ws = make_ws(tmp, "Alice", shared)
    tag(ws, str(shared / "CH-1" / "visit.txt"), ["HP-06"], quote="feels safe", note="n")
    pack = tmp / "good.evpack"
    export.export_pack(ws, pack, with_files=True)
    ws.close()
    target = make_ws(tmp, "Target", None)
    target.close()
    return Sample(pack.read_bytes(), tmp / "ws-Target")


def _counts(ws) -> tuple:
    return tuple(ws.db.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("evidence_items", "documents", "audit_log", "pack_imports"))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
       st.one_of(st.none(), st.integers(0, 10**6)), st.binary(max_size=40))
def test_mutated_packs_are_refused_or_merged_never_half(sample, flips, cut, extra):
    good, ws_root = sample
    data = bytearray(good)
    for pos, value in flips:
        data[pos % len(data)] = value
    if cut is not None:
        data = data[:cut % (len(data) + 1)]
    data += extra
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "ws"
        shutil.copytree(ws_root, copy)
        pack = Path(tmp) / "fuzzed.evpack"
        pack.write_bytes(bytes(data))
        from evidence_app.core.workspace import Workspace

        ws = Workspace.open(copy)
        try:
            before = _counts(ws)
            try:
                importer.import_packs(ws, [pack]).value
            except PackRefused as exc:
                assert "\n" not in str(exc) and "fuzzed.evpack" in str(exc)
                assert _counts(ws) == before
            else:
                assert _counts(ws)[0] == before[0] + 1
        finally:
            ws.close()
