"""A watcher you can leave running for a week (issue 9, point 4): create, modify, rename, delete
and move-away-and-back of normal and odd-named files and folders; a source whose path merely
starts with the workspace's; links never followed; a failing event logged and skipped."""
from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time

import pytest

from evidence_app.core.index import indexer as indexer_module
from evidence_app.core.index.indexer import Indexer
from evidence_app.core.search.search import search
from evidence_app.core.index.sources import add_source
from evidence_app.core.index.watcher import watch_forever
from evidence_app.core.workspace import Workspace

ODD = sys.platform.startswith("linux")  # names that are not UTF-8 need a POSIX file system


def _wait(predicate, timeout=15.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 - the database may be mid-write
            pass
        time.sleep(0.05)
    return False


def _status(ws, word_in_name: str) -> set[str]:
    return {r[0] for r in ws.db.execute(
        "SELECT status FROM documents WHERE name LIKE ?", [f"%{word_in_name}%"])}


def _hits(ws, word):
    return [h.path for h in search(ws, word, limit=50).hits]


def _name(text: str, odd: bytes) -> str:
    """A file name in disk form; with ODD, holding bytes that are not UTF-8."""
    return os.fsdecode(text.encode() + (odd if ODD else b""))


@pytest.fixture
def watching(tmp_path, caplog):
    """A workspace at tmp/ws with its source at tmp/ws_src (the prefix bug), being watched."""
    ws = Workspace.create(tmp_path / "ws", "Week")
    src = tmp_path / "ws_src"
    src.mkdir()
    (src / "seed.txt").write_text("seed note about the heron")
    add_source(ws, src, "case-files")
    stop = threading.Event()
    failures: list[BaseException] = []

    def run():
        tws = Workspace.open(ws.root)
        try:
            with Indexer(tws) as ix:
                ix.run()
                watch_forever(tws, ix, lambda s: None, stop)
        except BaseException as exc:  # noqa: BLE001 - the test asserts there are none
            failures.append(exc)
        finally:
            tws.close()

    caplog.set_level(logging.WARNING)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert _wait(lambda: _hits(ws, "heron"))
    time.sleep(0.3)  # the observer is scheduled
    yield ws, src, tmp_path
    stop.set()
    t.join(15)
    assert not t.is_alive(), "the watcher did not stop"
    assert not failures, failures
    ws.close()


def test_the_watcher_follows_a_week_of_changes(watching):
    ws, src, tmp = watching
    # -- files: create, modify, rename, delete; normal and odd names
    for label, odd in (("plain", b""), ("odd", b"\xe9\xff")):
        name = _name(f"{label} note", odd) + ".txt"
        path = os.path.join(src, name)
        with open(path, "w") as f:
            f.write(f"{label} first version about the avocet")
        assert _wait(lambda: any(label in p for p in _hits(ws, "avocet"))), label
        with open(path, "w") as f:
            f.write(f"{label} second version about the bittern")
        assert _wait(lambda: any(label in p for p in _hits(ws, "bittern"))), label
        assert _wait(lambda: not any(label in p for p in _hits(ws, "avocet"))), label
        renamed = os.path.join(src, _name(f"{label} renamed", odd) + ".txt")
        os.rename(path, renamed)
        assert _wait(lambda: any("renamed" in p and label in p for p in _hits(ws, "bittern")))
        os.unlink(renamed)
        assert _wait(lambda: _status(ws, f"{label} renamed") == {"missing"}), label

    # -- folders: create with files, rename, move away (out of the source) and back
    folder = os.path.join(src, _name("CH-000777 case", b"\xe9"))
    os.mkdir(folder)
    for i in range(3):
        with open(os.path.join(folder, f"visit {i}.txt"), "w") as f:
            f.write(f"visit {i} about the goldcrest")
    assert _wait(lambda: len(_hits(ws, "goldcrest")) == 3)
    moved = os.path.join(src, "CH-000777 renamed")
    os.rename(folder, moved)
    assert _wait(lambda: len([p for p in _hits(ws, "goldcrest") if "renamed" in p]) == 3)
    away = os.path.join(tmp, "away")
    shutil.move(moved, away)
    assert _wait(lambda: _status(ws, "visit") == {"missing"})
    shutil.move(away, moved)
    assert _wait(lambda: _status(ws, "visit") == {"ok"})
    assert _wait(lambda: len(_hits(ws, "goldcrest")) == 3)

    # -- a link to something outside the source is recorded, never followed
    outside = os.path.join(tmp, "outside.txt")
    with open(outside, "w") as f:
        f.write("the wryneck is outside the source")
    os.symlink(outside, os.path.join(src, "link out.txt"))
    assert _wait(lambda: _status(ws, "link out") == {"skipped"})
    assert not _hits(ws, "wryneck")

    # -- the watcher is still alive and current at the end
    with open(os.path.join(src, "last.txt"), "w") as f:
        f.write("the last note is about the dotterel")
    assert _wait(lambda: _hits(ws, "dotterel"))


def test_a_failing_event_is_logged_and_skipped(watching, monkeypatch, caplog):
    ws, src, _tmp = watching
    real = indexer_module.stat_one

    def poisoned(path, sources):
        if "poison" in path:
            raise RuntimeError("injected failure for one event")
        return real(path, sources)

    monkeypatch.setattr(indexer_module, "stat_one", poisoned)
    (src / "poison.txt").write_text("the poisoned note about the ptarmigan")
    time.sleep(0.5)
    (src / "healthy.txt").write_text("the healthy note about the shoveler")
    assert _wait(lambda: _hits(ws, "shoveler"))
    assert not _hits(ws, "ptarmigan")
    assert any("poison" in r.getMessage() for r in caplog.records), caplog.text
    monkeypatch.setattr(indexer_module, "stat_one", real)
    (src / "poison.txt").write_text("the poisoned note, fixed, about the ptarmigan")
    assert _wait(lambda: _hits(ws, "ptarmigan"))
