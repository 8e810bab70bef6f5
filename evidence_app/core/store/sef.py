"""The self-evaluation's SQL (issue 15): claims and their links, actions, frozen versions, the
evidence facts a claim is judged by, and the figures read from the workspace.

Everything returns typed records (core/store/records/) or plain numbers; the rules (strength,
warnings, figures' meanings) live in core/sef/. Reads are a handful of set queries whatever the
number of claims, so a 200-claim self-evaluation with 1,000 citations reads in milliseconds.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from evidence_app.core.store.records import (
    CitedItem, SefAction, SefCitation, SefClaim, SefVersion, from_row,
)
from evidence_app.core.store.updates import insert_row, set_fields

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

CLAIM_COLS = ("id, uuid, area_id, question, type, text, position, author, created_at, "
              "updated_at, deleted_at")
ACTION_COLS = "id, uuid, claim_id, what, owner, due_at, status, created_at, updated_at, deleted_at"
VERSION_COLS = "id, uuid, name, frozen_at, frozen_by, snapshot, deleted_at"
CLAIM_FIELDS = ("area_id", "question", "type", "text", "position", "deleted_at")
ACTION_FIELDS = ("claim_id", "what", "owner", "due_at", "status", "deleted_at")


def _conn(db) -> "sqlite3.Connection":
    return getattr(db, "conn", db)


def _update(db, table: str, allowed: tuple[str, ...], row_id: int, fields: dict,
            updated_at: str) -> None:
    """A claim's or an action's edit: only its editable fields, stamped `updated_at`."""
    bad = set(fields) - set(allowed)
    if bad:
        raise ValueError(f"not {table} fields: {sorted(bad)}")
    set_fields(_conn(db), table, int(row_id), fields, now=updated_at)


# -- claims ------------------------------------------------------------------------------------
def claims(db: "sqlite_utils.Database", *, include_deleted: bool = False,
           ids: Iterable[int] | None = None) -> list[SefClaim]:
    """Claims in reading order (area, question, position), with their links."""
    conn = _conn(db)
    where, params = [], []
    if not include_deleted:
        where.append("deleted_at IS NULL")
    if ids is not None:
        ids = list(ids)
        if not ids:
            return []
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params += ids
    sql = f"SELECT {CLAIM_COLS} FROM sef_claims"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = conn.execute(sql + " ORDER BY area_id, question, position, id", params).fetchall()
    if not rows:
        return []
    enq: dict[int, list[str]] = {}
    cites: dict[int, list[SefCitation]] = {}
    only, only_params = "", []
    if ids is not None:
        only = f" WHERE claim_id IN ({','.join('?' * len(ids))})"
        only_params = ids
    for cid, e in conn.execute("SELECT claim_id, enquiry_id FROM sef_claim_enquiries" + only +
                               " ORDER BY claim_id, enquiry_id", only_params):
        enq.setdefault(cid, []).append(e)
    for cid, kind, ref, pos in conn.execute("SELECT claim_id, kind, ref, position FROM "
                                            "sef_citations" + only +
                                            " ORDER BY claim_id, position", only_params):
        cites.setdefault(cid, []).append(SefCitation(kind, ref, pos))
    return [SefClaim(*r, enquiries=tuple(enq.get(r[0], ())),
                     citations=tuple(cites.get(r[0], ()))) for r in rows]


def claim(db, claim_id: int) -> SefClaim | None:
    """One claim, deleted or not."""
    found = claims(db, include_deleted=True, ids=[int(claim_id)])
    return found[0] if found else None


def next_position(db, area: str, question: str) -> int:
    row = _conn(db).execute("SELECT COALESCE(MAX(position), 0) + 1 FROM sef_claims WHERE "
                            "area_id = ? AND question = ? AND deleted_at IS NULL",
                            [area, question]).fetchone()
    return int(row[0])


def insert_claim(db, values: dict) -> int:
    return insert_row(_conn(db), "sef_claims", values)


def update_claim(db, claim_id: int, fields: dict, updated_at: str) -> None:
    _update(db, "sef_claims", CLAIM_FIELDS, claim_id, fields, updated_at)


def set_claim_links(db, claim_id: int, enquiries: Iterable[str],
                    citations: Iterable[SefCitation]) -> None:
    conn = _conn(db)
    conn.execute("DELETE FROM sef_claim_enquiries WHERE claim_id = ?", [claim_id])
    conn.execute("DELETE FROM sef_citations WHERE claim_id = ?", [claim_id])
    conn.executemany("INSERT OR IGNORE INTO sef_claim_enquiries (claim_id, enquiry_id) "
                     "VALUES (?, ?)", [(claim_id, e) for e in enquiries])
    conn.executemany("INSERT OR IGNORE INTO sef_citations (claim_id, kind, ref, position) "
                     "VALUES (?, ?, ?, ?)",
                     [(claim_id, c.kind, c.ref, n) for n, c in enumerate(citations, start=1)])


def renumber(db, area: str, question: str) -> None:
    """Positions 1..n in the order they stand (after a move or a delete)."""
    conn = _conn(db)
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM sef_claims WHERE area_id = ? AND question = ? AND deleted_at IS NULL "
        "ORDER BY position, id", [area, question])]
    conn.executemany("UPDATE sef_claims SET position = ? WHERE id = ?",
                     [(n, i) for n, i in enumerate(ids, start=1)])


# -- actions -----------------------------------------------------------------------------------
def actions(db, *, include_deleted: bool = False, ids: Iterable[int] | None = None,
            claim_ids: Iterable[int] | None = None) -> list[SefAction]:
    where, params = [], []
    if claim_ids is not None:
        claim_ids = list(claim_ids)
        where.append(f"a.claim_id IN ({','.join('?' * len(claim_ids)) or 'NULL'})")
        params += claim_ids
    if not include_deleted:
        where.append("a.deleted_at IS NULL AND c.deleted_at IS NULL")
    if ids is not None:
        ids = list(ids)
        where.append(f"a.id IN ({','.join('?' * len(ids)) or 'NULL'})")
        params += ids
    sql = (f"SELECT {', '.join('a.' + c.strip() for c in ACTION_COLS.split(','))} "
           "FROM sef_actions a JOIN sef_claims c ON c.id = a.claim_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.due_at IS NULL, a.due_at, a.id"
    return [from_row(SefAction, r) for r in _conn(db).execute(sql, params)]


def action(db, action_id: int) -> SefAction | None:
    found = actions(db, include_deleted=True, ids=[int(action_id)])
    return found[0] if found else None


def insert_action(db, values: dict) -> int:
    return insert_row(_conn(db), "sef_actions", values)


def update_action(db, action_id: int, fields: dict, updated_at: str) -> None:
    _update(db, "sef_actions", ACTION_FIELDS, action_id, fields, updated_at)


# -- versions ----------------------------------------------------------------------------------
def versions(db, *, include_deleted: bool = False) -> list[SefVersion]:
    sql = f"SELECT {VERSION_COLS} FROM sef_versions"
    if not include_deleted:
        sql += " WHERE deleted_at IS NULL"
    return [from_row(SefVersion, r) for r in _conn(db).execute(sql + " ORDER BY frozen_at, id")]


def version_named(db, name: str) -> SefVersion | None:
    row = _conn(db).execute(f"SELECT {VERSION_COLS} FROM sef_versions WHERE name = ? "
                            "COLLATE NOCASE AND deleted_at IS NULL", [name.strip()]).fetchone()
    return from_row(SefVersion, row) if row else None


def version(db, version_id: int) -> SefVersion | None:
    row = _conn(db).execute(f"SELECT {VERSION_COLS} FROM sef_versions WHERE id = ?",
                            [int(version_id)]).fetchone()
    return from_row(SefVersion, row) if row else None


def insert_version(db, values: dict) -> int:
    values = dict(values)
    if not isinstance(values.get("snapshot"), str):
        values["snapshot"] = json.dumps(values["snapshot"], ensure_ascii=False,
                                        separators=(",", ":"), default=str)
    return insert_row(_conn(db), "sef_versions", values)


def set_version_deleted(db, version_id: int, deleted_at: str | None) -> None:
    _conn(db).execute("UPDATE sef_versions SET deleted_at = ? WHERE id = ?",
                      [deleted_at, int(version_id)])


def name_taken(db, name: str, except_id: int | None = None) -> bool:
    row = _conn(db).execute("SELECT id FROM sef_versions WHERE name = ? COLLATE NOCASE AND "
                            "deleted_at IS NULL AND id IS NOT ?", [name.strip(), except_id]
                            ).fetchone()
    return row is not None


# -- the evidence a claim stands on ----------------------------------------------------------------
# same rule as core/evidence/evidence.py: a document gone from the index or from its folder makes
# its evidence "missing"
_ANCHOR = ("CASE WHEN d.id IS NULL OR d.status = 'missing' THEN 'missing' ELSE e.anchor END")


def cited_items(db, item_ids: Iterable[int] | None = None) -> dict[int, CitedItem]:
    """Evidence items by id (deleted ones too: a claim that cites one must say so). None: all."""
    conn = _conn(db)
    where, params = "", []
    if item_ids is not None:
        ids = sorted({int(i) for i in item_ids})
        if not ids:
            return {}
        where = f" WHERE e.id IN ({','.join('?' * len(ids))})"
        params = ids
    rows = conn.execute(
        f"SELECT e.id, e.strength, e.kind, {_ANCHOR}, e.deleted_at IS NOT NULL, "
        "COALESCE(d.title, d.name, ''), COALESCE(e.case_ref, d.case_ref, ''), "
        "COALESCE(e.current_quote, e.quote, '') "
        "FROM evidence_items e LEFT JOIN documents d ON d.id = e.document_id" + where,
        params).fetchall()
    links: dict[int, list[tuple[str, bool]]] = {}
    link_sql = ("SELECT x.item_id, x.enquiry_id, COALESCE(q.retired OR a.retired, 0) "
                "FROM evidence_enquiries x LEFT JOIN enquiries q ON q.id = x.enquiry_id "
                "LEFT JOIN judgement_areas a ON a.id = q.area_id")
    if item_ids is not None:
        link_sql += f" WHERE x.item_id IN ({','.join('?' * len(params))})"
    for item_id, enquiry, retired in conn.execute(link_sql, params):
        links.setdefault(item_id, []).append((enquiry, bool(retired)))
    out = {}
    for r in rows:
        ls = links.get(r[0], [])
        out[r[0]] = CitedItem(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6] or "",
                              tuple(e for e, _ in ls), tuple(e for e, ret in ls if ret), r[7])
    return out


def strong_items(db) -> list[CitedItem]:
    """Every strong evidence item in use (not deleted), with its lines of enquiry."""
    ids = [r[0] for r in _conn(db).execute(
        "SELECT id FROM evidence_items WHERE strength = 'strong' AND deleted_at IS NULL")]
    found = cited_items(db, ids)
    return [found[i] for i in sorted(found)]


def enquiry_states(db) -> dict[str, tuple[str, str, bool]]:
    """Every line of enquiry: id -> (area id, title, retired)."""
    return {r[0]: (r[1], r[2], bool(r[3])) for r in _conn(db).execute(
        "SELECT q.id, q.area_id, q.title, q.retired OR a.retired FROM enquiries q "
        "JOIN judgement_areas a ON a.id = q.area_id")}


def area_rows(db) -> list[tuple[str, str, str, bool]]:
    """Judgement areas in framework order: (id, title, short title, retired)."""
    return [(r[0], r[1], r[2] or r[1], bool(r[3])) for r in _conn(db).execute(
        "SELECT id, title, short_title, retired FROM judgement_areas ORDER BY position, id")]


def saved_search_names(db) -> set[str]:
    return {r[0].casefold() for r in _conn(db).execute("SELECT name FROM saved_searches")}


def saved_search(db, name: str) -> tuple[str, str] | None:
    """(name as stored, query) of a saved search, by name (any case) or id."""
    key = str(name).strip()
    row = _conn(db).execute("SELECT name, query FROM saved_searches WHERE name = ? COLLATE NOCASE "
                            "OR CAST(id AS TEXT) = ?", [key, key]).fetchone()
    return (row[0], row[1]) if row else None


# -- figures (core/sef/figures.py says what each means) ------------------------------------------
def sampled_cases(db, readiness_keys: tuple[str, ...]) -> tuple[int, int]:
    """(sampled open cases with every readiness item in `readiness_keys` done, sampled open
    cases). The keys are the evidence stage's rule (cases.READINESS_KEYS), given by the caller."""
    keys = tuple(readiness_keys)
    marks = ",".join("?" * len(keys))
    row = _conn(db).execute(
        "SELECT COUNT(*), COALESCE(SUM((SELECT COUNT(*) FROM case_readiness r WHERE "
        f"r.case_id = c.id AND r.done = 1 AND r.item IN ({marks})) = ?), 0) "
        "FROM cases c WHERE c.sampled = 1 AND c.open = 1",
        [*keys, len(keys)]).fetchone()
    return int(row[1]), int(row[0])


def caseloads_by_team(db) -> list[tuple[str, int, int]]:
    """(team, open cases, workers holding them) per team; no team -> ''."""
    return [(r[0] or "", int(r[1]), int(r[2])) for r in _conn(db).execute(
        "SELECT COALESCE(team, ''), COUNT(*), COUNT(DISTINCT NULLIF(TRIM(worker), '')) "
        "FROM cases WHERE open = 1 GROUP BY COALESCE(team, '') ORDER BY COALESCE(team, '')")]


def evidence_by_enquiry(db) -> list[tuple[str, str, int, int]]:
    """(line of enquiry, title, evidence items, strong items) for every active line."""
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in _conn(db).execute(
        "SELECT q.id, q.title, COUNT(e.id), COALESCE(SUM(e.strength = 'strong'), 0) "
        "FROM enquiries q JOIN judgement_areas a ON a.id = q.area_id "
        "LEFT JOIN evidence_enquiries x ON x.enquiry_id = q.id "
        "LEFT JOIN evidence_items e ON e.id = x.item_id AND e.deleted_at IS NULL "
        "WHERE q.retired = 0 AND a.retired = 0 GROUP BY q.id "
        "ORDER BY a.position, q.position, q.id")]


def evidence_counts(db) -> dict[str, int]:
    """Evidence items in use by strength (strong, moderate, weak) and in all."""
    out = {"strong": 0, "moderate": 0, "weak": 0}
    for s, n in _conn(db).execute("SELECT strength, COUNT(*) FROM evidence_items WHERE "
                                  "deleted_at IS NULL GROUP BY strength"):
        out[s] = int(n)
    out["total"] = sum(out.values())
    return out


def requests_ready(db) -> tuple[int, int]:
    """(active week-one requests ready or sent, active week-one requests)."""
    row = _conn(db).execute("SELECT COALESCE(SUM(status IN ('ready', 'sent')), 0), COUNT(*) "
                            "FROM requests WHERE retired = 0").fetchone()
    return int(row[0]), int(row[1])


def open_cases_by_status(db) -> list[tuple[str, int]]:
    return [(r[0] or "", int(r[1])) for r in _conn(db).execute(
        "SELECT status, COUNT(*) FROM cases WHERE open = 1 GROUP BY status ORDER BY status")]
