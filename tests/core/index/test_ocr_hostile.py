"""Hostile input to OCR never raises, never hangs and never decodes a picture too large to hold:
property tests over broken pictures and text layers, and a declared 100,000 x 100,000 PNG."""
from __future__ import annotations

import struct
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence_app.core.index.extract_worker import Task
from evidence_app.core.index.extractors import STATUSES, extract_bytes
from evidence_app.core.index.extractors.base import Limits
from evidence_app.core.index.ocr.pages import needs_ocr
from evidence_app.core.index.ocr.worker import ocr_in_worker

MAGIC = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"%PDF-1.4\n"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_deciding_whether_a_text_layer_is_usable_never_raises(text):
    assert needs_ocr(text) in (True, False)
    assert needs_ocr(None) is True


def _needs_ocr_by_hand(text):
    """The per-character definition needs_ocr had before it was made fast (the reference)."""
    visible = "".join((text or "").split())
    if len(visible) < 12:
        return True
    wordlike = sum(ch.isalnum() for ch in visible)
    odd = sum(ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF for ch in visible)
    return wordlike / len(visible) < 0.55 or odd / len(visible) > 0.1


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from(
    "aZ9_ \n\t!#\ufffd\ue000\uf8ff\u00e9\u0660\u00b2\u2167\u4e00\u00a0\u2028-"), min_size=10)))
def test_the_fast_text_layer_test_decides_as_the_per_character_one(text):
    """Any page that was (or was not) sent to OCR still is: letters and digits of any script,
    underscores, private-use glyphs and odd spaces are counted as before."""
    assert needs_ocr(text) is _needs_ocr_by_hand(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(MAGIC), st.binary(max_size=3000), st.integers(1, 3))
def test_a_broken_picture_or_page_gives_a_status_never_an_exception(tmp_path, magic, body, page):
    path = tmp_path / "hostile.bin"
    path.write_bytes(magic + body)
    outcome = ocr_in_worker(Task(str(path), None, ocr_page=page), Limits())
    assert outcome.ocr_page == page
    assert outcome.result is not None and outcome.result.status in STATUSES
    if outcome.result.status != "ok":
        assert outcome.result.reason and "Traceback" not in outcome.result.reason
    fast = extract_bytes(magic + body, "hostile.jpg" if magic != b"%PDF-1.4\n" else "h.pdf")
    assert fast.status in STATUSES  # the fast pass, which marks pages for OCR, never raises


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_huge_declared_picture_is_refused_unread(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(100_000, 100_000))
    fast = extract_bytes(path.read_bytes(), "bomb.png")
    assert fast.metadata.get("scan_pages") == [1]
    outcome = ocr_in_worker(Task(str(path), None, ocr_page=1), Limits())
    assert outcome.result.status == "too_large"
    assert "too large to read (100,000 x 100,000 pixels)" in outcome.result.reason
