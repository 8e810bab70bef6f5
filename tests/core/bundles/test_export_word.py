"""The Word bundle from plain data: structure, numbering, sources, fields, properties,
appendices."""
from __future__ import annotations

import json
import zipfile

import docx
import pytest

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.export.bundle_file import write_bundle
from evidence_app.core.bundles.export.files import manifest_path, sha256_bytes
from evidence_app.core.bundles.export.word import render
from tests.core.bundles.test_export_support import all_xml, make_bundle

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _table_text(document) -> str:
    return "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)


def test_structure_numbering_quotes_and_sources(tmp_path):
    bundle = make_bundle(tmp_path, n=6)
    out = tmp_path / "out" / "bundle.docx"
    result = write_bundle(bundle, out)
    d = docx.Document(str(out))
    texts = _texts(d)
    styles = {p.text: p.style.name for p in d.paragraphs}
    # cover
    assert "Test Borough Children's Services" in texts and "Leadership evidence" in texts
    assert styles["Leadership evidence"] == "Cover Title"
    cover = _table_text(d)
    assert "10/03/2025" in cover and "Jo Bloggs" in cover and "OFFICIAL-SENSITIVE" in cover
    # one Heading 1 per section, plus index and evidence list
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["Index of evidence", "LEAD-01 Leaders know their services",
                  "HP-02 Thresholds are applied", "Evidence list"]
    items = [p.text for p in d.paragraphs if p.style.name == "Heading 3"]
    assert [t.split()[0] for t in items] == [f"E-00{i}" for i in range(1, 7)]
    quotes = [p.text for p in d.paragraphs if p.style.name == "Evidence Quote"]
    assert len(quotes) == 6 and quotes[0].startswith("“Ashlyn Smith's plan") and \
        quotes[0].endswith("”")
    body = "\n".join(texts)
    assert "Cases/A123 Ashlyn Smith/Ashlyn Smith plan.docx" in body
    assert "SHA-256 " + "a" * 64 in body and "Modified 01/03/2025" in body
    assert "Lines of enquiry: LEAD-01 Leaders know their services" in body
    assert "Strength of evidence: strong" in body and "Type: strength" in body
    # index table and evidence list carry every number
    tables = _table_text(d)
    for i in range(1, 7):
        assert tables.count(f"E-00{i}") >= 2
    assert result.sha256 == sha256_bytes(out.read_bytes())


def test_fields_toc_header_footer_and_settings(tmp_path):
    out = tmp_path / "b.docx"
    write_bundle(make_bundle(tmp_path), out)
    parts = all_xml(out)
    footers = [x for n, x in parts.items() if n.startswith("word/footer")]
    headers = [x for n, x in parts.items() if n.startswith("word/header")]
    assert any(" PAGE " in f and " NUMPAGES " in f for f in footers)
    assert all("OFFICIAL-SENSITIVE" in x for x in footers + headers) and headers
    doc = parts["word/document.xml"]
    assert 'TOC \\o &quot;1-1&quot; \\t &quot;Heading 3,2&quot; \\h \\z' in doc or \
        'TOC \\o "1-1" \\t "Heading 3,2" \\h \\z' in doc
    # no prompt on opening: nothing asks Word to update fields
    assert "updateFields" not in parts["word/settings.xml"] and "w:dirty" not in doc
    # the TOC's cached result already lists the sections
    assert "HP-02 Thresholds are applied" in doc


def test_properties_are_scrubbed(tmp_path):
    out = tmp_path / "b.docx"
    write_bundle(make_bundle(tmp_path, appendices=True), out)
    names = zipfile.ZipFile(out).namelist()
    assert not [n for n in names if n.startswith("customXml") or "comments" in n
                or "thumbnail" in n or n == "docProps/custom.xml"]
    core = all_xml(out)["docProps/core.xml"]
    assert "<dc:creator>Test Borough Children's Services</dc:creator>" in core
    assert "python-docx" not in core and "Jane Worker" not in core
    assert "<dc:description>" not in core
    app = all_xml(out)["docProps/app.xml"]
    assert "Jane Worker" not in app and "Evidence Organiser" in app


def test_appendices_docx_merged_pdf_as_images_text_as_text(tmp_path):
    out = tmp_path / "b.docx"
    result = write_bundle(make_bundle(tmp_path, appendices=True), out)
    d = docx.Document(str(out))
    texts = _texts(d)
    assert "Appendix 1: Ashlyn Smith plan.docx" in texts
    assert "Appendix 2: audit.pdf" in texts and "Appendix 3: notes.txt" in texts
    body = "\n".join(texts)
    assert "Plan for Ashlyn Smith" in body          # merged Word text
    assert "Inserted sentence." in body              # tracked insertion accepted
    assert "Cited as E-001" in body
    assert "Notes about Ashlyn." in body             # extracted text
    media = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]
    assert len(media) == 2 and result.pdf_pages == 2
    xml = all_xml(out)
    assert "Deleted secret." not in xml["word/document.xml"]   # deletion dropped
    assert "commentReference" not in xml["word/document.xml"]
    assert "Check with" not in "".join(xml.values())            # the comment is gone
    # the merged Word source's headings sit under its appendix heading, out of the contents
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"][-4:] == [
        "Appendix 1: Ashlyn Smith plan.docx", "Appendix 2: audit.pdf", "Appendix 3: notes.txt",
        "Evidence list"]
    assert [p.style.name for p in d.paragraphs if p.text == "Child protection plan"] == [
        "Heading 4"]


def test_manifest_beside_the_export(tmp_path):
    out = tmp_path / "b.docx"
    result = write_bundle(make_bundle(tmp_path, n=4), out, info={"bundle": {"id": 7}})
    m = json.loads(manifest_path(out).read_text())
    assert manifest_path(out).name == "b.docx.manifest.json"
    assert m["sha256"] == sha256_bytes(out.read_bytes()) == result.sha256
    assert m["bundle"] == {"id": 7} and m["items"] == 4
    by_name = {s["name"]: s for s in m["sources"]}
    assert by_name["Ashlyn Smith plan.docx"]["evidence"] == ["E-001", "E-004"]
    assert by_name["audit.pdf"]["sha256"] == "b" * 64


def test_never_overwrites_without_force_and_leaves_no_temporary_files(tmp_path):
    out = tmp_path / "b.docx"
    out.write_bytes(b"earlier export")
    with pytest.raises(InvalidInput, match="already exists"):
        write_bundle(make_bundle(tmp_path), out)
    assert out.read_bytes() == b"earlier export"
    write_bundle(make_bundle(tmp_path), out, force=True)
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "b.docx", "b.docx.manifest.json"]
    with pytest.raises(InvalidInput, match="must end in .docx"):
        write_bundle(make_bundle(tmp_path), tmp_path / "b.pdf")


def test_a_failed_render_leaves_nothing_behind(tmp_path, monkeypatch):
    import evidence_app.core.bundles.export.bundle_file as bf

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bf, "render", boom)
    with pytest.raises(RuntimeError):
        bf.write_bundle(make_bundle(tmp_path), tmp_path / "x" / "b.docx")
    assert not (tmp_path / "x" / "b.docx").exists()


def test_empty_bundle_still_reads(tmp_path):
    from evidence_app.core.bundles.export.model import BundleDoc

    r = render(BundleDoc("Empty", "Borough"))
    assert r.data[:2] == b"PK"


def test_control_characters_and_markup_in_text_are_safe(tmp_path):
    from dataclasses import replace

    b = make_bundle(tmp_path, n=1)
    item = replace(b.sections[0].items[0], quote="a <b> & \x0b c\nline two", note="tab\there")
    b = b.with_sections([replace(b.sections[0], items=(item,))])
    d = docx.Document(__import__("io").BytesIO(render(b).data))
    assert any("a <b> &  c" in p.text for p in d.paragraphs)
