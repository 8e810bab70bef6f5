"""The whole package: every part type is pseudonymised, and the verifier refuses a file with a
leak planted in any one of them (nothing delivered, temporary file gone)."""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from PIL import Image

from evidence_app.core.bundles.export import package as package_mod
from evidence_app.core.bundles.export.bundle_file import write_bundle
from evidence_app.core.bundles.export.files import manifest_path, write_atomic
from evidence_app.core.bundles.export.images import has_metadata
from evidence_app.core.bundles.export.model import (
    Appendix, BundleDoc, Item, Person, RedactionRules, Section, Source,
)
from evidence_app.core.bundles.export.verify import ExportRefused, require_clean, verify_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHILD = "Ffion Ap-Rhys"
RULES = RedactionRules((Person("Child A", (CHILD,), ("Larkfield Close",), "CH-520001",
                               ("Fifi",), (("Gethin Ap-Rhys", "father"),)),))
LEAKS = ("ffion", "rhys", "fifi", "gethin", "larkfield")


def _jpeg_with_exif() -> bytes:
    im = Image.new("RGB", (40, 30), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010E] = f"{CHILD} at 4 Larkfield Close"      # ImageDescription
    exif[0x013B] = "Gethin Ap-Rhys"                      # Artist
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif.tobytes(), comment=b"Fifi's birthday")
    return out.getvalue()


def _rich_source(path: Path) -> Path:
    """A Word source with the child's name in every kind of place."""
    d = docx.Document()
    d.add_paragraph(f"Visit to {CHILD} (Fifi).")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Date of birth", "09.11.2014"
    t.cell(1, 0).text, t.cell(1, 1).text = "Father", "Gethin Ap-Rhys"
    p = d.add_paragraph("Hidden: ")
    hidden = p.add_run("Ffion secret")
    hidden.font.hidden = True
    d.add_paragraph().add_run().add_picture(io.BytesIO(_jpeg_with_exif()))
    body = d.element.body
    rel = d.part.relate_to("mailto:gethin.ap-rhys@example.org",
                           "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                           "hyperlink", is_external=True)
    rel2 = d.part.relate_to("file:///S:/Cases/CH-520001%20Ffion%20Ap-Rhys/plan.docx",
                            "http://schemas.openxmlformats.org/officeDocument/2006/"
                            "relationships/hyperlink", is_external=True)
    extra = f"""<w:body xmlns:w="{W}"
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
      <w:p><w:hyperlink r:id="{rel}"><w:r><w:t>e-mail dad</w:t></w:r></w:hyperlink>
           <w:hyperlink r:id="{rel2}"><w:r><w:t>the plan</w:t></w:r></w:hyperlink></w:p>
      <w:sdt><w:sdtPr><w:alias w:val="Child: Ffion"/><w:tag w:val="Ffion Ap-Rhys"/></w:sdtPr>
        <w:sdtContent><w:p><w:r><w:t>Ffion Ap-Rhys in a content control</w:t></w:r></w:p>
        </w:sdtContent></w:sdt>
      <w:p><w:bookmarkStart w:id="7" w:name="Ffion_DOB"/><w:r><w:t>Bookmarked</w:t></w:r>
        <w:bookmarkEnd w:id="7"/></w:p>
      <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>
        HYPERLINK "mailto:ffion@example.org" </w:instrText></w:r><w:r>
        <w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Fifi's e-mail</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
      <w:p><w:r><w:t xml:space="preserve">Seen with Ff</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>
        <w:t>ion Ap-</w:t></w:r><w:r><w:t>Rhys at Larkfield Close.</w:t></w:r></w:p>
    </w:body>"""
    for el in etree.fromstring(extra):
        body.insert(len(body) - 1, el)
    for docpr in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                           "wordprocessingDrawing}docPr"):
        docpr.set("descr", f"Photo of {CHILD}")
        docpr.set("title", "Fifi")
    d.core_properties.author = "Gethin Ap-Rhys"
    d.core_properties.title = f"Plan for {CHILD}"
    d.save(str(path))
    return path


def _bundle(tmp_path: Path) -> BundleDoc:
    src_path = _rich_source(tmp_path / f"CH-520001 {CHILD}" / "plan.docx") \
        if (tmp_path / f"CH-520001 {CHILD}").mkdir(parents=True) is None else None
    src = Source("plan.docx", f"CH-520001 {CHILD}/plan.docx", 1, "01/03/2025", "f" * 64,
                 src_path, "docx", 1, "CH-520001")
    item = Item("E-001", f"Plan for {CHILD}", quote="Fifi said she likes her room.",
                note="Dad (Gethin Ap-Rhys) agreed.", case="Child A", source=src,
                case_ref="CH-520001")
    return BundleDoc(f"Bundle for {CHILD}", "Test Borough", "ILACS", None, "Priya Raman",
                     sections=(Section("Voice", (item,)),), appendices=(Appendix(1, src, ("E-001",)),),
                     redaction=RULES)


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        out = [" ".join(z.namelist())]
        for n in z.namelist():
            data = z.read(n)
            if n.endswith((".xml", ".rels")):
                out.append(re.sub(r"<[^>]+>", " ", data.decode("utf-8", "replace")))
                out.append(data.decode("utf-8", "replace"))       # attributes too
            else:
                out.append(data.decode("latin-1"))
    return "\n".join(out)


def test_every_part_type_is_pseudonymised_and_verified(tmp_path):
    out = tmp_path / "out" / "bundle.docx"
    result = write_bundle(_bundle(tmp_path), out, accept_review=True)
    assert result.verified
    text = _all_text(out).lower()
    for leak in LEAKS:
        assert leak not in text, leak
    assert "09.11.2014" not in text                          # date in the cell beside the label
    with zipfile.ZipFile(out) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media and not any(has_metadata(z.read(n)) for n in media)
        body = z.read("word/document.xml").decode()
    # structure kept: the bookmark keeps a valid name (no spaces, never "Child A_DOB")
    names = re.findall(r'w:name="([^"]*)"', body)
    assert names and all(" " not in n for n in names)
    d = docx.Document(str(out))
    assert "[father]" in "\n".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["verified"] is True
    assert not any(leak in json.dumps(manifest).lower() for leak in LEAKS)


def _docx_bytes(mutate) -> bytes:
    d = docx.Document()
    d.add_paragraph("Nothing identifying here.")
    d.sections[0].header.paragraphs[0].text = "Header text"
    mutate(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _zip_edit(data: bytes, name: str, fn) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == name:
                content = fn(content)
            z.writestr(info, content)
        if name not in src.namelist():
            z.writestr(name, fn(b""))
    return buf.getvalue()


PLANTS = {
    "body": lambda d: d.add_paragraph("Ffion was seen."),
    "table cell": lambda d: setattr(d.add_table(1, 1).cell(0, 0), "text", "Gethin Ap-Rhys"),
    "header": lambda d: setattr(d.sections[0].header.paragraphs[0], "text", "Re: Fifi"),
    "footer": lambda d: setattr(d.sections[0].footer.paragraphs[0], "text", "Larkfield Close"),
    "core properties": lambda d: setattr(d.core_properties, "title", CHILD),
}


@pytest.mark.parametrize("where", sorted(PLANTS))
def test_verifier_refuses_a_leak_planted_in_each_part(where, tmp_path):
    data = _docx_bytes(PLANTS[where])
    result = verify_bytes(data, RULES)
    assert not result.ok
    clean = verify_bytes(_docx_bytes(lambda d: None), RULES)
    assert clean.ok, clean.problems
    out = tmp_path / "leak.docx"
    with pytest.raises(ExportRefused) as err:
        write_atomic(out, data, verify=lambda tmp: require_clean(tmp, RULES, target=out.name))
    assert not out.exists() and not list(tmp_path.iterdir())       # temp deleted too
    assert "ffion" not in str(err.value).lower()                      # says where, not what


RAW_PLANTS = {
    "footnotes": ("word/footnotes.xml", lambda b: (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r><w:t>Ffion</w:t></w:r>'
        f'</w:p></w:footnote></w:footnotes>').encode()),
    "comments": ("word/comments.xml", lambda b: (
        f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Gethin Ap-Rhys"><w:p><w:r>'
        f'<w:t>ok</w:t></w:r></w:p></w:comment></w:comments>').encode()),
    "links": ("word/_rels/document.xml.rels", lambda b: b.replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/hyperlink" Target="mailto:fifi@example.org" '
        b'TargetMode="External"/></Relationships>')),
    "custom properties": ("docProps/custom.xml", lambda b: (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
        'properties"><property name="Child">Ffion Ap-Rhys</property></Properties>').encode()),
    "app properties": ("docProps/app.xml", lambda b: b.replace(
        b"</Properties>", b"<Company>Larkfield Close</Company></Properties>")),
    "images": ("word/media/image9.jpeg", lambda b: _jpeg_with_exif()),
    "hidden alt text": ("word/document.xml", lambda b: b.replace(
        b"<w:body>", b'<w:body><w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.'
        b'openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="x" '
        b'descr="Photo of Fifi"/></wp:inline></w:drawing></w:r></w:p>')),
    "embedded object": ("word/embeddings/oleObject1.bin", lambda b: b"\xd0\xcf\x11\xe0"),
    "part name": ("word/media/Ffion_photo.png", lambda b: _png()),
}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("where", sorted(RAW_PLANTS))
def test_verifier_finds_leaks_outside_the_visible_text(where):
    name, fn = RAW_PLANTS[where]
    data = _zip_edit(_docx_bytes(lambda d: None), name, fn)
    result = verify_bytes(data, RULES)
    assert not result.ok, where


def test_export_refused_when_the_redactor_skips_a_part(tmp_path, monkeypatch):
    """Plant a leak by making the redactor skip the appended source's body: the export is
    refused, the message says where (never what), nothing is left on disk."""
    real = package_mod.Pseudonymiser.redact_tree

    def skip_appendix(self, root, where, case=None):
        if where.startswith("Appendix") or "document.xml" in where:
            return None
        return real(self, root, where, case)

    monkeypatch.setattr(package_mod.Pseudonymiser, "redact_tree", skip_appendix)
    out = tmp_path / "refused" / "bundle.docx"
    out.parent.mkdir()
    with pytest.raises(ExportRefused) as err:
        write_bundle(_bundle(tmp_path), out, accept_review=True)
    message = str(err.value)
    assert "Appendix 1" in message and "NOT saved" in message
    assert not any(leak in message.lower() for leak in LEAKS)
    assert not out.exists() and not manifest_path(out).exists()
    assert list(out.parent.iterdir()) == []


def test_a_labelled_birth_date_is_redacted_everywhere_even_before_its_label(tmp_path):
    items = (Item("E-001", "Visit", quote="Seen on 09.11.2014 at home.", case="Child A",
                  case_ref="CH-520001"),
             Item("E-002", "Record", quote="Ffion (DOB 9 November 2014) was seen.",
                  case="Child A", case_ref="CH-520001"))
    bundle = BundleDoc("Dates", "Test Borough", prepared_by="Priya Raman",
                       sections=(Section("S", items),), redaction=RULES)
    out = tmp_path / "dates.docx"
    write_bundle(bundle, out, accept_review=True)
    text = _all_text(out)
    assert "09.11.2014" not in text and "November 2014" not in text
    assert "Seen on [REDACTED] at home." in text
