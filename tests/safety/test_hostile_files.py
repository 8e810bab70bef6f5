"""Hostile files through the real indexer and its worker pool (not the extractors alone): zip
bombs, XML entity bombs, PDF page-tree and xref loops, huge page counts, the shared real-world
corpus and a few hundred seeded mutations of generated documents. Each file must end with a
status and a reason within the time limit, with the workers' memory bounded and the run going on.
"""
from __future__ import annotations

import io
import random
import resource
import time
import zipfile
from pathlib import Path

import pytest

from evidence_app.core.index.extractors.base import STATUSES, Limits
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from tests.factories import write_docx, write_pdf

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
LIMITS = Limits(time_limit_s=8.0, memory_limit_mb=768)


def _docx_with(document_xml: bytes, big_member: tuple[str, int] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Override PartName="/word/document.xml" ContentType="'
                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
                   '+xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
        if big_member:
            name, size = big_member
            with z.open(name, "w", force_zip64=True) as f:
                block = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    f.write(block)
    return buf.getvalue()


def _pdf_loop_pages() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n"
            b"3 0 obj << /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >> endobj\n"
            b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
            b"0000000123 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n200\n%%EOF\n")


def _pdf_xref_loop() -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    body += b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
             b"trailer << /Size 3 /Root 1 0 R /Prev " + str(xref).encode() + b" >>\nstartxref\n"
             + str(xref).encode() + b"\n%%EOF\n")
    return body


def _pdf_huge_count() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 99999999 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                             .encode() for i in range(1, 10))
                  + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                    b'2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>'
                    b'</w:document>')


def _index(tmp_path: Path, folder: Path, jobs: int = 2):
    ws = Workspace.create(tmp_path / "ws")
    add_source(ws, folder, "other")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    summary = index_workspace(ws, jobs=jobs, limits=LIMITS)
    seconds = time.perf_counter() - t0
    peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    rows = {r[0]: (r[1], r[2]) for r in ws.db.conn.execute(
        "SELECT path, status, reason FROM documents WHERE member = ''")}
    queued = ws.db.conn.execute("SELECT COUNT(*) FROM index_queue").fetchone()[0]
    ws.close()
    return summary, rows, seconds, peak_kb / 1024, queued


def _assert_every_file_has_a_status(folder: Path, rows: dict, queued: int) -> None:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(("~$", "."))]
    assert queued == 0
    for p in files:
        status, reason = rows.get(str(p), (None, None))
        if status is None:  # a name the scanner ignores by rule (temp files)
            continue
        assert status in STATUSES and status != "missing", (p.name, status)
        assert status == "ok" or reason, (p.name, status)


def test_bombs_and_loops_end_with_a_status_in_bounded_time_and_memory(tmp_path):
    d = tmp_path / "hostile"
    d.mkdir()
    (d / "zip-bomb.docx").write_bytes(_docx_with(b"<w:document/>", ("word/media/big.bin",
                                                                     300 << 20)))
    (d / "entity-bomb.docx").write_bytes(_docx_with(BILLION_LAUGHS))
    (d / "page-tree-loop.pdf").write_bytes(_pdf_loop_pages())
    (d / "xref-loop.pdf").write_bytes(_pdf_xref_loop())
    (d / "huge-count.pdf").write_bytes(_pdf_huge_count())
    write_pdf(d / "six-thousand-pages.pdf", [f"Page {i}" for i in range(6000)])
    (d / "nested.zip").write_bytes(_docx_with(b"x" * 10, ("a.bin", 50 << 20)))
    write_docx(d / "normal.docx", ["An ordinary visit record."])
    summary, rows, seconds, peak_mb, queued = _index(tmp_path, d)
    by_name = {Path(p).name: v for p, v in rows.items()}
    _assert_every_file_has_a_status(d, rows, queued)
    assert by_name["zip-bomb.docx"][0] == "too_large" and "zip bomb" in by_name["zip-bomb.docx"][1]
    assert by_name["entity-bomb.docx"][0] == "damaged"
    assert by_name["normal.docx"][0] == "ok"
    assert by_name["six-thousand-pages.pdf"][0] in ("ok", "too_large")
    assert seconds < len(rows) * LIMITS.time_limit_s, seconds
    assert peak_mb < LIMITS.memory_limit_mb + 400, peak_mb
    print(f"\nFAULTS hostile: {len(rows)} files in {seconds:.1f} s, worker peak RSS "
          f"{peak_mb:.0f} MB: " + ", ".join(f"{k}={v[0]}" for k, v in sorted(by_name.items())))


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_the_real_world_corpus_through_the_indexer(tmp_path):
    summary, rows, seconds, peak_mb, queued = _index(tmp_path, CORPUS)
    _assert_every_file_has_a_status(CORPUS, rows, queued)
    print(f"\nFAULTS corpus: {len(rows)} real files in {seconds:.1f} s, peak RSS {peak_mb:.0f} MB; "
          f"{summary.line()}")


def _mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(4)
    if kind == 0:  # flip bytes
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif kind == 1:  # truncate
        b = b[: rng.randrange(1, len(b))]
    elif kind == 2:  # zero a block
        start = rng.randrange(len(b))
        b[start:start + rng.randint(16, 4096)] = bytes(min(len(b) - start, rng.randint(16, 4096)))
    else:  # splice a chunk somewhere else
        s = rng.randrange(len(b))
        chunk = b[s:s + rng.randint(8, 2048)]
        at = rng.randrange(len(b))
        b[at:at] = chunk
    return bytes(b)


@pytest.mark.slow
def test_mutation_fuzzing_every_file_ends_with_a_status(tmp_path):
    from evidence_app.samples import generate_corpus

    base = tmp_path / "base"
    generate_corpus(base, 40, seed=11, formats={"docx": 3, "pdf": 3, "xlsx": 2, "odt": 2,
                                                 "eml": 2}, manifest=False)
    originals = [p for p in base.rglob("*") if p.is_file()]
    rng = random.Random(4242)
    fuzz = tmp_path / "fuzz"
    fuzz.mkdir()
    n = 0
    while n < 320:
        src = rng.choice(originals)
        (fuzz / f"m{n:04d}{src.suffix}").write_bytes(_mutate(src.read_bytes(), rng))
        n += 1
    summary, rows, seconds, peak_mb, queued = _index(tmp_path, fuzz)
    _assert_every_file_has_a_status(fuzz, rows, queued)
    assert len(rows) == n
    counts: dict[str, int] = {}
    for status, _ in rows.values():
        counts[status] = counts.get(status, 0) + 1
    assert seconds < 240, seconds
    print(f"\nFAULTS fuzz: {n} mutated files in {seconds:.1f} s, peak RSS {peak_mb:.0f} MB, "
          f"statuses {counts}")
