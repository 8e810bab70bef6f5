"""The self-evaluation exported to Word: opened with python-docx and checked for the text, the
bracketed citations, the plan table, the figures with dates, the bundle alongside, and
pseudonymisation exactly like the bundles (refusal of unregistered children, verification)."""
from __future__ import annotations

import json
import zipfile

import docx
import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.pseudonymise import UnregisteredCases
from evidence_app.core.evidence import cases
from evidence_app.core.safety import audit
from evidence_app.core.sef import actions, claims, export


def all_text(path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def table_with(path, *headers: str):
    d = docx.Document(str(path))
    for t in d.tables:
        if t.rows and [c.text for c in t.rows[0].cells][:len(headers)] == list(headers):
            return [[c.text for c in r.cells] for r in t.rows]
    raise AssertionError(f"no table headed {header}")


@pytest.fixture
def written(sef_ws):
    ws, it = sef_ws, sef_ws.items
    a = claims.add(ws, "LEAD", "know", "Leaders know their services well.", enquiries=["LEAD-01"],
                   cites=[f"E-{it['qa']}", f"E-{it['supervision']}"],
                   figures=["sampled cases ready"]).value
    b = claims.add(ws, "HP", "how", "Ashlyn Smith's views shaped her plan.",
                   cites=[f"E-{it['voice']}"]).value
    dev = claims.add(ws, "HP", "plans", "Return interviews are patchy.", type="development").value
    late = actions.add(ws, dev.id, "Commission return interviews", owner="Head of Service",
                       due="2021-03-31").value
    ws.claims = {"a": a, "b": b, "dev": dev}
    ws.late = late
    return ws


def test_word_document_has_claims_citations_plan_and_figures(written, tmp_path):
    ws, it = written, written.items
    out = tmp_path / "sef.docx"
    r = export.export(ws, out)
    assert r.path == out and out.is_file() and r.claims == 3 and r.actions == 1
    text = all_text(out)
    assert "Self-evaluation of social work practice" in text and "OFFICIAL-SENSITIVE" in text
    assert "What do we know about the quality and impact of social work practice?" in text
    assert "How do we know it?" in text
    assert "Leaders know their services well." in text
    assert f"[E-{it['qa']:03d}; E-{it['supervision']:03d}]" in text
    assert f"[E-{it['voice']:03d}]" in text
    assert "Strong evidence" in text and "No evidence cited" in text
    plan = table_with(out, "Ref")
    assert plan[0] == ["Ref", "Area for development", "Action", "Owner", "Due", "Status"]
    assert plan[1][0] == f"A-{ws.late.id}" and plan[1][2] == "Commission return interviews"
    assert plan[1][4] == "31/03/2021" and "OVERDUE" in plan[1][5]
    figs = table_with(out, "Figure")
    assert figs[0] == ["Figure", "Value", "Definition", "As at"]
    assert figs[1][0] == "Sampled cases ready" and figs[1][1] == "0 of 2 (0%)"
    assert "readiness checks" in figs[1][2] and figs[1][3].count("/") == 2
    cited = [row[0] for row in table_with(out, "Ref", "Evidence")[1:]]
    assert cited == [f"E-{it[k]:03d}" for k in sorted(("qa", "supervision", "voice"),
                                                      key=lambda k: it[k])]
    manifest = json.loads((tmp_path / "sef.docx.manifest.json").read_text())
    assert manifest["sha256"] == r.sha256 and manifest["claims"] == 3
    log = audit.entries(ws, "self-evaluation")
    assert log[-1]["action"] == "export" and log[-1]["after"]["sha256"] == r.sha256


def test_with_bundle_writes_the_bundle_the_references_point_into(written, tmp_path):
    ws, it = written, written.items
    r = export.export(ws, tmp_path / "sef.docx", with_bundle=True)
    assert r.bundle == tmp_path / "sef-evidence.docx" and r.bundle_items == 3
    btext = all_text(r.bundle)
    for k in ("qa", "supervision", "voice"):
        assert f"E-{it[k]:03d}" in btext
    assert "leaders know their services well" in btext
    assert "sef-evidence.docx" in all_text(r.path)


def test_existing_files_are_refused_without_force_and_nothing_half_written(written, tmp_path):
    out = tmp_path / "sef.docx"
    (tmp_path / "sef-evidence.docx").write_text("keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        export.export(written, out, with_bundle=True)
    assert not out.exists() and (tmp_path / "sef-evidence.docx").read_text() == "keep me"
    with pytest.raises(InvalidInput, match="must end in .docx"):
        export.export(written, tmp_path / "sef.pdf")
    export.export(written, out, with_bundle=True, force=True)
    assert zipfile.is_zipfile(tmp_path / "sef-evidence.docx")


def test_pseudonymised_like_the_bundles(written, tmp_path):
    ws = written
    out = tmp_path / "sef-p.docx"
    r = export.export(ws, out, pseudonymise=True, with_bundle=True)
    assert r.pseudonymised and r.verified
    for path in (out, r.bundle):
        data = "\n".join(zipfile.ZipFile(path).read(n).decode("utf-8", "replace")
                         for n in zipfile.ZipFile(path).namelist())
        assert "Ashlyn" not in data and "Oakfield" not in data
    assert "Child A's views shaped her plan." in all_text(out)
    assert "Pseudonymised copy" in all_text(out)


def test_pseudonymised_export_refuses_unregistered_children(written, tmp_path, cases_dir):
    from evidence_app.core.evidence import evidence
    from evidence_app.core.index.indexer import index_workspace
    from tests.factories import write_text

    ws = written
    write_text(cases_dir / "CH-123456" / "note.txt", "Kai Turner was seen at home.")
    index_workspace(ws)
    got = evidence.tag(ws, str(cases_dir / "CH-123456" / "note.txt"), ["HP-15"])
    item = getattr(got, "value", got)
    item_id = item.id
    claims.edit(ws, ws.claims["b"].id, cites=[f"E-{item_id}"])
    out = tmp_path / "sef-p.docx"
    with pytest.raises(UnregisteredCases) as err:
        export.export(ws, out, pseudonymise=True)
    assert "CH-123456" in str(err.value) and f"E-{item_id:03d}" in str(err.value)
    assert not out.exists()
    cases.add_case(ws, "CH-123456", name="Kai Turner", alias="Child K")
    export.export(ws, out, pseudonymise=True)
    assert "Kai" not in all_text(out)


def test_a_leak_found_after_writing_refuses_and_delivers_nothing(written, tmp_path, monkeypatch):
    """The read-back verification is the bundles': a name that survived is found and refused."""
    from evidence_app.core.bundles.export.verify import ExportRefused
    from evidence_app.core.sef import export_word

    real = export_word.scrub_parts
    monkeypatch.setattr(export_word, "scrub_parts", lambda document, p: None)
    monkeypatch.setattr(export_word, "redact_doc", lambda d, p: d)   # let the name through
    out = tmp_path / "leak.docx"
    with pytest.raises(ExportRefused):
        export.export(written, out, pseudonymise=True)
    assert not out.exists() and not list(tmp_path.glob(".leak.docx*"))
    monkeypatch.setattr(export_word, "scrub_parts", real)
