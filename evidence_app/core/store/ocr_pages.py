"""SQL for OCR: which scanned pages wait, what OCR read on each page, and how that text joins
the document's stored text (as chunks with their page, like any other text).

Typed records out (frozen dataclasses); every write runs inside the caller's transaction.
"""
from __future__ import annotations

import sqlite3

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base import clock
from evidence_app.core.base.doc_status import EMPTY, OK
from evidence_app.core.base.fsnames import to_disk

PENDING, DONE, FAILED, CAPPED = "pending", "done", "failed", "capped"
LOW_CONFIDENCE = 50.0       # a page read with less than this is listed as "scan hard to read"
# Reasons the fast pass gives for a file without text; no longer true once OCR found text.
NO_TEXT_REASONS = ("The PDF has no text layer; it may be a scanned image.",
                   "image: no text layer", "The file has no text (it may be a scan or an image).")


@frozen
class PageTask:
    document_id: int
    path: str           # disk form
    sha256: str | None
    page: int


@frozen
class OcrPage:
    page: int
    state: str
    confidence: float | None
    words: int | None
    reason: str


@frozen
class OcrSummary:
    """Where a document's scanned pages stand."""

    scan_pages: int
    done: int
    pending: int
    failed: int
    capped: int
    with_text: int
    confidence: float | None    # mean over the pages where OCR found words
    low_pages: tuple[int, ...]


@frozen
class HardToRead:
    document_id: int
    path: str
    member: str
    pages: tuple[tuple[int, float], ...]   # (page, confidence)
    status: str = "ok"


def note_scan_pages(conn: sqlite3.Connection, doc_id: int, sha256: str | None,
                    pages: list[int], base_reason: str, cap: int, ocr_on: bool) -> bool:
    """After the fast pass wrote a document: record which pages need OCR. The same file
    (same SHA-256) already read keeps its OCR text; a changed file starts again. Returns True
    when OCR text read earlier must be merged back into the new chunks (the caller does it:
    cutting text into chunks is the index stage's work)."""
    row = conn.execute("SELECT sha256 FROM ocr_documents WHERE document_id = ?",
                       [doc_id]).fetchone()
    if not pages:
        if row is not None:
            conn.execute("DELETE FROM ocr_pages WHERE document_id = ?", [doc_id])
            conn.execute("DELETE FROM ocr_documents WHERE document_id = ?", [doc_id])
        return False
    if row is not None and sha256 and row[0] == sha256:
        conn.execute("UPDATE ocr_documents SET base_reason = ? WHERE document_id = ?",
                     [base_reason, doc_id])
        if conn.execute("SELECT 1 FROM ocr_pages WHERE document_id = ? AND state = ? LIMIT 1",
                        [doc_id, DONE]).fetchone():
            return True
        update_reason(conn, doc_id, ocr_on)
        return False
    conn.execute("DELETE FROM ocr_pages WHERE document_id = ?", [doc_id])
    conn.execute("INSERT OR REPLACE INTO ocr_documents (document_id, sha256, base_reason, "
                 "scan_pages, requested_at) VALUES (?, ?, ?, ?, NULL)",
                 [doc_id, sha256, base_reason, len(pages)])
    ordered = sorted(set(pages))
    conn.executemany(
        "INSERT INTO ocr_pages (document_id, page, state) VALUES (?, ?, ?)",
        [(doc_id, p, PENDING if i < cap else CAPPED) for i, p in enumerate(ordered)])
    update_reason(conn, doc_id, ocr_on)
    return False


def pending(conn: sqlite3.Connection, *, requested_only: bool = False,
            doc_ids: list[int] | None = None, limit: int | None = None) -> list[PageTask]:
    """Pages waiting for OCR, document by document, of files still in their folders."""
    sql = ("SELECT p.document_id, d.path, d.sha256, p.page FROM ocr_pages p "
           "JOIN documents d ON d.id = p.document_id "
           "JOIN ocr_documents o ON o.document_id = p.document_id "
           "WHERE p.state = 'pending' AND d.status != 'missing' AND d.member = '' "
           "AND d.sha256 IS o.sha256")
    params: list = []
    if requested_only:
        sql += " AND o.requested_at IS NOT NULL"
    if doc_ids is not None:
        sql += f" AND p.document_id IN ({','.join('?' * len(doc_ids))})"
        params.extend(doc_ids)
    sql += " ORDER BY p.document_id, p.page"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [PageTask(r[0], to_disk(r[1]), r[2], r[3]) for r in conn.execute(sql, params)]


def count_pending(conn: sqlite3.Connection, *, requested_only: bool = False) -> int:
    sql = ("SELECT count(*) FROM ocr_pages p JOIN documents d ON d.id = p.document_id "
           "JOIN ocr_documents o ON o.document_id = p.document_id "
           "WHERE p.state = 'pending' AND d.status != 'missing' AND d.member = '' "
           "AND d.sha256 IS o.sha256")
    if requested_only:
        sql += " AND o.requested_at IS NOT NULL"
    return conn.execute(sql).fetchone()[0]


def current_sha(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute("SELECT sha256 FROM ocr_documents WHERE document_id = ?",
                       [doc_id]).fetchone()
    return row[0] if row else None


def record_page(conn: sqlite3.Connection, doc_id: int, page: int, state: str, *,
                confidence: float | None = None, words: int | None = None,
                text: str | None = None, reason: str = "") -> None:
    conn.execute("UPDATE ocr_pages SET state = ?, confidence = ?, words = ?, text = ?, "
                 "reason = ?, read_at = ? WHERE document_id = ? AND page = ?",
                 [state, confidence, words, text, reason, clock.now_iso(), doc_id, page])


def finish_request(conn: sqlite3.Connection, doc_id: int) -> None:
    """A 'Read again with OCR' is over once none of the document's pages waits."""
    if not conn.execute("SELECT 1 FROM ocr_pages WHERE document_id = ? AND state = ? LIMIT 1",
                        [doc_id, PENDING]).fetchone():
        conn.execute("UPDATE ocr_documents SET requested_at = NULL WHERE document_id = ?",
                     [doc_id])


def request_again(conn: sqlite3.Connection, doc_ids: list[int]) -> list[int]:
    """'Read again with OCR': every scanned page of these documents waits again (the cap
    still applies), and they are read even when OCR is off. Returns the ids that have scanned
    pages; a document with a good text layer on every page has none."""
    found = []
    for doc_id in doc_ids:
        n = conn.execute("UPDATE ocr_pages SET state = ?, reason = '' WHERE document_id = ? "
                         "AND state != ?", [PENDING, doc_id, CAPPED]).rowcount
        if n:
            conn.execute("UPDATE ocr_documents SET requested_at = ? WHERE document_id = ?",
                         [clock.now_iso(), doc_id])
            found.append(doc_id)
    return found


def summary(conn: sqlite3.Connection, doc_id: int) -> OcrSummary | None:
    row = conn.execute("SELECT scan_pages FROM ocr_documents WHERE document_id = ?",
                       [doc_id]).fetchone()
    if row is None:
        return None
    counts = {PENDING: 0, DONE: 0, FAILED: 0, CAPPED: 0}
    confs, low, with_text = [], [], 0
    for page, state, conf, words in conn.execute(
            "SELECT page, state, confidence, words FROM ocr_pages WHERE document_id = ? "
            "ORDER BY page", [doc_id]):
        counts[state] += 1
        if state == DONE and words:
            with_text += 1
            confs.append(conf or 0.0)
            if (conf or 0.0) < LOW_CONFIDENCE:
                low.append(page)
    mean = sum(confs) / len(confs) if confs else None
    return OcrSummary(row[0], counts[DONE], counts[PENDING], counts[FAILED], counts[CAPPED],
                      with_text, mean, tuple(low))


def pages(conn: sqlite3.Connection, doc_id: int) -> list[OcrPage]:
    return [OcrPage(*r) for r in conn.execute(
        "SELECT page, state, confidence, words, reason FROM ocr_pages WHERE document_id = ? "
        "ORDER BY page", [doc_id])]


def ocr_page_confidences(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[tuple[int, int], float]:
    """(document id, page) -> confidence, for the pages whose text came from OCR."""
    if not doc_ids:
        return {}
    marks = ",".join("?" * len(doc_ids))
    return {(r[0], r[1]): float(r[2] or 0.0) for r in conn.execute(
        f"SELECT document_id, page, confidence FROM ocr_pages WHERE state = 'done' "
        f"AND words > 0 AND document_id IN ({marks})", list(doc_ids))}


def hard_to_read(conn: sqlite3.Connection) -> list[HardToRead]:
    """Documents with pages OCR read with very low confidence ('scan hard to read')."""
    out: dict[int, list] = {}
    info: dict[int, tuple[str, str, str]] = {}
    for doc_id, path, member, status, page, conf in conn.execute(
            "SELECT p.document_id, d.path, d.member, d.status, p.page, p.confidence "
            "FROM ocr_pages p "
            "JOIN documents d ON d.id = p.document_id WHERE p.state = 'done' AND p.words > 0 "
            "AND p.confidence < ? AND d.status != 'missing' ORDER BY d.path, p.page",
            [LOW_CONFIDENCE]):
        out.setdefault(doc_id, []).append((page, float(conf or 0.0)))
        info[doc_id] = (path, member, status)
    return [HardToRead(i, info[i][0], info[i][1], tuple(p), info[i][2]) for i, p in out.items()]


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Scanned pages by state, over the workspace."""
    out = {PENDING: 0, DONE: 0, FAILED: 0, CAPPED: 0}
    for state, n in conn.execute("SELECT state, count(*) FROM ocr_pages GROUP BY state"):
        out[state] = n
    return out


def describe(s: OcrSummary, ocr_on: bool, all_scanned: bool) -> str:
    """The OCR part of a document's status reason, in plain words."""
    parts = []
    if s.with_text:
        conf = f"average confidence {s.confidence:.0f}%"
        if all_scanned:
            parts.append(f"Text read by OCR ({conf}).")
        else:
            n = s.with_text
            parts.append(f"{n:,} scanned page{'s' if n != 1 else ''} read by OCR ({conf}).")
        if s.low_pages:
            shown = ", ".join(str(p) for p in s.low_pages[:10])
            more = "…" if len(s.low_pages) > 10 else ""
            parts.append(f"Scan hard to read on page{'s' if len(s.low_pages) > 1 else ''} "
                         f"{shown}{more}: check against the original.")
    elif s.done and not s.pending:
        parts.append("Read by OCR: no text was found on its scanned pages.")
    if s.failed:
        parts.append(f"{s.failed:,} scanned page{'s' if s.failed != 1 else ''} could not be "
                     "read by OCR (see 'evidence-app ocr --json' for each page's reason).")
    if s.pending:
        if ocr_on:
            parts.append(f"{s.pending:,} scanned page{'s' if s.pending != 1 else ''} waiting "
                         "to be read by OCR.")
        else:
            parts.append(f"{s.pending:,} scanned page{'s' if s.pending != 1 else ''} not read: "
                         "OCR is off for this workspace (Settings), or use 'Read again with "
                         "OCR'.")
    if s.capped:
        read = s.scan_pages - s.capped
        parts.append(f"Only the first {read:,} of {s.scan_pages:,} scanned pages are read by "
                     f"OCR (the limit is {read:,} a document, so one huge scan cannot hold up "
                     "the rest); the others are searchable by name only.")
    return " ".join(parts)


def _reason(conn: sqlite3.Connection, doc_id: int, status: str, ocr_on: bool) -> str:
    row = conn.execute("SELECT o.base_reason, d.pages FROM ocr_documents o "
                       "JOIN documents d ON d.id = o.document_id WHERE o.document_id = ?",
                       [doc_id]).fetchone()
    base, doc_pages = (row[0] or "", row[1]) if row else ("", None)
    s = summary(conn, doc_id)
    if s is None:
        return base
    all_scanned = doc_pages is None or s.scan_pages >= (doc_pages or 0)
    if s.with_text:
        for sentence in NO_TEXT_REASONS:
            base = base.replace(sentence, "").strip()
    ocr = describe(s, ocr_on, all_scanned)
    if base and not base.endswith((".", ")")):
        base += "."
    ordered = (ocr, base) if s.with_text else (base, ocr)
    return " ".join(p for p in ordered if p)


def update_reason(conn: sqlite3.Connection, doc_id: int, ocr_on: bool) -> None:
    status = conn.execute("SELECT status FROM documents WHERE id = ?", [doc_id]).fetchone()
    if status is None or status[0] not in (OK, EMPTY):
        return
    conn.execute("UPDATE documents SET reason = ? WHERE id = ?",
                 [_reason(conn, doc_id, status[0], ocr_on), doc_id])


def read_texts(conn: sqlite3.Connection, doc_id: int) -> tuple[dict[int, str], set[int]]:
    """(page -> text OCR read, pages OCR has done) of one document."""
    texts, done = {}, set()
    for page, text in conn.execute("SELECT page, text FROM ocr_pages WHERE document_id = ? "
                                   "AND state = 'done'", [doc_id]):
        done.add(page)
        if text:
            texts[page] = text
    return texts, done


def stored_chunks(conn: sqlite3.Connection, doc_id: int) -> list[tuple]:
    """(seq, page, heading, text) of the document's stored chunks, in order."""
    return conn.execute("SELECT seq, page, heading, text FROM chunks WHERE document_id = ? "
                        "ORDER BY seq", [doc_id]).fetchall()


def after_merge(conn: sqlite3.Connection, doc_id: int, chars: int, ocr_on: bool) -> None:
    """The document's facts once its chunks hold the OCR text: size, status, version, reason."""
    row = conn.execute("SELECT status FROM documents WHERE id = ?", [doc_id]).fetchone()
    status = row[0] if row else EMPTY
    if status in (OK, EMPTY):
        status = OK if chars else EMPTY
    conn.execute("UPDATE documents SET chars = ?, status = ?, "
                 "text_version = text_version + 1 WHERE id = ?", [chars, status, doc_id])
    update_reason(conn, doc_id, ocr_on)


@frozen
class DocumentStatus:
    """A document's stored path and how reading it went, shown beside its scanned pages."""

    path: str  # stored form
    status: str
    reason: str


def document_status(conn: sqlite3.Connection, doc_id: int) -> DocumentStatus | None:
    row = conn.execute("SELECT path, status, reason FROM documents WHERE id = ?",
                       [doc_id]).fetchone()
    return DocumentStatus(*row) if row else None
