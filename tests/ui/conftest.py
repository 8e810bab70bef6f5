"""Fixtures for driving the real window offscreen: a shell, a window on a fresh workspace, and
folders of real files (docx, pdf, txt, and a damaged one)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import write_docx, write_pdf, write_text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def writes_only_through_the_one_writer(monkeypatch):
    """Issue 12, point 5, checked in every window test: nothing the window does writes on its own
    thread's connection, nor on a background job's; every write goes through `ctx.write` or a
    job's `io.write` (the one serial writer, its own thread and connection). An authorizer on the window thread's connection notes any INSERT,
    UPDATE or DELETE that the window's code (evidence_app/ui) started; a test's own setup (core
    calls made by the test itself) is allowed, and so are SQLite's own schema reads."""
    import sqlite3
    import traceback

    from evidence_app.ui import context, workers

    made: list[str] = []
    writes = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
    original = context.UiContext.__init__

    def guarded(self, ws, *args, **kwargs):  # noqa: ANN001, ANN202
        original(self, ws, *args, **kwargs)
        if ws.readonly:
            return

        def authorize(action, table, _b, dbname, _src):  # noqa: ANN001, ANN202
            if action in writes and dbname == "main" and table != "sqlite_master":
                for frame in reversed(traceback.extract_stack()[:-1]):
                    path = frame.filename.replace("\\", "/")
                    if "/evidence_app/core/" in path:
                        continue  # inside the core: who called it decides
                    if path.endswith("/evidence_app/ui/launch.py") and \
                            frame.name == "_on_window_closed":
                        break  # the window has closed and its writer has stopped: closing the
                        # workspace notes its backup with nothing else left to write
                    if "/evidence_app/ui/" in path:
                        made.append(f"{table}: {frame.filename}:{frame.lineno} {frame.name}")
                    break
            return sqlite3.SQLITE_OK

        ws.conn.set_authorizer(authorize)

    def worker_authorize(action, table, _b, dbname, _src):  # noqa: ANN001, ANN202
        if action in writes and dbname == "main" and table != "sqlite_master":
            frames = [f for f in traceback.extract_stack()[:-1]
                      if "/evidence_app/" in f.filename.replace("\\", "/")]
            if any(f.filename.replace("\\", "/").endswith("/evidence_app/core/workspace.py")
                   and f.name == "close" for f in frames):
                # a job that ended after the window closed was the last to close the
                # workspace: it settles the journal and notes the backup (Workspace.close does
                # that only for the last holder, so no writer is left to do it instead)
                return sqlite3.SQLITE_OK
            where = next((f for f in reversed(frames) if "/evidence_app/core/" not in
                          f.filename.replace("\\", "/")), frames[-1] if frames else None)
            made.append(f"{table} (on a background job's connection): "
                        f"{where.filename}:{where.lineno} {where.name}" if where else table)
        return sqlite3.SQLITE_OK

    task_ws = workers.TaskIO.ws

    def guarded_task_ws(io):  # noqa: ANN001, ANN202 - a background job reads on its own
        fresh = io._ws is None  # connection and writes through io.write (the one writer)
        ws = task_ws.fget(io)
        if fresh and not ws.readonly:
            ws.conn.set_authorizer(worker_authorize)
        return ws

    monkeypatch.setattr(context.UiContext, "__init__", guarded)
    monkeypatch.setattr(workers.TaskIO, "ws", property(guarded_task_ws))
    yield
    assert not made, "the window wrote on its own thread, not through ctx.write:\n" + \
        "\n".join(sorted(set(made)))


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
