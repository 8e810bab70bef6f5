"""Encryption at rest: the store, its search index, the journal and every backup are unreadable
without the passphrase; the wrong one is refused; it can be changed; a keystore may keep it."""
from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from evidence_app.core.safety import backup, crypto, integrity
from evidence_app.core.evidence import cases, evidence
from evidence_app.core.index.indexer import index_workspace
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source
from evidence_app.core.workspace import Workspace
from tests.factories import write_text

PASS = "correct horse battery staple"
SECRET_NAME = "Zebediah Quillfeather"
SECRET_TEXT = "xylophonic-marmalade-visit"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


def _all_bytes(root: Path) -> bytes:
    out = b""
    for p in root.rglob("*"):
        if p.is_file():
            out += p.read_bytes()
    return out


def test_nothing_readable_without_the_passphrase(tmp_path, monkeypatch):
    monkeypatch.delenv(crypto.ENV, raising=False)
    src = tmp_path / "src"
    write_text(src / "CH-000001" / "visit.txt", f"Visit. {SECRET_TEXT} said the child.")
    root = tmp_path / "ws"
    ws = Workspace.create(root, "Enc", passphrase=PASS)
    add_source(ws, src, "case-files")
    index_workspace(ws, jobs=1)
    assert search(ws, SECRET_TEXT).hits  # the index works inside the encrypted store
    cases.add_case(ws, "CH-000001", name=SECRET_NAME)
    doc = ws.db.conn.execute("SELECT id FROM documents").fetchone()[0]
    evidence.tag(ws, doc, enquiries=["LEAD-01"], quote=SECRET_TEXT, note=f"{SECRET_NAME} note").value
    b = backup.backup_now(ws)
    assert integrity.check(ws).ok
    raw_wal = Path(str(ws.db_path) + "-wal")
    assert raw_wal.exists()
    everything = _all_bytes(root)  # database, WAL, backups, journal, marker, lock
    ws.close()
    everything += _all_bytes(root)
    for needle in (SECRET_NAME, SECRET_TEXT, "Zebediah", "SQLite format 3"):
        assert needle.encode() not in everything, needle
    assert not crypto.looks_plain_sqlite(b.path)
    # wrong passphrase, no passphrase: clear refusals
    with pytest.raises(crypto.PassphraseError, match="does not open"):
        Workspace.open(root, passphrase="not the passphrase")
    with pytest.raises(crypto.PassphraseError, match="encrypted"):
        Workspace.open(root)
    ws = Workspace.open(root, passphrase=PASS)
    assert cases.get_case(ws, "CH-000001", include_name=True).name == SECRET_NAME
    assert backup.verify_backup(b.path, PASS) and not backup.verify_backup(b.path, "wrong one!")
    ws.close()


def test_recovery_of_an_encrypted_workspace_reads_its_encrypted_journal(tmp_path):
    root = tmp_path / "ws"
    ws = Workspace.create(root, passphrase=PASS)
    cases.add_case(ws, "CH-000001", name=SECRET_NAME)
    backup.backup_now(ws)
    cases.add_case(ws, "CH-000002", name="Second Child")
    ws.close()
    db = root / "evidence.db"
    data = bytearray(db.read_bytes())
    data[5000:9000] = os.urandom(4000)
    db.write_bytes(bytes(data))
    for s in ("-wal", "-shm"):
        Path(str(db) + s).unlink(missing_ok=True)
    ws = Workspace.open(root, passphrase=PASS)
    assert ws.recovery_report and ws.recovery_report.replayed == 1
    assert [c.ref for c in cases.list_cases(ws)] == ["CH-000001", "CH-000002"]
    ws.close()


def test_change_passphrase_rekeys_database_and_backups(tmp_path, memory_keyring):
    root = tmp_path / "ws"
    ws = Workspace.create(root, passphrase=PASS, remember=True)
    cases.add_case(ws, "CH-000001")
    b = backup.backup_now(ws)
    report = crypto.change_passphrase(ws, "a brand new passphrase")
    assert report == {"backups": 1, "failed": 0}
    ws.close()
    with pytest.raises(crypto.PassphraseError):
        Workspace.open(root, passphrase=PASS)
    assert backup.verify_backup(b.path, "a brand new passphrase")
    # remembered in the keystore (and updated there), never in a file
    ws = Workspace.open(root)
    assert [c.ref for c in cases.list_cases(ws)] == ["CH-000001"]
    ws.close()
    assert b"a brand new passphrase" not in _all_bytes(root)
    assert list(memory_keyring.store.values()) == ["a brand new passphrase"]


def test_cli_init_encrypt_wrong_passphrase_and_change(cli, monkeypatch):
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    cli("init", "--encrypt")
    cli("case", "add", "CH-000009", "--name", SECRET_NAME)
    assert (cli.workspace / "encryption.json").exists()
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", "wrong wrong wrong")
    r = cli("case", "list", check=False)
    assert r.returncode == 1 and "passphrase does not open" in r.stderr
    assert "Traceback" not in r.stderr
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    monkeypatch.setenv("EVIDENCE_NEW_PASSPHRASE", "another good passphrase")
    cli("passphrase", "change")
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", "another good passphrase")
    assert cli.json("case", "list")[0]["ref"] == "CH-000009"
    assert "All checks passed." in cli("check").stdout


# -- encryption that cannot silently vanish (issue 11, point 1) ------------------------------------
def _encrypted_cli_workspace(cli, monkeypatch) -> bytes:
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    cli("init", "--encrypt")
    cli("case", "add", "CH-000009", "--name", SECRET_NAME)
    cli("backup")
    return (cli.workspace / "evidence.db").read_bytes()


def _refused(r) -> str:
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize("damage", ["deleted", "empty list", "garbage", "wrong shape"])
def test_a_missing_or_malformed_key_file_is_refused_never_taken_for_damage(cli, monkeypatch,
                                                                             damage):
    db_before = _encrypted_cli_workspace(cli, monkeypatch)
    marker = cli.workspace / "encryption.json"
    good = marker.read_bytes()
    if damage == "deleted":
        marker.unlink()
    elif damage == "empty list":
        marker.write_text("[]")
    elif damage == "garbage":
        marker.write_bytes(b"\x00\xff not json at all")
    else:
        marker.write_text('{"encrypted": true, "journal_key": 5}')
    for command in (("case", "list"), ("status",), ("check",), ("backup",)):
        line = _refused(cli(*command, check=False))
        assert "encryption.json" in line and "Nothing was changed" in line, line
        assert "backups/encryption.json" in line or "backups" in line
    # nothing moved aside, nothing replaced, no plaintext workspace started
    assert (cli.workspace / "evidence.db").read_bytes() == db_before
    assert not (cli.workspace / "damaged").exists()
    assert not crypto.looks_plain_sqlite(cli.workspace / "evidence.db")
    # put the key file back from the copy the app keeps: everything is there
    (cli.workspace / "backups" / "encryption.json").replace(marker) if damage == "deleted" \
        else marker.write_bytes(good)
    if not (cli.workspace / "backups" / "encryption.json").exists():
        (cli.workspace / "backups" / "encryption.json").write_bytes(good)
    assert cli.json("case", "list")[0]["ref"] == "CH-000009"


def test_deleting_the_key_file_and_its_copy_still_cannot_downgrade(cli, monkeypatch):
    db_before = _encrypted_cli_workspace(cli, monkeypatch)
    (cli.workspace / "encryption.json").unlink()
    (cli.workspace / "backups" / "encryption.json").unlink()
    line = _refused(cli("case", "list", check=False))
    assert "encrypted" in line and "encryption.json is missing" in line
    line = _refused(cli("init", check=False))  # not even 'init' starts a plain workspace here
    assert "encryption.json" in line
    assert (cli.workspace / "evidence.db").read_bytes() == db_before
    assert not (cli.workspace / "damaged").exists()


def test_a_plain_database_swapped_into_an_encrypted_workspace_is_refused(cli, monkeypatch,
                                                                         tmp_path):
    _encrypted_cli_workspace(cli, monkeypatch)
    plain = tmp_path / "plain"
    monkeypatch.delenv("EVIDENCE_PASSPHRASE")
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "evidence_app", "-w", str(plain), "init"], check=True,
                   capture_output=True)
    (plain / "evidence.db").replace(cli.workspace / "evidence.db")
    for s in ("-wal", "-shm"):
        Path(str(cli.workspace / "evidence.db") + s).unlink(missing_ok=True)
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    line = _refused(cli("case", "list", check=False))
    assert "marked as encrypted" in line and "not encrypted" in line


def _plain_workspace_with_history(cli, tmp_path) -> None:
    src = tmp_path / "src"
    write_text(src / "CH-000001" / "visit.txt", f"Visit. {SECRET_TEXT} said the child.")
    cli("init", "--name", "Plain")
    cli("source", "add", str(src), "--kind", "case-files")
    cli("index")
    cli("case", "add", "CH-000001", "--name", SECRET_NAME)
    cli("tag", str(src / "CH-000001" / "visit.txt"), "--enquiry", "LEAD-01", "--quote",
        SECRET_TEXT, "--note", f"{SECRET_NAME} note")
    made = cli.json("backup")
    cli("case", "add", "CH-000002", "--name", "Second Child")
    cli("restore", made["name"], "--replay-journal")  # leaves a replaced-*.db copy too
    dmg = cli.workspace / "damaged"
    dmg.mkdir()
    (dmg / "evidence-damaged-1.db").write_bytes((cli.workspace / "evidence.db").read_bytes())


def test_init_encrypt_converts_an_existing_workspace_completely(cli, monkeypatch, tmp_path):
    _plain_workspace_with_history(cli, tmp_path)
    assert SECRET_NAME.encode() in _all_bytes(cli.workspace)
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    r = cli("init", "--encrypt")
    assert "Encrypted the existing workspace" in r.stderr and "overwritten" in r.stderr
    skip = {"exports", "logs"}
    for p in cli.workspace.rglob("*"):
        if p.is_file() and not skip & set(p.relative_to(cli.workspace).parts):
            data = p.read_bytes()
            for needle in (SECRET_NAME, SECRET_TEXT, "SQLite format 3"):
                assert needle.encode() not in data, (needle, p.relative_to(cli.workspace))
    assert not (cli.workspace / ".encrypting").exists()
    assert [c["ref"] for c in cli.json("case", "list")] == ["CH-000001", "CH-000002"]
    assert cli.json("evidence")[0]["quote"] == SECRET_TEXT
    assert cli.json("search", SECRET_TEXT)
    out = cli("check").stdout
    assert "All checks passed." in out and "sequence ok" in out
    for b in (cli.workspace / "backups").glob("*.db"):
        assert backup.verify_backup(b, PASS), b.name
    monkeypatch.delenv("EVIDENCE_PASSPHRASE")
    r = cli("case", "list", check=False)
    assert r.returncode == 1 and "encrypted" in r.stderr
    assert "encrypt" in cli("passphrase", "--help").stdout


def test_encrypting_stops_before_its_commit_point_and_changes_nothing(tmp_path, monkeypatch):
    from evidence_app.core.safety import crypto_convert

    root = tmp_path / "ws"
    ws = Workspace.create(root)
    cases.add_case(ws, "CH-000001", name=SECRET_NAME)
    backup.backup_now(ws)
    ws.close()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(crypto_convert, "_encrypt_journal", boom)
    with pytest.raises(OSError):
        Workspace.create(root, passphrase=PASS)
    assert not (root / ".encrypting").exists() and not crypto.is_encrypted(root)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != ".lock"}
    assert set(after) >= {p for p in before if "journal" not in p.parts}
    assert crypto.looks_plain_sqlite(root / "evidence.db")
    monkeypatch.undo()
    ws = Workspace.open(root)
    assert cases.get_case(ws, "CH-000001", include_name=True).name == SECRET_NAME
    ws.close()


def test_encrypting_interrupted_after_its_commit_point_is_finished_at_the_next_opening(
        tmp_path, monkeypatch):
    from evidence_app.core.safety import crypto_convert

    root = tmp_path / "ws"
    ws = Workspace.create(root)
    cases.add_case(ws, "CH-000001", name=SECRET_NAME)
    backup.backup_now(ws)
    ws.close()
    real = crypto_convert.finish_pending

    def crash(r):  # the process dies right after READY was written
        raise KeyboardInterrupt

    monkeypatch.setattr(crypto_convert, "finish_pending", crash)
    with pytest.raises(KeyboardInterrupt):
        Workspace.create(root, passphrase=PASS)
    assert (root / ".encrypting" / "READY").exists()
    monkeypatch.setattr(crypto_convert, "finish_pending", real)
    ws = Workspace.open(root, passphrase=PASS)
    assert any("interrupted" in w for w in ws.warnings)
    assert cases.get_case(ws, "CH-000001", include_name=True).name == SECRET_NAME
    ws.close()
    assert SECRET_NAME.encode() not in _all_bytes(root)
    assert not (root / ".encrypting").exists()


def test_a_copy_that_cannot_be_encrypted_stops_the_conversion_with_its_name(cli, monkeypatch):
    cli("init")
    cli("case", "add", "CH-000001", "--name", SECRET_NAME)
    dmg = cli.workspace / "damaged"
    dmg.mkdir()
    data = bytearray((cli.workspace / "evidence.db").read_bytes())
    data[100:4096] = b"\xff" * 3996
    (dmg / "evidence-damaged-1.db").write_bytes(bytes(data))
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    line = _refused(cli("init", "--encrypt", check=False))
    assert "damaged/evidence-damaged-1.db" in line and "nothing was changed" in line
    assert crypto.looks_plain_sqlite(cli.workspace / "evidence.db")
    assert not (cli.workspace / "encryption.json").exists()
    monkeypatch.delenv("EVIDENCE_PASSPHRASE")
    assert cli.json("case", "list")[0]["ref"] == "CH-000001"


def test_a_plain_workspace_with_a_damaged_header_is_still_recovered(tmp_path):
    """The refusal is for encrypted workspaces: a plain one (plain backups, plain journal) whose
    first bytes were overwritten is recovered from its backup as before."""
    root = tmp_path / "ws"
    ws = Workspace.create(root)
    cases.add_case(ws, "CH-000001")
    backup.backup_now(ws)
    ws.close()
    db = root / "evidence.db"
    data = bytearray(db.read_bytes())
    data[0:4096] = os.urandom(4096)
    db.write_bytes(bytes(data))
    for s in ("-wal", "-shm"):
        Path(str(db) + s).unlink(missing_ok=True)
    ws = Workspace.open(root)
    assert ws.recovery_report is not None
    assert [c.ref for c in cases.list_cases(ws)] == ["CH-000001"]
    ws.close()


def test_any_key_file_content_is_refused_calmly(tmp_path):
    """Property-style sweep: whatever a damaged encryption.json holds, opening refuses with
    PassphraseError (no traceback, nothing moved aside) or opens with the right passphrase."""
    import json as _json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    root = tmp_path / "ws"
    ws = Workspace.create(root, passphrase=PASS)
    cases.add_case(ws, "CH-000001", name=SECRET_NAME)
    ws.close()
    marker = root / "encryption.json"
    good = marker.read_bytes()
    (root / "backups" / "encryption.json").unlink()  # only the journal and the header remain
    db_before = (root / "evidence.db").read_bytes()
    values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                          lambda c: st.lists(c, max_size=3) | st.dictionaries(
                              st.sampled_from(["encrypted", "journal_key", "workspace_id",
                                               "salt", "nonce", "wrapped"]), c, max_size=4),
                          max_leaves=8)

    @settings(max_examples=80, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(content=values | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
    def run(content):
        text = content if isinstance(content, str) and not content.startswith("{") else \
            _json.dumps(content)
        marker.write_text(text, encoding="utf-8")
        try:
            Workspace.open(root, passphrase=PASS).close()
        except crypto.PassphraseError as exc:
            assert "encryption.json" in str(exc) or "passphrase" in str(exc)
        assert (root / "evidence.db").read_bytes() == db_before
        assert not (root / "damaged").exists()

    run()
    marker.write_bytes(good)
    ws = Workspace.open(root, passphrase=PASS)
    assert cases.get_case(ws, "CH-000001", include_name=True).name == SECRET_NAME
    ws.close()
