"""Window state and the last workspace, in QSettings (what a user chooses lives in the workspace).

When `EVIDENCE_APP_HOME` is set (tests, portable installs) the settings are an INI file in that
folder, so nothing touches the real profile.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from evidence_app.paths import app_home

ORG = "EvidenceOrganiser"
APP = "Evidence Organiser"
LAST_WORKSPACE = "workspace/last"
RECENT = "workspace/recent"


def settings() -> QSettings:
    if os.environ.get("EVIDENCE_APP_HOME"):
        home = app_home()
        home.mkdir(parents=True, exist_ok=True)
        return QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG, APP)


def last_workspace() -> Path | None:
    value = settings().value(LAST_WORKSPACE, "")
    return Path(str(value)) if value else None


def remember_workspace(root: Path) -> None:
    s = settings()
    s.setValue(LAST_WORKSPACE, str(root))
    recent = [str(root)] + [p for p in recent_workspaces_raw(s) if p != str(root)]
    s.setValue(RECENT, recent[:8])
    s.sync()


def forget_last_workspace() -> None:
    s = settings()
    s.remove(LAST_WORKSPACE)
    s.sync()


def recent_workspaces_raw(s: QSettings | None = None) -> list[str]:
    value = (s or settings()).value(RECENT, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in (value or [])]


def recent_workspaces() -> list[Path]:
    return [Path(p) for p in recent_workspaces_raw() if (Path(p) / "evidence.db").exists()]
