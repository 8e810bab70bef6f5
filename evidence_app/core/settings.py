"""Workspace settings a person chooses (author name, framework version), kept in the `meta` table.

They live in the workspace, not in the user profile, because they describe the work: the author
recorded on evidence and in the audit log must be the same whichever face (window or CLI) is used.
"""
from __future__ import annotations

import getpass

from .errors import InvalidInput
from .workspace import Workspace

AUTHOR_KEY = "settings.author"


def default_author() -> str:
    """The operating-system user name: what a council laptop knows about who is logged in."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name (e.g. a service account without USER set)
        return "unknown"


def author(ws: Workspace) -> str:
    """Who is doing the work now: the chosen name, else the OS user name."""
    return ws.get_meta(AUTHOR_KEY) or default_author()


def set_author(ws: Workspace, name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("The author name cannot be empty.")
    if len(name) > 100:
        raise InvalidInput("The author name is too long (100 characters at most).")
    ws.set_meta(AUTHOR_KEY, name)
    return name


def as_dict(ws: Workspace) -> dict:
    return {"author": author(ws), "author_is_default": ws.get_meta(AUTHOR_KEY) is None,
            "framework_version": ws.get_meta("framework.version")}
