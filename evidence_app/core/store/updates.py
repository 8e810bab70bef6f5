"""The one UPDATE every edit shares (set some fields of one row and stamp its `updated_at`),
and the one INSERT of a row given as {column: value}.

Seven writers (evidence, requests, bundles, cases, framework…) used to spell this statement by
hand. Column and table names come from the calling code, never from a person, but they are
still checked to be plain identifiers before they are put into the SQL. The audit record that
goes with an edit is written by `core.safety.audit.update_and_record`, which calls this inside
the same transaction (the audit chain belongs to the safety stage, above the store).
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from typing import Any, Iterable, Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@lru_cache(maxsize=1024)  # the same few names on every write (a tag names 13 columns)
def _name(word: str) -> str:
    if not _NAME.match(word):
        raise ValueError(f"not a plain SQL name: {word!r}")
    return f'"{word}"'


def set_fields(conn: sqlite3.Connection, table: str, key: Any, fields: Mapping[str, Any], *,
               now: str | None, key_column: str = "id") -> int:
    """UPDATE `table` SET fields…, updated_at = now WHERE key_column = key; the rows changed.

    `now=None` leaves `updated_at` alone (for derived fields such as re-anchoring, which is not
    a person's edit). Nothing to set and no stamp: nothing is written."""
    sets = [f"{_name(k)} = ?" for k in fields]
    values = list(fields.values())
    if now is not None:
        sets.append('"updated_at" = ?')
        values.append(now)
    if not sets:
        return 0
    cur = conn.execute(f"UPDATE {_name(table)} SET {', '.join(sets)} "
                       f"WHERE {_name(key_column)} = ?", [*values, key])
    return cur.rowcount


def insert_row(conn: sqlite3.Connection, table: str, values: Mapping[str, Any], *,
               columns: Iterable[str] | None = None) -> int:
    """INSERT INTO `table` (its keys) VALUES (its values); the new row's id. With `columns`,
    keys that are not among them are left out (a record may carry more than its table)."""
    if columns is not None:
        allowed = set(columns)
        values = {k: v for k, v in values.items() if k in allowed}
    cur = conn.execute(f"INSERT INTO {_name(table)} ({', '.join(_name(k) for k in values)}) "
                       f"VALUES ({','.join('?' * len(values))})", list(values.values()))
    return int(cur.lastrowid)
