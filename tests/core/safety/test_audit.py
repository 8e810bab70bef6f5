"""The audit log is append-only in SQLite itself, and its hash chain detects tampering."""
import sqlite3

import pytest

from evidence_app.core.safety import audit
from evidence_app.core.evidence import cases, framework


def test_every_kind_of_change_is_recorded(ws):
    framework.rename(ws, "HP-15", title="Voice")
    cases.add_case(ws, "CH-1")
    types = {(e["entity_type"], e["action"]) for e in audit.entries(ws)}
    assert {("framework", "seed"), ("enquiry", "rename"), ("case", "add")} <= types
    e = audit.entries(ws, "enquiry")[0]
    assert e["before"] == {"title": "Child's voice, direct work and case oversight"}
    assert e["after"] == {"title": "Voice"} and e["who"] and e["at"] and e["entity_uuid"]


def test_update_and_delete_are_refused_by_the_database(ws):
    cases.add_case(ws, "CH-1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute("UPDATE audit_log SET who = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute("DELETE FROM audit_log")


def test_hash_chain_verifies_and_detects_tampering(ws):
    for i in range(5):
        cases.add_case(ws, f"CH-{i}")
    result = audit.verify(ws)
    assert result.ok and result.checked == 5
    conn = ws.db.conn
    conn.execute("DROP TRIGGER audit_log_no_update")  # what a determined tamperer would do
    conn.execute("UPDATE audit_log SET who = 'forged' WHERE id = 3")
    result = audit.verify(ws)
    assert not result.ok and result.bad_id == 3 and "altered" in result.line()


def test_deleted_entry_breaks_the_chain(ws):
    for i in range(3):
        cases.add_case(ws, f"CH-{i}")
    ws.db.conn.execute("DROP TRIGGER audit_log_no_delete")
    ws.db.conn.execute("DELETE FROM audit_log WHERE id = 2")
    result = audit.verify(ws)
    assert not result.ok and result.bad_id == 3
