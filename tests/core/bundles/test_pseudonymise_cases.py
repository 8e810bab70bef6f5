"""Cases keep other names, relatives and a date of birth; they reach the redaction rules, stay out
of the audit log, and come in from a case list; folder names offer the child's name."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from evidence_app.core.store.records import as_json
from evidence_app.core.evidence import case_import, cases
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.pseudonymise import redaction_rules, suggest_name


def test_other_names_relatives_and_dob_are_kept_and_edited(ws):
    cases.add_case(ws, "CH-610001", name="Tadhg O'Sullivan-Reyes", other_names=["Taggy"],
                   relatives=["Marco Reyes=father", "Aoife O'Sullivan=Mother"], dob="04/07/2016")
    c = cases.get_case(ws, "CH-610001", include_name=True)
    assert c.other_names == ("Taggy",) and c.dob == "2016-07-04"
    assert c.relatives == ({"name": "Marco Reyes", "role": "father"},
                           {"name": "Aoife O'Sullivan", "role": "mother"})
    assert "other_names" not in as_json(cases.get_case(ws, "CH-610001"))  # names only when asked
    assert cases.get_case(ws, "CH-610001").other_names == ()
    c = cases.update_case(ws, "CH-610001", add_other_names=["Tadhg Reyes"],
                          remove_relatives=["Marco Reyes"],
                          add_relatives=["Nora Reyes=grandmother"]).value
    assert c.other_names == ("Taggy", "Tadhg Reyes")
    assert [r["role"] for r in c.relatives] == ["mother", "grandmother"]
    person = redaction_rules(ws).people[0]
    assert person.ref == "CH-610001" and person.dobs == (dt.date(2016, 7, 4),)
    assert ("Nora Reyes", "grandmother") in person.relatives
    log = json.dumps([dict(r) for r in ws.db.query("SELECT * FROM audit_log")], default=str)
    for secret in ("Taggy", "Marco", "Aoife", "Nora", "2016-07-04"):
        assert secret not in log


@pytest.mark.parametrize("bad", [{"relatives": ["=mother"]}, {"dob": "not a date"},
                                 {"relatives": ["Ann Lee=<script>"]}])
def test_bad_case_details_are_refused_with_a_clear_message(ws, bad):
    with pytest.raises(InvalidInput):
        cases.add_case(ws, "CH-610002", name="Ann Lee", **bad)
    with pytest.raises(Exception):
        cases.get_case(ws, "CH-610002")


def test_case_list_brings_known_as_names_and_birth_dates(ws, tmp_path):
    path = tmp_path / "annex.csv"
    path.write_text("Child ID,Name,Known as,DOB\nCH-620001,Siobhán Ní Dhuibhir,Shiv,12/03/2015\n"
                    "CH-620002,Li Wu,,31/02/2015\n", encoding="utf-8")
    report = case_import.import_cases(ws, path, {}).value
    assert report.added == ["CH-620001"]
    assert report.rejected and report.rejected[0].row == 3      # 31 February
    c = cases.get_case(ws, "CH-620001", include_name=True)
    assert c.other_names == ("Shiv",) and c.dob == "2015-03-12"


@pytest.mark.parametrize("paths,expected", [
    (["/srv/Cases/CH-123456 Kayden O'Rourke/visit.docx"], "Kayden O'Rourke"),
    (["Cases/CH-123456 - Ní Bhriain, Zoë/plan.pdf"], "Zoë Ní Bhriain"),
    (["Cases/CH-123456_Amelia_Wu/plan.pdf"], "Amelia Wu"),
    (["Cases/CH-123456/plan.pdf"], ""),
    (["Cases/Other 999/plan.pdf"], ""),
])
def test_folder_names_offer_the_childs_name(paths, expected):
    assert suggest_name("CH-123456", paths) == expected
