"""The demo starts full: its fictional children's cases are registered (names to pseudonymise,
workers, teams, legal status), about half sampled, with readiness checklists under way."""
from __future__ import annotations


def test_demo_registers_sampled_cases_with_readiness_under_way(tmp_path, qtbot):
    from evidence_app.core.evidence import cases
    from evidence_app.samples.demo import prepare_demo
    from evidence_app.ui.context import UiContext
    from evidence_app.ui.views.cases_view import CasesView

    ws = prepare_demo(tmp_path / "demo", 40)
    folders = sorted(p.name for p in (tmp_path / "demo" / "files" / "case-files").iterdir()
                     if p.is_dir())
    registered = cases.list_cases(ws)
    assert sorted(c.ref for c in registered) == folders
    sampled = [c for c in registered if c.sampled]
    assert 0 < len(sampled) < len(registered)
    assert all(c.status in ("CIN", "CP", "CIC", "CL") and c.team and c.worker
               for c in registered)
    done = [sum(r.done for r in cases.readiness(ws, c.ref)) for c in sampled]
    assert any(0 < d < 6 for d in done)  # under way, not finished
    import getpass

    from evidence_app.core import settings as core_settings

    ticks = [r for c in sampled for r in cases.readiness(ws, c.ref) if r.done]
    assert {r.by for r in ticks} == {"Demo (fictional)"}  # never the login name
    assert getpass.getuser() != "Demo (fictional)"
    assert not core_settings.has_person(ws)  # the person is still asked who they are
    full = cases.get_case(ws, registered[0].ref, include_name=True)
    assert full.name and full.redact  # pseudonymisation knows the family's names
    view = CasesView(UiContext(ws))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show()
    assert view.count.text() == f"{len(registered)} cases"
    ws.close()
