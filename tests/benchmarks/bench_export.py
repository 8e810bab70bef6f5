"""Export benchmark: Word bundles of 100 / 500 / 2,000 items (no appendices), plain and
pseudonymised, a stored 500-item bundle end to end (store -> plain data -> .docx + manifest), and
a plain bundle with 50 two-page text PDFs appended as page images (size and time, with what the
same pages cost in the former encoding: colour JPEG q70 at 110 dpi).

Usage: python tests/benchmarks/bench_export.py [--repeat 3]
Prints figures; asserts nothing (target: 500 items <= 1.0 s on a 2-core machine, and no
super-linear growth to 2,000).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.common import machine  # noqa: E402

WORDS = ("The team manager reviewed the plan with the social worker and recorded a clear "
         "rationale for the decision, with the child's wishes and feelings at the centre. ")


def plain_bundle(n: int, redact: bool):
    from evidence_app.core.bundles.export.model import (
        BundleDoc, Item, Person, RedactionRules, Section, Source, evidence_number,
    )

    items = []
    for i in range(n):
        src = Source(f"Supervision record {i % 97}.docx",
                     f"Case files/CH-{i % 211:06d}/Supervision record {i % 97}.docx",
                     i % 12 + 1, "01/03/2025", f"{i:064x}")
        items.append(Item(evidence_number(i + 1), f"Management oversight {i + 1}",
                          (("LEAD-03", "Management oversight and supervision"),
                           ("HP-02", "Thresholds")), (("AA-L07", "Case summaries"),),
                          ("strong", "moderate", "weak")[i % 3], "Strength",
                          f"Ashlyn Smith's plan was reviewed. {WORDS * 2}", WORDS,
                          "Child A", src))
    per = max(1, n // 10)
    sections = [Section(f"Section {k + 1}", tuple(items[k * per:(k + 1) * per]))
                for k in range((n + per - 1) // per)]
    people = tuple(Person(f"Child {chr(65 + k % 26)}{k // 26 or ''}", (f"Firstname{k} Surname{k}",),
                          (f"School {k}",)) for k in range(200))
    people += (Person("Child A", ("Ashlyn Smith",)),)
    return BundleDoc("Benchmark bundle", "Test Borough Children's Services", "ILACS",
                     dt.date(2025, 3, 10), "Benchmark", sections=tuple(sections),
                     redaction=RedactionRules(people) if redact else None)


def time_export(n: int, redact: bool, repeat: int, folder: Path) -> tuple[float, float, int]:
    from evidence_app.core.bundles.export.bundle_file import write_bundle

    bundle = plain_bundle(n, redact)
    times, size = [], 0
    for r in range(repeat):
        out = folder / f"b{n}-{int(redact)}-{r}.docx"
        start = time.perf_counter()
        # pseudonymised: the residual review and the read-back verification are included
        result = write_bundle(bundle, out, accept_review=True)
        times.append(time.perf_counter() - start)
        size = result.size
    return min(times), statistics.median(times), size


def stored_bundle(folder: Path, n: int) -> float:
    """Tag n passages in a real workspace, make a bundle, export it through the CLI's path."""
    from evidence_app.core.bundles import bundle_data, bundles
    from evidence_app.core.evidence import evidence
    from evidence_app.core import settings
    from evidence_app.core.index.indexer import index_workspace
    from evidence_app.core.index.sources import add_source
    from evidence_app.core.workspace import Workspace

    src = folder / "cases"
    for k in range(50):
        d = src / f"CH-{k:06d}"
        d.mkdir(parents=True)
        (d / "visit.txt").write_text("\n\n".join(f"Visit note {j}. {WORDS}" for j in range(20)))
    ws = Workspace.create(folder / "ws", "Benchmark Borough")
    settings.set_author(ws, "Benchmark Person")
    add_source(ws, src, "case-files")
    index_workspace(ws)
    for i in range(n):
        evidence.tag(ws, str(src / f"CH-{i % 50:06d}" / "visit.txt"), ["LEAD-03"],
                     quote=f"Visit note {i % 20}.").value
    b = bundles.create_bundle(ws, "Stored benchmark", by="custom").value
    start = time.perf_counter()
    bundle_data.export_bundle(ws, b.id, folder / "stored.docx")
    took = time.perf_counter() - start
    ws.close()
    return took


def text_pdfs(folder: Path, n: int, pages: int = 2) -> list[Path]:
    """n dense case-record PDFs (52 lines of 14 words a page), made once per folder."""
    import random

    from tests.factories import write_pdf

    words = WORDS.split()
    rng = random.Random(1)
    out = []
    for i in range(n):
        path = folder / "pdfs" / f"Assessment {i}.pdf"
        if not path.exists():
            body = ["\n".join(" ".join(rng.choice(words) for _ in range(14)) for _ in range(52))
                    for _ in range(pages)]
            write_pdf(path, body)
        out.append(path)
    return out


def appended_bundle(folder: Path, n: int, redact: bool = False):
    """A bundle of n items, each citing its own PDF, every PDF appended in full."""
    from evidence_app.core.bundles.export.model import (
        Appendix, BundleDoc, Item, Person, RedactionRules, Section, Source, evidence_number,
    )

    items, apps = [], []
    for i, path in enumerate(text_pdfs(folder, n)):
        src = Source(path.name, f"Case files/CH-{i:06d}/{path.name}", None, "01/03/2025",
                     f"{i:064x}", path, "pdf")
        items.append(Item(evidence_number(i + 1), f"Assessment {i}", source=src))
        apps.append(Appendix(i + 1, src, (evidence_number(i + 1),),
                             "The social worker visited. " * 200 if redact else ""))
    rules = RedactionRules((Person("Child A", ("Ashlyn Smith",)),)) if redact else None
    return BundleDoc("Appended", "Benchmark Borough", sections=(Section("S", tuple(items)),),
                     appendices=tuple(apps), redaction=rules)


def former_encoding_bytes(paths: list[Path]) -> int:
    """What the same pages weighed as colour JPEG q70 at 110 dpi (the encoding before 11/2026)."""
    import io

    import pypdfium2 as pdfium

    total = 0
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for page in pdf:
            out = io.BytesIO()
            page.render(scale=110 / 72).to_pil().convert("RGB").save(out, "JPEG", quality=70,
                                                                       optimize=True)
            total += len(out.getvalue())
        pdf.close()
    return total


def time_appended(folder: Path, n: int = 50) -> None:
    from evidence_app.core.bundles.export.bundle_file import write_bundle

    bundle = appended_bundle(folder, n)
    start = time.perf_counter()
    result = write_bundle(bundle, folder / f"appended-{n}.docx", force=True)
    took = time.perf_counter() - start
    before = former_encoding_bytes([a.source.path for a in bundle.appendices])
    print(f"plain, {n} two-page PDFs appended: {took:.2f} s, {result.size / 1e6:.2f} MB "
          f"({result.pdf_pages} page images; the same pages in the former encoding: "
          f"{before / 1e6:.2f} MB of images, so {result.size / before:.0%} of that)")


def pseudonymised_appended(folder: Path, n: int = 100) -> tuple[float, int, bool]:
    """A pseudonymised bundle with n appended sources (Word, PDF and text in turn, two pages
    each, naming registered children and relatives), reviewed and verified after writing."""
    from evidence_app.core.bundles.export.bundle_file import write_bundle
    from evidence_app.core.bundles.export.model import (
        Appendix, BundleDoc, Item, Person, RedactionRules, Section, Source, evidence_number,
    )
    from tests.factories import write_docx, write_pdf

    src = folder / "appended"
    src.mkdir(exist_ok=True)
    firsts = [w.strip().title() for w in (Path(__file__).resolve().parents[2] / "resources" /
                                           "names" / "first-names.txt").read_text().split()]
    firsts = [f for f in firsts if len(f) > 3][::23][:200]
    surnames = ["O'Rourke-Lamb", "Ní Bhriain", "Okafor", "Pryce-Hughes", "Wu", "D'Souza",
                "Kowalczyk", "MacLeod", "Al-Amin", "Brackenby"]
    people = tuple(Person(f"Child {k}", (f"{firsts[k]} {surnames[k % 10]}",), (f"Flat {k}",),
                          f"CH-{k:06d}", (f"{firsts[k][:3]}ie",),
                          ((f"{firsts[-1 - k]} {surnames[k % 10]}", "mother"),))
                   for k in range(200))
    items, apps = [], []
    for i in range(n):
        k = i % 200
        child, mother = people[k].names[0], people[k].relatives[0][0]
        para = (f"{child.replace(chr(39), '’')} ({people[k].other_names[0]}) was seen with "
                f"{mother}. DOB 0{i % 9 + 1}/03/2015. NHS 943 476 5919. {WORDS}")
        fmt = ("docx", "pdf", "txt")[i % 3]
        path = src / f"CH-{k:06d} record {i}.{fmt}"
        if fmt == "docx":
            write_docx(path, [para] * 12)
        elif fmt == "pdf":
            write_pdf(path, [para.replace("’", "'") * 3] * 2)
        else:
            path.write_text("\n\n".join([para] * 12))
        source = Source(path.name, f"Case files/{path.name}", None, "01/03/2025", f"{i:064x}",
                        path, fmt, i, f"CH-{k:06d}")
        number = evidence_number(i + 1)
        items.append(Item(number, f"Record {i}", (("LEAD-03", "Oversight"),), (), "strong",
                          "Strength", para, "", f"Child {k}", source, f"CH-{k:06d}"))
        apps.append(Appendix(i + 1, source, (number,), "\n\n".join([para] * 12)))
    bundle = BundleDoc("Appended benchmark", "Test Borough Children's Services", "ILACS",
                       dt.date(2025, 3, 10), "Benchmark", sections=(Section("S", tuple(items)),),
                       appendices=tuple(apps), redaction=RedactionRules(people))
    start = time.perf_counter()
    result = write_bundle(bundle, folder / "appended.docx", accept_review=True)
    return time.perf_counter() - start, result.size, result.verified


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        time_export(20, False, 1, folder)   # warm imports and the template
        for redact in (False, True):
            label = "pseudonymised" if redact else "plain"
            base = None
            for n in (100, 500, 2000):
                best, median, size = time_export(n, redact, args.repeat, folder)
                per = best / n * 1000
                base = base or per
                print(f"{label:>13} {n:>5} items: best {best:6.3f} s, median {median:6.3f} s "
                      f"({per:.2f} ms/item, x{per / base:.2f} per item vs 100)  {size // 1024} KB")
        print(f"stored bundle, 500 items, store -> docx + manifest + records: "
              f"{stored_bundle(folder, 500):.3f} s")
        time_appended(folder, 50)
        took, size, verified = pseudonymised_appended(folder)
        print(f"pseudonymised, 100 appended documents, review + verification: {took:.3f} s "
              f"({size // 1024} KB, verified={verified}; target <= 5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
