"""SQL for the residual review's accepted items (per bundle)."""
from __future__ import annotations


def accepted_keys(db, bundle_id: int) -> frozenset:
    return frozenset(r[0] for r in db.conn.execute(
        "SELECT key FROM review_accepted WHERE bundle_id = ?", [bundle_id]))


def accept(db, bundle_id: int, items: list[tuple[str, str]], who: str | None, when: str) -> int:
    """Store (key, kind) pairs as accepted; returns how many were new."""
    before = db.conn.total_changes
    db.conn.executemany(
        "INSERT OR IGNORE INTO review_accepted (bundle_id, key, kind, accepted_by, accepted_at) "
        "VALUES (?, ?, ?, ?, ?)", [(bundle_id, k, kind, who, when) for k, kind in items])
    return db.conn.total_changes - before


def forget(db, bundle_id: int, keys: list[str]) -> int:
    """No longer accepted: these keys of this bundle."""
    return db.conn.executemany("DELETE FROM review_accepted WHERE bundle_id = ? AND key = ?",
                               [(bundle_id, k) for k in keys]).rowcount


def rows(db, bundle_id: int) -> list[tuple]:
    """(key, kind, accepted_by, accepted_at) of everything accepted for this bundle."""
    return db.conn.execute("SELECT key, kind, accepted_by, accepted_at FROM review_accepted "
                           "WHERE bundle_id = ? ORDER BY key", [bundle_id]).fetchall()


def put_back(db, bundle_id: int, kept: list[tuple]) -> None:
    """Accepted again as they were (who and when kept)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO review_accepted (bundle_id, key, kind, accepted_by, accepted_at) "
        "VALUES (?, ?, ?, ?, ?)", [(bundle_id, *r) for r in kept])


def clear(db, bundle_id: int) -> int:
    return db.conn.execute("DELETE FROM review_accepted WHERE bundle_id = ?",
                           [bundle_id]).rowcount


def paths_for_cases(db, refs: list[str]) -> dict[str, list[str]]:
    """Source paths of the documents linked to each case (lower-case ref -> paths)."""
    out: dict[str, list[str]] = {}
    for ref in refs:
        rows = db.conn.execute("SELECT path, rel_path FROM documents WHERE case_ref = ? "
                               "COLLATE NOCASE LIMIT 50", [ref]).fetchall()
        out[ref.lower()] = [p for row in rows for p in row if p]
    return out
