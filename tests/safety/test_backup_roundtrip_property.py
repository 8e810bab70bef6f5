"""A backup and its restore give back every document record, whatever the files are called.

A slim backup (core/safety/backup_slim.py) leaves out a document's path and name when they
follow from its source folder and relative path, and derives them back on restore; an
attachment keeps its own name. If the two halves ever disagreed (a name with an apostrophe, a
percent sign, a backslash, an accent, a space at the end...), a document would come back under
another path: its evidence would point at a file the indexer never finds again. So: any names,
real files, a real index, a real backup and restore, and the records compared field by field.
"""
from __future__ import annotations

from email.message import EmailMessage

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evidence_app.core.evidence import evidence
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.index.sources import add_source
from evidence_app.core.safety import backup
from evidence_app.core.workspace import Workspace
from tests.factories import write_text

_awkward = st.sampled_from(["'", "%", "_", "\\", " ", "é", "ß", "–", "“", "漢", "#", ";", "&"])
_plain = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\x00")
# (hidden files and Office's "~$" lock files are never indexed: not names a person gives)
NAMES = st.lists(st.one_of(_awkward, _plain), min_size=1, max_size=16).map("".join).filter(
    lambda s: not s.startswith((".", "~")) and s.strip())
FOLDERS = st.sampled_from(["CH-000101", "CH-000102/Visits", "Policies", "CH-000103/a'b/c%d"])

COLUMNS = ("uuid", "path", "name", "member", "rel_path", "source_id", "case_ref",
           "case_ref_manual", "format", "parent_id")


def _records(ws: Workspace) -> dict[str, tuple]:
    sql = f"SELECT {', '.join(COLUMNS)} FROM documents"
    return {r[0]: r for r in ws.db.conn.execute(sql)}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(FOLDERS, NAMES), min_size=1, max_size=5, unique=True),
       attachment=NAMES, tag_first=st.booleans())
@example(files=[("CH-000101", " leading space"), ("CH-000103/a'b/c%d", "50% o'clock \\ é ")],
         attachment=" ß 漢 ", tag_first=False)
def test_restore_gives_back_every_document_record_whatever_its_name(
        tmp_path_factory, files, attachment, tag_first):
    base = tmp_path_factory.mktemp("roundtrip")
    src = base / "Case files – Team 'A' ü"
    for folder, name in files:
        write_text(src / folder / f"{name}.txt", f"Visit note about {name}: the child is safe.")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@example.org", "b@example.org", "Notes"
    mail.set_content("Notes attached.")
    mail.add_attachment(b"Attached note: the okapi plan.", maintype="text", subtype="plain",
                        filename=f"{attachment}.txt")
    (src / "CH-000104").mkdir(parents=True)
    (src / "CH-000104" / f"{attachment}.eml").write_bytes(bytes(mail))
    ws = Workspace.create(base / "ws", "Round trip")
    try:
        add_source(ws, src, "case-files")
        index_workspace(ws, jobs=1)
        before = _records(ws)
        assert len(before) >= len(files) + 1  # every file was indexed (and the mail)
        if tag_first:  # a tagged document is kept whole, with its text
            first = min(r[0] for r in ws.db.conn.execute("SELECT id FROM documents"))
            evidence.tag(ws, first, enquiries=["LEAD-01"])
        made = backup.backup_now(ws, "manual")
        backup.restore(ws, made.path.name)
        after = _records(ws)
        assert set(after) == set(before)
        for uuid, row in before.items():
            assert after[uuid] == row, dict(zip(COLUMNS, row))
    finally:
        ws.close()
