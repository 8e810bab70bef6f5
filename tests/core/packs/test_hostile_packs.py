"""Damaged, truncated, tampered, foreign, newer and escaping packs are refused with one line and
nothing is written: no evidence, no backup, no journal line, no file."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from evidence_app.core.evidence import evidence
from evidence_app.core.packs import export, importer
from evidence_app.core.packs.pack_file import PackRefused
from tests.core.packs.conftest import doc, tag


@pytest.fixture
def good(team, shared, tmp_path):
    a = team["Alice"]
    tag(a, doc(shared), ["HP-06"], quote="feels safe with her grandmother")
    p = tmp_path / "good.evpack"
    export.export_pack(a, p)
    return p


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def _rezip(out: Path, entries: dict[str, bytes], manifest_edit=None, fix_hashes=True,
           extra_infos=()) -> Path:
    manifest = json.loads(entries["manifest.json"])
    if fix_hashes:
        manifest["entries"] = [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                               for n, d in entries.items() if n != "manifest.json"]
        manifest["entries"] += [{"name": i.filename, "size": len(d),
                                 "sha256": hashlib.sha256(d).hexdigest()}
                                for i, d in extra_infos]
    if manifest_edit:
        manifest_edit(manifest)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in entries.items():
            zf.writestr(n, json.dumps(manifest) if n == "manifest.json" else d)
        for info, d in extra_infos:
            zf.writestr(info, d)
    return out


def _state(ws) -> tuple:
    conn = ws.db.conn
    counts = tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (
        "evidence_items", "documents", "cases", "audit_log", "pack_imports", "pack_item_heads"))
    journal = sorted((p.name, p.stat().st_size) for p in (ws.root / "journal").glob("*"))
    return counts, sorted(p.name for p in ws.backups_dir.iterdir()), journal, \
        (ws.root / "pack-files").exists()


def _hostile(good: Path, tmp: Path) -> dict[str, Path]:
    data = good.read_bytes()
    e = _entries(good)
    out: dict[str, Path] = {}
    (tmp / "damaged.evpack").write_bytes(data[:200] + bytes(300) + data[500:])
    out["damaged"] = tmp / "damaged.evpack"
    (tmp / "truncated.evpack").write_bytes(data[:len(data) // 2])
    out["truncated"] = tmp / "truncated.evpack"
    payload = bytearray(e["payload.sqlite"])
    payload[-100] ^= 0xFF
    out["tampered"] = _rezip(tmp / "tampered.evpack", {**e, "payload.sqlite": bytes(payload)},
                             fix_hashes=False)
    out["newer"] = _rezip(tmp / "newer.evpack", e,
                          lambda m: m.update(format_version=99, app_version="9.0"))
    out["foreign-format"] = _rezip(tmp / "foreign.evpack", e,
                                   lambda m: m.update(format="something-else"))
    with zipfile.ZipFile(tmp / "plainzip.evpack", "w") as zf:
        zf.writestr("notes.txt", "hello")
    out["no-manifest"] = tmp / "plainzip.evpack"
    (tmp / "text.evpack").write_text("just some text, not a pack")
    out["not-a-zip"] = tmp / "text.evpack"
    for label, name in (("dotdot", "../../evil.txt"), ("absolute", "/tmp/evil.txt"),
                        ("drive", "C:/evil.txt"), ("backslash", "files\\..\\evil")):
        out[label] = _rezip(tmp / f"{label}.evpack", {**e, name: b"x"})
    link = zipfile.ZipInfo("files/" + "0" * 64)
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    out["symlink"] = _rezip(tmp / "symlink.evpack", e, extra_infos=[(link, b"/etc/passwd")])
    bomb = zipfile.ZipInfo("files/" + hashlib.sha256(bytes(60 * 2 ** 20)).hexdigest())
    bomb.compress_type = zipfile.ZIP_DEFLATED
    out["bomb"] = _rezip(tmp / "bomb.evpack", e, extra_infos=[(bomb, bytes(60 * 2 ** 20))])
    other = _entries(good)
    other_payload = _swap_payload(other["payload.sqlite"], tmp)
    out["swapped-payload"] = _rezip(tmp / "swapped.evpack", {**e, "payload.sqlite": other_payload})
    out["unlisted-entry"] = _rezip(tmp / "unlisted.evpack", {**e, "files/extra": b"x"},
                                   fix_hashes=False)
    return out


def _swap_payload(payload: bytes, tmp: Path) -> bytes:
    import sqlite3

    p = tmp / "swap.sqlite"
    p.write_bytes(payload)
    conn = sqlite3.connect(p)
    conn.execute("UPDATE info SET value = '\"another-workspace\"' WHERE key = 'workspace_id'")
    conn.commit()
    conn.close()
    return p.read_bytes()


def test_hostile_packs_are_refused_and_nothing_is_written(team, good, tmp_path):
    m = team["Manager"]
    before = _state(m)
    packs = _hostile(good, tmp_path)
    for label, path in packs.items():
        with pytest.raises(PackRefused) as exc:
            importer.import_packs(m, [path]).value
        message = str(exc.value)
        assert "\n" not in message and path.name in message, label
        with pytest.raises(PackRefused):
            importer.preview(m, [path])
        assert _state(m) == before, label
    assert "newer" in str(pytest.raises(PackRefused, importer.preview, m,
                                        [packs["newer"]]).value)
    # one bad pack among good ones: nothing from the good one either
    with pytest.raises(PackRefused):
        importer.import_packs(m, [good, packs["tampered"]]).value
    assert _state(m) == before
    importer.import_packs(m, [good]).value
    assert len(evidence.list_items(m)) == 1


def test_too_many_entries_is_refused(team, good, tmp_path, monkeypatch):
    from evidence_app.core.packs import pack_file

    monkeypatch.setattr(pack_file, "MAX_ENTRIES", 5)
    e = _entries(good)
    many = {**e, **{f"files/{i:064x}": b"" for i in range(6)}}
    path = _rezip(tmp_path / "many.evpack", many)
    with pytest.raises(PackRefused, match="at most 5"):
        importer.import_packs(team["Manager"], [path]).value


def test_a_symlinked_pack_file_is_not_followed(team, good, tmp_path):
    link = tmp_path / "link.evpack"
    os.symlink(good, link)
    with pytest.raises(PackRefused, match="not a regular file"):
        importer.import_packs(team["Manager"], [link]).value


@pytest.mark.parametrize("table,column,value", [
    ("items", "fixed", '{"author": ["x"], "created_at": "2026"}'),
    ("items", "heads", '[{"rev": "r", "content": {"note": 1}}]'),
    ("cases", "ref", "'../../etc'"),
    ("cases", "fields", '{"worker": {"value": {"a": 1}, "at": "2026"}}'),
    ("requests", "row", '{"status": "sent", "owner": [1]}'),
])
def test_well_formed_packs_with_records_of_the_wrong_shape_are_refused(team, good, tmp_path,
                                                                       table, column, value):
    import sqlite3

    e = _entries(good)
    p = tmp_path / "payload.sqlite"
    p.write_bytes(e["payload.sqlite"])
    conn = sqlite3.connect(p)
    if table == "requests":
        conn.execute("INSERT INTO requests VALUES ('REQ-1', ?)", [value])
    elif table == "cases":
        conn.execute("INSERT INTO cases VALUES ('CH-1', '{}', '[]', NULL)")
        conn.execute(f"UPDATE cases SET {column} = {value if column == 'ref' else '?'}",
                     [] if column == "ref" else [value])
    else:
        conn.execute(f"UPDATE {table} SET {column} = ?", [value])
    conn.commit()
    conn.close()
    bad = _rezip(tmp_path / f"shape-{table}-{column}.evpack", {**e, "payload.sqlite": p.read_bytes()})
    m = team["Manager"]
    before = _state(m)
    with pytest.raises(PackRefused, match="damaged or was not made"):
        importer.import_packs(m, [bad]).value
    assert _state(m) == before
