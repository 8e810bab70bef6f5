"""The files `evidence-app --self-test` indexes: one small fictional document per readable format.

Each is written by the sample writers (`samples/writers`), so the self-test needs nothing shipped
beside the program and proves the readers work in the installed build. Every file holds the same
passage about a fictional child (to tag and pseudonymise) and a marker word naming its format
(so a search proves that this very file was indexed).
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Callable

from evidence_app.samples.text import FICTIONAL_LINE, Doc
from evidence_app.samples.writers import WRITERS
from evidence_app.samples.writers.msg import write_msg
from evidence_app.samples.writers.ods import write_ods
from evidence_app.samples.writers.ppt import write_ppt

CASE_REF = "CH-900001"
CHILD_NAME = "Poppy Brackenby"
CHILD_ALIAS = "Child A"
REDACT_TERM = "Wyvern Lane"
QUOTE = f"{CHILD_NAME} was seen alone and said she feels safe with her nan."
CONTEXT = f"The visit was at the family home on {REDACT_TERM}."

# Formats the readers recognise that hold no text to index (images are listed as empty, for OCR
# later), so the self-test has no sample of them.
NO_TEXT_FORMATS = frozenset({"image"})
SCANNED_FORMATS = frozenset({"scan", "jpg", "tif"})  # the generator's pictures of pages


def writers() -> dict[str, Callable[[Doc], bytes]]:
    """Every format the self-test writes, with its writer (the generator's, plus .ods, .msg and
    .ppt, which the generator does not mix into its corpora)."""
    # the scanned-looking formats have no text layer: the OCR step reads a scan of its own
    out: dict[str, Callable[[Doc], bytes]] = {f: w for f, w in WRITERS.items()
                                              if f not in SCANNED_FORMATS}
    out.setdefault("ods", write_ods)
    out.setdefault("msg", write_msg)
    out.setdefault("ppt", write_ppt)
    return dict(sorted(out.items()))


def marker(fmt: str) -> str:
    """A word found only in the sample of `fmt` (letters only, so the tokenizer keeps it whole)."""
    return f"selftest{fmt}"


def sample_doc(fmt: str) -> Doc:
    title = f"Self-test {fmt.upper()} home visit {CASE_REF}"
    page = [("h1", title), ("p", FICTIONAL_LINE), ("p", CONTEXT), ("p", QUOTE),
            ("p", f"Marker word {marker(fmt)}.")]
    return Doc(title=title, fmt=fmt, kind="self_test", date=_dt.date(2026, 3, 4),
               author="Self-test", case_ref=CASE_REF, pages=[page],
               email={"subject": title, "from": "Self-test <selftest@example.gov.uk>"})


def write_samples(folder: Path) -> dict[str, Path]:
    """Write one sample per format into `folder`; returns format -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt, write in writers().items():
        path = folder / f"Home visit {CASE_REF}.{fmt}"
        path.write_bytes(write(sample_doc(fmt)))
        paths[fmt] = path
    return paths
