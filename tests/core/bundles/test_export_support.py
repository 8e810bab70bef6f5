"""Helpers (no tests) for the exporter tests: plain bundle data with real source files on disk."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from evidence_app.core.bundles.export.model import (
    Appendix, BundleDoc, Item, Person, RedactionRules, Section, Source, evidence_number,
)
from tests.factories import write_pdf

CHILD = "Ashlyn Smith"
TERMS = ("Oakfield Primary",)


def docx_with_comment_and_changes(path: Path) -> Path:
    """A Word source with a comment, a tracked insertion and deletion, and a header."""
    import docx

    d = docx.Document()
    d.add_heading("Child protection plan", level=1)
    p = d.add_paragraph("Plan for Ashlyn Smith, DOB: 01/02/2015, at Oakfield Primary.")
    d.add_comment(p.runs, text="Check with Ashlyn's social worker", author="Jane Worker",
                  initials="JW")
    d.add_paragraph("Kept text.")
    d.sections[0].header.paragraphs[0].text = "Case file of Ashlyn Smith"
    d.core_properties.author = "Jane Worker"
    d.save(str(path))
    # tracked changes, written by hand: python-docx has no API for them
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    extra = ('<w:p><w:ins w:id="901" w:author="Jane Worker" w:date="2025-01-01T00:00:00Z"><w:r>'
             '<w:t>Inserted sentence.</w:t></w:r></w:ins><w:del w:id="902" w:author="Jane Worker" '
             'w:date="2025-01-01T00:00:00Z"><w:r><w:delText>Deleted secret.</w:delText></w:r>'
             '</w:del></w:p>')
    xml = re.sub(r"(<w:sectPr)", extra + r"\1", xml, count=1)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return path


def make_bundle(tmp: Path, n: int = 6, *, appendices: bool = False, redact: bool = False,
                ) -> BundleDoc:
    src_dir = tmp / "sources"
    src_dir.mkdir(parents=True, exist_ok=True)
    dx = docx_with_comment_and_changes(src_dir / "Ashlyn Smith plan.docx")
    pdf = write_pdf(src_dir / "audit.pdf", ["Audit report page one\nAshlyn Smith seen",
                                            "Page two of the audit"])
    txt = src_dir / "notes.txt"
    txt.write_text("Notes about Ashlyn.\n\nCall 07700 900123.")
    sources = [
        Source("Ashlyn Smith plan.docx", "Cases/A123 Ashlyn Smith/Ashlyn Smith plan.docx", 2,
               "01/03/2025", "a" * 64, dx, "docx"),
        Source("audit.pdf", "Policies/audit.pdf", 1, "02/03/2025", "b" * 64, pdf, "pdf"),
        Source("notes.txt", "Policies/notes.txt", None, "03/03/2025", "c" * 64, txt, "txt"),
    ]
    items = []
    for i in range(n):
        items.append(Item(
            evidence_number(i + 1), f"Oversight of Ashlyn's plan {i + 1}",
            (("LEAD-01", "Leaders know their services"),), (("AA-L01", "Contacts"),),
            "strong", "strength",
            f"Ashlyn Smith's plan was reviewed; NHS 485 777 3456; mum on 07700 900123. {i + 1}",
            "Shows oversight at Oakfield Primary.", "Child A", sources[i % 3]))
    half = max(1, n // 2)
    sections = (Section("LEAD-01 Leaders know their services", tuple(items[:half])),
                Section("HP-02 Thresholds are applied", tuple(items[half:])))
    apps = ()
    if appendices:
        apps = (Appendix(1, sources[0], ("E-001",)),
                Appendix(2, sources[1], ("E-002",), "Audit report page one Ashlyn Smith seen"),
                Appendix(3, sources[2], ("E-003",), txt.read_text()))
    rules = RedactionRules((Person("Child A", (CHILD,), TERMS),)) if redact else None
    return BundleDoc("Leadership evidence", "Test Borough Children's Services",
                     "ILACS standard inspection", dt.date(2025, 3, 10), "Jo Bloggs",
                     purpose="For the lines of enquiry on leadership", sections=sections,
                     appendices=apps, redaction=rules)


def all_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()
                if n.endswith((".xml", ".rels"))}
