"""Workspace settings a person chooses (their name and team, the default protective marking,
the framework version), kept in the `meta` table.

They live in the workspace, not in the user profile, because they describe the work: the name
printed as "Prepared by" on a bundle and recorded on evidence and in the audit log must be the
same whichever face (window or CLI) is used.

The person's name is asked for once and stored; it is never taken silently from the login name
("root", "jsmith01" on a bundle for inspectors is wrong). `person_name` is None until someone has
given it: the window's first-run dialog asks, the CLI asks on a terminal, and an export refuses
with `NameNeeded` (which says how to set it) rather than print a login name. `author` keeps a
fallback for the audit log only, so that tagging from a script still records who was logged in.
"""
from __future__ import annotations

import getpass

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.workspace import Workspace

AUTHOR_KEY = "settings.author"
TEAM_KEY = "settings.team"
MARKING_KEY = "default_marking"     # the key the window has always used; kept for old workspaces
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE PERSONAL")
SET_NAME_HINT = 'evidence-app settings --author "Your Name" [--team "Your team"]'


class NameNeeded(InvalidInput):
    """Nobody has said who they are yet, and something (an export) needs a person's name."""

    def __init__(self, what: str = "An export") -> None:
        super().__init__(f"{what} needs your name for 'Prepared by'; set it once with: "
                         f"{SET_NAME_HINT}")


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def default_author() -> str:
    """The operating-system user name: only a fallback for the audit log, never printed as
    "Prepared by"."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name (e.g. a service account without USER set)
        return "unknown"


# -- who the person is -------------------------------------------------------------------------
def person_name(ws: Workspace) -> str | None:
    """The name the person gave, or None when nobody has said yet (ask them)."""
    return _clean(ws.get_meta(AUTHOR_KEY)) or None


def team(ws: Workspace) -> str | None:
    """The person's team or service ("Quality Assurance"), or None."""
    return _clean(ws.get_meta(TEAM_KEY)) or None


def has_person(ws: Workspace) -> bool:
    """True once the person's name is stored: the window asks on first run while this is False."""
    return person_name(ws) is not None


def require_name(ws: Workspace, what: str = "An export") -> str:
    """The stored name, or NameNeeded (a one-line message saying how to set it)."""
    name = person_name(ws)
    if name is None:
        raise NameNeeded(what)
    return name


def prepared_by(ws: Workspace) -> str:
    """What a bundle's cover prints as "Prepared by": "Name, Team", the name alone, or "" when
    nobody has said who they are (callers then ask or refuse)."""
    name = person_name(ws)
    if name is None:
        return ""
    t = team(ws)
    return f"{name}, {t}" if t else name


def author(ws: Workspace) -> str:
    """Who is doing the work now, for evidence and the audit log: the stored name, else the
    login name (a script that tags evidence before anyone set a name is still attributed)."""
    return person_name(ws) or default_author()


def set_author(ws: Workspace, name: str) -> str:
    """Store the person's name (spaces tidied); empty or over-long names are refused."""
    name = _clean(name)
    if not name:
        raise InvalidInput("Your name cannot be empty.")
    if len(name) > 100:
        raise InvalidInput("Your name is too long (100 characters at most).")
    ws.set_meta(AUTHOR_KEY, name)
    return name


def set_team(ws: Workspace, value: str | None) -> str | None:
    """Store the person's team; an empty value clears it."""
    value = _clean(value)
    if len(value) > 100:
        raise InvalidInput("The team name is too long (100 characters at most).")
    ws.set_meta(TEAM_KEY, value)
    return value or None


def set_person(ws: Workspace, name: str, team_name: str | None = None) -> dict:
    """Name and team in one go (the first-run dialog): the name is checked before anything is
    stored, so a refused name leaves the team unchanged too."""
    if not _clean(name):
        raise InvalidInput("Your name cannot be empty.")
    set_author(ws, name)
    if team_name is not None:
        set_team(ws, team_name)
    return {"author": person_name(ws), "team": team(ws)}


# -- the default protective marking ------------------------------------------------------------
def normalise_marking(value: str | None) -> str:
    value = _clean(value).upper()
    if not value:
        raise InvalidInput("The protective marking cannot be empty (e.g. OFFICIAL-SENSITIVE).")
    if len(value) > 60:
        raise InvalidInput("The protective marking is too long (60 characters at most).")
    return value


def default_marking(ws: Workspace) -> str:
    """The marking new bundles get unless one is given: the setting, else OFFICIAL-SENSITIVE."""
    stored = _clean(ws.get_meta(MARKING_KEY))
    return stored.upper() if stored else DEFAULT_MARKING


def set_default_marking(ws: Workspace, value: str) -> str:
    value = normalise_marking(value)
    ws.set_meta(MARKING_KEY, value)
    return value


def as_dict(ws: Workspace) -> dict:
    name = person_name(ws)
    return {"author": name, "team": team(ws), "author_is_default": name is None,
            "prepared_by": prepared_by(ws), "default_marking": default_marking(ws),
            "framework_version": ws.get_meta("framework.version")}
