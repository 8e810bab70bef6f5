"""Where a workspace must not live: cloud-sync and network folders, and read-only media.

A SQLite database in a folder that OneDrive, Dropbox or a network share synchronises gets copied
half-written, "conflict copies" appear, and the lock that keeps two windows apart does not cross
machines. So the app refuses such a folder unless the person insists (`--allow-synced-folder`),
with a strong warning. Detection is by well-known folder names (OneDrive, SharePoint, Dropbox,
Google Drive, iCloud, Box), UNC paths (\\\\server\\share), Windows network drives, and on Linux the
filesystem type in /proc/mounts (nfs, cifs, smb, sshfs, fuse.*).
"""
from __future__ import annotations

import errno
import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    from pathlib import Path

MOUNTS_FILE = "/proc/mounts"
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "sshfs", "9p", "afs", "ncpfs",
              "davfs", "glusterfs", "ceph", "lustre", "gpfs", "beegfs"}
# name (lower case) -> service, matched against each folder in the path
_EXACT = {"dropbox": "Dropbox", "google drive": "Google Drive", "googledrive": "Google Drive",
          "my drive": "Google Drive", "icloud drive": "iCloud Drive", "iclouddrive": "iCloud Drive",
          "mobile documents": "iCloud Drive", "com~apple~clouddocs": "iCloud Drive",
          "box": "Box", "box sync": "Box", "box drive": "Box"}
_PREFIX = {"onedrive": "OneDrive", "sharepoint": "SharePoint", "dropbox (": "Dropbox",
           "googledrive-": "Google Drive", "google drive (": "Google Drive"}
_ENV_FOLDERS = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")

ALLOW_MARKER = ".allow-synced-folder"


def _service_for_name(part: str) -> str | None:
    low = part.lower()
    if low in _EXACT:
        return _EXACT[low]
    for prefix, service in _PREFIX.items():
        if low.startswith(prefix):
            return service
    if "sharepoint" in low:
        return "SharePoint"
    return None


def _mounts() -> list[tuple[str, str]]:
    """(mount point, filesystem type) from /proc/mounts; empty where there is none."""
    try:
        with open(MOUNTS_FILE, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
            out.append((point, parts[2]))
    return out


def mount_for(path: Path) -> tuple[str, str] | None:
    """The mount (point, type) that holds `path` (the longest matching mount point)."""
    real = os.path.realpath(str(path))
    best = None
    for point, fstype in _mounts():
        p = point.rstrip("/") or "/"
        if real == p or real.startswith(p.rstrip("/") + "/") or p == "/":
            if best is None or len(p) >= len(best[0]):
                best = (p, fstype)
    return best


def _is_network_fstype(fstype: str) -> bool:
    f = fstype.lower()
    return f in NETWORK_FS or f.startswith("fuse.") or f.startswith("nfs") or f.startswith("smb")


def _windows_remote_drive(path: Path) -> bool:
    try:
        import ctypes  # start-up: ctypes is loaded only when this runs

        drive = os.path.splitdrive(str(path))[0]
        if not drive:
            return False
        return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    except Exception:  # noqa: BLE001
        return False


def synced_reason(path: Path | str) -> str | None:
    """Why `path` is a cloud-synchronised or network folder, or None if it looks local.
    (With os.path only: the quick path of `search`, cli/fast_open.py, asks it too.)"""
    raw = str(path)
    if raw.startswith("\\\\") or raw.startswith("//"):
        return "it is on a network share (a \\\\server\\share path)"
    p = os.path.abspath(raw)
    for part in _parts(p):
        service = _service_for_name(part)
        if service:
            return f"it is inside a folder synchronised by {service} ('{part}')"
    if any(part.lower() == "cloudstorage" for part in _parts(p)):  # macOS File Provider apps
        return "it is inside a folder synchronised by a cloud-storage app (Library/CloudStorage)"
    for var in _ENV_FOLDERS:
        folder = os.environ.get(var)
        if folder and _inside(p, os.path.abspath(folder)):
            return f"it is inside your OneDrive folder ({folder})"
    if sys.platform.startswith("win"):
        if _windows_remote_drive(p):
            return "it is on a network drive"
        return None
    m = mount_for(p)  # realpath, also of a folder not created yet
    if m and _is_network_fstype(m[1]):
        return f"it is on a network filesystem ({m[1]} mounted at {m[0]})"
    return None


def _parts(path: str) -> list[str]:
    """The folders and name of an absolute path (PurePath.parts without the anchor)."""
    return [part for part in os.path.splitdrive(path)[1].split(os.sep) if part]


def _inside(path: str, folder: str) -> bool:
    """Is the absolute `path` the absolute `folder` or inside it (as PurePath.relative_to
    decides: whole names, ignoring case where the system does)?"""
    path, folder = os.path.normcase(path), os.path.normcase(folder)
    if os.path.splitdrive(path)[0] != os.path.splitdrive(folder)[0]:
        return False
    if _double_slash_root(path) != _double_slash_root(folder):
        return False  # POSIX keeps a leading "//" as a root of its own (os.path and pathlib too)
    inner, outer = _parts(path), _parts(folder)
    return inner[:len(outer)] == outer


def _double_slash_root(path: str) -> bool:
    return os.sep == "/" and path.startswith("//") and not path.startswith("///")


def synced_message(root: Path, reason: str) -> str:
    return (f"The workspace {root} cannot be used because {reason}. A database in a synchronised "
            "or network folder can be copied half-written and damaged, and two people could open "
            "it at once. Choose a folder on this computer's own disk (e.g. Documents\\Evidence "
            "Organiser outside OneDrive), or, if you accept the risk, run again with "
            "--allow-synced-folder.")


def synced_warning(root: Path, reason: str) -> str:
    return (f"WARNING: the workspace {root} is used although {reason}. Do not open it on two "
            "computers at once, and keep backups elsewhere: synchronisation can damage a "
            "database that is being written.")


def allowed_synced(root: Path) -> bool:
    """The person chose to keep this workspace in a synchronised folder (marker file)."""
    from pathlib import Path  # start-up: the quick path of `search` never asks this

    return (Path(root) / ALLOW_MARKER).exists() or \
        os.environ.get("EVIDENCE_ALLOW_SYNCED_FOLDER", "") not in ("", "0")


def allow_synced(root: Path) -> None:
    from pathlib import Path  # start-up: the quick path of `search` never asks this

    Path(root).mkdir(parents=True, exist_ok=True)
    (Path(root) / ALLOW_MARKER).write_text(
        "The person who created this workspace chose to keep it in a synchronised or network "
        "folder (--allow-synced-folder).\n", "utf-8")


def is_writable_folder(root: Path) -> tuple[bool, str]:
    """Can the app write in `root`? (read-only media, a read-only mount, no permission)."""
    import tempfile  # here, not at the top: every command checks the location at start-up
    from pathlib import Path  # start-up: the quick path of `search` never asks this

    try:
        fd, name = tempfile.mkstemp(prefix=".write-test-", dir=str(root))
    except OSError as exc:
        if exc.errno in (errno.EROFS,):
            return False, "it is on read-only media"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return False, "you do not have permission to change it"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT if hasattr(errno, "EDQUOT") else errno.ENOSPC):
            return True, ""  # writable, just full: the write itself will say so
        return False, f"it cannot be written ({exc.strerror})"
    os.close(fd)
    try:
        os.unlink(name)
    except OSError:
        pass
    db = Path(root) / "evidence.db"
    if db.exists() and not os.access(str(db), os.W_OK):
        return False, "the database file is read-only"
    return True, ""
