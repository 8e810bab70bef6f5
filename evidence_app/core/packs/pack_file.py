"""The `.evpack` file: a zip holding `manifest.json`, `payload.sqlite` and (with --with-files)
copies of source files under `files/`.

The manifest names the format and its version, the app and schema versions, the sender (name,
team, workspace id and name), the time, and every other entry's size and SHA-256. A pack is
checked whole before anything in it is read (`open_pack`): a damaged, truncated, tampered,
foreign or newer pack, or one whose entry names could escape a folder, is refused with one
line, and nothing is written anywhere. Sizes and entry counts are capped like every zip the app
opens (core/index/extractors/safety.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from evidence_app.core.base.errors import EvidenceError
from evidence_app.core.base.errors import InvalidInput

FORMAT = "evidence-organiser-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOAD = "payload.sqlite"
FILES_DIR = "files/"
SUFFIX = ".evpack"

MIB = 1024 * 1024
MAX_PACK_BYTES = 2048 * MIB  # the pack file itself
MAX_ENTRIES = 20_000  # manifest + payload + carried files
MAX_UNPACKED = 4096 * MIB
MAX_MANIFEST = 16 * MIB
MAX_RATIO = 200  # expansion of the large entries, like the extractors' zip-bomb check
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class PackRefused(EvidenceError):
    """A pack that will not be read: one line saying why; nothing was written."""


@dataclass
class OpenedPack:
    """A checked pack: its manifest, the payload extracted to a private temporary file, and the
    carried files' entry names. Close it (or use `with`) to remove the temporary copy."""

    path: Path
    sha256: str
    manifest: dict
    payload_path: Path
    files: dict[str, str] = field(default_factory=dict)  # file sha256 -> entry name
    records: tuple | None = None  # the payload's records, once read and checked (merge.py)
    _tmpdir: tempfile.TemporaryDirectory | None = None

    @property
    def sender(self) -> str:
        return str((self.manifest.get("sender") or {}).get("name") or "someone")

    @property
    def sender_workspace(self) -> str | None:
        return (self.manifest.get("sender") or {}).get("workspace_id")

    def read_file(self, sha: str) -> bytes:
        try:
            with zipfile.ZipFile(self.path) as zf:
                data = zf.read(self.files[sha])
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            raise PackRefused(f"{self.path.name}: a carried file cannot be read ({exc}).") \
                from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise PackRefused(f"{self.path.name}: a carried file changed while it was read.")
        return data

    def close(self) -> None:
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> "OpenedPack":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- writing ----------------------------------------------------------------------------------
def write_pack(out: Path, manifest: dict, payload: Path, files: dict[str, Path],
               force: bool = False) -> tuple[str, int]:
    """Write the zip beside `out` under a temporary name and rename it into place (never a
    half-written pack). `files`: sha256 -> source path. Returns (SHA-256, size)."""
    out = Path(out)
    check_target(out, force)
    entries = []
    fd, tmp_name = tempfile.mkstemp(prefix=".evpack-", suffix=".tmp", dir=str(out.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            entries.append(_add(zf, PAYLOAD, payload))
            for sha, src in sorted(files.items()):
                entries.append(_add(zf, FILES_DIR + sha, Path(src), expect=sha))
            manifest = {**manifest, "entries": entries}
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True,
                                             ensure_ascii=False))
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    h = hashlib.sha256()
    with open(out, "rb") as f:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
    return h.hexdigest(), out.stat().st_size


def check_target(out: Path, force: bool) -> None:
    if (out.exists() or out.is_symlink()) and not force:
        raise InvalidInput(f"{out} already exists; give another name or add --force to "
                           "replace it.")
    if out.exists() and not out.is_file():
        raise InvalidInput(f"{out} is not an ordinary file; it was not replaced.")
    if not out.parent.is_dir():
        raise InvalidInput(f"The folder {out.parent} does not exist.")


def _add(zf: zipfile.ZipFile, name: str, src: Path, expect: str | None = None) -> dict:
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as f, zf.open(name, "w", force_zip64=True) as w:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
            size += len(block)
            w.write(block)
    digest = h.hexdigest()
    if expect is not None and digest != expect:
        raise EvidenceError(f"{src} changed since it was indexed; index again, then export.")
    return {"name": name, "size": size, "sha256": digest}


# -- reading ----------------------------------------------------------------------------------
def open_pack(path: str | Path) -> OpenedPack:
    """Check a pack whole and open it, or raise PackRefused (one line, nothing written)."""
    path = Path(path)
    label = path.name
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise PackRefused(f"Cannot read {label}: {exc.strerror or exc}.") from None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise PackRefused(f"{label} is not a regular file, so it is not read as an evidence "
                          "pack.")
    if st.st_size > MAX_PACK_BYTES:
        raise PackRefused(f"{label} is too large to be an evidence pack ({st.st_size // MIB:,} MB;"
                          f" the limit is {MAX_PACK_BYTES // MIB:,} MB).")
    sha = _file_sha(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
        if head[:2] != b"PK":
            raise PackRefused(f"{label} is not an evidence pack (it is not a zip file made by "
                              "Evidence Organiser).")
        zf = zipfile.ZipFile(path)
    except PackRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            struct.error, NotImplementedError):
        raise PackRefused(f"{label} is damaged or cut short (it is not a complete zip file); "
                          "ask the sender for it again.") from None
    try:
        return _checked(path, sha, zf)
    except PackRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, struct.error,
            KeyError, NotImplementedError, RuntimeError) as exc:
        raise PackRefused(f"{label} is damaged ({_short(exc)}); ask the sender for it "
                          "again.") from None
    finally:
        zf.close()


def _checked(path: Path, sha: str, zf: zipfile.ZipFile) -> OpenedPack:
    label = path.name
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackRefused(f"{label} holds {len(infos):,} entries; a pack may hold at most "
                          f"{MAX_ENTRIES:,}.")
    names = set()
    for info in infos:
        _check_name(label, info)
        if info.filename in names:
            raise PackRefused(f"{label} holds two entries named {info.filename!r}: it was "
                              "tampered with.")
        names.add(info.filename)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise PackRefused(f"{label} would expand to {total // MIB:,} MB; the limit is "
                          f"{MAX_UNPACKED // MIB:,} MB.")
    big = [i for i in infos if i.file_size >= MIB]
    if big and sum(i.file_size for i in big) / max(1, sum(i.compress_size for i in big)) > \
            MAX_RATIO:
        raise PackRefused(f"{label} looks like a zip bomb (its contents would expand more than "
                          f"{MAX_RATIO} times); it was not opened.")
    if any(i.flag_bits & 0x1 for i in infos):
        raise PackRefused(f"{label} is password-protected, which evidence packs never are.")
    if MANIFEST not in names:
        raise PackRefused(f"{label} is not an evidence pack (it has no manifest).")
    info = zf.getinfo(MANIFEST)
    if info.file_size > MAX_MANIFEST:
        raise PackRefused(f"{label}: its manifest is too large to be real.")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise PackRefused(f"{label} is damaged: its manifest cannot be read.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackRefused(f"{label} is not an evidence pack made by Evidence Organiser.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackRefused(f"{label} is damaged: its manifest has no valid format version.")
    if version > FORMAT_VERSION:
        app = manifest.get("app_version") or "a newer version"
        raise PackRefused(f"{label} was made by a newer Evidence Organiser ({app}, pack format "
                          f"{version}); update this app to read it.")
    entries = manifest.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise PackRefused(f"{label} is damaged: its manifest lists no entries.")
    listed = {str(e.get("name")): e for e in entries}
    if set(listed) != names - {MANIFEST} or len(listed) != len(entries):
        extra = sorted((names - {MANIFEST}) ^ set(listed))
        raise PackRefused(f"{label} was changed after it was made: its entries do not match its "
                          f"manifest ({', '.join(extra[:3]) or 'duplicates'}).")
    if PAYLOAD not in listed:
        raise PackRefused(f"{label} is damaged: it has no payload.")
    files: dict[str, str] = {}
    for name, entry in listed.items():
        if name != PAYLOAD:
            if not name.startswith(FILES_DIR) or name[len(FILES_DIR):] != entry.get("sha256"):
                raise PackRefused(f"{label} holds an entry the format does not allow: {name!r}.")
            files[entry["sha256"]] = name
        _verify_entry(label, zf, name, entry)
    tmpdir = tempfile.TemporaryDirectory(prefix="evpack-")
    try:
        os.chmod(tmpdir.name, 0o700)
        payload = Path(tmpdir.name) / PAYLOAD
        with zf.open(PAYLOAD) as src, open(payload, "wb") as dst:
            for block in iter(lambda: src.read(MIB), b""):
                dst.write(block)
        _check_payload(label, payload)
    except BaseException:
        tmpdir.cleanup()
        raise
    return OpenedPack(path, sha, manifest, payload, files, _tmpdir=tmpdir)


def _check_name(label: str, info: zipfile.ZipInfo) -> None:
    name = info.filename
    bad = (name.startswith(("/", "\\")) or "\\" in name or re.match(r"^[A-Za-z]:", name)
           or any(p in ("..", ".") for p in name.split("/")) or "\x00" in name)
    if bad or not _SAFE_NAME.match(name):
        raise PackRefused(f"{label} was refused: its entry {name!r} could write outside its "
                          "folder (an absolute path, a drive letter or '..').")
    mode = (info.external_attr >> 16) & 0o170000
    if mode == stat.S_IFLNK:
        raise PackRefused(f"{label} was refused: its entry {name!r} is a symbolic link.")
    if info.is_dir():
        raise PackRefused(f"{label} holds a folder entry {name!r}, which packs never have.")


def _verify_entry(label: str, zf: zipfile.ZipFile, name: str, entry: dict) -> None:
    info = zf.getinfo(name)
    if entry.get("size") != info.file_size:
        raise PackRefused(f"{label} was changed after it was made: {name} is not the size its "
                          "manifest says.")
    h = hashlib.sha256()
    with zf.open(name) as f:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
    if h.hexdigest() != entry.get("sha256"):
        raise PackRefused(f"{label} was changed after it was made: {name} does not match the "
                          "SHA-256 in its manifest.")


def _check_payload(label: str, payload: Path) -> None:
    import sqlite3  # start-up: sqlite3 is loaded only when this runs

    # start-up: loaded only when this runs
    from evidence_app.core.store.pack_payload import is_complete

    try:
        complete = is_complete(payload)
    except sqlite3.DatabaseError:
        raise PackRefused(f"{label} is damaged: its payload is not a database.") from None
    if not complete:
        raise PackRefused(f"{label} is damaged: its payload is incomplete.")


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MIB), b""):
            h.update(block)
    return h.hexdigest()


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
