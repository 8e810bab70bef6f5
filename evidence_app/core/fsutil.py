"""Small file-system guarantees shared by the journal, backups and exports."""
from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable (POSIX; a no-op where folders can't be
    opened, e.g. Windows, whose NTFS journals the rename itself)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(str(path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass
