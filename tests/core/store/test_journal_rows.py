"""The journal's document references (core/store/journal.py), written into a journal line on
every tag: built by hand for speed, they must stay exactly the dataclass's fields, in order."""
from __future__ import annotations

import dataclasses
import json

from evidence_app.core.store.journal import DocumentRef, document_ref


def test_a_document_reference_is_its_fields_in_order(tmp_path):  # noqa: ANN001
    import sqlite3

    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uuid TEXT, path TEXT, "
                 "member TEXT, rel_path TEXT, name TEXT)")
    conn.execute("INSERT INTO documents VALUES (7, 'u-1', '/share/CH-1/visit.docx', "
                 "'minutes.pdf', 'CH-1/visit.docx', 'visit.docx')")
    ref = document_ref(conn, 7)
    assert isinstance(ref, DocumentRef)
    assert json.dumps(ref.as_json()) == json.dumps(dataclasses.asdict(ref))
    assert list(ref.as_json()) == [f.name for f in dataclasses.fields(DocumentRef)]
    assert document_ref(conn, 8) is None
