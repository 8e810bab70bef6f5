"""A case-list import is one undoable change: undo removes the cases it added and puts back the
fields it changed (every table as it was), redo makes it again; an undo that would lose work
done since on those cases is refused in one line, with nothing written."""
from __future__ import annotations

import pytest

from evidence_app.core import settings
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.evidence import case_import, cases
from evidence_app.core.store.row_changes import recorded_tables
from evidence_app.core.workspace import Workspace

CSV = ("Child ID,Allocated worker,Team,Category\n"
       "CH-000001,Beth Jones,North,CIN\n"       # changes the worker of a case already here
       "CH-000002,Sam Patel,South,CP\n"         # new
       "CH-000003,Ali Khan,South,child in care\n"  # new
       ",Nobody,North,CIN\n")                   # rejected: no reference


@pytest.fixture
def ws(tmp_path):
    w = Workspace.create(tmp_path / "ws", "Test Borough")
    settings.set_person(w, "Pat")
    cases.add_case(w, "CH-000001", worker="Ann Lee", team="North", status="CIN")
    cases.add_case(w, "CH-000009", worker="Ann Lee", team="North", status="EH")
    yield w
    w.close()


@pytest.fixture
def csv(tmp_path):
    f = tmp_path / "annex-a.csv"
    f.write_text(CSV, encoding="utf-8")
    return f


def tables(ws) -> dict:
    conn = ws.db.conn
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in recorded_tables(conn) if t != "meta"} | {"meta": sorted(
                r for r in conn.execute("SELECT * FROM meta") if not r[0].startswith("journal."))}


def refs(ws) -> list[str]:
    return [c.ref for c in cases.list_cases(ws)]


def test_undo_removes_added_cases_and_restores_changed_fields_then_redo(ws, csv):
    before = tables(ws)
    done = case_import.import_cases(ws, csv)
    assert done.value.added == ["CH-000002", "CH-000003"] and len(done.value.rejected) == 1
    assert "cases" in done.changes.areas and done.undo is not None
    after = tables(ws)
    assert cases.get_case(ws, "CH-000001").worker == "Beth Jones"
    back = done.undo(ws)
    assert tables(ws) == before
    assert refs(ws) == ["CH-000001", "CH-000009"]
    assert cases.get_case(ws, "CH-000001").worker == "Ann Lee"
    again = back.undo(ws)
    assert tables(ws) == after and back.value is None and again.value is done.value
    assert refs(ws) == ["CH-000001", "CH-000002", "CH-000003", "CH-000009"]


def test_undo_keeps_later_work_on_other_cases(ws, csv):
    done = case_import.import_cases(ws, csv)
    cases.update_case(ws, "CH-000009", worker="Later Worker")
    cases.add_case(ws, "CH-000077", worker="Someone")
    done.undo(ws)
    assert refs(ws) == ["CH-000001", "CH-000009", "CH-000077"]
    assert cases.get_case(ws, "CH-000009").worker == "Later Worker"


def test_undo_refused_when_an_imported_case_was_changed_since(ws, csv):
    done = case_import.import_cases(ws, csv)
    cases.update_case(ws, "CH-000002", team="West")
    now = tables(ws)
    with pytest.raises(InvalidInput) as err:
        done.undo(ws)
    assert "\n" not in str(err.value) and "annex-a.csv cannot be undone" in str(err.value)
    assert tables(ws) == now


def test_undo_refused_when_later_work_hangs_on_an_added_case(ws, csv):
    done = case_import.import_cases(ws, csv)
    cases.check(ws, "CH-000003", "chronology")
    now = tables(ws)
    with pytest.raises(InvalidInput, match="depend on what it changed"):
        done.undo(ws)
    assert tables(ws) == now


def test_a_dry_run_has_nothing_to_undo(ws, csv):
    before = tables(ws)
    done = case_import.import_cases(ws, csv, dry_run=True)
    assert done.undo is None and not done.changes and tables(ws) == before
