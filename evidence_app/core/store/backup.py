"""SQL for describing a workspace database (a live one or a backup): its identity and how much
people's work it holds, so a restore can say what it replaces with what."""
from __future__ import annotations

import sqlite3


def identity(conn: sqlite3.Connection) -> dict[str, str]:
    """The `uuid`, `name` and `backup.format` settings the database has."""
    return dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('uuid', 'name', "
                             "'backup.format')").fetchall())


def work_counts(conn: sqlite3.Connection, tables: set[str]) -> tuple[int, int, int, int]:
    """(evidence items not deleted, cases, bundles, files) — 0 for a table it lacks. Files are
    counted in `documents_backup` when a slim backup keeps them there."""
    def count(table: str, where: str = "") -> int:
        if table not in tables:
            return 0
        return conn.execute(f"SELECT COUNT(*) FROM {table} {where}").fetchone()[0]

    return (count("evidence_items", "WHERE deleted_at IS NULL"), count("cases"),
            count("bundles"), count("documents" if "documents" in tables else
                                    "documents_backup", "WHERE member = ''"))
