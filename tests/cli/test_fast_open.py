"""The quick path's opening (cli/fast_open.py) reads only a plain, healthy workspace and leaves
every other state to the full opening: a missing, empty or damaged database, an encrypted
workspace (with or without its key file or passphrase), a synchronised folder, loose permissions,
an older or newer schema, journaled work to replay, a restored backup to unpack, damage found
by the daily check. In each state `evidence-app search` prints what the full command line prints
and exits as it does; an encrypted workspace is never read without its key.

Each broken state is made twice, in two folders whose paths have the same length (the full
opening may repair what it finds, so each way gets its own copy); messages are compared with
the folder names swapped."""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyring.backend import KeyringBackend

from evidence_app.app import main as app_main
from evidence_app.cli import fast_open
from evidence_app.cli import main as cli_main
from evidence_app.core.safety import journal_tail, locations
from evidence_app.core.store import migrations
from evidence_app.core.store.db import open_connection
from tests.conftest import ROOT

PASS = "correct horse battery staple"
SECRET = "xylophonic-marmalade-visit"


class _NoKeyring(KeyringBackend):
    """No OS keystore in tests: a passphrase comes from the environment or not at all."""

    priority = 1

    def get_password(self, service, username):
        return None

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass


@pytest.fixture(autouse=True)
def _no_keyring(monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(_NoKeyring())
    monkeypatch.delenv("EVIDENCE_PASSPHRASE", raising=False)
    monkeypatch.delenv("EVIDENCE_ALLOW_SYNCED_FOLDER", raising=False)
    yield
    keyring.set_keyring(previous)


def _cli(ws: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "-m", "evidence_app", "--workspace", str(ws), *args],
                   check=True, capture_output=True, cwd=str(ROOT), timeout=300,
                   stdin=subprocess.DEVNULL, env=dict(os.environ, **(env or {})))


def _build(base: Path, name: str, env: dict | None = None, *init: str) -> Path:
    src = base / f"{name}-sources"
    src.mkdir(parents=True)
    (src / "Visit.txt").write_text("Home visit: the child was seen alone and spoke about school "
                                   f"and supervision. Code word {SECRET}.", encoding="utf-8")
    (src / "Policy.txt").write_text("Supervision policy for social workers: every four weeks.",
                                    encoding="utf-8")
    ws = base / f"{name}-ws"
    _cli(ws, "init", "--name", name, *init, env=env)
    _cli(ws, "source", "add", str(src), "--kind", "case-files", env=env)
    _cli(ws, "index", env=env)
    return ws


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A plain and an encrypted workspace, built once by the real CLI."""
    base = tmp_path_factory.mktemp("fastopen")
    home = {"EVIDENCE_APP_HOME": str(base / "home")}
    return {"plain": _build(base, "plain", home),
            "encrypted": _build(base, "encrypted", dict(home, EVIDENCE_PASSPHRASE=PASS),
                                "--encrypt")}


def _pair(built: dict, kind: str, tmp_path: Path, under: str = "") -> tuple[Path, Path]:
    """Two copies of a built workspace at paths of the same length."""
    copies = []
    for side in ("a", "b"):
        target = tmp_path / side / under / "ws" if under else tmp_path / side / "ws"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(built[kind], target, symlinks=True)
        copies.append(target)
    return copies[0], copies[1]


def _run(entry, argv: list[str]) -> tuple:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = entry(list(argv))
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def compare(a: Path, b: Path, *args: str) -> tuple:
    """The program on `a` (quick path first) and the full command line on `b`: equal."""
    quick = _run(app_main, ["-w", str(a), "search", *args])
    full = _run(cli_main.run, ["-w", str(b), "search", *args])
    swap = tuple(_stamps(x.replace(str(a), str(b))) if isinstance(x, str) else x for x in quick)
    assert swap == tuple(_stamps(x) if isinstance(x, str) else x for x in full)
    assert "Traceback" not in quick[2]
    return quick


def _stamps(text: str) -> str:
    """Names of copies the repair makes carry the time (evidence-damaged-20261202-041931-…)."""
    return re.sub(r"\d{8}-\d{6}(-\d+)?", "STAMP", text)


def _db(ws: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(ws / "evidence.db"), isolation_level=None)


# -- each broken state, made the same way on both copies --------------------------------------
def _no_database(ws):
    for suffix in ("", "-wal", "-shm"):
        Path(str(ws / "evidence.db") + suffix).unlink(missing_ok=True)


def _empty_database(ws):
    _no_database(ws)
    (ws / "evidence.db").write_bytes(b"")


def _damaged_header(ws):
    with open(ws / "evidence.db", "r+b") as f:
        f.write(b"\x8f" * 16)


def _key_file_beside_a_plain_database(ws):
    (ws / "encryption.json").write_text(json.dumps({"version": 1, "workspace_id": "x",
                                                    "salt": "AA==", "check": "AA=="}))


def _encrypted_journal_line(ws):
    (ws / "journal").mkdir(exist_ok=True)
    (ws / "journal" / "2099-12.jsonl").write_text(json.dumps({"enc": "AAAA"}) + "\n")


def _encrypted_backup(ws):
    (ws / "backups" / "zzzz-manual.db").write_bytes(os.urandom(4096))


def _interrupted_encryption(ws):
    (ws / ".encrypting").mkdir()


def _loose_permissions(ws):
    os.chmod(ws, 0o755)


def _older_schema(ws):
    with contextlib.closing(_db(ws)) as c:
        c.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [migrations.migrations.names()[-1]])


def _newer_schema(ws):
    with contextlib.closing(_db(ws)) as c:
        c.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                  "VALUES ('evidence_app', 'm999_from_the_future', '2099-01-01')")


def _journal_ahead_of_the_database(ws):
    with contextlib.closing(_db(ws)) as c:
        seq = int(c.execute("SELECT value FROM meta WHERE key = 'journal.seq'").fetchone()[0])
        c.execute("UPDATE meta SET value = ? WHERE key = 'journal.seq'", [str(seq - 1)])


def _journal_behind_the_database(ws):
    shutil.rmtree(ws / "journal")


def _backup_to_unpack(ws):
    with contextlib.closing(_db(ws)) as c:
        c.execute("CREATE TABLE documents_backup (id INTEGER PRIMARY KEY)")


def _damage_found_by_the_daily_check(ws):
    (ws / ".integrity-check.json").write_text(json.dumps(
        {"ok": False, "problem": "page 7: btree corrupt", "at": "2026-12-01T00:00:00"}))


BREAKERS = [_no_database, _empty_database, _damaged_header, _key_file_beside_a_plain_database,
            _encrypted_journal_line, _encrypted_backup, _interrupted_encryption,
            _loose_permissions, _older_schema, _newer_schema, _journal_ahead_of_the_database,
            _journal_behind_the_database, _backup_to_unpack, _damage_found_by_the_daily_check]


def test_a_plain_healthy_workspace_is_read_by_the_quick_path(built, tmp_path):
    a, b = _pair(built, "plain", tmp_path)
    handle = fast_open.open_plain(str(a))
    assert handle is not None
    handle.close()
    code, out, _ = compare(a, b, "supervision", "--json")
    assert code == 0 and len(json.loads(out)) == 2


@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda f: f.__name__.strip("_"))
def test_every_other_state_is_left_to_the_full_opening(built, tmp_path, breaker):
    a, b = _pair(built, "plain", tmp_path)
    breaker(a)
    breaker(b)
    assert fast_open.open_plain(str(a)) is None
    compare(a, b, "supervision", "--json")
    if breaker is _loose_permissions:  # the full opening tightened it, as any reader does
        assert os.stat(a).st_mode & 0o077 == 0


def test_a_synchronised_folder_is_refused_or_warned_about_as_before(built, tmp_path):
    a, b = _pair(built, "plain", tmp_path, under="Dropbox")
    assert fast_open.open_plain(str(a)) is None
    code, out, err = compare(a, b, "visit", "--json")
    assert code == 1 and out == "" and "Dropbox" in err
    code, out, err = compare(a, b, "visit", "--json", "--allow-synced-folder")
    assert code == 0 and json.loads(out) and err.startswith("WARNING")


def test_an_encrypted_workspace_is_never_read_without_its_key(built, tmp_path, monkeypatch):
    a, b = _pair(built, "encrypted", tmp_path)
    assert fast_open.open_plain(str(a)) is None
    code, out, err = compare(a, b, SECRET, "--json")
    assert code == 1 and out == "" and SECRET not in err and "passphrase" in err.lower()
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", "a wrong passphrase entirely")
    code, out, err = compare(a, b, SECRET, "--json")
    assert code == 1 and out == ""
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    code, out, err = compare(a, b, SECRET, "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "Visit.txt"


def test_an_encrypted_workspace_without_its_key_file_is_refused_as_before(built, tmp_path,
                                                                          monkeypatch):
    a, b = _pair(built, "encrypted", tmp_path)
    for ws in (a, b):
        (ws / "encryption.json").unlink()
        (ws / "backups" / "encryption.json").unlink(missing_ok=True)
    assert fast_open.open_plain(str(a)) is None
    monkeypatch.setenv("EVIDENCE_PASSPHRASE", PASS)
    code, out, err = compare(a, b, SECRET, "--json")
    assert code == 1 and out == "" and "encryption.json" in err


def test_a_workspace_held_by_a_writer_is_still_read_at_once(built, tmp_path):
    """Readers never take the workspace lock: a search beside `index --watch` (here, a process
    holding the lock) answers at once, both ways alike."""
    a, b = _pair(built, "plain", tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from evidence_app.core.safety import lock\n"
         "for p in sys.argv[1:]: lock.acquire(Path(p))\n"
         "print('held', flush=True); time.sleep(120)", str(a), str(b)],
        cwd=str(ROOT), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert fast_open.open_plain(str(a)) is not None
        started = time.monotonic()
        code, out, _ = compare(a, b, "supervision", "--json")
        assert code == 0 and json.loads(out) and time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()


# -- the quick opening's answers are the full opening's -------------------------------------
def test_the_schema_it_reads_is_this_versions():
    assert fast_open.SCHEMA == tuple(migrations.migrations.names())


def test_its_connection_is_set_up_as_a_readers(built):
    ws = built["plain"]
    quick = fast_open._connect(str(ws / "evidence.db"))
    full = open_connection(ws / "evidence.db", set_wal=False)
    for pragma in ("foreign_keys", "busy_timeout", "synchronous", "temp_store", "cache_size",
                   "journal_mode", "query_only"):
        assert quick.execute(f"PRAGMA {pragma}").fetchone() == \
            full.execute(f"PRAGMA {pragma}").fetchone(), pragma
    assert quick.isolation_level == full.isolation_level
    quick.close()
    full.close()


_LINE = st.one_of(
    st.builds(lambda s: json.dumps({"seq": s, "op": "x"}).encode(), st.integers(-5, 10 ** 6)),
    st.just(json.dumps({"seq": True}).encode()), st.just(json.dumps({"seq": "7"}).encode()),
    st.just(b'{"op": "no seq"}'), st.just(b"[1, 2]"), st.just(b'{"seq": 12, "tor'),
    st.just(b""), st.just(b"   "), st.just(b"\xff\xfe not utf-8"),
    st.builds(lambda n: json.dumps({"seq": 3, "pad": "x" * n}).encode(),
              st.sampled_from([10, 70_000, 300_000])))


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.sampled_from(["2026-01.jsonl", "2026-02.jsonl", ".x.jsonl",
                                                 "2026-03.JSONL", "notes.txt"]),
                                st.lists(_LINE, max_size=6), st.booleans()), max_size=4))
def test_its_journal_position_is_the_journal_tails(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("journal")
    (root / "journal").mkdir()
    for name, lines, final_newline in files:
        data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
        (root / "journal" / name).write_bytes(data)
    assert fast_open.journal_seq(str(root)) == journal_tail.tail(root, with_hash=False).seq


def _reference_synced_reason(path) -> str | None:
    """locations.synced_reason as it was written with pathlib, before the quick path."""
    raw = str(path)
    if raw.startswith("\\\\") or raw.startswith("//"):
        return "it is on a network share (a \\\\server\\share path)"
    p = Path(os.path.abspath(raw))
    for part in p.parts:
        service = locations._service_for_name(part)
        if service:
            return f"it is inside a folder synchronised by {service} ('{part}')"
    if any(part.lower() == "cloudstorage" for part in p.parts):
        return "it is inside a folder synchronised by a cloud-storage app (Library/CloudStorage)"
    for var in locations._ENV_FOLDERS:
        folder = os.environ.get(var)
        if folder:
            try:
                p.relative_to(Path(os.path.abspath(folder)))
                return f"it is inside your OneDrive folder ({folder})"
            except ValueError:
                pass
    m = locations.mount_for(p)
    if m and locations._is_network_fstype(m[1]):
        return f"it is on a network filesystem ({m[1]} mounted at {m[0]})"
    return None


_PART = st.sampled_from(["home", "sw", "Dropbox", "dropbox (Council)", "OneDrive - Council",
                         "Google Drive", "My Drive", "iCloud Drive", "Box", "box sync",
                         "CloudStorage", "SharePoint Sites", "Documents", "Evidence", "..", ".",
                         "", "caf\u00e9", "OneDrivex", "Boxes", "a b", "ws"])


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_PART, max_size=6), absolute=st.booleans(), lead=st.sampled_from(["", "/", "//"]),
       onedrive=st.one_of(st.none(), st.lists(_PART, max_size=3)))
def test_its_synchronised_folder_check_is_the_one_it_replaced(monkeypatch, parts, absolute,
                                                              lead, onedrive):
    path = (lead or ("/" if absolute else "")) + "/".join(parts)
    for var in locations._ENV_FOLDERS:
        monkeypatch.delenv(var, raising=False)
    if onedrive is not None:
        monkeypatch.setenv("OneDrive", "/" + "/".join(onedrive))
    assert locations.synced_reason(path) == _reference_synced_reason(path)
