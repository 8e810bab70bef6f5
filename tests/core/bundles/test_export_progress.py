"""Exports report their steps and stop when asked: nothing is written, no temporary file stays,
nothing is recorded as exported."""
from __future__ import annotations

import pytest

from evidence_app.core.bundles import bundle_data, bundles
from evidence_app.core.evidence import evidence
from evidence_app.core import settings
from evidence_app.core.base.errors import Cancelled
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.base.progress import CancelToken
from evidence_app.core.index.sources import add_source
from tests.factories import write_pdf


def make_pdf_bundle(ws, folder, n: int, pages: int = 2) -> int:
    """A bundle citing n case PDFs, each appended in full as page images."""
    lines = "\n".join("The social worker saw the child alone and recorded their wishes."
                      for _ in range(40))
    for i in range(n):
        write_pdf(folder / f"CH-{i:06d}" / f"Assessment {i}.pdf", [lines] * pages)
    add_source(ws, folder, "case-files")
    index_workspace(ws)
    settings.set_author(ws, "Priya Shah")
    for i in range(n):
        evidence.tag(ws, str(folder / f"CH-{i:06d}" / f"Assessment {i}.pdf"), ["LEAD-01"],
                     note=f"assessment {i}").value
    b = bundles.create_bundle(ws, "Assessments", by="custom").value
    bundles.set_settings(ws, b.id, append_sources=True).value
    return b.id


def test_progress_reports_each_step_in_order(ws, cases_dir, tmp_path):
    bid = make_pdf_bundle(ws, cases_dir, 3)
    seen = []
    bundle_data.export_bundle(ws, bid, tmp_path / "b.docx", on_progress=seen.append)
    assert seen[0].done == 0 and seen[-1].done == seen[-1].total == 6
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    labels = [p.label for p in seen]
    assert "Appendix 2 of 3: Assessment 1.pdf" in labels and "Saving" in labels


@pytest.mark.parametrize("stop_at", ["Appendix 2 of 4", "Saving"])
def test_cancel_writes_nothing_and_records_nothing(ws, cases_dir, tmp_path, stop_at):
    bid = make_pdf_bundle(ws, cases_dir, 4)
    token = CancelToken()

    def progress(p):
        if p.label.startswith(stop_at):
            token.cancel()

    out = tmp_path / "out" / "b.docx"
    with pytest.raises(Cancelled) as err:
        bundle_data.export_bundle(ws, bid, out, on_progress=progress, cancel=token)
    assert "nothing was written" in str(err.value)
    assert not out.parent.exists() or not list(out.parent.iterdir())
    assert bundles.exports(ws, bid) == []
    # the same export runs to the end when nobody cancels
    bundle_data.export_bundle(ws, bid, out, cancel=CancelToken())
    assert out.is_file() and len(bundles.exports(ws, bid)) == 1
