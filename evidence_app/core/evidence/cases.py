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
from evidence_app.core.base.errors import InvalidInput, NotFound
from evidence_app.core.settings import author
from evidence_app.core.store.db import transaction
from evidence_app.core.base.ids import new_uuid

if TYPE_CHECKING:  # the workspace sits above the stages (it opens them): a type here
    from evidence_app.core.workspace import Workspace

STATUSES = {"EH": "Early help", "CIN": "Child in need", "CP": "Child protection",
            "CIC": "Child in care", "CL": "Care leaver"}
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


def _row(r: dict, include_name: bool) -> dict:
    out = {"id": r["id"], "uuid": r["uuid"], "ref": r["ref"], "alias": r["alias"],
           "worker": r["worker"], "team": r["team"], "status": r["status"],
           "sampled": bool(r["sampled"]), "open": bool(r["open"]),
           "redact": json.loads(r["redact"] or "[]"), "has_name": bool(r["name"]),
           "created_at": r["created_at"], "updated_at": r["updated_at"]}
    if include_name:
        out["name"] = r["name"]
        out["other_names"] = json.loads(r.get("other_names") or "[]")
        out["relatives"] = json.loads(r.get("relatives") or "[]")
        out["dob"] = r.get("dob")
    return out


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
    rows = list(ws.db.query("SELECT * FROM cases WHERE ref = ?", [norm_ref(ref)]))
    return rows[0] if rows else None


def get_case(ws: Workspace, ref: str, include_name: bool = False) -> dict:
    r = _fetch(ws, ref)
    if r is None:
        raise NotFound(f"There is no case {norm_ref(ref)}. Add it with 'evidence-app case add "
                       f"{norm_ref(ref)}' or see 'evidence-app case list'.")
    return _row(r, include_name)


def list_cases(ws: Workspace, sampled: bool | None = None, open_only: bool = False,
               include_name: bool = False) -> list[dict]:
    where = []
    if sampled is not None:
        where.append(f"sampled = {int(sampled)}")
    if open_only:
        where.append("open = 1")
    sql = "SELECT * FROM cases" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY ref"
    return [_row(r, include_name) for r in ws.db.query(sql)]


def alias_for(n: int) -> str:
    """0 -> Child A, 25 -> Child Z, 26 -> Child AA ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = ascii_uppercase[rem] + letters
    return f"Child {letters}"


def next_alias(ws: Workspace) -> str:
    used = {r[0].lower() for r in ws.db.conn.execute("SELECT alias FROM cases WHERE alias IS NOT NULL")}
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
             dob: str | None = None) -> dict:
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
        ws.db.conn.execute(f"INSERT INTO cases ({', '.join(values)}) VALUES "
                           f"({','.join('?' * len(values))})", list(values.values()))
        case = get_case(ws, ref, include_name=True)
        audit.record(ws, "add", "case", case["uuid"], ref, None, audit.scrub_case(case))
    return case


def _check_alias(ws: Workspace, alias: str | None, case_id: int | None) -> None:
    if alias is None:
        return
    row = ws.db.conn.execute("SELECT id, ref FROM cases WHERE alias = ?", [alias]).fetchone()
    if row and row[0] != case_id:
        raise InvalidInput(f"The alias '{alias}' is already used by case {row[1]}.")


def update_case(ws: Workspace, ref: str, **changes) -> dict:
    """Change fields (name, alias, worker, team, status, sampled, open, redact).

    `add_redact` / `remove_redact` edit the redaction terms one by one."""
    before = get_case(ws, ref, include_name=True)
    new: dict = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key in ("name", "worker", "team"):
            new[key] = _clean(value)
        elif key == "alias":
            new[key] = _clean(value) or before["alias"]
        elif key == "status":
            new[key] = norm_status(value)
        elif key in ("sampled", "open"):
            new[key] = bool(value)
        elif key == "redact":
            new[key] = _terms(value)
        elif key == "add_redact":
            new["redact"] = _terms(list(new.get("redact", before["redact"])) + list(value))
        elif key == "remove_redact":
            drop = {t.lower() for t in value}
            new["redact"] = [t for t in new.get("redact", before["redact"]) if t.lower() not in drop]
        elif key == "other_names":
            new[key] = _terms(value)
        elif key == "add_other_names":
            new["other_names"] = _terms(list(new.get("other_names", before["other_names"]))
                                        + list(value))
        elif key == "remove_other_names":
            drop = {t.lower() for t in value}
            new["other_names"] = [t for t in new.get("other_names", before["other_names"])
                                  if t.lower() not in drop]
        elif key == "relatives":
            new[key] = _relatives(value)
        elif key == "add_relatives":
            added = _relatives(value)
            names = {r["name"].lower() for r in added}
            new["relatives"] = [r for r in new.get("relatives", before["relatives"])
                                if r["name"].lower() not in names] + added
        elif key == "remove_relatives":
            drop = {parse_relative(t)["name"].lower() if "=" in t else _clean(t).lower()
                    for t in value}
            new["relatives"] = [r for r in new.get("relatives", before["relatives"])
                                if r["name"].lower() not in drop]
        elif key == "dob":
            new[key] = norm_dob(value)
        else:
            raise InvalidInput(f"A case has no field '{key}'.")
    new = {k: v for k, v in new.items() if before.get(k) != v}
    if not new:
        return before
    with transaction(ws.db):
        _check_alias(ws, new.get("alias"), before["id"])
        cols = {k: (json.dumps(v) if k in JSON_FIELDS else int(v) if isinstance(v, bool) else v)
                for k, v in new.items()}
        ws.db.conn.execute(f"UPDATE cases SET {', '.join(f'{k} = ?' for k in cols)}, "
                           "updated_at = ? WHERE id = ?",
                           [*cols.values(), clock.now_iso(), before["id"]])
        after = get_case(ws, before["ref"], include_name=True)
        audit.record(ws, "update", "case", before["uuid"], before["ref"],
                     audit.scrub_case({k: before[k] for k in new}),
                     audit.scrub_case({k: after[k] for k in new}))
    return after


def readiness(ws: Workspace, ref: str) -> list[dict]:
    case = get_case(ws, ref)
    done = {r["item"]: r for r in ws.db.query(
        "SELECT item, done, done_by, done_at FROM case_readiness WHERE case_id = ?", [case["id"]])}
    return [{"item": k, "label": label, "done": bool(done.get(k, {}).get("done")),
             "by": done.get(k, {}).get("done_by"), "at": done.get(k, {}).get("done_at")}
            for k, label in READINESS]


def check(ws: Workspace, ref: str, item: str, done: bool = True) -> dict:
    """Mark one readiness item done (or not done), recording who and when."""
    case = get_case(ws, ref)
    key = (item or "").strip().lower()
    if key not in READINESS_KEYS:
        raise InvalidInput(f"'{item}' is not a readiness item: use one of "
                           f"{', '.join(READINESS_KEYS)}.")
    who, now = author(ws), clock.now_iso()
    with transaction(ws.db):
        prev = ws.db.conn.execute("SELECT done FROM case_readiness WHERE case_id = ? AND item = ?",
                                  [case["id"], key]).fetchone()
        ws.db.conn.execute(
            "INSERT INTO case_readiness (case_id, item, done, done_by, done_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT(case_id, item) DO UPDATE SET done = excluded.done, "
            "done_by = excluded.done_by, done_at = excluded.done_at",
            [case["id"], key, int(done), who, now])
        audit.record(ws, "check" if done else "uncheck", "case", case["uuid"], case["ref"],
                     {"readiness": {key: bool(prev and prev[0])}}, {"readiness": {key: done}})
    return {"item": key, "done": done, "by": who, "at": now}


def link_document(ws: Workspace, doc_id: int, case_ref: str | None) -> dict:
    """Link a document to a case by hand (overrides the path pattern); None unlinks it."""
    ref = norm_ref(case_ref) if case_ref else None
    row = ws.db.conn.execute("SELECT id, uuid, case_ref, rel_path FROM documents WHERE id = ?",
                             [int(doc_id)]).fetchone()
    if row is None:
        raise NotFound(f"There is no document {doc_id}. See 'evidence-app documents'.")
    with transaction(ws.db):
        ws.db.conn.execute("UPDATE documents SET case_ref = ?, case_ref_manual = 1 WHERE id = ?",
                           [ref, row[0]])
        audit.record(ws, "link-case", "document", row[1], row[3], {"case_ref": row[2]},
                     {"case_ref": ref})
    return {"document_id": row[0], "case_ref": ref}


def sensitive_terms(ws: Workspace, ref: str | None) -> list[str]:
    """The name and redaction terms of a case: what must not leak into logs or exports."""
    if not ref:
        return []
    r = ws.db.conn.execute("SELECT name, redact, other_names, relatives FROM cases WHERE ref = ?",
                           [ref]).fetchone()
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
    if _fetch(ws, key) or ws.db.conn.execute(
            "SELECT 1 FROM documents WHERE case_ref = ? COLLATE NOCASE LIMIT 1", [key]).fetchone():
        return key
    known = [r[0] for r in ws.db.conn.execute("SELECT ref FROM cases ORDER BY ref LIMIT 6")]
    hint = (f"known cases include {', '.join(known[:5])}" + (" and more" if len(known) > 5
                                                            else "") + " (see 'evidence-app case "
            "list')" if known else "the case list is empty")
    raise NotFound(f"There is no case {key}: {hint}. Add it with 'evidence-app case add {key}' "
                   "if it is new.")
