"""Counts and statuses in plain words: "1 case", "150 files in 3 folders: 147 searchable, 2
damaged, 1 not supported — see Problems". Pure functions, so every place says it the same way."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a type only: these words are pure functions of the record
    from evidence_app.core.store.records import IndexOverview

# What each document status means to a person (the order they are listed in).
STATUS_WORDS = {"ok": "searchable", "empty": "no text", "encrypted": "password protected",
                "damaged": "damaged", "unsupported": "not supported", "too_large": "too large",
                "timeout": "took too long", "skipped": "skipped (not a regular file)",
                "missing": "missing", "pending": "waiting"}

DOCUMENTS_VS_FILES = ("A file is one file in a source folder. A document is anything searchable: "
                      "every file, plus each attachment inside an e-mail or archive, which is "
                      "searched on its own.")


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 case', '2 cases', '1,204 documents' ('many' for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def files_overview(ov: IndexOverview) -> str:
    """'150 files in 3 folders: 147 searchable, 2 damaged, 1 not supported — see Problems'."""
    files = dict(ov.files)
    total, folders = ov.present_files, ov.folders
    if not total and not files:
        return "No files yet: add a folder of case files or policies." if not folders else \
            f"No files found yet in {plural(folders, 'folder')}."
    parts = [f"{n:,} {STATUS_WORDS.get(s, s)}" for s in STATUS_WORDS
             if (n := files.get(s, 0)) and s != "missing"]
    parts += [f"{n:,} {s}" for s, n in files.items() if s not in STATUS_WORDS and n]
    text = f"{plural(total, 'file')} in {plural(folders, 'folder')}: " + ", ".join(parts)
    if ov.count("missing"):
        text += f"; {ov.count('missing'):,} no longer in their folder"
    if ov.attachments:
        text += f" (and {plural(ov.attachments, 'attachment')} inside them)"
    if any(n for s, n in files.items() if s != "ok"):
        text += " — see Problems"
    return text
