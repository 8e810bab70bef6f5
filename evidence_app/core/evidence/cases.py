"""Children's cases: reference, alias, worker, team, legal status, sampling and readiness.

A case's real name is sensitive. It is stored (workers need it to find the right child) but is
returned only by calls that ask for it (`include_name=True`), never written to the audit log
(see `audit.scrub_case`), and never used in exports, which use the alias ("Child A").
References are stored trimmed and upper-case, so "ch-004512" and "CH-004512" are one case.
"""
from __future__ import annotations

import json
import re
from string import ascii_uppercase
from typing import TYPE_CHECKING

from evidence_app.core.safety import audit
from evidence_app.core.base import clock
from evidence_app.core.base.dates import parse_date
from evidence_app.core.base.changes import NOTHING, Changes, Done
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.settings import author
from evidence_app.core.store import cases as store
from evidence_app.core.store.db import transaction
from evidence_app.core.store.records import Case, CaseLink, ReadinessItem, as_json
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

STATUSES = {"EH": "Early help", "CIN": "Child in need", "CP": "Child protection",
            "CIC": "Child in care", "CL": "Care leaver"}
CASE_STATUSES = tuple(STATUSES)  # the legal statuses a case may hold (the table's CHECK too)
STATUS_WORDS = {
    "EH": ("eh", "early help", "family help", "early help assessment"),
    "CIN": ("cin", "child in need", "children in need", "cin plan", "s17", "section 17"),
    "CP": ("cp", "cpp", "child protection", "child protection plan", "cp plan"),
    "CIC": ("cic", "cla", "lac", "looked after", "looked after child", "child looked after",
            "child in care", "children in care", "in care"),
    "CL": ("cl", "care leaver", "care leavers", "care experienced", "care experienced young person"),
}
_WORD_TO_STATUS = {w: code for code, words in STATUS_WORDS.items() for w in words}
READINESS = (("chronology", "Chronology current"), ("plan", "Plan up to date"),
             ("visits", "Recent visits"), ("voice", "Voice of the child"),
             ("oversight", "Management oversight"), ("supervision", "Supervision"))
READINESS_KEYS = tuple(k for k, _ in READINESS)
CASE_FIELDS = ("name", "alias", "worker", "team", "status", "sampled", "open", "redact",
               "other_names", "relatives", "dob")
JSON_FIELDS = ("redact", "other_names", "relatives")


def norm_ref(ref: str | None) -> str:
    ref = "".join((ref or "").split()).upper()
    if not ref:
        raise InvalidInput("A case needs a reference, e.g. CH-004512.")
    if len(ref) > 40:
        raise InvalidInput(f"'{ref[:40]}…' is too long for a case reference.")
    return ref


def norm_status(value: str | None) -> str | None:
    """EH, CIN, CP, CIC or CL from a code or common wording; None for blank."""
    if value is None or not str(value).strip():
        return None
    key = re.sub(r"[^a-z0-9 ]+", " ", str(value).lower())
    key = " ".join(key.split())
    code = _WORD_TO_STATUS.get(key)
    if code is None:
        raise InvalidInput(f"'{value}' is not a legal status: use EH (early help), CIN (child in "
                           "need), CP (child protection), CIC (child in care) or CL (care leaver).")
    return code


def parse_relative(text: str) -> dict:
    """"Kerry Pryce=mother" (or "Kerry Pryce (mother)") -> {"name": "Kerry Pryce", "role":
    "mother"}; no role: relative."""
    m = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", str(text))
    name, _, role = str(text).partition("=") if "=" in str(text) or not m else \
        (m.group(1), "=", m.group(2))
    name, role = _clean(name), _clean(role) or "relative"
    if not name:
        raise InvalidInput(f"'{text}' is not a relative: write NAME=ROLE, e.g. "
                           "\"Kerry Pryce=mother\".")
    if not re.fullmatch(r"[\w' .\-/]{1,30}", role):
        raise InvalidInput(f"'{role}' is not a role: use a word such as mother, father, "
                           "grandmother, sibling or carer.")
    return {"name": name, "role": role.lower()}


def _relatives(values) -> list[dict]:
    out: list[dict] = []
    for v in values or []:
        rel = v if isinstance(v, dict) else parse_relative(v)
        if rel["name"].lower() not in (x["name"].lower() for x in out):
            out.append({"name": rel["name"], "role": rel.get("role") or "relative"})
    return out


def norm_dob(value) -> str | None:
    """A date of birth as ISO (accepts dd/mm/yyyy, 12 March 2015, ISO ...); blank: None."""
    if value is None or not str(value).strip():
        return None
    d = parse_date(str(value).strip())
    if d is None:
        raise InvalidInput(f"'{value}' is not a date of birth: write it as dd/mm/yyyy.")
    return d.isoformat()


def _fetch(ws: Workspace, ref: str) -> dict | None:
    return store.fetch(ws.conn, norm_ref(ref))


def get_case(ws: Workspace, ref: str, include_name: bool = False) -> Case:
    r = _fetch(ws, ref)
    if r is None:
        raise NotFound(f"There is no case {norm_ref(ref)}. Add it with 'evidence-app case add "
                       f"{norm_ref(ref)}' or see 'evidence-app case list'.")
    return case_record(r, include_name)


def list_cases(ws: Workspace, sampled: bool | None = None, open_only: bool = False,
               include_name: bool = False) -> list[Case]:
    return [case_record(r, include_name) for r in store.rows(ws.conn, sampled, open_only)]


def alias_for(n: int) -> str:
    """0 -> Child A, 25 -> Child Z, 26 -> Child AA ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = ascii_uppercase[rem] + letters
    return f"Child {letters}"


def next_alias(ws: Workspace) -> str:
    used = store.aliases(ws.conn)
    n = 0
    while alias_for(n).lower() in used:
        n += 1
    return alias_for(n)


def _clean(value) -> str | None:
    value = " ".join(str(value).split()) if value is not None else ""
    return value or None


def _terms(redact) -> list[str]:
    out: list[str] = []
    for t in redact or []:
        t = _clean(t)
        if t and t.lower() not in (x.lower() for x in out):
            out.append(t)
    return out


def add_case(ws: Workspace, ref: str, *, name: str | None = None, alias: str | None = None,
             worker: str | None = None, team: str | None = None, status: str | None = None,
             sampled: bool = False, redact: list[str] | None = None, open: bool = True,
             other_names: list[str] | None = None, relatives: list | None = None,
             dob: str | None = None) -> Done[Case]:
    """Register a case. The new case (with its name) is the value; undoing removes it again
    (its readiness ticks too), and redoing brings back the same case, same id and uuid."""
    ref = norm_ref(ref)
    status = norm_status(status)
    with transaction(ws.db):
        if _fetch(ws, ref):
            raise InvalidInput(f"The case {ref} already exists; change it with "
                               f"'evidence-app case set {ref} ...'.")
        alias = _clean(alias) or next_alias(ws)
        _check_alias(ws, alias, None)
        now = clock.now_iso()
        values = {"uuid": new_uuid(), "ref": ref, "name": _clean(name), "alias": alias,
                  "worker": _clean(worker), "team": _clean(team), "status": status,
                  "sampled": int(bool(sampled)), "open": int(bool(open)),
                  "redact": json.dumps(_terms(redact)),
                  "other_names": json.dumps(_terms(other_names)),
                  "relatives": json.dumps(_relatives(relatives)), "dob": norm_dob(dob),
                  "created_at": now, "updated_at": now}
        return _insert(ws, values)


def _insert(ws: Workspace, values: dict) -> Done[Case]:
    """Store a case row as given (a new case, or one an undo brings back) and log it."""
    with transaction(ws.db):
        if _fetch(ws, values["ref"]) is not None:
            raise InvalidInput(f"The case {values['ref']} is already there.")
        store.insert(ws.db.conn, values)
        case = get_case(ws, values["ref"], include_name=True)
        audit.record(ws, "add", "case", case.uuid, case.ref, None, audit.scrub_case(as_json(case)))
    return Done(case, _changes(case), lambda w: _remove(w, case.ref), f"Add case {case.ref}")


def _remove(ws: Workspace, ref: str) -> Done[None]:
    """Take an added case back out (the undo of `add_case`; there is no other way to delete a
    case, whose reference evidence may still carry)."""
    with transaction(ws.db):
        row = _fetch(ws, ref)
        if row is None:
            raise NotFound(f"There is no case {ref} to take back.")
        case = case_record(row, True)
        ticks = store.readiness_rows(ws.db.conn, row["id"])
        store.delete(ws.db.conn, row["id"])
        audit.record(ws, "remove", "case", case.uuid, case.ref, audit.scrub_case(as_json(case)),
                     None)

    def again(w: Workspace) -> Done[Case]:
        done = _insert(w, row)
        with transaction(w.db):
            for item, tick in ticks.items():
                store.put_readiness(w.db.conn, row["id"], item, bool(tick["done"]),
                                    tick["done_by"], tick["done_at"])
        return done
    return Done(None, _changes(case), again, f"Remove case {ref}")


def _check_alias(ws: Workspace, alias: str | None, case_id: int | None) -> None:
    if alias is None:
        return
    row = store.alias_owner(ws.conn, alias)
    if row and row[0] != case_id:
        raise InvalidInput(f"The alias '{alias}' is already used by case {row[1]}.")


def _changes(case: Case) -> Changes:
    return Changes.of("cases", ids=(("case", case.ref),))


def update_case(ws: Workspace, ref: str, **changes) -> Done[Case]:
    """Change fields (name, alias, worker, team, status, sampled, open, redact, other names,
    relatives, date of birth). `add_redact` / `remove_redact` (and the same for other names and
    relatives) edit the lists one by one. The case as it is now is the value; undoing puts the
    changed fields back as they were."""
    before = get_case(ws, ref, include_name=True)
    was = as_json(before)
    new: dict = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key in ("name", "worker", "team"):
            new[key] = _clean(value)
        elif key == "alias":
            new[key] = _clean(value) or before.alias
        elif key == "status":
            new[key] = norm_status(value)
        elif key in ("sampled", "open"):
            new[key] = bool(value)
        elif key == "redact":
            new[key] = _terms(value)
        elif key == "add_redact":
            new["redact"] = _terms(list(new.get("redact", was["redact"])) + list(value))
        elif key == "remove_redact":
            drop = {t.lower() for t in value}
            new["redact"] = [t for t in new.get("redact", was["redact"]) if t.lower() not in drop]
        elif key == "other_names":
            new[key] = _terms(value)
        elif key == "add_other_names":
            new["other_names"] = _terms(list(new.get("other_names", was["other_names"]))
                                        + list(value))
        elif key == "remove_other_names":
            drop = {t.lower() for t in value}
            new["other_names"] = [t for t in new.get("other_names", was["other_names"])
                                  if t.lower() not in drop]
        elif key == "relatives":
            new[key] = _relatives(value)
        elif key == "add_relatives":
            added = _relatives(value)
            names = {r["name"].lower() for r in added}
            new["relatives"] = [r for r in new.get("relatives", was["relatives"])
                                if r["name"].lower() not in names] + added
        elif key == "remove_relatives":
            drop = {parse_relative(t)["name"].lower() if "=" in t else _clean(t).lower()
                    for t in value}
            new["relatives"] = [r for r in new.get("relatives", was["relatives"])
                                if r["name"].lower() not in drop]
        elif key == "dob":
            new[key] = norm_dob(value)
        else:
            raise InvalidInput(f"A case has no field '{key}'.")
    new = {k: v for k, v in new.items() if was.get(k) != v}
    if not new:
        return Done(before, NOTHING, None, f"Edit case {before.ref}")
    return _set_fields(ws, before, new)


def _set_fields(ws: Workspace, before: Case, new: dict) -> Done[Case]:
    """Store checked field values (the shapes `as_json` gives) and log them; the undo stores the
    previous values the same way."""
    was = as_json(before)
    with transaction(ws.db):
        _check_alias(ws, new.get("alias"), before.id)
        cols = {k: (json.dumps(v) if k in JSON_FIELDS else int(v) if isinstance(v, bool) else v)
                for k, v in new.items()}

        def log() -> tuple[dict | None, dict | None]:
            now = as_json(get_case(ws, before.ref, include_name=True))
            return (audit.scrub_case({k: was[k] for k in new}),
                    audit.scrub_case({k: now[k] for k in new}))

        audit.update_and_record(ws, "cases", before.id, cols, action="update",
                                entity_type="case", entity_uuid=before.uuid,
                                entity_ref=before.ref, log=log)
        after = get_case(ws, before.ref, include_name=True)
    previous = {k: was[k] for k in new}
    return Done(after, _changes(after), lambda w: _set_fields(w, after, previous),
                f"Edit case {after.ref}")


def readiness(ws: Workspace, ref: str) -> list[ReadinessItem]:
    case = get_case(ws, ref)
    done = store.readiness_rows(ws.conn, case.id)
    return [ReadinessItem(k, label, bool(done.get(k, {}).get("done")),
                          done.get(k, {}).get("done_by"), done.get(k, {}).get("done_at"))
            for k, label in READINESS]


def check(ws: Workspace, ref: str, item: str, done: bool = True) -> Done[ReadinessItem]:
    """Mark one readiness item done (or not done), recording who and when. Undoing puts the
    item back exactly as it was (same person and time, or never ticked)."""
    case = get_case(ws, ref)
    key = (item or "").strip().lower()
    if key not in READINESS_KEYS:
        raise InvalidInput(f"'{item}' is not a readiness item: use one of "
                           f"{', '.join(READINESS_KEYS)}.")
    return _put_tick(ws, case, key, {"done": done, "done_by": author(ws),
                                     "done_at": clock.now_iso()})


def _put_tick(ws: Workspace, case: Case, key: str, tick: dict | None) -> Done[ReadinessItem]:
    """Store one readiness row as given (None: as never ticked) and log the change."""
    label = dict(READINESS)[key]
    with transaction(ws.db):
        prev = store.readiness_row(ws.db.conn, case.id, key)
        if tick is None:
            store.drop_readiness(ws.db.conn, case.id, key)
        else:
            store.put_readiness(ws.db.conn, case.id, key, bool(tick["done"]), tick["done_by"],
                                tick["done_at"])
        done = bool(tick and tick["done"])
        audit.record(ws, "check" if done else "uncheck", "case", case.uuid, case.ref,
                     {"readiness": {key: bool(prev and prev["done"])}},
                     {"readiness": {key: done}})
    value = ReadinessItem(key, label, done, tick and tick["done_by"], tick and tick["done_at"])
    return Done(value, _changes(case), lambda w: _put_tick(w, case, key, prev),
                f"{'Tick' if done else 'Untick'} “{label}” for {case.ref}")


def link_document(ws: Workspace, doc_id: int, case_ref: str | None) -> Done[CaseLink]:
    """Link a document to a case by hand (overrides the path pattern); None unlinks it. Undoing
    puts back the link it had (by hand or from its path)."""
    ref = norm_ref(case_ref) if case_ref else None
    row = store.document_link(ws.conn, doc_id)
    if row is None:
        raise NotFound(f"There is no document {doc_id}. See 'evidence-app documents'.")
    return _link(ws, row, ref, True)


def _link(ws: Workspace, row: tuple, ref: str | None, manual: bool) -> Done[CaseLink]:
    doc_id, uuid, old_ref, rel_path, old_manual = row
    with transaction(ws.db):
        store.set_document_case(ws.db.conn, doc_id, ref, manual)
        audit.record(ws, "link-case", "document", uuid, rel_path, {"case_ref": old_ref},
                     {"case_ref": ref})
    now = (doc_id, uuid, ref, rel_path, int(manual))
    return Done(CaseLink(doc_id, ref),
                Changes.of("cases", "documents", ids=(("document", doc_id),)),
                lambda w: _link(w, now, old_ref, bool(old_manual)),
                f"Link document {doc_id} to {ref or 'no case'}")


def sensitive_terms(ws: Workspace, ref: str | None) -> list[str]:
    """The name and redaction terms of a case: what must not leak into logs or exports."""
    if not ref:
        return []
    r = store.private_terms(ws.conn, ref)
    if r is None:
        return []
    terms = json.loads(r[1] or "[]")
    if r[0]:
        terms = [r[0], *r[0].split(), *terms]
    for other in json.loads(r[2] or "[]"):
        terms += [other, *other.split()]
    for rel in json.loads(r[3] or "[]"):
        terms += [rel["name"], *rel["name"].split()]
    return terms


def require_known(ws: Workspace, ref: str) -> str:
    """`ref` normalised if it names a case in the list or a case folder in the index; otherwise
    NotFound with a hint (a mistyped --case would file evidence under a child who is not there)."""
    key = norm_ref(ref)
    if store.is_known(ws.conn, key):
        return key
    known = store.some_refs(ws.conn, 6)
    hint = (f"known cases include {', '.join(known[:5])}" + (" and more" if len(known) > 5
                                                            else "") + " (see 'evidence-app case "
            "list')" if known else "the case list is empty")
    raise NotFound(f"There is no case {key}: {hint}. Add it with 'evidence-app case add {key}' "
                   "if it is new.")


def case_record(r: dict, include_name: bool = False) -> Case:
    """A stored case row as a `Case` (the private fields only when asked for)."""
    private = {}
    if include_name:
        private = {"name": r["name"], "other_names": tuple(json.loads(r["other_names"] or "[]")),
                   "relatives": tuple(json.loads(r["relatives"] or "[]")), "dob": r["dob"]}
    return Case(r["id"], r["uuid"], r["ref"], r["alias"], r["worker"], r["team"], r["status"],
                bool(r["sampled"]), bool(r["open"]), tuple(json.loads(r["redact"] or "[]")),
                bool(r["name"]), r["created_at"], r["updated_at"], include_name, **private)
