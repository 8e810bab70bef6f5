"""Every folder the app uses, in one place.

The workspace is chosen by `--workspace`, then `EVIDENCE_WORKSPACE`, then the user's data folder
(platformdirs). `EVIDENCE_APP_HOME` moves the app's own settings and default workspace, so tests
never touch the real profile.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "EvidenceOrganiser"
APP_AUTHOR = "EvidenceOrganiser"


def app_home() -> Path:
    """Where settings and the default workspace live."""
    override = os.environ.get("EVIDENCE_APP_HOME")
    if override:
        return Path(override).expanduser().resolve()
    import platformdirs  # start-up: platformdirs is loaded only when this runs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_workspace() -> Path:
    return app_home() / "workspace"


def resolve_workspace(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get("EVIDENCE_WORKSPACE")
    if env:
        return Path(env).expanduser().resolve()
    return default_workspace()


def resources_dir() -> Path:
    """The shipped `resources/` folder, also when frozen by PyInstaller."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


def icons_dir() -> Path:
    return resources_dir().parent / "icons"
