"""Checking a pack before anything is written: every record of its payload readable and of the
expected shape (one bad pack: nothing is written), and `--map OLD=NEW` read."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from evidence_app.core.base.errors import InvalidInput
from evidence_app.core.bundles.bundles import GROUPINGS
from evidence_app.core.evidence.cases import CASE_STATUSES
from evidence_app.core.evidence.evidence import KINDS, STRENGTHS
from evidence_app.core.evidence.requests import REQUEST_STATUSES
from evidence_app.core.packs import local_state
from evidence_app.core.packs.pack_file import OpenedPack, PackRefused, open_pack
from evidence_app.core.packs.revisions import VERSIONED
from evidence_app.core.store import packs as store
from evidence_app.core.store.pack_payload import PayloadReader

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$")


def parse_maps(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        old, sep, new = str(v).partition("=")
        old, new = old.strip().upper(), new.strip().upper()
        if not sep or not _ID.match(old or "-") or not _ID.match(new or "-"):
            raise InvalidInput(f"'{v}' is not a mapping: write OLD=NEW, e.g. --map "
                               "LEAD-17=LEAD-02.")
        out[old] = new
    return out


# -- checking what a payload holds -----------------------------------------------------------
def _validate(label, items, cases, requests, frame) -> None:
    from evidence_app.core.evidence.cases import norm_ref  # start-up: loaded only when this runs

    def bad(what: str) -> PackRefused:
        return PackRefused(f"{label} is damaged or was not made by Evidence Organiser: {what}.")

    for uuid, heads, fixed in items:
        if not isinstance(uuid, str) or not 8 <= len(uuid) <= 64 or not isinstance(heads, list) \
                or not heads or not isinstance(fixed, dict):
            raise bad("an evidence item is incomplete")
        for h in heads:
            c = h.get("content") if isinstance(h, dict) else None
            if not isinstance(c, dict) or set(c) != set(VERSIONED) or not isinstance(
                    h.get("rev"), str) or not isinstance(h.get("history", []), list):
                raise bad("an evidence item's version is incomplete")
            if c["strength"] not in STRENGTHS or c["kind"] not in KINDS:
                raise bad(f"an item has strength {c['strength']!r} or kind {c['kind']!r}")
            if not isinstance(c["note"], str) or not isinstance(c["updated_at"], str) or \
                    not all(isinstance(x, str) and _ID.match(x) for x in
                            c["enquiries"] + c["requests"]):
                raise bad("an item's note, time or framework ids are not readable")
            for k in ("case_ref", "deleted_at", "deleted_by"):
                if c[k] is not None and not isinstance(c[k], str):
                    raise bad("an item's case or deletion is not readable")
        if not isinstance(fixed.get("author"), str) or not isinstance(fixed.get("created_at"),
                                                                        str):
            raise bad("an item has no author or creation time")
        if not all(_scalar(fixed.get(k), str) for k in ("quote", "context_before",
                                                         "context_after")) or \
                not all(_scalar(fixed.get(k), int) for k in ("start", "end", "page")) or \
                not isinstance(fixed.get("doc") or {}, dict) or \
                not all(_scalar(v, (str, int)) for v in (fixed.get("doc") or {}).values()):
            raise bad("an item's quote, place or document is not readable")
    for ref, fields, ticks, _ in cases:
        if not isinstance(fields, dict) or not isinstance(ticks, list):
            raise bad(f"case {ref} is incomplete")
        try:
            if norm_ref(ref) != ref:
                raise InvalidInput(ref)
        except InvalidInput:
            raise bad(f"a case reference is not valid ({str(ref)[:40]!r})") from None
        if not all(isinstance(t, dict) and _scalar(t.get("by"), str) and
                   _scalar(t.get("at"), str) for t in ticks):
            raise bad(f"case {ref} has a readiness tick that cannot be read")
        for name, f in fields.items():
            if name not in local_state.CASE_FIELDS or not isinstance(f, dict) or \
                    not isinstance(f.get("at"), str):
                raise bad(f"case {ref} has a field {name!r} this app does not know")
            if not _scalar(f.get("value"), int if name in ("sampled", "open") else str) or \
                    not _scalar(f.get("by"), str):
                raise bad(f"case {ref} has a field {name!r} that cannot be read")
        status = (fields.get("status") or {}).get("value")
        if status is not None and status not in CASE_STATUSES:
            raise bad(f"case {ref} has legal status {status!r}")
    for ident, row in requests:
        if not isinstance(row, dict) or row.get("status") not in REQUEST_STATUSES or \
                not all(_scalar(row.get(k), str) for k in store.REQUEST_SYNC):
            raise bad(f"request {ident} is incomplete")
    for f in frame:
        if not _ID.match(str(f["id"])) or f["kind"] not in ("enquiry", "request"):
            raise bad(f"framework id {f['id']!r} is not valid")


def _scalar(value, kind) -> bool:
    """None, or a plain value of `kind` (never a list or a dict, which SQLite cannot hold)."""
    return value is None or isinstance(value, kind)


def validate_bundles(label: str, bundles) -> None:
    for uuid, b in bundles:
        ok = isinstance(b, dict) and isinstance(b.get("fields"), dict) and \
            set(store.BUNDLE_FIELDS) <= set(b["fields"]) and \
            isinstance(b["fields"].get("updated_at"), str) and \
            isinstance(b["fields"].get("title"), str) and \
            b["fields"].get("grouping") in GROUPINGS and isinstance(b.get("sections"), list) and \
            isinstance(b.get("items"), list) and \
            all(_scalar(v, (str, int)) for v in b["fields"].values()) and \
            all(isinstance(x, dict) and x.get("kind") in GROUPINGS and isinstance(
                x.get("uuid"), str) and isinstance(x.get("title"), str) and isinstance(
                x.get("position"), int) for x in b["sections"]) and \
            all(isinstance(x, dict) and isinstance(x.get("item"), str) and isinstance(
                x.get("section"), str) and isinstance(x.get("position"), int)
                for x in b["items"])
        if not ok:
            raise PackRefused(f"{label} is damaged or was not made by Evidence Organiser: bundle "
                              f"{str(uuid)[:40]} is incomplete.")


def check_all(paths: list[str | Path]) -> list[OpenedPack]:
    """Open and check every pack before any is used (one bad pack: nothing is written)."""
    opened: list[OpenedPack] = []
    try:
        for p in paths:
            opened.append(open_pack(p))
            check_payload(opened[-1])
    except BaseException:
        for o in opened:
            o.close()
        raise
    return opened


def check_payload(pack: OpenedPack) -> None:
    """Every record of the payload readable and of the expected shape (before any backup)."""
    reader = PayloadReader(pack.payload_path)
    try:
        if reader.info().get("workspace_id") != pack.sender_workspace:
            raise PackRefused(f"{pack.path.name} was changed after it was made: its payload "
                              "belongs to another pack.")
        records = (reader.items(), reader.cases(), reader.requests(), reader.framework(),
                   reader.documents(), reader.bundles())
        _validate(pack.path.name, *records[:4])
        validate_bundles(pack.path.name, records[5])
        pack.records = records  # read once: the preview and the import use these
    except (ValueError, TypeError, KeyError, AttributeError, sqlite3.DatabaseError) as exc:
        raise PackRefused(f"{pack.path.name} is damaged: a record in it cannot be read "
                          f"({type(exc).__name__}).") from None
    finally:
        reader.close()
