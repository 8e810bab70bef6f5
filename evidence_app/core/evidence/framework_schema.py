"""The framework file's schema, checked before anything is merged.

A framework file comes from a colleague or the team's shared drive, so every value is checked
against the shape the app expects, and the first wrong one is named by its JSON path in a single
line: `requests: expected a list, found a number`, `areas[2].enquiries[0].title: expected text,
found an object`. Typed loading written here (a few dozen lines) rather than a schema library:
the shapes are small, the messages must be plain English, and there is nothing to install.

Two shapes are accepted: the app's own (`areas` with `enquiries`, and `requests`) and the ILACS
research file (`judgements` with `lines_of_enquiry`, and `week_one_requests`). Keys the app does
not use are ignored (so a newer file still imports), but their values are never trusted.
"""
from __future__ import annotations

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.base.user_text import printable

MAX_ITEMS = 5_000  # areas, lines or requests in one file (the real framework has ~120)
MAX_ID = 40
MAX_TITLE = 1_000
MAX_TEXT = 20_000
MAX_INT = 1_000_000
KINDS = ("data-list", "document", "other")

# field -> (kind, required, limit)
_ID = ("id", True, MAX_ID)
AREA = {"id": _ID, "title": ("text", True, MAX_TITLE), "short_title": ("text", False, MAX_TITLE),
        "position": ("int", False, None), "retired": ("bool", False, None),
        "custom": ("bool", False, None), "enquiries": ("list", False, None)}
ENQUIRY = {"id": _ID, "title": ("text", True, MAX_TITLE), "prompt": ("text", False, MAX_TEXT),
           "position": ("int", False, None), "retired": ("bool", False, None),
           "custom": ("bool", False, None), "confirmed": ("bool", False, None)}
REQUEST = {"id": _ID, "title": ("text", True, MAX_TITLE),
           "description": ("text", False, MAX_TEXT), "kind": ("kind", False, None),
           "ofsted_ref": ("text", False, MAX_TITLE), "period": ("text", False, MAX_TITLE),
           "position": ("int", False, None), "retired": ("bool", False, None),
           "custom": ("bool", False, None)}
JUDGEMENT = {"id": _ID, "title": ("text", True, MAX_TITLE),
             "short_title": ("text", False, MAX_TITLE), "lines_of_enquiry": ("list", False, None),
             "in_versions": ("strings", False, None)}
TOP = {"format": ("text", False, 200), "version": ("text", False, 200),
       "areas": ("list", True, None), "requests": ("list", False, None)}
RESEARCH = {"default_version": ("text", False, 200), "judgements": ("list", True, None),
            "week_one_requests": ("list", False, None)}


def _kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Wrong(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)


def _expected(path: str, what: str, value) -> _Wrong:
    return _Wrong(path, f"expected {what}, found {_kind_of(value)}")


def _check_text(path: str, value, limit: int, *, ident: bool = False) -> None:
    if not isinstance(value, str):
        raise _expected(path, "text", value)
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise _Wrong(path, "contains an invalid character (a lone surrogate)")
    if any(c < " " and c not in "\t\r\n" for c in value) or (ident and any(c < " " for c in value)):
        raise _Wrong(path, "contains a control character")
    if len(value) > limit:
        raise _Wrong(path, f"is too long ({len(value):,} characters; at most {limit:,})")


def _check_value(path: str, value, kind: str, limit) -> None:
    if kind == "id":
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        _check_text(path, value, limit, ident=True)
        if not value.strip():
            raise _Wrong(path, "is empty")
    elif kind == "text":
        if value is not None:
            _check_text(path, value, limit)
    elif kind == "int":
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                (isinstance(value, float) and not value.is_integer()):
            raise _expected(path, "a whole number", value)
        if not -MAX_INT <= value <= MAX_INT:
            raise _Wrong(path, f"is out of range (use -{MAX_INT:,} to {MAX_INT:,})")
    elif kind == "bool":
        if value is not None and not isinstance(value, (bool, int)) or isinstance(value, float):
            raise _expected(path, "true or false", value)
    elif kind == "kind":
        if value is not None and value not in KINDS:
            shown = printable(value, 40) if isinstance(value, str) else _kind_of(value)
            raise _Wrong(path, f"is '{shown}'; use {', '.join(KINDS)}")
    elif kind == "list":
        if not isinstance(value, list):
            raise _expected(path, "a list", value)
        if len(value) > MAX_ITEMS:
            raise _Wrong(path, f"has {len(value):,} entries (at most {MAX_ITEMS:,})")
    elif kind == "strings":
        if not isinstance(value, list):
            raise _expected(path, "a list", value)
        for i, v in enumerate(value[:MAX_ITEMS]):
            _check_text(f"{path}[{i}]", v, 200)


def _check_object(path: str, obj, fields: dict, what: str) -> None:
    if not isinstance(obj, dict):
        raise _expected(path, f"an object ({what})", obj)
    for key, (kind, required, limit) in fields.items():
        here = f"{path}.{key}" if path else key
        if key not in obj or (required and obj[key] is None):
            if required:
                raise _Wrong(here, f"is missing (every {what} needs one)")
            continue
        if kind == "list" and obj[key] is None and not required:
            raise _expected(here, "a list", None)
        _check_value(here, obj[key], kind, limit)
        if kind == "text" and required and not obj[key].strip():
            raise _Wrong(here, "is empty")


def _check_items(path: str, items: list, fields: dict, what: str, nested=None) -> None:
    for i, item in enumerate(items):
        here = f"{path}[{i}]"
        _check_object(here, item, fields, what)
        if nested:
            key, sub_fields, sub_what = nested
            _check_items(f"{here}.{key}", item.get(key) or [], sub_fields, sub_what)


def validate(data, name: str = "the file") -> None:
    """Raise InvalidInput naming the first wrong value's JSON path, or return quietly."""
    try:
        if not isinstance(data, dict):
            raise _Wrong("", f"expected an object with judgement areas, found {_kind_of(data)}")
        if "judgements" in data and "areas" not in data:
            _check_object("", data, RESEARCH, "research file")
            _check_items("judgements", data["judgements"], JUDGEMENT, "judgement",
                         ("lines_of_enquiry", ENQUIRY, "line of enquiry"))
            _check_items("week_one_requests", data.get("week_one_requests") or [], REQUEST,
                         "request")
            return
        if "areas" not in data:
            raise _Wrong("", "it has no list of judgement areas ('areas')")
        _check_object("", data, TOP, "framework file")
        _check_items("areas", data["areas"], AREA, "judgement area",
                     ("enquiries", ENQUIRY, "line of enquiry"))
        _check_items("requests", data.get("requests") or [], REQUEST, "request")
    except _Wrong as exc:
        raise InvalidInput(f"{name} is not a framework file this app can read: {exc}.") from None
