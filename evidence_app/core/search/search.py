"""Full-text search over the index, grouped by document, with a snippet and a page for each hit.

Ranking is FTS5's bm25, with a boost when the title or file name matches. To keep the first page
fast on very large indexes, ranking runs over a bounded candidate set: the newest `CANDIDATES`
matching passages (FTS5 walks rowids in descending order and stops). When fewer passages match,
which is the usual case for specific searches, the ranking is exact; otherwise the result says
`exact=False` and `search(..., exact=True)` ranks everything (the window does this in the
background after showing the first page).

A prefix (`supervis*`) is written out as the indexed words it stands for (core/search/prefixes.py). A
search that is only a prefix (with or without filters) ranks each of those words' newest
passages separately and adds the scores (FTS5's bm25 for an OR is the sum of its parts), so the
prefix finds every document its whole word finds even when the candidate set is bounded.

Reads use the workspace's plain sqlite3 connection (`ws.conn`), and this module avoids
dataclasses: the search command's start-up time is part of what a person waits for. A search
that would run past DEADLINE_S (a pathological query on a huge index) stops with a message.
"""
from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from evidence_app.core.base.errors import QueryError
from evidence_app.core.search.query import ParsedQuery, parse

if TYPE_CHECKING:
    from evidence_app.core.workspace import Workspace

CANDIDATES = 3000
FILTER_FIRST = 400  # passages: at or below this, filters are applied before the words
DEADLINE_S = 5.0  # a bounded (not exact) search gives up after this long, with a message
TITLE_WEIGHT = 2.0
MARK_START = "\u00ab"  # « marks the start of a highlighted match in snippets
MARK_END = "\u00bb"  # » marks its end
LOOKUP_INDEX = "chunks_id_document"  # store/m006_search_lookup.py


class SearchHit:
    """One document found, with its best passage's snippet and page."""

    FIELDS = ("document_id", "path", "member", "title", "name", "format", "status", "case_ref",
              "page", "snippet", "score", "chunk_id", "matches")
    __slots__ = FIELDS

    def __init__(self, document_id: int, path: str, member: str, title: str, name: str,
                 format: str, status: str, case_ref: str | None, page: int | None, snippet: str,
                 score: float, chunk_id: int | None, matches: int) -> None:
        self.document_id, self.path, self.member, self.title = document_id, path, member, title
        self.name, self.format, self.status, self.case_ref = name, format, status, case_ref
        self.page, self.snippet, self.score, self.chunk_id = page, snippet, score, chunk_id
        self.matches = matches  # matching passages in this document (within the ranked set)

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.FIELDS}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchHit) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"SearchHit({self.document_id}, {self.path!r}, score={self.score})"


class SearchResult:
    """A page of hits, with how many documents were found in all."""

    def __init__(self, query: str, hits: list[SearchHit] | None = None, total: int = 0,
                 exact: bool = True, milliseconds: float = 0.0,
                 terms: list[str] | None = None) -> None:
        self.query = query
        self.hits = hits if hits is not None else []
        self.total = total  # documents found (among the ranked candidates when not exact)
        self.exact = exact
        self.milliseconds = milliseconds
        self.terms = terms if terms is not None else []


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


ORDERS = ("relevance", "date")


def search(ws: Workspace, query: str, limit: int = 50, offset: int = 0,
           exact: bool = False, order: str = "relevance") -> SearchResult:
    """Search the workspace; raises QueryError with a readable message for a bad query.
    `order`: "relevance" (best first) or "date" (newest file first, then relevance)."""
    if order not in ORDERS:
        raise QueryError(f"Results can be sorted by {' or '.join(ORDERS)}, not '{order}'.")
    started = time.perf_counter()
    parsed = parse(query)
    limit, offset = max(0, int(limit)), max(0, int(offset))
    conn = ws.conn
    where, params = _filter_sql(parsed)
    if not exact:
        deadline = started + DEADLINE_S
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, 10_000)
    try:
        if parsed.fts is None:
            scored, is_exact = _filter_only(conn, where, params, offset + limit), True
        else:
            fts, expanded, single = parsed.fts, {}, None
            if '"*' in fts:  # a prefix: written out as the words it stands for
                # start-up: loaded only when this runs
                from evidence_app.core.search import prefixes

                fts, expanded = prefixes.expand(conn, parsed.fts)
                single = expanded.get(prefixes.single_prefix(parsed.fts) or "")
            if single is not None and len(single.branches()) > 1:
                scored, is_exact = _rank_each(conn, single.branches(), where, params, exact)
            else:
                scored, is_exact = _rank(conn, fts, where, params, exact)
            _boost_titles(conn, _names_expression(parsed.fts, fts, expanded), where, params,
                          scored)
            parsed.fts = fts  # snippets use the expanded form too
        if order == "date":
            dates = _dates(conn, list(scored))
            ordered = sorted(scored.items(),
                             key=lambda kv: (-dates.get(kv[0], 0), -kv[1][0], kv[0]))
        else:
            ordered = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))
        page = ordered[offset:offset + limit]
        hits = _hydrate(conn, parsed, page)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryError("This search is too broad to finish quickly: add a word or a "
                             "filter (case:, kind:, after:) to narrow it.") from exc
        raise QueryError(f"The search could not be run: {exc}.") from exc
    finally:
        if not exact:
            conn.set_progress_handler(None, 0)
    return SearchResult(query, hits, len(ordered), is_exact,
                        (time.perf_counter() - started) * 1000, parsed.terms)


def _passages(conn: sqlite3.Connection, fts: str, where: str, params: list,
               exact: bool) -> tuple[list[tuple[int, float, int]], bool]:
    """(passage id, bm25, document id) of the newest matching passages; True if that is all."""
    # bm25 costs per phrase per row: a long query ranks a smaller set.
    phrases = max(1, fts.count('"') // 2)
    budget = max(500, CANDIDATES // max(1, phrases // 3))
    cap = "" if exact else f"LIMIT {budget + 1}"
    join = _chunk_join(conn)
    if where and _selective(conn, where, params):
        # Few documents pass the filters: look only at their passages (FTS5 seeks each rowid),
        # instead of walking every match of the words and discarding most of them.
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} WHERE chunks_fts MATCH ? AND f.rowid IN "
               f"(SELECT c2.id FROM chunks c2 JOIN documents d ON d.id = c2.document_id "
               f"WHERE {where}) ORDER BY f.rowid DESC {cap}")
    elif where:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} JOIN documents d ON d.id = c.document_id "
               f"WHERE chunks_fts MATCH ? AND {where} ORDER BY f.rowid DESC {cap}")
    else:
        sql = (f"SELECT f.rowid, bm25(chunks_fts), c.document_id FROM chunks_fts f "
               f"{join} WHERE chunks_fts MATCH ? ORDER BY f.rowid DESC {cap}")
    rows = conn.execute(sql, [fts, *params]).fetchall()
    if exact or len(rows) <= budget:
        return rows, True
    return rows[:budget], False


def _chunk_join(conn: sqlite3.Connection) -> str:
    """Passage -> document through the covering index when the schema has it (a workspace
    opened read-only before migrating may not). Asked each time: it costs microseconds, and a
    connection cannot carry a memo of its own."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                       [LOOKUP_INDEX]).fetchone() is not None
    return (f"JOIN chunks c INDEXED BY {LOOKUP_INDEX} ON c.id = f.rowid" if has
            else "JOIN chunks c ON c.id = f.rowid")


def _by_document(rows: list[tuple[int, float, int]]) -> dict[int, tuple[float, int | None, int]]:
    """document_id -> (score, best chunk id, matching passages)."""
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
    return scored


def _rank(conn: sqlite3.Connection, fts: str, where: str, params: list,
          exact: bool) -> tuple[dict[int, tuple[float, int | None, int]], bool]:
    rows, is_exact = _passages(conn, fts, where, params, exact)
    return _by_document(rows), is_exact


def _rank_each(conn: sqlite3.Connection, branches: list[str], where: str, params: list,
               exact: bool) -> tuple[dict[int, tuple[float, int | None, int]], bool]:
    """Rank an OR by its parts: each part's newest passages, scores added per passage. The
    candidates are then a superset of what each part alone would rank, so `supervis*` shows
    every document `supervision` shows (a single bounded query over the OR would not)."""
    totals: dict[int, list] = {}
    is_exact = True
    for branch in branches:
        rows, complete = _passages(conn, branch, where, params, exact)
        is_exact = is_exact and complete
        for chunk_id, bm, doc_id in rows:
            entry = totals.get(chunk_id)
            if entry is None:
                totals[chunk_id] = [chunk_id, bm, doc_id]
            else:
                entry[1] += bm
    return _by_document([tuple(v) for v in totals.values()]), is_exact


def _names_expression(original: str, expanded_fts: str, expanded: dict) -> str:
    """Titles and file names have their own vocabulary: a prefix there is FTS5's own prefix
    query (cheap on the small names index) plus the written-out words outside its range."""
    if not expanded:
        return original
    from evidence_app.core.search import prefixes  # start-up: loaded only when this runs

    return prefixes.names_expression(original, expanded)


def _selective(conn: sqlite3.Connection, where: str, params: list) -> bool:
    """Do so few passages pass the filters that seeking each one beats walking the matches?
    (FTS5 answers `rowid IN (...)` with one seek per rowid: cheap for a case's few hundred
    passages, far slower than the walk for a whole source kind or date range.)"""
    n = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM chunks c2 JOIN documents d "
                     f"ON d.id = c2.document_id WHERE {where} LIMIT {FILTER_FIRST + 1})",
                     params).fetchone()[0]
    return n <= FILTER_FIRST


def expand_prefixes(conn: sqlite3.Connection, fts: str) -> str:
    """The MATCH expression with prefixes written out (see core/search/prefixes.py)."""
    from evidence_app.core.search import prefixes  # start-up: loaded only when this runs

    return prefixes.expand(conn, fts)[0]


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


def _dates(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, float]:
    """Each document's file date (modification time), for sorting newest first."""
    out: dict[int, float] = {}
    for i in range(0, len(doc_ids), 900):
        part = doc_ids[i:i + 900]
        out.update(conn.execute(f"SELECT id, COALESCE(mtime, 0) FROM documents WHERE id IN "
                                f"({','.join('?' * len(part))})", part).fetchall())
    return out


def _around_best_hit(conn: sqlite3.Connection, chunk_id: int, terms: list[str]) -> str | None:
    """The passage around the best hit in running text (see core/search/snippet.py)."""
    # start-up: loaded only when this runs
    from evidence_app.core.search.snippet import best_passage, opening_of

    row = conn.execute("SELECT text, document_id, seq FROM chunks WHERE id = ?",
                       [chunk_id]).fetchone()
    if not row:
        return None
    found = best_passage(row[0], terms, (MARK_START, MARK_END), opening=False)
    if found is None:
        # the words are only in headings and label rows here: the opening paragraph says more
        # (what best_passage with its opening gives, without looking for the hit again)
        found = opening_of(row[0])
    if found is None:
        # a heading-only passage (a title table): the text that follows it
        after = "\n".join(r[0] for r in conn.execute(
            "SELECT text FROM chunks WHERE document_id = ? AND seq > ? ORDER BY seq LIMIT 2",
            [row[1], row[2]]))
        found = best_passage(after, terms, (MARK_START, MARK_END))
    return found


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
        if snippet and chunk_id is not None and parsed.terms:
            snippet = _around_best_hit(conn, chunk_id, parsed.terms) or snippet
        if not snippet:
            row = conn.execute("SELECT substr(text, 1, 200), page FROM chunks "
                               "WHERE document_id = ? ORDER BY seq LIMIT 1", [doc_id]).fetchone()
            if row:
                snippet, pg = row[0] + ("…" if len(row[0]) >= 200 else ""), row[1]
        hits.append(SearchHit(doc_id, d[0], d[1], d[2], d[3], d[4], d[5], d[6], pg,
                              " ".join(snippet.split()), round(score, 4), chunk_id, n))
    return hits
