"""Writing exports safely, and the manifest that proves what was written.

Chain of custody: an export is either absent or complete. It is written to a temporary file in the
same folder, flushed to disk (fsync), then moved into place in one step (a hard link when the
name must not be taken, so two exports racing for the same name cannot overwrite each other;
os.replace with `force`). Its SHA-256 and the list of included sources with their hashes go into
a manifest beside it, named after the full file name: `OUT.docx` -> `OUT.docx.manifest.json`
(`OUT.xlsx.manifest.json` for spreadsheets), so a bundle and its manifest sort together and
never collide with another export's manifest.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.fsutil import fsync_dir

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "evidence-organiser/export-manifest"


@frozen
class Written:
    path: Path
    sha256: str
    size: int


def manifest_path(out: Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + MANIFEST_SUFFIX)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_target(out: Path, *, force: bool, suffix: str | None = None) -> Path:
    """Refuse before any work is done: a wrong suffix, a missing folder, an existing file."""
    out = Path(out)
    if suffix and out.suffix.lower() != suffix:
        raise InvalidInput(f"The export file must end in {suffix} (got '{out.name}').")
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name ending in {suffix or ''}.")
    if not force:
        for existing in (out, manifest_path(out)):
            if existing.exists():
                raise InvalidInput(f"{existing} already exists. Choose another name, or use "
                                   "--force to replace it.")
    return out


def write_atomic(out: Path, data: bytes, *, force: bool = False, verify=None) -> Written:
    """Put `data` at `out` completely or not at all; never replace a file unless `force`.

    `verify(tmp_path)`, when given, reads the written temporary file back before it is moved into
    place; if it raises, the temporary file is deleted and nothing is delivered."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"Cannot create the folder {out.parent}: {exc.strerror}.") from exc
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    try:
        # os.open with 0o666 honours the umask (mkstemp would leave the export readable only
        # by its writer, which surprises colleagues on a shared drive)
        fd = os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
    except OSError as exc:
        raise InvalidInput(f"Cannot write in {out.parent}: {exc.strerror}.") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if verify is not None:
            verify(tmp)
        if force:
            os.replace(tmp, out)
        else:
            _place_new(tmp, out)
    except FileExistsError as exc:
        raise InvalidInput(f"{out} already exists. Choose another name, or use --force to "
                           "replace it.") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    fsync_dir(out.parent)
    return Written(out, sha256_bytes(data), len(data))


def _place_new(tmp: Path, out: Path) -> None:
    """Move into place only if the name is free, atomically where the file system allows."""
    try:
        os.link(tmp, out)           # fails with FileExistsError if the name is taken
    except FileExistsError:
        raise
    except OSError:                 # no hard links here (some network or FAT drives)
        if out.exists():
            raise FileExistsError(str(out)) from None
        os.replace(tmp, out)


def write_manifest(out: Path, written: Written, info: dict, *, force: bool = False) -> Path:
    """The manifest beside the export: its hash, size, and whatever the caller records (bundle,
    sources with their hashes, redaction counts)."""
    target = manifest_path(out)
    body = {"format": MANIFEST_FORMAT, "version": 1, "file": Path(out).name,
            "sha256": written.sha256, "size": written.size, **info}
    data = json.dumps(body, ensure_ascii=False, indent=2, default=str).encode("utf-8") + b"\n"
    write_atomic(target, data, force=force)
    return target
