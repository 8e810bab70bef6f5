"""Where exports are saved, and what happens when the file is already there.

Exports default to `Documents/Evidence Organiser/` (never the hidden workspace folder), and the
last folder a person chose is remembered. An existing file gets three plain choices: Replace,
Keep both (the new file is saved beside it as "Name (2).docx") or Cancel. A finished export says
in plain words that a fingerprint was kept, with the SHA-256 itself only on request.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from evidence_app.ui import app_settings

FOLDER_KEY = "export/folder"
APP_FOLDER = "Evidence Organiser"

REPLACE, KEEP_BOTH, CANCEL = "replace", "keep-both", "cancel"

FINGERPRINT_WORDS = ("A fingerprint of the file was kept, so anyone can check later that it "
                     "has not been changed since it was exported.")


def documents_folder() -> Path:
    """The user's Documents folder (in tests: inside EVIDENCE_APP_HOME, never the real one)."""
    if os.environ.get("EVIDENCE_APP_HOME"):
        return Path(os.environ["EVIDENCE_APP_HOME"]) / "Documents"
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home() / "Documents"


def default_folder() -> Path:
    """The folder last chosen for an export, else Documents/Evidence Organiser."""
    remembered = str(app_settings.settings().value(FOLDER_KEY, "") or "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return documents_folder() / APP_FOLDER


def remember_folder(path: Path) -> None:
    s = app_settings.settings()
    s.setValue(FOLDER_KEY, str(Path(path).parent if Path(path).suffix else path))
    s.sync()


def keep_both_name(path: Path) -> Path:
    """'Bundle.docx' -> 'Bundle (2).docx' (or the next number that is free)."""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def ask_existing(parent: QWidget | None, path: Path) -> str:
    """Replace / Keep both / Cancel for a file that is already there."""
    box = QMessageBox(QMessageBox.Icon.Question, "The file is already there",
                      f"“{path.name}” already exists in {path.parent}.", parent=parent)
    box.setInformativeText("Replace it with the new export, or keep both (the new one is saved "
                           f"as “{keep_both_name(path).name}”)?")
    box.setAccessibleName("The file is already there")
    replace = box.addButton("&Replace", QMessageBox.ButtonRole.DestructiveRole)
    replace.setAccessibleName("Replace the existing file")
    keep = box.addButton("&Keep both", QMessageBox.ButtonRole.AcceptRole)
    keep.setAccessibleName("Keep both files")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(keep)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return REPLACE if clicked is replace else KEEP_BOTH if clicked is keep else CANCEL


# Tests (and scripted runs) answer the question without a modal box: a callable(path) -> choice.
answer_existing = None


def resolve_target(parent: QWidget | None, path: Path) -> tuple[Path, bool] | None:
    """(where to write, replace?) or None when the person cancelled."""
    if not path.exists():
        return path, False
    choice = answer_existing(path) if answer_existing is not None else ask_existing(parent, path)
    if choice == REPLACE:
        return path, True
    if choice == KEEP_BOTH:
        return keep_both_name(path), False
    return None


def done_words(path: Path, sha256: str, what: str) -> tuple[str, str]:
    """(the plain message, the details shown on request)."""
    return (f"{what} saved as {path.name} in {path.parent}. {FINGERPRINT_WORDS}",
            f"SHA-256 fingerprint: {sha256}\nFile: {path}")
