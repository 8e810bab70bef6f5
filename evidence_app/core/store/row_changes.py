"""Row-level before and after images of one write, so it can be taken back exactly and done again.

Some writes touch many tables in ways no inverse operation could retrace by hand (a pack import:
items, their versions, documents and their text, cases, stamps, ticks, requests, framework ids,
bundles, conflicts, the import's own record). `Recorder` watches every ordinary table of the
workspace while such a write runs (temporary triggers on this connection only: other
connections, and the write itself, are unaffected) and keeps the first image of each row the
write changed, plus the keys of the rows it added. After the write, `RowChanges` holds each
touched row as (before, after); `revert` puts the before images back.

`revert` refuses (nothing written) when a touched row is no longer as the write left it: taking
the write back would then undo somebody's later work. Work done since on other rows is never
touched; if putting the rows back would reach any other row (a cascade, say a bundle entry made
since for an item the write added), it refuses too. What it writes is recorded the same way, so
the `RowChanges` it returns is exactly its own inverse (redo).

The audit log is append-only and is never recorded: an undo is itself an audited change (nor is
the journal's sequence number in `meta`, which only moves forward). The
full-text tables follow their content tables (the writer feeds their inserts itself, see
migrations.py), so rows put back into `chunks` and `documents` are indexed here.
"""
from __future__ import annotations

import sqlite3

from evidence_app.core.base.frozen import frozen

# never recorded: append-only (an undo is audited as a change of its own), or the recorder's own
SKIPPED = ("audit_log", "_sqlite_migrations")
# rows of a recorded table that only ever move forward (the journal's sequence): never put back
FORWARD_ONLY = {"meta": ("key", ("journal.",))}
# content table -> (full-text table, its columns): inserts are fed by the writer, not triggers
FTS_FOLLOWERS = {"chunks": ("chunks_fts", ("text",)), "documents": ("names_fts", ("title", "name"))}
_PREFIX = "_rowundo_"
_TRIGGERS = ("bu", "bd", "bi", "ai", "au")
_serial = iter(range(1, 1 << 62))  # each recorder's temporary names are its own


class ChangedSince(Exception):
    """A row a write changed has changed again since, or taking it back would reach other rows."""

    def __init__(self, table: str, count: int, reach: bool = False) -> None:
        super().__init__(table)
        self.table, self.count, self.reach = table, count, reach


@frozen
class TableChanges:
    """One table's touched rows: `key` indexes the key columns within `columns`."""

    table: str
    columns: tuple[str, ...]
    key: tuple[int, ...]
    rows: tuple[tuple[tuple | None, tuple | None], ...]  # (before, after); None: no such row

    def keys(self) -> set[tuple]:
        return {tuple((b or a)[i] for i in self.key) for b, a in self.rows}

    def column(self, name: str, which: str = "any") -> set:
        """The values of one column over the touched rows (before, after or any image)."""
        i = self.columns.index(name)
        images = [img for b, a in self.rows for img in
                  ((b,) if which == "before" else (a,) if which == "after" else (b, a))]
        return {img[i] for img in images if img is not None}


@frozen
class RowChanges:
    tables: tuple[TableChanges, ...] = ()

    def __bool__(self) -> bool:
        return any(t.rows for t in self.tables)

    def table(self, name: str) -> TableChanges | None:
        return next((t for t in self.tables if t.table == name), None)

    def inverse(self) -> RowChanges:
        return RowChanges(tuple(TableChanges(t.table, t.columns, t.key,
                                             tuple((a, b) for b, a in t.rows))
                                for t in self.tables))

    def count(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _shape(conn: sqlite3.Connection, table: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(columns, key column indexes); a table without a declared key is keyed by rowid."""
    info = conn.execute(f"PRAGMA main.table_info({_q(table)})").fetchall()
    cols = tuple(r[1] for r in info)
    pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
    if not pk:
        return ("rowid",) + cols, (0,)
    return cols, tuple(cols.index(c) for c in pk)


def recorded_tables(conn: sqlite3.Connection) -> list[str]:
    """Every ordinary table of the workspace (not full-text tables or their shadows)."""
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'").fetchall()
    virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return sorted(n for n, sql in rows
                  if not n.startswith("sqlite_") and n not in SKIPPED and n not in virtual
                  and not any(n.startswith(v + "_") for v in virtual))


class Recorder:
    """Use as `with Recorder(conn) as rec: <the write>`, inside the write's transaction; then
    `rec.changes` holds what it did. The triggers live only on this connection and only for
    the block."""

    def __init__(self, conn: sqlite3.Connection, tables: list[str] | None = None) -> None:
        self.conn = conn
        self.tables = tables
        self.shapes: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}
        self.changes = RowChanges()
        self.prefix = f"{_PREFIX}{next(_serial)}_"

    def __enter__(self) -> Recorder:
        conn = self.conn
        for n, t in enumerate(self.tables if self.tables is not None else recorded_tables(conn)):
            cols, key = self._shape_of(t)
            log = f"{self.prefix}{n}"
            self.shapes[t] = (cols, key)
            names = ", ".join(f"c{i}" for i in range(len(cols)))
            # every event is logged, in order (no lookups while the write runs: cheaper); the
            # first entry for a key is the row as it was before the write (see _collect)
            conn.execute(f"CREATE TEMP TABLE {log} (op TEXT, {names})")
            old = ", ".join(f"OLD.{_q(c)}" for c in cols)
            keyed = ", ".join(f"NEW.{_q(cols[i])}" if i in key else "NULL"
                              for i in range(len(cols)))
            here = " AND ".join(f"{_q(cols[i])} IS NEW.{_q(cols[i])}" for i in key)
            given = " AND ".join(f"NEW.{_q(cols[i])} IS NOT NULL" for i in key)
            moved = " OR ".join(f"OLD.{_q(cols[i])} IS NOT NEW.{_q(cols[i])}" for i in key)
            src = _q(t)
            conn.execute(f"CREATE TEMP TRIGGER {log}_bu BEFORE UPDATE ON main.{src} BEGIN "
                         f"INSERT INTO {log} VALUES ('old', {old}); END")
            conn.execute(f"CREATE TEMP TRIGGER {log}_bd BEFORE DELETE ON main.{src} BEGIN "
                         f"INSERT INTO {log} VALUES ('old', {old}); END")
            # an INSERT OR REPLACE over an existing row (same key): keep the row it replaces
            # (recursive triggers stay off, so the app's own triggers behave as ever)
            sel = ", ".join(_q(c) for c in cols)
            conn.execute(f"CREATE TEMP TRIGGER {log}_bi BEFORE INSERT ON main.{src} "
                         f"WHEN {given} BEGIN "
                         f"INSERT INTO {log} SELECT 'old', {sel} FROM main.{src} WHERE {here}; END")
            conn.execute(f"CREATE TEMP TRIGGER {log}_ai AFTER INSERT ON main.{src} BEGIN "
                         f"INSERT INTO {log} VALUES ('new', {keyed}); END")
            # an update that moved a row to another key: the new key had no row before
            conn.execute(f"CREATE TEMP TRIGGER {log}_au AFTER UPDATE ON main.{src} "
                         f"WHEN {moved} BEGIN "
                         f"INSERT INTO {log} VALUES ('new', {keyed}); END")
        return self

    def _shape_of(self, table: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
        return _shape(self.conn, table)

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        conn = self.conn
        try:
            if exc_type is None:
                self.changes = self._collect()
        finally:
            for n in range(len(self.shapes)):
                for trig in _TRIGGERS:
                    conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.prefix}{n}_{trig}")
                conn.execute(f"DROP TABLE IF EXISTS temp.{self.prefix}{n}")

    def _collect(self) -> RowChanges:
        out = []
        for n, (t, (cols, key)) in enumerate(self.shapes.items()):
            log = f"temp.{self.prefix}{n}"
            if self.conn.execute(f"SELECT 1 FROM {log} LIMIT 1").fetchone() is None:
                continue
            width = len(cols)
            # each logged row beside the row as it is now (one query, not one per row)
            found = ", ".join(f"t.{_q(c)}" for c in cols)
            on = " AND ".join(f"t.{_q(cols[i])} IS l.c{i}" for i in key)
            logged = self.conn.execute(
                f"SELECT l.*, t.{_q(cols[key[0]])} IS NOT NULL, {found} "
                f"FROM {log} l LEFT JOIN main.{_q(t)} t ON {on} ORDER BY l.rowid").fetchall()
            rows = []
            skip = FORWARD_ONLY.get(t)
            at = cols.index(skip[0]) if skip else 0
            seen = set()
            for r in logged:
                k = tuple(r[1 + i] for i in key)
                if k in seen:
                    continue  # a later event for a row already seen: its first image counts
                seen.add(k)
                if skip and str(r[1 + at]).startswith(skip[1]):
                    continue
                before = r[1:1 + width] if r[0] == "old" else None
                after = r[2 + width:] if r[1 + width] else None
                if before != after:
                    rows.append((before, after))
            if rows:
                out.append(TableChanges(t, cols, key, tuple(rows)))
        return RowChanges(tuple(out))


def _current(conn, table: str, cols, key, k: tuple) -> tuple | None:
    where = " AND ".join(f"{_q(cols[i])} IS ?" for i in key)
    row = conn.execute(f"SELECT {', '.join(_q(c) for c in cols)} FROM main.{_q(table)} "
                       f"WHERE {where}", list(k)).fetchone()
    return tuple(row) if row is not None else None


def revert(conn: sqlite3.Connection, changes: RowChanges) -> RowChanges:
    """Put every touched row back as it was before the write (call inside a transaction).
    Returns what this did (the way to do the write again). Raises ChangedSince, having written
    nothing it keeps, when a row is no longer as the write left it or other rows would move."""
    for t in changes.tables:
        stale = sum(1 for b, a in t.rows
                    if _current(conn, t.table, t.columns, t.key,
                                tuple((b or a)[i] for i in t.key)) != a)
        if stale:
            raise ChangedSince(t.table, stale)
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows come back in any order
    with Recorder(conn) as rec:  # every table: a cascade may reach one the write never touched
        for t in changes.tables:
            cols, key = t.columns, t.key
            where = " AND ".join(f"{_q(cols[i])} IS ?" for i in key)
            for before, after in t.rows:
                k = [(before or after)[i] for i in key]
                if before is None:
                    conn.execute(f"DELETE FROM main.{_q(t.table)} WHERE {where}", k)
                elif after is None:
                    conn.execute(f"INSERT INTO main.{_q(t.table)} "
                                 f"({', '.join(_q(c) for c in cols)}) "
                                 f"VALUES ({', '.join('?' * len(cols))})", list(before))
                    _index(conn, t.table, cols, before)
                else:
                    conn.execute(f"UPDATE main.{_q(t.table)} SET "
                                 f"{', '.join(f'{_q(c)} = ?' for c in cols)} WHERE {where}",
                                 list(before) + k)
    wanted = {t.table: t.keys() for t in changes.tables}
    for t in rec.changes.tables:
        reach = len(t.keys() - wanted.get(t.table, set()))
        if reach:
            raise ChangedSince(t.table, reach, reach=True)
    _check_references(conn, set(wanted))
    return rec.changes


def _check_references(conn, tables: set[str]) -> None:
    """Nothing points at a row taken away (checked here: a failed COMMIT would leave the
    transaction open). Rows made since that point at what the write added: refused."""
    for t in recorded_tables(conn):
        targets = {r[2] for r in conn.execute(f"PRAGMA main.foreign_key_list({_q(t)})")}
        if t in tables or targets & tables:
            bad = conn.execute(f"PRAGMA main.foreign_key_check({_q(t)})").fetchall()
            if bad:
                raise ChangedSince(t, len(bad), reach=True)


def _index(conn, table: str, cols, row: tuple) -> None:
    """A row put back into a full-text content table goes back into its index too."""
    if table not in FTS_FOLLOWERS:
        return
    fts, fields = FTS_FOLLOWERS[table]
    values = dict(zip(cols, row))
    conn.execute(f"INSERT INTO {fts}(rowid, {', '.join(fields)}) "
                 f"VALUES (?, {', '.join('?' * len(fields))})",
                 [values["id"]] + [values[f] for f in fields])
