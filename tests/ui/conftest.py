"""Fixtures for driving the real window offscreen: a shell, a window on a fresh workspace, and
folders of real files (docx, pdf, txt, and a damaged one)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import write_docx, write_pdf, write_text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def shell(qtbot):
    from evidence_app.ui.launch import create_application, Shell

    create_application()
    s = Shell(index_jobs=1, watch=True)
    s.ask_identity = False  # tests/ui/test_identity.py covers the first-run question
    yield s
    s.shutdown()
    for w in (s.window, s.start_view):
        if w is not None:
            w.close()


@pytest.fixture
def window(shell, tmp_path, qtbot):
    assert shell.create_workspace(tmp_path / "ws", "Test Borough Children's Services")
    w = shell.window
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.indexing.running and not w.indexing.busy, timeout=20000)
    return w


def make_corpus(folder: Path) -> dict[str, Path]:
    """A small case-files folder: Word, a two-page PDF, text, and a damaged .docx."""
    files = {
        "docx": write_docx(folder / "CH-004512" / "Strategy meeting 12-03-2026.docx", [
            "Strategy meeting held on 12/03/2026 with police and health.",
            "All agreed that a section 47 enquiry was needed and the child was seen alone.",
        ], title="Strategy meeting record"),
        "pdf": write_pdf(folder / "CH-004512" / "Conference minutes.pdf", [
            "Child protection conference\nThe family attended with an advocate.",
            "Page two\nThe strategy discussion was reviewed and the plan agreed.",
        ], title="CP conference minutes"),
        "txt": write_text(folder / "CH-007788" / "Home visit.txt",
                          "Home visit. The social worker saw the child alone in their bedroom.\n"
                          "The strategy for the next visit was agreed with the parent.\n"),
        "damaged": write_text(folder / "CH-007788" / "Broken report.docx",
                              "this is not really a Word file"),
    }
    return files


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "sources" / "case-files"
    files = make_corpus(folder)
    return folder, files


def wait_indexed(qtbot, window, timeout: int = 60000) -> None:
    """Until a pass has run and the indexer is idle again."""
    qtbot.waitUntil(lambda: not window.indexing.busy and not window.indexing._commands,
                    timeout=timeout)


@pytest.fixture
def indexed(window, corpus, qtbot):
    folder, files = corpus
    with qtbot.waitSignal(window.indexing.finished, timeout=60000):
        assert window.add_source_folder(folder, "case-files") is None
    wait_indexed(qtbot, window)
    return window, folder, files
