"""The audit log: every change to evidence, cases, the framework and requests, append-only.

Each entry records who, when, the action, the entity (type, uuid, readable ref) and the record
before and after as JSON. SQLite triggers refuse UPDATE and DELETE on the table, and entries form a
hash chain: `hash = sha256(prev_hash + canonical JSON of the entry)`, so `verify()` detects an
entry edited or removed behind the app's back (e.g. with another SQLite tool that drops the
triggers).

Privacy: a child's real name never enters the log. Callers pass records through `scrub_case()`
(name replaced by the literal "[name]", redaction terms by "[N terms]") and evidence records
through `scrub_evidence()` (quote and context replaced by their SHA-256 and length). We replace
rather than hash the name because a hash of a short name is easily reversed by guessing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from evidence_app.core.base import clock
from evidence_app.core.safety import journal
from evidence_app.core.store import audit as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.updates import set_fields
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

GENESIS = "0" * 64
HASHED_FIELDS = ("uuid", "at", "who", "action", "entity_type", "entity_uuid", "entity_ref",
                 "before", "after", "prev_hash")


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _entry_hash(entry: dict) -> str:
    body = canonical({k: entry.get(k) for k in HASHED_FIELDS})
    return hashlib.sha256((entry["prev_hash"] + body).encode("utf-8")).hexdigest()


def record(ws: Workspace, action: str, entity_type: str, entity_uuid: str | None,
           entity_ref: str | None = None, before: dict | None = None, after: dict | None = None,
           who: str | None = None) -> dict:
    """Append one entry. Call inside the caller's transaction, so the change and its entry
    commit together."""
    from evidence_app.core.settings import author  # start-up: loaded only when this runs

    db = ws.db
    prev = store.last_hash(db.conn)
    entry = {
        "uuid": new_uuid(), "at": clock.now_iso(), "who": who or author(ws), "action": action,
        "entity_type": entity_type, "entity_uuid": entity_uuid, "entity_ref": entity_ref,
        "before": canonical(before) if before is not None else None,
        "after": canonical(after) if after is not None else None,
        "prev_hash": prev if prev is not None else GENESIS,
    }
    entry["hash"] = _entry_hash(entry)
    store.append(db.conn, entry)
    # Data safety: the same entry, with the entity's full state, goes to the fsynced journal
    # outside the database before the caller's transaction commits (see core/safety/journal.py).
    journal.append(ws, entry)
    return entry


Logged = tuple[dict | None, dict | None]


def update_and_record(ws: Workspace, table: str, key, fields: dict, *, action: str,
                      entity_type: str, entity_uuid: str | None, entity_ref: str | None = None,
                      log: Logged | Callable[[], Logged | None] | None = None,
                      key_column: str = "id", who: str | None = None) -> str:
    """The one edit helper: update fields of one row, stamp its `updated_at` and append the
    audit entry, in one transaction (joining the caller's if there is one). Returns the stamp.

    `log` is the (before, after) the log keeps, already scrubbed by the caller, or a function
    giving it, called after the update so it can read the row as it is now; when it gives None
    nothing is logged (nothing a person would see changed)."""
    now = clock.now_iso()
    with transaction(ws.db):
        set_fields(ws.db.conn, table, key, fields, now=now, key_column=key_column)
        logged = log() if callable(log) else log
        if logged is not None:
            record(ws, action, entity_type, entity_uuid, entity_ref, logged[0], logged[1], who=who)
    return now


def entries(ws: Workspace, entity_type: str | None = None, entity_uuid: str | None = None,
            limit: int | None = None) -> list[dict]:
    """Newest last. `before`/`after` are decoded from JSON."""
    out = []
    for row in store.select(ws.db.conn, entity_type, entity_uuid, limit):
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
        out.append(row)
    return out


@dataclass
class Verification:
    ok: bool
    checked: int
    bad_id: int | None = None
    reason: str = ""

    def line(self) -> str:
        if self.ok:
            return f"The audit log is intact ({self.checked} entries checked)."
        return f"The audit log has been altered at entry {self.bad_id}: {self.reason}"


def verify(ws: Workspace) -> Verification:
    """Walk the chain from the first entry; report the first entry that does not fit."""
    prev = GENESIS
    n = 0
    for entry in store.walk(ws.db.conn):
        n += 1
        if entry["prev_hash"] != prev:
            return Verification(False, n, entry["id"], "an earlier entry is missing or changed.")
        if _entry_hash(entry) != entry["hash"]:
            return Verification(False, n, entry["id"], "its content does not match its hash.")
        prev = entry["hash"]
    return Verification(True, n)


def scrub_case(case: dict | None) -> dict | None:
    """A case record safe for the log: no real name, no redaction terms."""
    if case is None:
        return None
    out = dict(case)
    if out.get("name"):
        out["name"] = "[name]"
    terms = out.get("redact")
    if terms:
        out["redact"] = f"[{len(terms)} terms]"
    for key in ("other_names", "relatives"):
        if out.get(key):
            out[key] = f"[{len(out[key])} names]"
    if out.get("dob"):
        out["dob"] = "[date]"
    return out


def _digest(text: str | None) -> dict | None:
    if text is None:
        return None
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "chars": len(text)}


def scrub_evidence(item: dict | None, sensitive: list[str] = ()) -> dict | None:
    """An evidence record safe for the log: document text (which may name the child) becomes a
    digest; known names/terms of the linked case are blanked out of the note."""
    if item is None:
        return None
    out = dict(item)
    for key in ("quote", "current_quote", "context_before", "context_after"):
        if key in out:
            out[key] = _digest(out[key])
    note = out.get("note") or ""
    for term in sensitive:
        if term and len(term) > 1:
            note = _replace_ci(note, term, "[redacted]")
    if "note" in out:
        out["note"] = note
    return out


def _replace_ci(text: str, term: str, repl: str) -> str:
    lower, t = text.lower(), term.lower()
    out, i = [], 0
    while True:
        j = lower.find(t, i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j] + repl)
        i = j + len(term)
