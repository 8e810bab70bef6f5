"""SQL for full-text search: the filters, the ranked passages, titles, and what a hit shows.

The rules (how passages become documents, how titles boost, which snippet is best, when a search
is too broad) stay in core/search/search.py; this module only asks the database. Every function
takes the plain DB-API connection (the search path never loads sqlite-utils, for start-up time).
`where`/`params` are the filter clause `filter_sql` builds, over documents aliased `d`.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)

LOOKUP_INDEX = "chunks_id_document"  # store/m006_search_lookup.py
MARK_START = "\u00ab"  # « marks the start of a highlighted match in snippets
MARK_END = "\u00bb"  # » marks its end


class SearchHit:
    """One document found, with its best passage's snippet and page: a typed, read-only record.

    A slotted class rather than a dataclass (core/store/records/ re-exports it): the search
    command imports no dataclasses machinery, whose import is most of its start-up cost."""

    FIELDS = ("document_id", "path", "member", "title", "name", "format", "status", "case_ref",
              "page", "snippet", "score", "chunk_id", "matches")
    __slots__ = FIELDS

    document_id: int
    path: str  # stored form (core/base/fsnames.py); `display()` it for a person
    member: str
    title: str  # the title, else the file name
    name: str
    format: str
    status: str
    case_ref: str | None
    page: int | None
    snippet: str  # matches between MARK_START and MARK_END
    score: float
    chunk_id: int | None
    matches: int  # matching passages in this document (within the ranked set)

    def __init__(self, document_id: int, path: str, member: str, title: str, name: str,
                 format: str, status: str, case_ref: str | None, page: int | None, snippet: str,
                 score: float, chunk_id: int | None, matches: int) -> None:
        for k, v in zip(self.FIELDS, (document_id, path, member, title, name, format, status,
                                      case_ref, page, snippet, score, chunk_id, matches)):
            object.__setattr__(self, k, v)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a SearchHit is read-only ({name})")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchHit) and as_json(self) == as_json(other)

    def __hash__(self) -> int:
        return hash((self.document_id, self.chunk_id, self.score))

    def __repr__(self) -> str:
        return f"SearchHit({self.document_id}, {self.path!r}, score={self.score})"


def as_json(hit: SearchHit) -> dict:
    """The `search --json` shape of a hit (field names are a contract)."""
    return {k: getattr(hit, k) for k in SearchHit.FIELDS}


def filter_sql(cases: list[str], kinds: list[str], types: list[str], paths: list[str],
               after: float | None, before: float | None) -> tuple[str, list]:
    """The WHERE clause (over documents `d`) for a query's filters, and its parameters."""
    clauses: list[str] = []
    params: list = []
    if cases:
        clauses.append(f"d.case_ref IN ({','.join('?' * len(cases))})")
        params += cases
    if kinds:
        clauses.append(f"d.source_id IN (SELECT id FROM sources WHERE kind IN "
                       f"({','.join('?' * len(kinds))}))")
        params += kinds
    if types:
        clauses.append(f"d.format IN ({','.join('?' * len(types))})")
        params += types
    for p in paths:
        clauses.append("d.rel_path LIKE ? ESCAPE '\\'")
        params.append("%" + p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if after is not None:
        clauses.append("d.mtime >= ?")
        params.append(after)
    if before is not None:
        clauses.append("d.mtime < ?")
        params.append(before)
    return (" AND ".join(clauses), params)


def _chunk_join(conn: sqlite3.Connection) -> str:
    """Passage -> document through the covering index when the schema has it (a workspace
    opened read-only before migrating may not). Asked each time: it costs microseconds, and a
    connection cannot carry a memo of its own."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                       [LOOKUP_INDEX]).fetchone() is not None
    return (f"JOIN chunks c INDEXED BY {LOOKUP_INDEX} ON c.id = f.rowid" if has
            else "JOIN chunks c ON c.id = f.rowid")


def filtered_passages_at_most(conn: sqlite3.Connection, where: str, params: list,
                              limit: int) -> int:
    """How many passages pass the filters, counting no further than `limit` + 1."""
    return conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM chunks c2 JOIN documents d "
                        f"ON d.id = c2.document_id WHERE {where} LIMIT {int(limit) + 1})",
                        params).fetchone()[0]


def matching_passages(conn: sqlite3.Connection, fts: str, where: str, params: list,
                      cap: int | None, *, seek: bool) -> list[tuple[int, float, int]]:
    """(passage id, bm25, document id) of the newest passages matching `fts` that pass the
    filters, at most `cap` (None: all). `seek`: look only at the filtered documents' passages
    (FTS5 seeks each rowid: best when few pass the filters) rather than walk every match."""
    limit = "" if cap is None else f"LIMIT {int(cap)}"
    join = _chunk_join(conn)
    if where and seek:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} WHERE chunks_fts MATCH ? AND f.rowid IN "
               f"(SELECT c2.id FROM chunks c2 JOIN documents d ON d.id = c2.document_id "
               f"WHERE {where}) ORDER BY f.rowid DESC {limit}")
    elif where:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} JOIN documents d ON d.id = c.document_id "
               f"WHERE chunks_fts MATCH ? AND {where} ORDER BY f.rowid DESC {limit}")
    else:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} WHERE chunks_fts MATCH ? ORDER BY f.rowid DESC {limit}")
    return conn.execute(sql, [fts, *params]).fetchall()


def title_scores(conn: sqlite3.Connection, fts: str, where: str, params: list,
                 limit: int) -> list[tuple[int, float]]:
    """(document id, bm25 over title and file name) of the newest documents whose names match."""
    sql = ("SELECT n.rowid, bm25(names_fts, 2.0, 1.0) FROM names_fts n "
           + ("JOIN documents d ON d.id = n.rowid " if where else "")
           + "WHERE names_fts MATCH ?" + (f" AND {where}" if where else "")
           + f" ORDER BY n.rowid DESC LIMIT {int(limit)}")
    return conn.execute(sql, [fts, *params]).fetchall()


def newest_filtered(conn: sqlite3.Connection, where: str, params: list,
                    limit: int) -> list[tuple[int, float | None]]:
    """(document id, mtime) of the documents passing the filters, newest file first."""
    return conn.execute(
        f"SELECT d.id, d.mtime FROM documents d WHERE {where} ORDER BY d.mtime DESC LIMIT ?",
        [*params, limit]).fetchall()


def file_dates(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, float]:
    """Each document's file date (modification time; 0 when unknown)."""
    out: dict[int, float] = {}
    for i in range(0, len(doc_ids), 900):
        part = doc_ids[i:i + 900]
        out.update(conn.execute(f"SELECT id, COALESCE(mtime, 0) FROM documents WHERE id IN "
                                f"({','.join('?' * len(part))})", part).fetchall())
    return out


def passages_after(conn: sqlite3.Connection, doc_id: int, seq: int, n: int) -> list[str]:
    """The text of the next `n` passages of a document after passage `seq`."""
    return [r[0] for r in conn.execute(
        "SELECT text FROM chunks WHERE document_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        [doc_id, seq, n])]


def hit_documents(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, tuple]:
    """id -> (path, member, title or name, name, format, status, case_ref) for hits."""
    marks = ",".join("?" * len(doc_ids))
    return {r[0]: r[1:] for r in conn.execute(
        "SELECT id, path, member, COALESCE(title, name), name, format, status, case_ref "
        f"FROM documents WHERE id IN ({marks})", doc_ids)}


def snippets(conn: sqlite3.Connection, fts: str, chunk_ids: list[int]
             ) -> dict[int, tuple[str, int | None, str, int, int]]:
    """passage id -> (FTS5's snippet with the matches marked, page, and the passage's
    text, document id and seq) for these passages: one statement for a page of hits
    instead of one more per hit."""
    out: dict[int, tuple[str, int | None, str, int, int]] = {}
    for rowid, snip, pg, text, doc_id, seq in conn.execute(
            f"SELECT f.rowid, snippet(chunks_fts, 0, '{MARK_START}', '{MARK_END}', '…', 24), "
            "c.page, c.text, c.document_id, c.seq "
            "FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
            f"WHERE chunks_fts MATCH ? AND f.rowid IN ({','.join('?' * len(chunk_ids))})",
            [fts, *chunk_ids]):
        out[rowid] = (snip, pg, text, doc_id, seq)
    return out


def opening(conn: sqlite3.Connection, doc_id: int, chars: int) -> tuple[str, int | None] | None:
    """(first `chars` characters, page) of a document's first passage."""
    return conn.execute("SELECT substr(text, 1, ?), page FROM chunks WHERE document_id = ? "
                        "ORDER BY seq LIMIT 1", [chars, doc_id]).fetchone()



# -- the vocabulary, for prefixes (core/search/prefixes.py) ------------------------------------
def ensure_vocab_tables(conn: sqlite3.Connection, stem_tokenize: str, fold_tokenize: str) -> None:
    """Temporary tables on this connection: the two indexes' vocabularies, and two scratch FTS5
    tables that tokenise words the way the index does (with and without stemming)."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab "
                 "USING fts5vocab(main, 'chunks_fts', 'row')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.names_vocab "
                 "USING fts5vocab(main, 'names_fts', 'row')")
    for name, tokenize in (("eo_stem", stem_tokenize), ("eo_fold", fold_tokenize)):
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5(w, "
                     f"tokenize='{tokenize}')")
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name}_terms "
                     f"USING fts5vocab(temp, '{name}', 'instance')")


def index_generation(conn: sqlite3.Connection) -> tuple[str, int | None]:
    """(database file, newest passage id): changes when the index may have new words."""
    return (conn.execute("PRAGMA database_list").fetchone()[2],
            conn.execute("SELECT MAX(id) FROM chunks").fetchone()[0])


def tokens_of(conn: sqlite3.Connection, table: str, rows: list[tuple[int, str]]
              ) -> list[tuple[str, int, int]]:
    """(token, row, offset) the scratch table `table` (eo_stem or eo_fold) makes of `rows`
    ((rowid, text)); the table is left empty."""
    if table not in ("eo_stem", "eo_fold"):
        raise ValueError(f"not a scratch tokenising table: {table}")
    conn.execute(f"DELETE FROM temp.{table}")
    conn.executemany(f"INSERT INTO temp.{table}(rowid, w) VALUES (?, ?)", rows)
    found = conn.execute(f"SELECT term, doc, offset FROM temp.{table}_terms").fetchall()
    conn.execute(f"DELETE FROM temp.{table}")
    return found


def terms_from(conn: sqlite3.Connection, prefix: str, limit: int) -> list[str]:
    """Up to `limit` indexed terms starting with `prefix`, those in most passages first."""
    return [r[0] for r in conn.execute(
        "SELECT term FROM temp.chunks_vocab WHERE term >= ? AND term < ? ORDER BY doc DESC "
        "LIMIT ?", [prefix, prefix + "\U0010ffff", limit])]


def indexed_terms(conn: sqlite3.Connection, terms: list[str]) -> set[str]:
    """Which of `terms` the text or the titles and file names have."""
    marks = ",".join("?" * len(terms))
    return {r[0] for r in conn.execute(
        f"SELECT term FROM temp.chunks_vocab WHERE term IN ({marks}) UNION "
        f"SELECT term FROM temp.names_vocab WHERE term IN ({marks})", [*terms, *terms])}
