"""First run: the start screen, creating a workspace, reopening the last one, the demo."""
from __future__ import annotations

from evidence_app.ui.views.start_view import StartView


def test_start_screen_when_no_workspace_then_create(shell, tmp_path, qtbot):
    first = shell.start(None)
    assert isinstance(first, StartView)
    qtbot.waitExposed(first)
    names = {b.accessibleName() for b in (first.create_button, first.open_button,
                                          first.demo_button)}
    assert names == {"Create workspace", "Open workspace", "Open the demo workspace"}
    assert shell.create_workspace(tmp_path / "new-ws", "Shire Children's Services")
    window = shell.window
    qtbot.waitExposed(window)
    assert "Shire Children's Services" in window.windowTitle()
    assert (tmp_path / "new-ws" / "evidence.db").exists()
    assert shell.start_view is None  # the start screen closed


def test_reopens_last_workspace_on_restart(tmp_path, qtbot):
    from evidence_app.ui.launch import Shell, create_application

    create_application()
    one = Shell(index_jobs=1)
    assert one.create_workspace(tmp_path / "kept", "Kept")
    qtbot.waitExposed(one.window)
    one.window.close()
    one.shutdown()

    two = Shell(index_jobs=1)
    try:
        shown = two.start(None)
        assert shown is two.window
        assert two.window.ctx.root == (tmp_path / "kept").resolve()
    finally:
        two.shutdown()
        two.window.close()


def test_a_missing_last_workspace_falls_back_to_the_start_screen(tmp_path, shell):
    from evidence_app.ui import app_settings

    app_settings.remember_workspace(tmp_path / "gone")
    assert isinstance(shell.start(None), StartView)


def test_demo_workspace_opens_and_indexes_in_the_background(shell, qtbot):
    shell.start(None)
    shell.open_demo(n_documents=12)
    qtbot.waitUntil(lambda: shell.window is not None, timeout=60000)
    window = shell.window
    assert window.ctx.ws.get_meta("demo") == "1"
    qtbot.waitUntil(lambda: (window.search_view.document_count or 0) > 0, timeout=90000)
    qtbot.keyClicks(window.search_view.query_box, "FICTIONAL")
    qtbot.waitUntil(lambda: window.search_view.model.rowCount() > 0, timeout=30000)


def test_build_demo_in_the_core_makes_an_indexed_workspace(tmp_path):
    from evidence_app.samples.demo import build_demo
    from evidence_app.core.search.search import search
    from evidence_app.core.index.sources import list_sources

    seen = []
    ws = build_demo(tmp_path / "demo", n_documents=10, on_progress=seen.append)
    try:
        kinds = {s.kind for s in list_sources(ws)}
        assert "case-files" in kinds
        assert search(ws, "fictional").total > 0
        assert seen and seen[-1].done == seen[-1].total
        from evidence_app.core.evidence import evidence

        items = evidence.list_items(ws)
        assert items and all(i.quote for i in items)  # passages, pre-tagged
    finally:
        ws.close()
