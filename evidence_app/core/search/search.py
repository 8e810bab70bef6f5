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

Reads use the workspace's plain sqlite3 connection (`ws.conn`); the statements are in
core/store/search.py. This module avoids dataclasses: the search command's start-up time is part
of what a person waits for. A search
that would run past DEADLINE_S (a pathological query on a huge index) stops with a message.
"""
from __future__ import annotations

import time

from evidence_app.core.base.errors import QueryError
from evidence_app.core.search.query import ParsedQuery, parse
from evidence_app.core.store import dbapi
from evidence_app.core.store import search as store
from evidence_app.core.store.search import MARK_END, MARK_START  # noqa: F401 - the hits' marks
from evidence_app.core.store.search import SearchHit

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing (~4 ms of every search)
if TYPE_CHECKING:
    import sqlite3  # annotations only: the search path does not load the package (store/dbapi.py)

    from evidence_app.core.workspace import Workspace

CANDIDATES = 3000
FILTER_FIRST = 400  # passages: at or below this, filters are applied before the words
DEADLINE_S = 5.0  # a bounded (not exact) search gives up after this long, with a message
TITLE_WEIGHT = 2.0


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
    return store.filter_sql(f.cases, f.kinds, f.types, f.paths, f.after, f.before)


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
        # sorted keys of plain tuples (compared in C) rather than a key function per document
        if order == "date":
            dates = _dates(conn, list(scored))
            ordered = sorted([(-dates.get(d, 0), -v[0], d) for d, v in scored.items()])
        else:
            ordered = sorted([(-v[0], d) for d, v in scored.items()])
        page = [(key[-1], scored[key[-1]]) for key in ordered[offset:offset + limit]]
        hits = _hydrate(conn, parsed, page)
    except dbapi.OperationalError as exc:
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
    # Few documents pass the filters: look only at their passages (FTS5 seeks each rowid),
    # instead of walking every match of the words and discarding most of them.
    seek = bool(where) and _selective(conn, where, params)
    rows = store.matching_passages(conn, fts, where, params, None if exact else budget + 1,
                                   seek=seek)
    if exact or len(rows) <= budget:
        return rows, True
    return rows[:budget], False


def _by_document(rows: list[tuple[int, float, int]]) -> dict[int, tuple[float, int | None, int]]:
    """document_id -> (score, best chunk id, matching passages)."""
    # one list per document, changed in place: [best score, its passage, matching passages]
    best: dict[int, list] = {}
    get = best.get
    for chunk_id, bm, doc_id in rows:
        entry = get(doc_id)
        if entry is None:
            best[doc_id] = [-bm, chunk_id, 1]
        else:
            entry[2] += 1
            if -bm > entry[0]:  # a tie keeps the newer passage, met first
                entry[0] = -bm
                entry[1] = chunk_id
    # Small reward for several matching passages: a document about the subject beats a mention.
    return {doc_id: (score * (1 + 0.05 * min(n - 1, 10)), c, n)
            for doc_id, (score, c, n) in best.items()}


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
    return store.filtered_passages_at_most(conn, where, params, FILTER_FIRST) <= FILTER_FIRST


def expand_prefixes(conn: sqlite3.Connection, fts: str) -> str:
    """The MATCH expression with prefixes written out (see core/search/prefixes.py)."""
    from evidence_app.core.search import prefixes  # start-up: loaded only when this runs

    return prefixes.expand(conn, fts)[0]


def _boost_titles(conn: sqlite3.Connection, fts: str, where: str, params: list,
                  scored: dict[int, tuple[float, int | None, int]]) -> None:
    for doc_id, bm in store.title_scores(conn, fts, where, params, CANDIDATES):
        boost = -bm * TITLE_WEIGHT
        prev = scored.get(doc_id)
        if prev is None:
            scored[doc_id] = (boost, None, 0)
        else:
            scored[doc_id] = (prev[0] + boost, prev[1], prev[2])


def _filter_only(conn: sqlite3.Connection, where: str, params: list,
                 limit: int) -> dict[int, tuple[float, int | None, int]]:
    rows = store.newest_filtered(conn, where, params, max(limit, 1000))
    n = len(rows)
    return {doc_id: (float(n - i), None, 0) for i, (doc_id, _) in enumerate(rows)}


def _dates(conn: sqlite3.Connection, doc_ids: list[int]) -> dict[int, float]:
    """Each document's file date (modification time), for sorting newest first."""
    return store.file_dates(conn, doc_ids)


def _around_best_hit(conn: sqlite3.Connection, row: tuple[str, int, int],
                     terms: list[str]) -> str | None:
    """The passage around the best hit in running text (see core/search/snippet.py); `row` is
    the passage's (text, document id, seq)."""
    # start-up: loaded only when this runs
    from evidence_app.core.search.snippet import best_passage, opening_of

    found = best_passage(row[0], terms, (MARK_START, MARK_END), opening=False)
    if found is None:
        # the words are only in headings and label rows here: the opening paragraph says more
        # (what best_passage with its opening gives, without looking for the hit again)
        found = opening_of(row[0])
    if found is None:
        # a heading-only passage (a title table): the text that follows it
        after = "\n".join(store.passages_after(conn, row[1], row[2], 2))
        found = best_passage(after, terms, (MARK_START, MARK_END))
    return found


def _hydrate(conn: sqlite3.Connection, parsed: ParsedQuery,
             page: list[tuple[int, tuple[float, int | None, int]]]) -> list[SearchHit]:
    if not page:
        return []
    doc_ids = [doc_id for doc_id, _ in page]
    docs = store.hit_documents(conn, doc_ids)
    chunk_ids = [c for _, (_, c, _) in page if c is not None]
    snippets: dict[int, tuple[str, int | None, str, int, int]] = {}
    if chunk_ids and parsed.fts:
        snippets = store.snippets(conn, parsed.fts, chunk_ids)
    hits: list[SearchHit] = []
    for doc_id, (score, chunk_id, n) in page:
        d = docs.get(doc_id)
        if d is None:
            continue
        found = snippets.get(chunk_id) if chunk_id is not None else None
        snippet, pg = (found[0], found[1]) if found is not None else ("", None)
        if snippet and found is not None and parsed.terms:
            snippet = _around_best_hit(conn, found[2:], parsed.terms) or snippet
        if not snippet:
            row = store.opening(conn, doc_id, 200)
            if row:
                snippet, pg = row[0] + ("…" if len(row[0]) >= 200 else ""), row[1]
        hits.append(SearchHit(doc_id, d[0], d[1], d[2], d[3], d[4], d[5], d[6], pg,
                              " ".join(snippet.split()), round(score, 4), chunk_id, n))
    return hits
