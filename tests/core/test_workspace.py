import sqlite3

import pytest

from evidence_app.core.base.errors import WorkspaceError
from evidence_app.core.workspace import Workspace


def test_new_workspace_has_wal_foreign_keys_and_named_migrations(tmp_path):
    ws = Workspace.create(tmp_path / "w", "Northshire Children's Services")
    assert (tmp_path / "w" / "evidence.db").exists()
    assert (tmp_path / "w" / "backups").is_dir() and (tmp_path / "w" / "exports").is_dir()
    assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = [r[0] for r in ws.db.execute("SELECT name FROM _sqlite_migrations")]
    assert "m001_engine" in names
    assert len(ws.get_meta("uuid")) == 36
    ws.close()
    again = Workspace.open(tmp_path / "w")
    assert again.name == "Northshire Children's Services"


def test_opening_a_folder_without_a_workspace_says_how_to_create_one(tmp_path):
    with pytest.raises(WorkspaceError, match="init"):
        Workspace.open(tmp_path / "nothing-here")


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    ws = Workspace.create(tmp_path / "w")
    ws.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                  "VALUES ('evidence_app', 'm999_from_the_future', '2030-01-01')")
    ws.close()
    with pytest.raises(WorkspaceError, match="newer version"):
        Workspace.open(tmp_path / "w")


def test_a_file_that_is_not_a_database_gives_a_readable_error(tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "evidence.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(WorkspaceError, match="cannot be read"):
        Workspace.open(tmp_path / "w")


def test_every_record_that_may_travel_has_a_uuid(ws, cases_dir):
    from evidence_app.core.index.sources import add_source

    s = add_source(ws, cases_dir, "case-files").value
    assert len(s.uuid) == 36
    cols = {r[1] for r in ws.db.execute("PRAGMA table_info(documents)")}
    assert "uuid" in cols
    assert isinstance(ws.db.conn, sqlite3.Connection)


def test_no_sqlite_utils_plugin_runs_on_the_childrens_database(tmp_path):
    """A sqlite-utils plugin installed beside the app (any package can register one) must not
    see or change the workspace's connection: the store opens databases without plugins."""
    import sqlite_utils
    from sqlite_utils.plugins import pm

    seen = []

    class Plugin:
        @sqlite_utils.hookimpl
        def prepare_connection(self, conn):  # noqa: ANN001
            seen.append(conn)
            conn.create_function("leak", 1, lambda v: v)

    plugin = Plugin()
    pm.register(plugin, name="test-leaky-plugin")
    try:
        ws = Workspace.create(tmp_path / "w", "Northshire")
        ws.close()
        again = Workspace.open(tmp_path / "w")
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            again.db.execute("SELECT leak(1)").fetchone()
        again.close()
        sqlite_utils.Database(memory=True)  # the plugin is live: an ordinary Database runs it
        assert len(seen) == 1
    finally:
        pm.unregister(plugin)
