"""Full-text search over the index, grouped by document, with a snippet and a page for each hit.

Ranking is FTS5's bm25, with a boost when the title or file name matches. To keep the first page
fast on very large indexes, ranking runs over a bounded candidate set: the newest `CANDIDATES`
matching passages (FTS5 walks rowids in descending order and stops). When fewer passages match,
which is the usual case for specific searches, the ranking is exact; otherwise the result says
`exact=False` and `search(..., exact=True)` ranks everything (the window does this in the
background after showing the first page).
"""
from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import asdict, dataclass, field

from .errors import QueryError
from .query import ParsedQuery, parse
from .workspace import Workspace

CANDIDATES = 3000
FILTER_FIRST = 400  # passages: at or below this, filters are applied before the words
PREFIX_TERMS = 12
_VOCAB_CACHE: dict[tuple, list[str]] = {}  # (connection, index generation, prefix) -> words
_PREFIX = re.compile(r'"((?:[^"]|"")*)"\*')
TITLE_WEIGHT = 2.0
MARK_START = "\u00ab"  # « marks the start of a highlighted match in snippets
MARK_END = "\u00bb"  # » marks its end


@dataclass
class SearchHit:
    document_id: int
    path: str
    member: str
    title: str
    name: str
    format: str
    status: str
    case_ref: str | None
    page: int | None
    snippet: str
    score: float
    chunk_id: int | None
    matches: int  # matching passages in this document (within the ranked set)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0  # documents found (among the ranked candidates when not exact)
    exact: bool = True
    milliseconds: float = 0.0
    terms: list[str] = field(default_factory=list)


def _filter_sql(parsed: ParsedQuery) -> tuple[str, list]:
    f = parsed.filters
    clauses: list[str] = []
    params: list = []
    if f.cases:
        clauses.append(f"d.case_ref IN ({','.join('?' * len(f.cases))})")
        params += f.cases
    if f.kinds:
        clauses.append(f"d.source_id IN (SELECT id FROM sources WHERE kind IN "
                       f"({','.join('?' * len(f.kinds))}))")
        params += f.kinds
    if f.types:
        clauses.append(f"d.format IN ({','.join('?' * len(f.types))})")
        params += f.types
    for p in f.paths:
        clauses.append("d.rel_path LIKE ? ESCAPE '\\'")
        params.append("%" + p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if f.after is not None:
        clauses.append("d.mtime >= ?")
        params.append(f.after)
    if f.before is not None:
        clauses.append("d.mtime < ?")
        params.append(f.before)
    return (" AND ".join(clauses), params)


def search(ws: Workspace, query: str, limit: int = 50, offset: int = 0,
           exact: bool = False) -> SearchResult:
    """Search the workspace; raises QueryError with a readable message for a bad query."""
    started = time.perf_counter()
    parsed = parse(query)
    conn = ws.db.conn
    where, params = _filter_sql(parsed)
    try:
        if parsed.fts is None:
            scored, is_exact = _filter_only(conn, where, params, offset + limit), True
        else:
            fts = expand_prefixes(conn, parsed.fts)
            scored, is_exact = _rank(conn, fts, where, params, exact)
            _boost_titles(conn, parsed.fts, where, params, scored)
            parsed.fts = fts  # snippets use the expanded form too
    except sqlite3.OperationalError as exc:
        raise QueryError(f"The search could not be run: {exc}.") from exc
    ordered = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
    page = ordered[offset:offset + limit]
    hits = _hydrate(conn, parsed, page)
    return SearchResult(query, hits, len(ordered), is_exact,
                        (time.perf_counter() - started) * 1000, parsed.terms)


def _rank(conn: sqlite3.Connection, fts: str, where: str, params: list,
          exact: bool) -> tuple[dict[int, tuple[float, int | None, int]], bool]:
    """document_id -> (score, best chunk id, matching passages)."""
    # bm25 costs per phrase per row: broad ORs (an expanded prefix) rank a smaller set.
    phrases = max(1, fts.count('"') // 2)
    budget = max(500, CANDIDATES // max(1, phrases // 3))
    cap = "" if exact else f"LIMIT {budget + 1}"
    if where and _selective(conn, where, params):
        # Few documents pass the filters: look only at their passages (FTS5 seeks each rowid),
        # instead of walking every match of the words and discarding most of them.
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"JOIN chunks c ON c.id = f.rowid WHERE chunks_fts MATCH ? AND f.rowid IN "
               f"(SELECT c2.id FROM chunks c2 JOIN documents d ON d.id = c2.document_id "
               f"WHERE {where}) ORDER BY f.rowid DESC {cap}")
    elif where:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id "
               f"WHERE chunks_fts MATCH ? AND {where} ORDER BY f.rowid DESC {cap}")
    else:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"JOIN chunks c ON c.id = f.rowid WHERE chunks_fts MATCH ? "
               f"ORDER BY f.rowid DESC {cap}")
    rows = conn.execute(sql, [fts, *params]).fetchall()
    is_exact = exact or len(rows) <= budget
    rows = rows[:budget] if not exact else rows
    scored: dict[int, tuple[float, int | None, int]] = {}
    for chunk_id, bm, doc_id in rows:
        score = -bm
        prev = scored.get(doc_id)
        if prev is None:
            scored[doc_id] = (score, chunk_id, 1)
        else:
            best, best_chunk, n = prev
            scored[doc_id] = (max(best, score), chunk_id if score > best else best_chunk, n + 1)
    # Small reward for several matching passages: a document about the subject beats a mention.
    for doc_id, (score, c, n) in scored.items():
        scored[doc_id] = (score * (1 + 0.05 * min(n - 1, 10)), c, n)
    return scored, is_exact


def _selective(conn: sqlite3.Connection, where: str, params: list) -> bool:
    """Do so few passages pass the filters that seeking each one beats walking the matches?
    (FTS5 answers `rowid IN (...)` with one seek per rowid: cheap for a case's few hundred
    passages, far slower than the walk for a whole source kind or date range.)"""
    n = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM chunks c2 JOIN documents d "
                     f"ON d.id = c2.document_id WHERE {where} LIMIT {FILTER_FIRST + 1})",
                     params).fetchone()[0]
    return n <= FILTER_FIRST


def expand_prefixes(conn: sqlite3.Connection, fts: str) -> str:
    """Rewrite `"term"*` as an OR of the indexed words that start with it.

    FTS5 materialises a prefix query's whole doclist every time it is evaluated, which costs
    milliseconds per row when snippets are made; an OR of real terms is evaluated lazily and
    seeks by rowid cheaply. Up to PREFIX_TERMS most frequent words are used.
    """
    if '"*' not in fts:
        return fts
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab "
                 "USING fts5vocab(main, 'chunks_fts', 'row')")
    generation = conn.execute("SELECT MAX(id) FROM chunks").fetchone()[0]

    def repl(m: re.Match[str]) -> str:
        prefix = m.group(1).replace('""', '"').lower()
        if not prefix:
            return m.group(0)
        key = (id(conn), generation, prefix)
        terms = _VOCAB_CACHE.get(key)
        if terms is None:
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            terms = [r[0] for r in conn.execute(
                "SELECT term FROM temp.chunks_vocab WHERE term >= ? AND term < ? "
                "ORDER BY doc DESC LIMIT ?", [prefix, upper, PREFIX_TERMS])]
            if len(_VOCAB_CACHE) > 256:
                _VOCAB_CACHE.clear()
            _VOCAB_CACHE[key] = terms
        if not terms:
            return m.group(0)
        quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
        return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"

    return _PREFIX.sub(repl, fts)


def _boost_titles(conn: sqlite3.Connection, fts: str, where: str, params: list,
                  scored: dict[int, tuple[float, int | None, int]]) -> None:
    sql = ("SELECT n.rowid, bm25(names_fts, 2.0, 1.0) FROM names_fts n "
           + ("JOIN documents d ON d.id = n.rowid " if where else "")
           + "WHERE names_fts MATCH ?" + (f" AND {where}" if where else "")
           + f" ORDER BY n.rowid DESC LIMIT {CANDIDATES}")
    for doc_id, bm in conn.execute(sql, [fts, *params]):
        boost = -bm * TITLE_WEIGHT
        prev = scored.get(doc_id)
        if prev is None:
            scored[doc_id] = (boost, None, 0)
        else:
            scored[doc_id] = (prev[0] + boost, prev[1], prev[2])


def _filter_only(conn: sqlite3.Connection, where: str, params: list,
                 limit: int) -> dict[int, tuple[float, int | None, int]]:
    rows = conn.execute(
        f"SELECT d.id, d.mtime FROM documents d WHERE {where} ORDER BY d.mtime DESC LIMIT ?",
        [*params, max(limit, 1000)]).fetchall()
    n = len(rows)
    return {doc_id: (float(n - i), None, 0) for i, (doc_id, _) in enumerate(rows)}


def _hydrate(conn: sqlite3.Connection, parsed: ParsedQuery,
             page: list[tuple[int, tuple[float, int | None, int]]]) -> list[SearchHit]:
    if not page:
        return []
    doc_ids = [doc_id for doc_id, _ in page]
    marks = ",".join("?" * len(doc_ids))
    docs = {r[0]: r[1:] for r in conn.execute(
        "SELECT id, path, member, COALESCE(title, name), name, format, status, case_ref "
        f"FROM documents WHERE id IN ({marks})", doc_ids)}
    chunk_ids = [c for _, (_, c, _) in page if c is not None]
    snippets: dict[int, tuple[str, int | None]] = {}
    if chunk_ids and parsed.fts:
        for rowid, snip, pg in conn.execute(
                f"SELECT f.rowid, snippet(chunks_fts, 0, '{MARK_START}', '{MARK_END}', '…', 24), "
                "c.page FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
                f"WHERE chunks_fts MATCH ? AND f.rowid IN ({','.join('?' * len(chunk_ids))})",
                [parsed.fts, *chunk_ids]):
            snippets[rowid] = (snip, pg)
    hits: list[SearchHit] = []
    for doc_id, (score, chunk_id, n) in page:
        d = docs.get(doc_id)
        if d is None:
            continue
        snippet, pg = snippets.get(chunk_id, ("", None)) if chunk_id is not None else ("", None)
        if not snippet:
            row = conn.execute("SELECT substr(text, 1, 200), page FROM chunks "
                               "WHERE document_id = ? ORDER BY seq LIMIT 1", [doc_id]).fetchone()
            if row:
                snippet, pg = row[0] + ("…" if len(row[0]) >= 200 else ""), row[1]
        hits.append(SearchHit(doc_id, d[0], d[1], d[2], d[3], d[4], d[5], d[6], pg,
                              " ".join(snippet.split()), round(score, 4), chunk_id, n))
    return hits
