"""Workspace settings a person chooses, as ONE typed object: `Settings` (read with `load`, changed
with `save`). This module owns every settings key, its type, default and limits; the window's
settings dialog, the CLI's `settings` command, the indexer's limits, backups and new bundles all
read the same object, so a setting can never be defined in one face and ignored by another (the
default marking once was: set to OFFICIAL in the dialog, bundles still said OFFICIAL-SENSITIVE).

They live in the workspace (the `meta` table), not in the user profile, because they describe
the work: the name printed as "Prepared by" on a bundle and recorded on evidence and in the audit
log must be the same whichever face (window or CLI) is used.

The person's name is asked for once and stored; it is never taken silently from the login name
("root", "jsmith01" on a bundle for inspectors is wrong). `Settings.author` is None until someone
has given it: the window's first-run dialog asks, the CLI asks on a terminal, and an export
refuses with `NameNeeded` (which says how to set it) rather than print a login name. `author()`
keeps a fallback for the audit log only, so that tagging from a script still records who was
logged in.
"""
from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Any, Callable

from evidence_app.core.base.frozen import frozen
from evidence_app.core.base.changes import Changes, Done
from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.store import settings as store

if TYPE_CHECKING:  # the workspace sits above the stages; only its type is needed here
    from evidence_app.core.workspace import Workspace

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE PERSONAL")
SET_NAME_HINT = 'evidence-app settings --author "Your Name" [--team "Your team"]'


class NameNeeded(InvalidInput):
    """Nobody has said who they are yet, and something (an export) needs a person's name."""

    def __init__(self, what: str = "An export") -> None:
        super().__init__(f"{what} needs your name for 'Prepared by'; set it once with: "
                         f"{SET_NAME_HINT}")


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


# -- checking what a person typed --------------------------------------------------------------
def _name(value: Any) -> str:
    name = _clean(value)
    if not name:
        raise InvalidInput("Your name cannot be empty.")
    if len(name) > 100:
        raise InvalidInput("Your name is too long (100 characters at most).")
    return name


def _team(value: Any) -> str | None:
    value = _clean(value)
    if len(value) > 100:
        raise InvalidInput("The team name is too long (100 characters at most).")
    return value or None


def normalise_marking(value: str | None) -> str:
    value = _clean(value).upper()
    if not value:
        raise InvalidInput("The protective marking cannot be empty (e.g. OFFICIAL-SENSITIVE).")
    if len(value) > 60:
        raise InvalidInput("The protective marking is too long (60 characters at most).")
    return value


def _number(cast: Callable[[Any], Any], low: float, high: float, what: str, unit: str):
    def check(value: Any) -> Any:
        try:
            number = cast(float(str(value).strip()))
        except (TypeError, ValueError, OverflowError):
            raise InvalidInput(f"The {what} must be a number of {unit}, not '{_clean(value)[:20]}'.") \
                from None
        if not low <= number <= high:
            raise InvalidInput(f"The {what} must be between {low:g} and {high:g} {unit}.")
        return number
    return check


def _on_off(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _clean(value).lower()
    if word in ("on", "yes", "true", "1"):
        return True
    if word in ("off", "no", "false", "0"):
        return False
    raise InvalidInput(f"OCR can be 'on' or 'off', not '{_clean(value)[:20]}'.")


def _version(value: Any) -> str | None:
    return _clean(value) or None


@frozen
class Key:
    """One setting: the `meta` key it is stored under, how a person's value is checked, and how
    it is written back as text."""

    meta: str
    check: Callable[[Any], Any]
    text: Callable[[Any], str] = str
    label: str = ""


KEYS: dict[str, Key] = {
    "author": Key("settings.author", _name, label="your name"),
    "team": Key("settings.team", _team, lambda v: v or "", "your team"),
    # "default_marking" is the key the window has always used; kept for old workspaces
    "default_marking": Key("default_marking", normalise_marking, label="default marking"),
    # written by the framework stage when the version is switched; read here with the rest
    "framework_version": Key("framework.version", _version, lambda v: v or "",
                             "framework version"),
    "time_limit_s": Key("limit.time_limit_s", _number(float, 1, 3600, "time limit per file",
                                                      "seconds"),
                        lambda v: str(int(v)) if float(v).is_integer() else str(v),
                        "time limit per file"),
    "memory_limit_mb": Key("limit.memory_limit_mb", _number(int, 128, 16384,
                                                            "memory limit per file", "MB"),
                           label="memory limit per file"),
    "max_file_bytes": Key("limit.max_file_bytes", _number(int, 1024, 1 << 40,
                                                          "largest file read", "bytes"),
                          label="largest file read"),
    "backup_keep": Key("backup.keep", _number(int, 1, 1000, "number of automatic backups kept",
                                              "backups"), label="automatic backups kept"),
    # reading scanned pages (core/index/ocr): on by default, since Tesseract reads a page in
    # ~1-2 s in the workers after the fast pass, so a share with 5% scans has them searchable
    # minutes after its text and a search of a child's file no longer silently misses them
    "ocr": Key("settings.ocr", _on_off, lambda v: "on" if v else "off",
               "reading scanned pages (OCR)"),
    "ocr_page_cap": Key("settings.ocr_page_cap", _number(int, 1, 5000, "OCR page limit",
                                                         "pages a document"),
                        label="scanned pages read per document"),
}
# switched only through the framework stage (`framework.use_version` merges the new version in)
READ_ONLY = frozenset({"framework_version"})
# the meta keys other modules need by name (the framework stage writes its version itself)
AUTHOR_KEY = KEYS["author"].meta
TEAM_KEY = KEYS["team"].meta
MARKING_KEY = KEYS["default_marking"].meta
FRAMEWORK_VERSION_KEY = KEYS["framework_version"].meta


@frozen
class Settings:
    """Every workspace setting with its type and default. The limits' defaults are the
    extractors' own (`Limits`), checked equal by a test."""

    author: str | None = None
    team: str | None = None
    default_marking: str = DEFAULT_MARKING
    framework_version: str | None = None
    time_limit_s: float = 30.0
    memory_limit_mb: int = 1024
    max_file_bytes: int = 200 * 1024 * 1024
    backup_keep: int = 10
    ocr: bool = True
    ocr_page_cap: int = 200

    @property
    def prepared_by(self) -> str:
        """"Name, Team", the name alone, or "" when nobody has said who they are."""
        if self.author is None:
            return ""
        return f"{self.author}, {self.team}" if self.team else self.author

    def as_json(self) -> dict:
        """The `settings --json` shape (author, team, author_is_default, prepared_by,
        default_marking, framework_version, then the reading limits)."""
        return {"author": self.author, "team": self.team,
                "author_is_default": self.author is None, "prepared_by": self.prepared_by,
                "default_marking": self.default_marking,
                "framework_version": self.framework_version,
                "time_limit_s": self.time_limit_s, "memory_limit_mb": self.memory_limit_mb,
                "max_file_bytes": self.max_file_bytes, "backup_keep": self.backup_keep,
                "ocr": self.ocr, "ocr_page_cap": self.ocr_page_cap}


DEFAULTS = Settings()


def load(ws: Workspace) -> Settings:
    """The workspace's settings in one read. A stored value that no longer passes its check (a
    hand-edited database, an older version's spelling) falls back to the default instead of
    breaking whatever needed it."""
    stored = store.read(ws.conn, [k.meta for k in KEYS.values()])
    values: dict[str, Any] = {}
    for field, key in KEYS.items():
        raw = _clean(stored.get(key.meta))
        if not raw:
            continue
        try:
            values[field] = key.check(raw)
        except InvalidInput:
            continue
    return Settings(**values)


def _one(ws: Workspace, field: str) -> Any:
    """One setting exactly as `load` gives it, reading only its own key: the person's name is
    read for every tag and every audit entry, where loading all the settings was a tenth of
    a tag's time."""
    key = KEYS[field]
    raw = _clean(store.read(ws.conn, [key.meta]).get(key.meta))
    if raw:
        try:
            return key.check(raw)
        except InvalidInput:
            pass
    return getattr(DEFAULTS, field)


def save(ws: Workspace, **changes: Any) -> Done[Settings]:
    """Change some settings at once: every value is checked before anything is stored (a refused
    name leaves the team and marking unchanged too). `team=""` clears the team. Returns the new
    Settings; its undo puts the previous stored values back."""
    unknown = set(changes) - set(KEYS) | set(changes) & READ_ONLY
    if unknown:
        raise InvalidInput(f"The setting '{sorted(unknown)[0]}' cannot be changed here.")
    checked = {f: KEYS[f].check(v) for f, v in changes.items() if v is not None}
    before = store.read(ws.conn, [KEYS[f].meta for f in checked])
    store.write(ws.db, {KEYS[f].meta: KEYS[f].text(v) for f, v in checked.items()})
    after = load(ws)

    def undo(w: Workspace) -> Done[Settings]:
        now = store.read(w.conn, list(before))
        store.write(w.db, {k: before.get(k) or "" for k in before})
        restored = load(w)
        return Done(restored, Changes.of("settings"), lambda w2: _redo(w2, now),
                    "Change settings")

    return Done(after, Changes.of("settings"), undo, "Change settings")


def _redo(ws: Workspace, stored: dict[str, str | None]) -> Done[Settings]:
    before = store.read(ws.conn, list(stored))
    store.write(ws.db, {k: v or "" for k, v in stored.items()})
    return Done(load(ws), Changes.of("settings"),
                lambda w: _redo(w, before), "Change settings")


# -- who the person is -------------------------------------------------------------------------
def default_author() -> str:
    """The operating-system user name: only a fallback for the audit log, never printed as
    "Prepared by"."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name (e.g. a service account without USER set)
        return "unknown"


def person_name(ws: Workspace) -> str | None:
    """The name the person gave, or None when nobody has said yet (ask them)."""
    return _one(ws, "author")


def team(ws: Workspace) -> str | None:
    """The person's team or service ("Quality Assurance"), or None."""
    return _one(ws, "team")


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
    return load(ws).prepared_by


def author(ws: Workspace) -> str:
    """Who is doing the work now, for evidence and the audit log: the stored name, else the
    login name (a script that tags evidence before anyone set a name is still attributed)."""
    return person_name(ws) or default_author()


def set_author(ws: Workspace, name: str) -> str:
    """Store the person's name (spaces tidied); empty or over-long names are refused."""
    return save(ws, author=name).value.author or ""


def set_team(ws: Workspace, value: str | None) -> str | None:
    """Store the person's team; an empty value clears it."""
    return save(ws, team=value or "").value.team


def set_person(ws: Workspace, name: str, team_name: str | None = None) -> dict:
    """Name and team in one go (the first-run dialog): both are checked before anything is
    stored, so a refused name leaves the team unchanged too."""
    s = save(ws, author=name, **({} if team_name is None else {"team": team_name})).value
    return {"author": s.author, "team": s.team}


# -- the default protective marking ------------------------------------------------------------
def default_marking(ws: Workspace) -> str:
    """The marking new bundles get unless one is given: the setting, else OFFICIAL-SENSITIVE."""
    return load(ws).default_marking


def set_default_marking(ws: Workspace, value: str) -> str:
    return save(ws, default_marking=value).value.default_marking


def as_dict(ws: Workspace) -> dict:
    return load(ws).as_json()


# -- reading scanned pages (OCR) ---------------------------------------------------------------
def ocr_enabled(ws: Workspace) -> bool:
    """True unless someone turned OCR off for this workspace."""
    return load(ws).ocr


def set_ocr(ws: Workspace, on: bool | str) -> bool:
    return save(ws, ocr=on).value.ocr


def ocr_page_cap(ws: Workspace) -> int:
    """Scanned pages read per document at most (the rest: name only, with the reason)."""
    return load(ws).ocr_page_cap


def set_ocr_page_cap(ws: Workspace, pages: int) -> int:
    return save(ws, ocr_page_cap=pages).value.ocr_page_cap
