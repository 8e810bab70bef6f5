"""The scans coverage counts from: live evidence items with their group (case, team or worker),
the item-to-line links, sampled cases' readiness ticks and open cases per worker and team.
Counting, gaps and levels are `core.evidence.coverage`'s."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

_CASE_REF = "COALESCE(i.case_ref, d.case_ref)"
# split by case, the group is the case reference itself (read once, in its own column)
_GROUP = {"area": "NULL", "case": "NULL", "team": "c.team", "worker": "c.worker"}


def live_items(conn: sqlite3.Connection, by: str) -> list[tuple]:
    """(id, case reference, group, strength, kind) of each live item: its case is its own, else
    its document's; the group is None when split by area or by case (the case is the group).
    One scan feeds both the heat map and the sampled cases' evidence counts."""
    joins = " LEFT JOIN documents d ON d.id = i.document_id"
    if by in ("team", "worker"):
        joins += f" LEFT JOIN cases c ON c.ref = {_CASE_REF}"
    return conn.execute(f"SELECT i.id, {_CASE_REF}, {_GROUP[by]}, i.strength, i.kind "
                        f"FROM evidence_items i{joins} WHERE i.deleted_at IS NULL").fetchall()


def links_by_enquiry(conn: sqlite3.Connection) -> Iterator[tuple[str, Iterator[int]]]:
    """(enquiry id, the ids of the items filed under it) for each line with items, read in the
    order of the link table's covering index (enquiry, item): no sort, and no list of ~10,000
    links held at once."""
    rows = conn.execute("SELECT enquiry_id, item_id FROM evidence_enquiries ORDER BY enquiry_id")
    return ((enquiry, map(itemgetter(1), links)) for enquiry, links in groupby(rows, itemgetter(0)))


def sampled_ticks(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """Sampled case id -> the readiness items ticked done."""
    done: dict[int, set[str]] = {}
    for case_id, item in conn.execute(
            "SELECT r.case_id, r.item FROM case_readiness r JOIN cases c ON c.id = r.case_id "
            "WHERE c.sampled = 1 AND r.done = 1"):
        done.setdefault(case_id, set()).add(item)
    return done


def sampled_cases(conn: sqlite3.Connection) -> list[tuple]:
    """(id, ref, alias, worker, team, status) of each sampled case, by reference."""
    return conn.execute("SELECT id, ref, alias, worker, team, status FROM cases "
                        "WHERE sampled = 1 ORDER BY ref").fetchall()


def open_cases_by(conn: sqlite3.Connection, column: str) -> list[tuple]:
    """(worker or team, legal status, open cases, of which sampled) for open cases."""
    if column not in ("worker", "team"):
        raise ValueError(f"not a caseload grouping: {column!r}")
    return conn.execute(f"SELECT {column}, status, COUNT(*), SUM(sampled) FROM cases "
                        f"WHERE open = 1 GROUP BY {column}, status").fetchall()
