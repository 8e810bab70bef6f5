"""A bundle that reads well on paper and on screen: complete linked contents with no prompt,
pages that break only where a reader expects, titles told apart, a plain redaction log, page
images that are small but legible, and property elements in schema order in every part."""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
from hypothesis import given, settings as hsettings, strategies as st
from lxml import etree
from PIL import Image, ImageDraw

from evidence_app.core.bundles.export.appendices import encode_page
from evidence_app.core.bundles.export.bundle_file import write_bundle
from evidence_app.core.bundles.export.model import (
    Appendix, BundleDoc, Item, Section, Source, evidence_number, with_distinct_titles,
)
from evidence_app.core.bundles.export.redact import Entry
from evidence_app.core.bundles.export.redaction_log import log_rows
from evidence_app.core.bundles.export.schema_order import misordered
from tests.core.bundles.test_export_support import all_xml, make_bundle
from tests.factories import write_pdf

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


def _body(out):
    with zipfile.ZipFile(out) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _toc_entries(root) -> list[tuple[str, str]]:
    """(text, anchor) of each paragraph inside the TOC field's cached result."""
    out, inside = [], False
    for p in root.iter(f"{W}p"):
        instr = "".join(t.text or "" for t in p.iter(f"{W}instrText"))
        if "TOC" in instr:
            inside = True
        if inside:
            for h in p.iter(f"{W}hyperlink"):
                out.append(("".join(t.text or "" for t in h.iter(f"{W}t")),
                            h.get(f"{W}anchor")))
            if any(f.get(f"{W}fldCharType") == "end" for f in p.iter(f"{W}fldChar")):
                break
    return out


def test_contents_list_every_item_linked_with_no_prompt_and_no_guessed_numbers(tmp_path):
    bundle = make_bundle(tmp_path, n=9, appendices=True)
    out = tmp_path / "b.docx"
    write_bundle(bundle, out)
    root = _body(out)
    entries = _toc_entries(root)
    texts = [t for t, _ in entries]
    for item in bundle.items:
        assert any(t.startswith(item.number) and item.title in t for t in texts), item.number
    assert "LEAD-01 Leaders know their services" in texts and "Evidence list" in texts
    assert "Appendix 2: audit.pdf" in texts
    bookmarks = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    assert all(anchor in bookmarks for _, anchor in entries)
    ids = [b.get(f"{W}id") for b in root.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids))
    # no number in the cached result that nobody laid out; no prompt on opening
    assert not any(re.search(r"\d+\s*$", t) and not t.startswith("E-") for t in texts)
    xml = all_xml(out)
    assert "updateFields" not in xml["word/settings.xml"]
    assert "w:dirty" not in xml["word/document.xml"]
    assert "PAGEREF" not in xml["word/document.xml"]


def test_sections_flow_and_only_big_starts_break_the_page(tmp_path):
    bundle = make_bundle(tmp_path, n=4, appendices=True)
    many = tuple(Section(f"Short section {k}", bundle.sections[0].items[:1] if k == 0 else ())
                 for k in range(6))
    out = tmp_path / "flow.docx"
    write_bundle(dataclasses.replace(bundle, sections=many), out)
    d = docx.Document(str(out))
    breaks = [p.text for p in d.paragraphs
              if p._p.pPr is not None and p._p.pPr.find(f"{W}pageBreakBefore") is not None]
    assert breaks == ["Appendix 1: Ashlyn Smith plan.docx", "Appendix 2: audit.pdf",
                      "Appendix 3: notes.txt", "Evidence list"]
    # without appendices, nothing after the cover starts a page of its own
    out2 = tmp_path / "flow2.docx"
    write_bundle(dataclasses.replace(bundle, sections=many, appendices=()), out2)
    assert "pageBreakBefore" not in all_xml(out2)["word/document.xml"]
    # each heading is kept with what follows (style or paragraph)
    h1 = d.styles["Heading 1"].paragraph_format
    assert h1.keep_with_next and h1.space_before and h1.space_before.pt >= 12
    item_heads = [p for p in d.paragraphs if p.style.name == "Heading 3"]
    assert item_heads and all(p.paragraph_format.keep_with_next
                              or d.styles["Heading 3"].paragraph_format.keep_with_next
                              for p in item_heads)


def _items(titles_cases):
    out = []
    for n, (title, case, modified, path) in enumerate(titles_cases, start=1):
        out.append(Item(evidence_number(n), title, case=case,
                        source=Source(path.rsplit("/", 1)[-1] or "x", path, None, modified)))
    return out


def test_items_with_the_same_title_are_told_apart(tmp_path):
    items = _items([("Home visit", "Child A", "01/03/2026", "CH-1/Visits/visit.docx"),
                    ("home  visit", "Child B", "01/03/2026", "CH-2/Visits/visit.docx"),
                    ("Supervision", "Child C", "02/03/2026", "CH-3/Sup/s.docx"),
                    ("Supervision", "Child C", "09/03/2026", "CH-3/Sup/s2.docx"),
                    ("Plan", "Child D", "02/03/2026", "CH-4/Plans/p.docx"),
                    ("Plan", "Child D", "02/03/2026", "CH-4/Plans/p.docx"),
                    ("Unique", "Child E", "", "")])
    b = BundleDoc("T", "Authority", sections=(Section("S", tuple(items)),))
    titles = [i.title for i in with_distinct_titles(b).items]
    assert titles[0] == "Home visit (Child A)" and titles[1] == "home  visit (Child B)"
    assert titles[2] == "Supervision (02/03/2026)" and titles[3] == "Supervision (09/03/2026)"
    assert titles[4] != titles[5] and titles[4].startswith("Plan (Child D")
    assert titles[6] == "Unique"
    out = tmp_path / "same.docx"
    write_bundle(b, out)
    heads = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 3"]
    assert "E-001   Home visit (Child A)" in heads and "E-004   Supervision (09/03/2026)" in heads


_word = st.sampled_from(["Visit", "visit", "Plan", "Plan (Child A)", "Review", "", " Visit "])
_case = st.sampled_from(["", "Child A", "Child B", "child a"])
_day = st.sampled_from(["", "01/03/2026", "02/03/2026"])
_path = st.sampled_from(["", "a.docx", "CH-1/Visits/a.docx", "CH-2/Visits/a.docx", "CH-1/x/a"])


@hsettings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_word, _case, _day, _path), min_size=1, max_size=12))
def test_titles_always_end_up_distinct_and_stay_put_once_distinct(rows):
    b = BundleDoc("T", "A", sections=(Section("S", tuple(_items(rows))),))
    once = with_distinct_titles(b)
    keys = [" ".join(i.title.split()).casefold() for i in once.items]
    assert len(keys) == len(set(keys))
    assert [i.number for i in once.items] == [i.number for i in b.items]
    assert with_distinct_titles(once) == once


def test_redaction_log_is_plain_natural_and_counts_items():
    entries = [Entry("name", "Appendix 10", 2), Entry("name", "Appendix 2", 1),
               Entry("name", "E-001 quote", 2), Entry("name", "E-003 quote", 1),
               Entry("nhs-number", "E-003 quote", 1), Entry("name", "E-001 title", 1),
               Entry("name", "part /word/footnotes.xml", 3),
               Entry("name", "part /word/header1.xml", 1),
               Entry("name", "part /word/header2.xml", 1), Entry("term", "cover", 1),
               Entry("name", "part /word/_rels/document.xml.rels", 1),
               Entry("name", "part /docProps/core.xml", 0)]
    rows = log_rows(entries)
    wheres = [r.where for r in rows]
    assert wheres.index("Appendix 2") < wheres.index("Appendix 10")
    assert wheres[0] == "Cover" and not any("/word/" in w or "part " in w for w in wheres)
    assert "Document footnotes" in wheres and "Link targets" in wheres
    assert "Document properties" not in wheres           # nothing was replaced there
    quotes = [r for r in rows if r.where == "Evidence quotes"]
    names = next(r for r in quotes if r.kind == "Child's name")
    assert (names.count, names.items) == (3, 2)
    assert next(r for r in quotes if r.kind == "NHS number").items == 1
    headers = next(r for r in rows if r.where == "Page headers")
    assert headers.count == 2 and headers.items == 0
    assert sum(r.count for r in rows) == sum(e.count for e in entries)


def test_redaction_log_in_the_bundle_counts_what_was_replaced(tmp_path):
    bundle = make_bundle(tmp_path, n=4, redact=True)
    out = tmp_path / "p.docx"
    result = write_bundle(bundle, out)
    d = docx.Document(str(out))
    log = d.tables[-1]
    header = [c.text for c in log.rows[0].cells]
    assert header == ["What", "Where", "Replacements", "Evidence items"]
    body = [[c.text for c in r.cells] for r in log.rows[1:]]
    assert all("part " not in r[1] and "/word/" not in r[1] for r in body)
    assert sum(int(r[2]) for r in body) == sum(e.count for e in result.redactions)
    quote_rows = [r for r in body if r[1] == "Evidence quotes"]
    assert quote_rows and all(r[3] == "4" for r in quote_rows if r[0] == "Child's name")


def test_every_part_has_property_elements_in_schema_order(tmp_path):
    bundle = make_bundle(tmp_path, n=6, appendices=True)
    for redact in (False, True):
        out = tmp_path / f"o{redact}.docx"
        write_bundle(dataclasses.replace(make_bundle(tmp_path, n=6, appendices=True,
                                                     redact=redact)), out)
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    assert misordered(etree.fromstring(z.read(name))) == [], name
    assert bundle.items


def test_the_order_checker_finds_a_border_written_after_spacing():
    bad = etree.fromstring(f'<w:pPr xmlns:w="{W_NS}"><w:spacing/><w:jc w:val="center"/>'
                           '<w:pBdr><w:bottom/><w:top/></w:pBdr></w:pPr>')
    problems = misordered(bad)
    assert "pPr: pBdr after jc" in problems and "pBdr: top after bottom" in problems


def _text_page(path):
    lines = [("The social worker visited the home and saw the child alone; the plan was "
              "reviewed with the manager. ")[: 80 + k % 7] for k in range(50)]
    return write_pdf(path, ["\n".join(lines), "\n".join(reversed(lines))])


def test_appended_pdf_pages_are_small_and_keep_their_kind(tmp_path):
    pdf = _text_page(tmp_path / "report.pdf")
    photo = tmp_path / "photo.pdf"
    img = Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(img)
    for y in range(0, 1100, 4):
        draw.line([(0, y), (850, y)], fill=(y % 255, 120, 255 - y % 255))
    img.save(photo, "PDF", resolution=100)
    sources = [Source("report.pdf", "Reports/report.pdf", None, "", "a" * 64, pdf, "pdf"),
               Source("photo.pdf", "Photos/photo.pdf", None, "", "b" * 64, photo, "pdf")]
    items = (Item("E-001", "Report", source=sources[0]), Item("E-002", "Photo", source=sources[1]))
    b = BundleDoc("T", "A", sections=(Section("S", items),),
                  appendices=(Appendix(1, sources[0], ("E-001",)),
                              Appendix(2, sources[1], ("E-002",))))
    out = tmp_path / "apps.docx"
    result = write_bundle(b, out)
    assert result.pdf_pages == 3
    with zipfile.ZipFile(out) as z:
        media = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    kinds = sorted(Image.open(io.BytesIO(data)).format for data in media.values())
    assert kinds == ["JPEG", "PNG", "PNG"]
    for data in media.values():
        im = Image.open(io.BytesIO(data))
        assert im.width >= 900                      # >= ~110 dpi across an A4 page: legible
        if im.format == "PNG":
            assert len(data) < 90_000 and im.mode in ("P", "L")
            assert len(im.convert("L").getcolors(256)) <= 4   # four greys: text stays crisp
        else:
            assert im.mode == "RGB"                 # colour kept where there is colour


def test_a_grey_photo_page_is_a_grey_jpeg_not_posterised():
    img = Image.linear_gradient("L").resize((900, 1200)).convert("RGB")
    data, kind = encode_page(img)
    assert kind == "jpeg" and Image.open(io.BytesIO(data)).mode == "L"


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.tuples(_text, _text), max_size=4), min_size=1, max_size=4),
       st.lists(_text, min_size=4, max_size=4))
def test_any_text_gives_a_valid_file_whose_contents_list_every_item(tmp_path_factory, shape,
                                                                      section_titles):
    """Whatever the titles and quotes hold (markup, control characters, duplicates, nothing),
    the file opens, every item is in the contents exactly once and links to its bookmark, and
    every property element is in schema order: an item is never lost from the contents."""
    n, sections = 0, []
    for k, rows in enumerate(shape):
        items = []
        for title, quote in rows:
            n += 1
            items.append(Item(evidence_number(n), title, quote=quote))
        sections.append(Section(section_titles[k] or f"S{k}", tuple(items)))
    out = tmp_path_factory.mktemp("fuzz") / "f.docx"
    write_bundle(BundleDoc("T", "A", sections=tuple(sections)), out)
    docx.Document(str(out))
    root = _body(out)
    anchors = [a for _, a in _toc_entries(root)]
    item_anchors = [a for a in anchors if a.startswith("ev_")]
    assert item_anchors == [f"ev_E{i:03d}" for i in range(1, n + 1)]
    names = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    assert set(anchors) <= names
    with zipfile.ZipFile(out) as z:
        for part in z.namelist():
            if part.endswith(".xml"):
                assert misordered(etree.fromstring(z.read(part))) == [], part
